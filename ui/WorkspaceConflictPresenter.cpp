#include "WorkspaceConflictPresenter.h"

#include "WorkspaceConflictDialog.h"
#include "secrets/SecretStore.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceMerge.h"

#include <QWidget>

WorkspaceConflictPresenter::WorkspaceConflictPresenter(EnvironmentListModel *environments, SecretStore *secrets, QWidget *window)
    : QObject(window)
    , m_environments(environments)
    , m_secrets(secrets)
    , m_window(window)
{
    connect(m_environments, &EnvironmentListModel::conflictsFound, this, &WorkspaceConflictPresenter::showNext);
}

void WorkspaceConflictPresenter::showNext()
{
    if (m_dialog || m_environments->conflicts().isEmpty())
        return;
    const WorkspaceConflict conflict = m_environments->conflicts().first();
    const QString copyName = WorkspaceMerge::copyName(m_environments->workspace(), conflict.kind, conflict.name());
    m_dialog = new WorkspaceConflictDialog(conflict, copyName, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::finished, this, [this, conflict] {
        const WorkspaceConflict::Choice choice = m_dialog->choice();
        m_dialog = nullptr;
        // The list may have changed while the dialog was open; resolve the conflict it showed.
        const qsizetype index = m_environments->conflicts().indexOf(conflict);
        if (index >= 0)
            m_environments->resolveConflict(int(index), choice);
        // Deleted after all: its secrets go with it, as when nothing stood in the way.
        const bool deleted = index >= 0 && choice == WorkspaceConflict::Choice::KeepMine && conflict.kind == WorkspaceConflict::Kind::Environment
            && conflict.mineDeleted() && conflict.diskEnvironment && !m_environments->findById(conflict.diskEnvironment->id);
        if (deleted) {
            m_secrets->removeEnvironment(m_environments->workspace().id(), *conflict.diskEnvironment);
        }
        showNext();
    });
    m_dialog->open();
}
