#include "AuthorizeDialog.h"

#include "BrowserWaitPanel.h"
#include "DeviceCodePanel.h"
#include "ScopePicker.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
QString clientAuthText(ClientAuthStyle style)
{
    switch (style) {
    case ClientAuthStyle::Basic: return AuthorizeDialog::tr("HTTP Basic (RFC 6749 §2.3.1)");
    case ClientAuthStyle::Body: return AuthorizeDialog::tr("client_id and client_secret in the request body");
    case ClientAuthStyle::Json: return AuthorizeDialog::tr("JSON request body");
    case ClientAuthStyle::None: return AuthorizeDialog::tr("none: a public client (client_id only)");
    case ClientAuthStyle::PrivateKeyJwt: return AuthorizeDialog::tr("a JWT signed with the client's private key (private_key_jwt)");
    case ClientAuthStyle::TlsClientAuth: return AuthorizeDialog::tr("the client certificate (tls_client_auth, RFC 8705)");
    case ClientAuthStyle::SelfSignedTlsClientAuth: return AuthorizeDialog::tr("the registered self-signed client certificate (RFC 8705)");
    }
    return {};
}

QString grantText(GrantType grant)
{
    switch (grant) {
    case GrantType::ClientCredentials: return AuthorizeDialog::tr("client credentials grant");
    case GrantType::Password: return AuthorizeDialog::tr("password grant");
    case GrantType::AuthorizationCode: return AuthorizeDialog::tr("authorization code grant with PKCE");
    case GrantType::DeviceCode: return AuthorizeDialog::tr("device authorization grant");
    }
    return {};
}

QLabel *selectableLabel(const QString &text, const QString &objectName)
{
    auto *label = new QLabel(text);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText); // the profile's URLs and ids, the server's scope names
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}
} // namespace

AuthorizeDialog::AuthorizeDialog(Authorizer *authorizer, SecretStore *secrets, const Environment &environment, const ScopeCatalog &catalog,
                                 const QStringList &selectedScopes, QWidget *parent)
    : QDialog(parent)
    , m_authorizer(authorizer)
    , m_secrets(secrets)
    , m_environment(authorizer->resolved(environment))
{
    setObjectName(QStringLiteral("authorizeDialog"));
    setWindowTitle(tr("Authorize — %1").arg(environment.name));
    setAccessibleName(windowTitle());
    const bool demo = environment.isBuiltinDemo();
    const GrantType grant = m_environment.grant;
    const bool password = grant == GrantType::Password;
    const bool usesSecret = Environment::usesClientSecret(m_environment.clientAuth);

    auto *scheme = new QGroupBox(tr("OAuth 2 (%1)").arg(grantText(grant)), this);
    auto *schemeForm = new QFormLayout(scheme);
    if (grant == GrantType::AuthorizationCode) {
        schemeForm->addRow(tr("Authorization URL:"),
                           selectableLabel(m_environment.provider.authorizationUrl.toDisplayString(), QStringLiteral("authorizationUrlLabel")));
        schemeForm->addRow(tr("Redirect:"),
                           selectableLabel(m_environment.redirectPort > 0
                                               ? tr("http://127.0.0.1:%1/ (the port registered with the provider)").arg(m_environment.redirectPort)
                                               : tr("http://127.0.0.1 on a free port, chosen when you authorize"),
                                           QStringLiteral("redirectLabel")));
    } else if (grant == GrantType::DeviceCode) {
        schemeForm->addRow(tr("Device authorization URL:"),
                           selectableLabel(m_environment.provider.deviceAuthorizationUrl.toDisplayString(), QStringLiteral("deviceUrlLabel")));
    }
    schemeForm->addRow(tr("Token URL:"), selectableLabel(m_environment.tokenUrl.toDisplayString(), QStringLiteral("tokenUrlLabel")));
    schemeForm->addRow(tr("Flow:"), selectableLabel(Environment::grantName(grant), QStringLiteral("flowLabel")));
    schemeForm->addRow(tr("Client authentication:"), selectableLabel(clientAuthText(m_environment.clientAuth), QStringLiteral("clientAuthLabel")));
    schemeForm->addRow(tr("client_id:"), selectableLabel(m_environment.clientId, QStringLiteral("clientIdLabel")));

    // A public client or a signed assertion sends no secret: nothing to type for it here.
    if (usesSecret) {
        m_clientSecret = new QLineEdit(this);
        m_clientSecret->setObjectName(QStringLiteral("clientSecret"));
        m_clientSecret->setAccessibleName(tr("Client secret"));
        m_clientSecret->setEchoMode(QLineEdit::Password);
        m_clientSecret->setPlaceholderText(demo ? tr("built in (public demo credentials)") : tr("type the client secret"));
        m_clientSecret->setEnabled(!demo);
        m_revealSecret = new QToolButton(this);
        m_revealSecret->setObjectName(QStringLiteral("revealClientSecret"));
        m_revealSecret->setText(tr("Show"));
        m_revealSecret->setAccessibleName(tr("Show the client secret"));
        m_revealSecret->setCheckable(true);
        m_revealSecret->setEnabled(!demo);
        connect(m_revealSecret, &QToolButton::toggled, this, [this](bool on) {
            m_clientSecret->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
            m_revealSecret->setText(on ? tr("Hide") : tr("Show"));
        });
        auto *secretRow = new QHBoxLayout;
        secretRow->addWidget(m_clientSecret, 1);
        secretRow->addWidget(m_revealSecret);
        schemeForm->addRow(tr("client_secret:"), secretRow);
        m_secretStatus = selectableLabel(QString(), QStringLiteral("secretStatus"));
        schemeForm->addRow(QString(), m_secretStatus);
    } else if (m_environment.clientAuth == ClientAuthStyle::PrivateKeyJwt) {
        schemeForm->addRow(QString(), selectableLabel(tr("The client assertion is signed with the private key kept in the system keychain."),
                                                      QStringLiteral("privateKeyNote")));
    } else if (Environment::usesClientCertificate(m_environment.clientAuth)) {
        schemeForm->addRow(QString(), selectableLabel(tr("The client proves who it is with the environment's client certificate, "
                                                         "whose key is kept in the system keychain; no secret is sent."),
                                                      QStringLiteral("clientCertificateNote")));
    }

    if (password) {
        m_username = new QLineEdit(m_environment.username, this);
        m_username->setObjectName(QStringLiteral("username"));
        m_username->setAccessibleName(tr("Username"));
        m_username->setReadOnly(true);
        m_password = new QLineEdit(this);
        m_password->setObjectName(QStringLiteral("password"));
        m_password->setAccessibleName(tr("Password"));
        m_password->setEchoMode(QLineEdit::Password);
        m_password->setEnabled(!demo);
        m_password->setPlaceholderText(demo ? tr("built in (public demo credentials)") : tr("type the password"));
        schemeForm->addRow(tr("username:"), m_username);
        schemeForm->addRow(tr("password:"), m_password);
        m_passwordStatus = selectableLabel(QString(), QStringLiteral("passwordStatus"));
        schemeForm->addRow(QString(), m_passwordStatus);
    }
    if (m_clientSecret || m_password) {
        m_remember = new QCheckBox(tr("Remember in the system keychain"), this);
        m_remember->setObjectName(QStringLiteral("rememberSecret"));
        m_remember->setAccessibleName(m_remember->text());
        m_remember->setChecked(true);
        m_remember->setEnabled(!demo);
        schemeForm->addRow(QString(), m_remember);
    }

    m_browserPanel = new BrowserWaitPanel(this);
    m_browserPanel->hide();
    m_devicePanel = new DeviceCodePanel(m_authorizer->clock(), this);
    m_devicePanel->hide();
    for (QWidget *panel : {static_cast<QWidget *>(m_browserPanel), static_cast<QWidget *>(m_devicePanel)})
        panel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    connect(m_browserPanel, &BrowserWaitPanel::cancelRequested, this, [this] { m_authorizer->cancel(m_environment.id); });
    connect(m_devicePanel, &DeviceCodePanel::cancelRequested, this, [this] { m_authorizer->cancel(m_environment.id); });

    auto *scopeBox = new QGroupBox(tr("Scopes"), this);
    auto *scopeLayout = new QVBoxLayout(scopeBox);
    m_scopes = new ScopePicker(scopeBox);
    m_scopes->setCatalog(catalog);
    m_scopes->setSelectedScopes(selectedScopes);
    scopeLayout->addWidget(m_scopes);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("authorizeProgress"));
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_progress->hide();
    m_status = selectableLabel(QString(), QStringLiteral("authorizeStatus"));
    m_error = selectableLabel(QString(), QStringLiteral("authorizeError"));
    m_error->setTextFormat(Qt::RichText);
    m_error->setFrameShape(QFrame::StyledPanel);
    m_error->hide();

    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(QStringLiteral("authorizeButtons"));
    m_authorizeButton = m_buttons->addButton(tr("&Authorize"), QDialogButtonBox::AcceptRole);
    m_authorizeButton->setObjectName(QStringLiteral("authorizeButton"));
    m_authorizeButton->setDefault(true);
    m_cancelButton = m_buttons->addButton(tr("&Cancel request"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_logoutButton = m_buttons->addButton(tr("&Log out"), QDialogButtonBox::ResetRole);
    m_logoutButton->setObjectName(QStringLiteral("logoutButton"));
    QPushButton *close = m_buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    for (QPushButton *button : {m_authorizeButton, m_cancelButton, m_logoutButton, close}) {
        button->setAccessibleName(button->text().remove(QLatin1Char('&')));
        // Return means Authorize wherever the focus is: a button that merely had the focus (Log out
        // after a click elsewhere went away) must never become the default and act on Return.
        button->setAutoDefault(button == m_authorizeButton);
    }
    // AcceptRole would close the dialog; authorizing keeps it open to show the result.
    disconnect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_authorizeButton, &QPushButton::clicked, this, &AuthorizeDialog::authorize);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { m_authorizer->cancel(m_environment.id); });
    connect(m_logoutButton, &QPushButton::clicked, this, [this] {
        m_authorizer->logout(m_environment.id);
        m_scopes->clearGrantResult();
        m_status->setText(tr("Logged out: the token was forgotten."));
        updateButtons();
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scheme);
    layout->addWidget(scopeBox, 1);
    layout->addWidget(m_browserPanel);
    layout->addWidget(m_devicePanel);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_authorizer, &Authorizer::started, this, &AuthorizeDialog::onStarted);
    connect(m_authorizer, &Authorizer::finished, this, &AuthorizeDialog::onFinished);
    connect(m_authorizer, &Authorizer::interactionRequired, this, &AuthorizeDialog::onInteraction);
    connect(m_authorizer, &Authorizer::secretNotice, this, [this](const QString &id, const QString &message) {
        if (id != m_environment.id)
            return;
        QLabel *where = m_secretStatus ? m_secretStatus : m_passwordStatus;
        (where ? where : m_status)->setText(message);
    });

    if (const auto token = m_authorizer->currentToken(m_environment.id)) {
        m_status->setText(tr("Authorized. Authorize again for a new token, or log out to forget it."));
        m_scopes->setGrantResult(token->requestedScopes, token->grantedScopes, token->scopeSource != AccessToken::ScopeSource::NotReported);
    }
    setBusy(m_authorizer->isBusy(m_environment.id));
    if (!demo)
        probeStoredSecrets();
    resize(620, 680);
}

void AuthorizeDialog::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    m_browserPanel->setUrlOpener(opener);
    m_devicePanel->setUrlOpener(std::move(opener));
}

void AuthorizeDialog::onInteraction(const QString &environmentId, const GrantInteraction &interaction)
{
    if (environmentId != m_environment.id)
        return;
    hideInteraction();
    if (interaction.kind == GrantInteraction::Kind::OpenBrowser) {
        m_status->setText(tr("Authorizing in the browser…"));
        m_browserPanel->show();
        m_browserPanel->start(interaction.url);
    } else {
        m_status->setText(tr("Waiting for the code to be entered at %1…").arg(interaction.url.host()));
        m_devicePanel->show();
        m_devicePanel->start(interaction.userCode, interaction.url, interaction.completeUrl, interaction.expiresAt);
    }
}

void AuthorizeDialog::reject()
{
    if (m_busy && (!m_browserPanel->isHidden() || !m_devicePanel->isHidden()))
        m_authorizer->cancel(m_environment.id);
    QDialog::reject();
}

void AuthorizeDialog::hideInteraction()
{
    m_browserPanel->hide();
    m_devicePanel->stop();
    m_devicePanel->hide();
}

void AuthorizeDialog::probeStoredSecrets()
{
    if (m_clientSecret)
        probeStoredSecret(SecretStore::clientSecretName());
    if (m_password)
        probeStoredSecret(SecretStore::passwordName());
}

void AuthorizeDialog::probeStoredSecret(const QString &name)
{
    const bool isPassword = name == SecretStore::passwordName();
    const QString key = SecretStore::keyFor(m_authorizer->workspaceId(), m_environment.id, name);
    QPointer<AuthorizeDialog> self(this);
    m_secrets->read(key, [self, isPassword](const SecretResult &result) {
        if (!self)
            return;
        QLineEdit *field = isPassword ? self->m_password : self->m_clientSecret;
        QLabel *status = isPassword ? self->m_passwordStatus : self->m_secretStatus;
        if (!field || !status)
            return;
        // Only say whether one is stored; the value never goes into the field.
        if (result.status == SecretResult::Status::Found) {
            field->setPlaceholderText(tr("•••••• stored — leave empty to use it"));
            if (isPassword)
                status->setText(result.sessionOnly ? tr("A password is kept for this session only (no keychain).")
                                                   : tr("A password is stored in the system keychain."));
            else
                status->setText(result.sessionOnly ? tr("A secret is kept for this session only (no keychain).")
                                                   : tr("A secret is stored in the system keychain."));
        } else if (isPassword && result.status == SecretResult::Status::NotFound && !result.sessionOnly) {
            status->setText(tr("No password stored in the system keychain."));
        } else {
            status->setText(result.message);
        }
    });
}

QStringList AuthorizeDialog::selectedScopes() const
{
    return m_scopes->selectedScopes();
}

QString AuthorizeDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AuthorizeDialog::authorize()
{
    if (m_busy)
        return;
    AuthorizationCredentials credentials;
    credentials.clientSecret = m_clientSecret ? m_clientSecret->text() : QString();
    credentials.password = m_password ? m_password->text() : QString();
    credentials.remember = m_remember && m_remember->isChecked();
    m_requested = m_scopes->selectedScopes();
    m_authorizer->authorize(m_environment, m_requested, credentials);
}

void AuthorizeDialog::onStarted(const QString &environmentId)
{
    if (environmentId != m_environment.id)
        return;
    m_error->hide();
    m_error->clear();
    m_scopes->clearGrantResult();
    hideInteraction();
    m_status->setText(tr("Requesting a token from %1…").arg(m_environment.tokenUrl.host()));
    setBusy(true);
}

void AuthorizeDialog::onFinished(const QString &environmentId, const TokenResult &result)
{
    if (environmentId != m_environment.id)
        return;
    setBusy(false);
    hideInteraction();
    if (result.ok())
        showAuthorized(*result.token);
    else if (result.error.kind == OAuthError::Kind::Cancelled)
        m_status->setText(tr("Cancelled."));
    else
        showError(result.error);
}

void AuthorizeDialog::showAuthorized(const AccessToken &token)
{
    const bool reported = token.scopeSource != AccessToken::ScopeSource::NotReported;
    m_scopes->setGrantResult(token.requestedScopes, token.grantedScopes, reported);
    const QStringList missing = token.missingScopes();
    if (!reported)
        m_status->setText(tr("Authorized. The server did not report which scopes it granted."));
    else if (missing.isEmpty())
        m_status->setText(tr("Authorized with every requested scope."));
    else
        m_status->setText(tr("Authorized, but these scopes were NOT granted: %1").arg(missing.join(QLatin1Char(' '))));
    if (m_clientSecret)
        m_clientSecret->clear();
    if (m_password)
        m_password->clear();
    if (!m_environment.isBuiltinDemo())
        probeStoredSecrets();
}

void AuthorizeDialog::showError(const OAuthError &error)
{
    m_status->setText(tr("Authorization failed."));
    QString html = QStringLiteral("<b>%1</b>").arg(error.summary().toHtmlEscaped());
    const QString hint = error.hint();
    if (!hint.isEmpty())
        html += QStringLiteral("<br>%1").arg(hint.toHtmlEscaped());
    m_error->setText(html);
    m_error->show();
    const QStringList refused = error.refusedScopes(m_requested);
    if (!refused.isEmpty())
        m_scopes->setRefusedScopes(refused, error.description);
}

void AuthorizeDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    updateButtons();
}

void AuthorizeDialog::updateButtons()
{
    m_authorizeButton->setEnabled(!m_busy);
    m_cancelButton->setVisible(m_busy);
    m_logoutButton->setEnabled(!m_busy && m_authorizer->currentToken(m_environment.id).has_value());
}
