#pragma once

#include "WorkspaceConflictDialog.h"

#include <QObject>
#include <QPointer>

class EnvironmentListModel;
class QWidget;

// Puts the model's workspace conflicts (this window and another program changed the same
// environment or saved request) before the user, one dialog at a time, and applies each choice.
class WorkspaceConflictPresenter : public QObject
{
    Q_OBJECT

public:
    WorkspaceConflictPresenter(EnvironmentListModel *environments, QWidget *window);

    WorkspaceConflictDialog *currentDialog() const { return m_dialog; }

private:
    void showNext();

    EnvironmentListModel *m_environments;
    QWidget *m_window;
    QPointer<WorkspaceConflictDialog> m_dialog;
};
