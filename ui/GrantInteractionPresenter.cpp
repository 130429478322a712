#include "GrantInteractionPresenter.h"

#include "AuthorizeDialog.h"
#include "session/Authorizer.h"

#include <QWidget>

GrantInteractionPresenter::GrantInteractionPresenter(Authorizer *authorizer, QWidget *windows, DialogOpener openDialog, QObject *parent)
    : QObject(parent)
    , m_authorizer(authorizer)
    , m_windows(windows)
    , m_openDialog(std::move(openDialog))
{
    connect(m_authorizer, &Authorizer::interactionRequired, this, &GrantInteractionPresenter::onInteraction);
}

void GrantInteractionPresenter::onInteraction(const QString &environmentId, const GrantInteraction &interaction)
{
    const auto dialogs = m_windows->findChildren<AuthorizeDialog *>();
    for (AuthorizeDialog *dialog : dialogs) {
        // An open dialog on the environment shows the interaction itself.
        if (dialog->isVisible() && dialog->environmentId() == environmentId)
            return;
    }
    AuthorizeDialog *dialog = m_openDialog(environmentId);
    if (!dialog) {
        // Nobody can be asked: waiting would be silent.
        m_authorizer->cancel(environmentId);
        return;
    }
    dialog->showInteraction(interaction);
}
