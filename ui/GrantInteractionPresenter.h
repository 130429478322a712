#pragma once

#include "oauth/GrantInteraction.h"

#include <QObject>

#include <functional>

class Authorizer;
class AuthorizeDialog;
class QWidget;

// An authorization the user did not start in the Authorize dialog — the composer's send of an
// expired token, Re-authorize — may run a grant that needs the person (authorization code, device
// code). Nobody would show it, and the send would wait for a person nobody asked: when no open
// Authorize dialog shows that environment, this opens one (through openDialog) and shows the
// interaction in it, where Cancel gives up the wait. Renewing with a held refresh token asks nobody.
class GrantInteractionPresenter : public QObject
{
    Q_OBJECT

public:
    using DialogOpener = std::function<AuthorizeDialog *(const QString &environmentId)>;

    // windows: where the Authorize dialogs live (the main window); openDialog opens one for an
    // environment, or returns nullptr when it cannot (the environment is gone).
    GrantInteractionPresenter(Authorizer *authorizer, QWidget *windows, DialogOpener openDialog, QObject *parent = nullptr);

private:
    void onInteraction(const QString &environmentId, const GrantInteraction &interaction);

    Authorizer *m_authorizer;
    QWidget *m_windows;
    DialogOpener m_openDialog;
};
