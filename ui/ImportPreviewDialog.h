#pragma once

#include "contract/ImportPlan.h"
#include "contract/WorkspaceImport.h"

#include <QDialog>

class EnvironmentListModel;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTreeWidget;

// What importing an API document or a collection would do, before anything changes: the
// environments and requests it adds, updates or leaves as they are, each new environment's tier
// (guessed from the document, for the user to confirm), the values the document does not give
// (a host, an account id, the client id) to fill in, what was skipped and why, and notes.
// Import applies the plan through the EnvironmentListModel, so the file is saved like any edit;
// Cancel changes nothing.
class ImportPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    ImportPreviewDialog(EnvironmentListModel *workspace, const ImportPlan &plan, const QString &sourceName, QWidget *parent = nullptr);
    // With the preview already made (on a worker thread, for a big document) from the workspace as it is now.
    ImportPreviewDialog(EnvironmentListModel *workspace, const ImportPlan &plan, const ImportOutcome &preview, const QString &sourceName,
                        QWidget *parent = nullptr);

    // The plan as it would be applied now: the tiers chosen and the values typed.
    ImportPlan confirmedPlan() const;
    const ImportOutcome &preview() const { return m_preview; }
    bool isImporting() const { return m_importing; }

public Q_SLOTS:
    // Applies the confirmed plan (on a worker thread) and closes; on failure says why and stays open.
    void import();

Q_SIGNALS:
    // After Import: what was done.
    void imported(const ImportOutcome &outcome, const QString &summary);

private:
    void buildActions();
    void buildEnvironments();
    void buildInputs();
    const Environment *planEnvironment(const QString &key) const;
    QString whatOf(const ImportAction &action) const;

    EnvironmentListModel *m_workspace;
    ImportPlan m_plan;
    ImportOutcome m_preview;
    bool m_importing = false;

    QLabel *m_summary;
    QTreeWidget *m_actions;
    QTableWidget *m_environments;
    QTableWidget *m_inputs;
    QPlainTextEdit *m_skipped;
    QLabel *m_error;
    QPushButton *m_importButton;
};
