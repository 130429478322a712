#pragma once

#include "contract/ImportPlan.h"
#include "contract/WorkspaceImport.h"

#include <QJsonObject>
#include <QString>

// What `tokenbench-cli import` prints: each environment and request added, updated (with what
// changes) or unchanged, what was skipped and why, the notes, and what the user must still fill in
// per environment — as text, or as the one JSON object of --json.
class ImportReport
{
public:
    ImportReport(const ImportPlan &plan, const ImportOutcome &outcome, const QString &file, bool dryRun)
        : m_plan(plan)
        , m_outcome(outcome)
        , m_file(file)
        , m_dryRun(dryRun)
    {
    }

    QString text() const;
    QJsonObject toJson() const;

private:
    // The name an environment of the plan has in the workspace (an added one may have been renamed).
    QString environmentName(const QString &key) const;

    const ImportPlan &m_plan;
    const ImportOutcome &m_outcome;
    QString m_file;
    bool m_dryRun;
};
