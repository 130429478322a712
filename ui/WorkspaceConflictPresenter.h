#pragma once

#include "WorkspaceConflictDialog.h"

#include <QObject>
#include <QPointer>

class EnvironmentListModel;
class QWidget;
class SecretStore;

// Puts the model's workspace conflicts (this window and another program changed the same
// environment or saved request) before the user, one dialog at a time, and applies each choice.
class WorkspaceConflictPresenter : public QObject
{
    Q_OBJECT

public:
    // secrets: where a profile the user chooses to delete (against another program's edit) has its secrets.
    WorkspaceConflictPresenter(EnvironmentListModel *environments, SecretStore *secrets, QWidget *window);

    WorkspaceConflictDialog *currentDialog() const { return m_dialog; }

private:
    void showNext();

    EnvironmentListModel *m_environments;
    SecretStore *m_secrets;
    QWidget *m_window;
    QPointer<WorkspaceConflictDialog> m_dialog;
};
