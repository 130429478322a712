#include "EnvironmentCredentialsPage.h"

#include "EnvironmentFieldCheck.h"
#include "EnvironmentProblems.h"
#include "FormNote.h"
#include "SecretField.h"

#include "secrets/SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

EnvironmentCredentialsPage::EnvironmentCredentialsPage(EnvironmentSecrets *secrets, QWidget *parent)
    : EnvironmentPage(parent)
    , m_secrets(secrets)
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form = form;

    m_grant = new QComboBox;
    m_grant->setObjectName(u"grantType"_s);
    m_grant->setAccessibleName(tr("Grant type"));
    m_grant->addItem(tr("Client credentials"), static_cast<int>(GrantType::ClientCredentials));
    m_grant->addItem(tr("Password"), static_cast<int>(GrantType::Password));
    m_grant->addItem(tr("Authorization code with PKCE"), static_cast<int>(GrantType::AuthorizationCode));
    m_grant->addItem(tr("Device code"), static_cast<int>(GrantType::DeviceCode));
    form->addRow(tr("&Grant type:"), m_grant);

    m_clientAuth = new QComboBox;
    m_clientAuth->setObjectName(u"clientAuth"_s);
    m_clientAuth->setAccessibleName(tr("Client authentication"));
    m_clientAuth->addItem(tr("HTTP Basic (RFC 6749 §2.3.1)"), static_cast<int>(ClientAuthStyle::Basic));
    m_clientAuth->addItem(tr("In the request body"), static_cast<int>(ClientAuthStyle::Body));
    m_clientAuth->addItem(tr("JSON body"), static_cast<int>(ClientAuthStyle::Json));
    m_clientAuth->addItem(tr("None (public client)"), static_cast<int>(ClientAuthStyle::None));
    m_clientAuth->addItem(tr("Private key JWT"), static_cast<int>(ClientAuthStyle::PrivateKeyJwt));
    m_clientAuth->addItem(tr("Client certificate (tls_client_auth)"), static_cast<int>(ClientAuthStyle::TlsClientAuth));
    m_clientAuth->addItem(tr("Self-signed client certificate"), static_cast<int>(ClientAuthStyle::SelfSignedTlsClientAuth));
    m_clientAuthHelp = FormNote::label(u"clientAuthHelp"_s, FormNote::Tone::Muted);
    m_clientAuthHelp->setVisible(true);
    form->addRow(tr("Client a&uthentication:"), FormNote::stacked(m_clientAuth, {m_clientAuthHelp}));

    m_clientId = new QLineEdit;
    m_clientId->setObjectName(u"clientId"_s);
    m_clientId->setAccessibleName(tr("Client ID"));
    form->addRow(tr("Client &ID:"), m_clientId);

    m_clientSecret = new SecretField(secrets, SecretStore::clientSecretName(), tr("Client secret"), u"clientSecret"_s);
    form->addRow(tr("Client &secret:"), m_clientSecret);

    m_signingKeyId = new QLineEdit;
    m_signingKeyId->setObjectName(u"signingKeyId"_s);
    m_signingKeyId->setAccessibleName(tr("Signing key ID"));
    m_signingKeyId->setPlaceholderText(tr("the kid the provider knows the key by (optional)"));
    form->addRow(tr("Signing &key ID:"), m_signingKeyId);

    m_privateKey = new SecretField(secrets, SecretStore::privateKeyName(), tr("Private key"), u"privateKey"_s);
    m_privateKey->addFileLoader(u"privateKeyFileDialog"_s, tr("The private key that signs the client assertion"),
                                {tr("PEM private keys (*.pem *.key)"), tr("All files (*)")}, &EnvironmentFieldCheck::privateKeyProblem);
    m_privateKey->edit()->setToolTip(tr("Paste a one-line key, or load the PEM file. The key is kept in the system keychain only."));
    m_privateKeyMessage = FormNote::label(u"privateKeyMessage"_s, FormNote::Tone::Warning);
    auto *privateKeyBox = new QWidget;
    auto *privateKeyLayout = new QVBoxLayout(privateKeyBox);
    privateKeyLayout->setContentsMargins(0, 0, 0, 0);
    privateKeyLayout->setSpacing(3);
    privateKeyLayout->addWidget(m_privateKey);
    privateKeyLayout->addWidget(m_privateKeyMessage);
    privateKeyBox->setFocusProxy(m_privateKey);
    form->addRow(tr("Private &key:"), privateKeyBox);

    m_username = new QLineEdit;
    m_username->setObjectName(u"username"_s);
    m_username->setAccessibleName(tr("Username"));
    form->addRow(tr("Use&rname:"), m_username);

    m_password = new SecretField(secrets, SecretStore::passwordName(), tr("Password"), u"password"_s);
    form->addRow(tr("&Password:"), m_password);

    m_redirectPort = new QSpinBox;
    m_redirectPort->setObjectName(u"redirectPort"_s);
    m_redirectPort->setAccessibleName(tr("Redirect port"));
    m_redirectPort->setRange(0, 65535);
    m_redirectPort->setSpecialValueText(tr("any free port"));
    // The spin box's own line edit is what a screen reader lands on.
    if (auto *inner = m_redirectPort->findChild<QLineEdit *>())
        inner->setAccessibleName(m_redirectPort->accessibleName());
    m_redirectHint = FormNote::label(u"redirectPortHint"_s, FormNote::Tone::Muted);
    m_redirectHint->setText(tr("The browser comes back to http://127.0.0.1:PORT/callback. Set the port only when the "
                               "provider needs the redirect URI registered exactly (RFC 8252 §7.3)."));
    m_redirectHint->setVisible(true);
    form->addRow(tr("Redirect p&ort:"), FormNote::stacked(m_redirectPort, {m_redirectHint}));

    m_keepRefreshToken = new QCheckBox(tr("Keep the refresh token in the keychain"));
    m_keepRefreshToken->setObjectName(u"keepRefreshToken"_s);
    m_keepRefreshToken->setAccessibleName(m_keepRefreshToken->text());
    m_keepRefreshToken->setToolTip(tr("Off: a refresh token lives in memory until Tokenbench quits. On: it is kept in the "
                                      "system keychain, so the next session can renew the token without signing in again."));
    form->addRow(QString(), m_keepRefreshToken);

    connect(m_grant, &QComboBox::currentIndexChanged, this, &EnvironmentCredentialsPage::updateGrantRows);
    // activated: the user's own pick, not a load or discovery's.
    connect(m_grant, &QComboBox::activated, this, [this] { m_grantChosen = true; });
    connect(m_clientAuth, &QComboBox::activated, this, [this] { m_clientAuthChosen = true; });
    connect(m_clientAuth, &QComboBox::currentIndexChanged, this, &EnvironmentCredentialsPage::updateClientAuthHelp);
    connect(m_clientId, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_username, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_privateKey, &SecretField::edited, this, &EnvironmentPage::edited);
}

void EnvironmentCredentialsPage::setGrant(GrantType grant, ClientAuthStyle clientAuth)
{
    // currentIndexChanged updates the rows and the help as a pick of the user's would.
    m_grant->setCurrentIndex(std::max(0, m_grant->findData(static_cast<int>(grant))));
    m_clientAuth->setCurrentIndex(std::max(0, m_clientAuth->findData(static_cast<int>(clientAuth))));
}

QList<QWidget *> EnvironmentCredentialsPage::focusOrder() const
{
    return {m_grant, m_clientAuth, m_clientId,
            m_clientSecret->edit(), m_clientSecret->revealButton(), m_clientSecret->removeButton(),
            m_signingKeyId, m_privateKey->edit(), m_privateKey->revealButton(), m_privateKey->loadButton(), m_privateKey->removeButton(),
            m_username, m_password->edit(), m_password->revealButton(), m_password->removeButton(),
            m_redirectPort, m_keepRefreshToken};
}

void EnvironmentCredentialsPage::load(const Environment &environment)
{
    m_demo = environment.isBuiltinDemo();
    m_grantChosen = false;
    m_clientAuthChosen = false;
    {
        // The rows follow once everything is loaded; the editor validates after load.
        const QSignalBlocker grantBlocker(m_grant);
        const QSignalBlocker authBlocker(m_clientAuth);
        m_grant->setCurrentIndex(std::max(0, m_grant->findData(static_cast<int>(environment.grant))));
        m_clientAuth->setCurrentIndex(std::max(0, m_clientAuth->findData(static_cast<int>(environment.clientAuth))));
    }
    m_clientId->setText(environment.clientId);
    m_username->setText(environment.username);
    m_signingKeyId->setText(environment.signingKeyId);
    m_redirectPort->setValue(environment.redirectPort);
    m_keepRefreshToken->setChecked(environment.keepRefreshToken);
    m_clientSecret->reset();
    m_privateKey->reset();
    m_password->reset();

    const QString provided = tr("provided by the built-in Demo API");
    for (QLineEdit *edit : {m_clientId, m_username, m_signingKeyId}) {
        edit->setReadOnly(m_demo);
        edit->setToolTip(m_demo ? tr("Provided by the built-in Demo API") : QString());
    }
    for (QLineEdit *edit : {m_clientId, m_username})
        edit->setPlaceholderText(m_demo ? provided : QString());
    // The Demo API's own client secret and password are used; nothing here would be read.
    m_clientSecret->setProvided(m_demo);
    m_password->setProvided(m_demo);
    m_privateKey->setProvided(m_demo);
    updateGrantRows();
    updateClientAuthHelp();
}

GrantType EnvironmentCredentialsPage::grant() const
{
    return static_cast<GrantType>(m_grant->currentData().toInt());
}

ClientAuthStyle EnvironmentCredentialsPage::clientAuth() const
{
    return static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt());
}

void EnvironmentCredentialsPage::store(Environment &environment) const
{
    environment.grant = grant();
    environment.clientAuth = clientAuth();
    environment.keepRefreshToken = m_keepRefreshToken->isChecked();
    if (m_demo)
        return;
    environment.clientId = m_clientId->text().trimmed();
    environment.username = m_username->text().trimmed();
    // What a grant or a client authentication does not use is not carried along.
    environment.signingKeyId = clientAuth() == ClientAuthStyle::PrivateKeyJwt ? m_signingKeyId->text().trimmed() : QString();
    environment.redirectPort = grant() == GrantType::AuthorizationCode ? m_redirectPort->value() : 0;
}

void EnvironmentCredentialsPage::check(const Environment &current, EnvironmentProblems &problems)
{
    // Until a private key is stored the assertion cannot be signed; the profile may still be saved.
    const bool needsKey = !m_demo && current.clientAuth == ClientAuthStyle::PrivateKeyJwt && m_privateKey->typed().isEmpty()
        && !m_secrets->isHeld(SecretStore::privateKeyName())
        && m_secrets->status(SecretStore::privateKeyName()).state != EnvironmentSecrets::State::Checking;
    FormNote::show(m_privateKeyMessage, FormNote::Tone::Warning,
                   needsKey ? tr("No private key is stored yet: token requests cannot sign their assertion.") : QString(), palette());
    if (m_demo && current.clientAuth == ClientAuthStyle::PrivateKeyJwt)
        problems.error(tr("The Demo API's clients have no key for private key JWT: choose HTTP Basic, the body, JSON or None (its public client)."));
    if (m_demo && Environment::usesClientCertificate(current.clientAuth))
        problems.error(tr("The Demo API takes no client certificate: choose HTTP Basic, the body, JSON or None (its public client)."));
    if (m_demo)
        return;
    // RFC 8705 §2: the certificate is the credential (its key is checked on the Network tab).
    if (Environment::usesClientCertificate(current.clientAuth) && current.clientCertificate.isEmpty())
        problems.missing(tr("a client certificate and its key (Network tab), which %1 authenticates with")
                             .arg(Environment::clientAuthName(current.clientAuth)));
    if (m_clientId->text().trimmed().isEmpty())
        problems.missing(tr("the client ID"));
    if (current.grant == GrantType::Password && m_username->text().trimmed().isEmpty())
        problems.missing(tr("the username (password grant)"));
}

QStringList EnvironmentCredentialsPage::secretNames() const
{
    if (m_demo)
        return {};
    return {SecretStore::clientSecretName(), SecretStore::passwordName(), SecretStore::privateKeyName()};
}

QList<EnvironmentSecrets::Op> EnvironmentCredentialsPage::secretOps(const Environment &current) const
{
    QList<EnvironmentSecrets::Op> ops;
    // A secret typed for a client authentication that was then changed is not kept; a removal
    // asked for is done either way.
    if (const auto op = m_clientSecret->saveOp(); op && (op->remove || Environment::usesClientSecret(current.clientAuth)))
        ops.append(*op);
    if (const auto op = m_privateKey->saveOp(); op && (op->remove || current.clientAuth == ClientAuthStyle::PrivateKeyJwt))
        ops.append(*op);
    // A password typed for another grant is not kept; a removal asked for is done either way.
    if (const auto op = m_password->saveOp(); op && (op->remove || current.grant == GrantType::Password))
        ops.append(*op);
    return ops;
}

void EnvironmentCredentialsPage::clearTypedSecrets()
{
    m_clientSecret->reset();
    m_privateKey->reset();
    m_password->reset();
}

void EnvironmentCredentialsPage::refreshSecrets()
{
    m_clientSecret->refresh();
    m_privateKey->refresh();
    m_password->refresh();
}

void EnvironmentCredentialsPage::applyTones(const QPalette &base)
{
    for (QLineEdit *edit : {m_clientId, m_username, m_signingKeyId})
        toneReadOnly(edit, base);
}

void EnvironmentCredentialsPage::updateGrantRows()
{
    const GrantType current = grant();
    const bool password = current == GrantType::Password;
    m_form->setRowVisible(m_username, password);
    m_form->setRowVisible(m_password, password);
    m_username->setEnabled(password);
    m_password->setEnabled(password);
    const bool authorizationCode = current == GrantType::AuthorizationCode;
    m_form->setRowVisible(m_redirectPort->parentWidget(), authorizationCode);
    m_redirectPort->setEnabled(authorizationCode);
    // Client credentials get no refresh token (RFC 6749 §4.4.3): nothing to keep.
    const bool refreshable = current != GrantType::ClientCredentials;
    m_form->setRowVisible(m_keepRefreshToken, refreshable);
    m_keepRefreshToken->setEnabled(refreshable);
    Q_EMIT edited();
}

void EnvironmentCredentialsPage::updateClientAuthHelp()
{
    switch (static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt())) {
    case ClientAuthStyle::Basic:
        m_clientAuthHelp->setText(tr("Client ID and secret go in an Authorization: Basic header, each form-encoded first."));
        break;
    case ClientAuthStyle::Body:
        m_clientAuthHelp->setText(tr("client_id and client_secret are sent as form fields in the request body."));
        break;
    case ClientAuthStyle::Json:
        m_clientAuthHelp->setText(tr("The whole token request, credentials included, is sent as one JSON object."));
        break;
    case ClientAuthStyle::None:
        m_clientAuthHelp->setText(tr("A public client: only client_id is sent, with no secret (RFC 6749 §2.1)."));
        break;
    case ClientAuthStyle::PrivateKeyJwt:
        m_clientAuthHelp->setText(tr("A client assertion signed with the private key kept in the keychain (RFC 7523 §2.2)."));
        break;
    case ClientAuthStyle::TlsClientAuth:
        m_clientAuthHelp->setText(tr("Only client_id is sent; the client certificate of the Network tab, from a CA the server trusts, "
                                     "proves who the client is (RFC 8705 §2.1)."));
        break;
    case ClientAuthStyle::SelfSignedTlsClientAuth:
        m_clientAuthHelp->setText(tr("Only client_id is sent; the client certificate of the Network tab, registered with the server, "
                                     "proves who the client is (RFC 8705 §2.2)."));
        break;
    }
    m_clientAuth->setAccessibleDescription(m_clientAuthHelp->text());
    const bool secret = Environment::usesClientSecret(clientAuth());
    m_form->setRowVisible(m_clientSecret, secret);
    m_clientSecret->setEnabled(secret);
    const bool signedAssertion = clientAuth() == ClientAuthStyle::PrivateKeyJwt;
    m_form->setRowVisible(m_signingKeyId, signedAssertion);
    m_form->setRowVisible(m_privateKey->parentWidget(), signedAssertion);
    m_signingKeyId->setEnabled(signedAssertion);
    m_privateKey->setEnabled(signedAssertion);
    Q_EMIT edited();
}
