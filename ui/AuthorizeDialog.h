#pragma once

#include "oauth/GrantInteraction.h"
#include "oauth/TokenResponseParser.h"
#include "scopes/ScopeInfo.h"
#include "workspace/Environment.h"

#include <QDialog>

#include <functional>

class Authorizer;
class BrowserWaitPanel;
class DeviceCodePanel;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class ScopePicker;
class SecretStore;

// Swagger UI's Authorize dialog for one environment: the scheme, the client, the secret (masked,
// revealable, optionally remembered) when the client authentication uses one, the password
// grant's user, the scope picker, and Authorize / Cancel / Log out / Close. An interactive grant
// shows what the person must do while it waits: BrowserWaitPanel (authorization code) or
// DeviceCodePanel (device grant). Authorizing runs in the Authorizer; this only shows it.
class AuthorizeDialog : public QDialog
{
    Q_OBJECT

public:
    AuthorizeDialog(Authorizer *authorizer, SecretStore *secrets, const Environment &environment, const ScopeCatalog &catalog,
                    const QStringList &selectedScopes, QWidget *parent = nullptr);

    QStringList selectedScopes() const;
    ScopePicker *scopePicker() const { return m_scopes; }
    // The shown error, empty when there is none.
    QString errorText() const;
    bool isAuthorizing() const { return m_busy; }
    // How a URL reaches the browser (QDesktopServices::openUrl by default); tests capture it.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);
    QString environmentId() const { return m_environment.id; }
    // An interaction of an authorization this dialog did not start (a send that needed a new
    // token) and so did not see asked for: shown as one of its own.
    void showInteraction(const GrantInteraction &interaction) { onInteraction(m_environment.id, interaction); }

public Q_SLOTS:
    void authorize();
    // Closed while a grant waits for the person: nobody would show the wait any more, so it stops.
    void reject() override;

Q_SIGNALS:
    void editEnvironmentRequested();

private:
    void onStarted(const QString &environmentId);
    void onFinished(const QString &environmentId, const TokenResult &result);
    void onInteraction(const QString &environmentId, const GrantInteraction &interaction);
    void hideInteraction();
    void setBusy(bool busy);
    void showError(const OAuthError &error);
    void showAuthorized(const AccessToken &token);
    void updateButtons();
    void probeStoredSecrets();
    void probeStoredSecret(const QString &name);

    Authorizer *m_authorizer;
    SecretStore *m_secrets;
    Environment m_environment;
    QStringList m_requested; // the scopes of the request in flight or last made
    bool m_busy = false;

    QLineEdit *m_clientSecret = nullptr; // none when the client authentication sends no secret
    QToolButton *m_revealSecret = nullptr;
    QLabel *m_secretStatus = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_passwordStatus = nullptr;
    QCheckBox *m_remember = nullptr; // none when nothing is typed here
    BrowserWaitPanel *m_browserPanel;
    DeviceCodePanel *m_devicePanel;
    ScopePicker *m_scopes;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLabel *m_error;
    QPushButton *m_authorizeButton;
    QPushButton *m_cancelButton;
    QPushButton *m_logoutButton;
    QDialogButtonBox *m_buttons;
};
