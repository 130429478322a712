#pragma once

#include "OidcProviderProcess.h"
#include "MainWindow.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class AuthorizeDialog;
class ComposerView;
class QProcess;

// The desktop app against panva's oidc-provider, for the widget tests of the grants a person
// takes part in: the fixture server (OidcProviderProcess), a workspace in a temporary folder,
// the Authorizer and the main window shown on the offscreen platform. Environments are made as
// a user makes them — a name, the API and the client id, then the editor's "Issuer URL…" with
// the provider's issuer and the grant picked — so the endpoints all come from its discovery.
class OidcDesktopFixture
{
protected:
    // Empty on success, else what failed. serverArguments go to server.mjs (e.g. "--verbose").
    // manualClock: the app's tokens age only when the test moves m_clock (the servers' do not).
    QString startDesktop(const QString &applicationName, const QStringList &serverArguments = {}, bool manualClock = false);
    // The environment's id once the editor saved it, empty (and *error filled) when it did not.
    // scopes, params, proxy: its default scopes, token parameters and proxy, typed with the rest
    // before the issuer (discovery then goes through that proxy).
    QString addEnvironmentByIssuer(const QString &name, const QString &clientId, GrantType grant, ClientAuthStyle clientAuth,
                                   QString *error, const QStringList &scopes = {}, const QList<TokenParam> &params = {},
                                   const ProxySetting &proxy = {});
    void selectEnvironment(const QString &id);
    // Opens Authorize… for the selected environment; nullptr when no dialog came up.
    AuthorizeDialog *openAuthorizeDialog();
    // The current request tab set to GET path and sent, as Send does; nullptr when there is no tab.
    ComposerView *sendGet(const QString &path);
    // Closes every Authorize dialog still open (a failed test's), as its Close button would.
    void closeAuthorizeDialogs();
    // Checks exactly these scopes in the dialog's picker, by keyboard (Select none, then Space on each row).
    static bool pickScopes(AuthorizeDialog *dialog, const QStringList &scopes, QString *error);
    // node with a script of tests/integration/oidc, started in the background (the app's
    // loopback listener answers from this thread's event loop, so nothing here may block).
    QProcess *startNodeScript(const QString &script, const QStringList &arguments, const QStringList &environment = {});
    // Lets the scripts started so far end (a browser still showing the callback page), then
    // ends any left; for each test's cleanup().
    void finishNodeScripts();
    // A JWT's payload (no check: the app's own checks are what the tests look at).
    static QJsonObject jwtClaims(const QString &jwt);
    static QStringList words(const QString &spaceSeparated);
    // The kid of the provider's one signing key, read from its JWKS as a resource server would.
    QString providerKeyId(QString *error);

    OidcProviderProcess m_server;
    QTemporaryDir m_dir;
    SecretStore m_secrets{QStringLiteral("Tokenbench-tests")};
    ManualClock m_clock;
    std::unique_ptr<EnvironmentListModel> m_model;
    std::unique_ptr<Authorizer> m_authorizer;
    std::unique_ptr<MainWindow> m_window;
    QList<QProcess *> m_scripts;
};
