#pragma once

#include "history/HistoryEntry.h"
#include "matrix/MatrixResult.h"

#include <QDateTime>
#include <QStringList>
#include <QWidget>

class HistoryEntryView;
class QLabel;

// The cell the user clicked: its verdict and why, the scopes asked for and granted, and the
// whole exchange that proves it — request and response as the History panel shows them, already
// redacted by the runner (Authorization masked, known secrets replaced).
class MatrixCellDetail : public QWidget
{
    Q_OBJECT

public:
    explicit MatrixCellDetail(QWidget *parent = nullptr);

    // contextHeaders: the environment's injected header names, marked as injected like Authorization.
    void setResult(const MatrixCellResult &result, const QDateTime &finishedAt, const QString &environmentName,
                   const QStringList &contextHeaders);
    // A cell not run yet (or a request's own column): says what it will do.
    void setPending(const QString &text);
    void clear();

    QString summaryText() const;
    HistoryEntryView *exchangeView() const { return m_exchange; }

    // The evidence as a history entry, so the history's view shows it.
    static HistoryEntry entryFor(const MatrixCellResult &result, const QDateTime &finishedAt, const QString &environmentName,
                                 const QStringList &contextHeaders);

private:
    QLabel *m_chip;
    QLabel *m_summary;
    HistoryEntryView *m_exchange;
};
