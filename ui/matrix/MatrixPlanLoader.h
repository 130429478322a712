#pragma once

#include "MatrixLayout.h"
#include "matrix/MatrixCell.h"
#include "matrix/MatrixPlan.h"
#include "workspace/Environment.h"
#include "workspace/Workspace.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

// Where the matrix window's plan comes from, read and planned on a worker thread: a plan from
// a big OpenAPI document takes a while, and the window never waits for it. A load started
// while another runs supersedes it: the older answer is dropped.
class MatrixPlanLoader : public QObject
{
    Q_OBJECT

public:
    enum class Source { Workspace, PlanFile, OpenApi };
    // An OpenAPI document as big as Import API Document reads (ApiDocumentReader::MaxBytes).
    static constexpr qint64 MaxDocumentBytes = 32 * 1024 * 1024;

    struct Loaded
    {
        std::optional<MatrixPlan> plan;
        QList<MatrixCell> cells;
        MatrixLayout layout; // of cells
        QStringList notes; // the plan's and the planner's: requests left out, cells not exact
        QString error;
    };

    explicit MatrixPlanLoader(QObject *parent = nullptr);

    // The plan from the source (path for a file), and its cells for the environment.
    void load(Source source, const QString &path, const Workspace &workspace, const Environment &environment);
    bool isLoading() const { return m_pending > 0; }

    // What load() does on the worker thread.
    static Loaded loadNow(Source source, const QString &path, const Workspace &workspace, const Environment &environment);

Q_SIGNALS:
    void loaded(const MatrixPlanLoader::Loaded &result);

private:
    quint64 m_ticket = 0;
    int m_pending = 0;
};
