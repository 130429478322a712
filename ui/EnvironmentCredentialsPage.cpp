#include "EnvironmentCredentialsPage.h"

#include "EnvironmentProblems.h"
#include "FormNote.h"
#include "SecretField.h"

#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;

EnvironmentCredentialsPage::EnvironmentCredentialsPage(EnvironmentSecrets *secrets, QWidget *parent)
    : EnvironmentPage(parent)
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
    m_clientAuthHelp = FormNote::label(u"clientAuthHelp"_s, FormNote::Tone::Muted);
    m_clientAuthHelp->setVisible(true);
    form->addRow(tr("Client a&uthentication:"), FormNote::stacked(m_clientAuth, {m_clientAuthHelp}));

    m_clientId = new QLineEdit;
    m_clientId->setObjectName(u"clientId"_s);
    m_clientId->setAccessibleName(tr("Client ID"));
    form->addRow(tr("Client &ID:"), m_clientId);

    m_clientSecret = new SecretField(secrets, SecretStore::clientSecretName(), tr("Client secret"), u"clientSecret"_s);
    form->addRow(tr("Client &secret:"), m_clientSecret);

    m_username = new QLineEdit;
    m_username->setObjectName(u"username"_s);
    m_username->setAccessibleName(tr("Username"));
    form->addRow(tr("Use&rname:"), m_username);

    m_password = new SecretField(secrets, SecretStore::passwordName(), tr("Password"), u"password"_s);
    form->addRow(tr("&Password:"), m_password);

    connect(m_grant, &QComboBox::currentIndexChanged, this, &EnvironmentCredentialsPage::updateGrantRows);
    connect(m_clientAuth, &QComboBox::currentIndexChanged, this, &EnvironmentCredentialsPage::updateClientAuthHelp);
    connect(m_clientId, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
    connect(m_username, &QLineEdit::textChanged, this, &EnvironmentPage::edited);
}

QList<QWidget *> EnvironmentCredentialsPage::focusOrder() const
{
    return {m_grant, m_clientAuth, m_clientId,
            m_clientSecret->edit(), m_clientSecret->revealButton(), m_clientSecret->removeButton(),
            m_username, m_password->edit(), m_password->revealButton(), m_password->removeButton()};
}

void EnvironmentCredentialsPage::load(const Environment &environment)
{
    m_demo = environment.isBuiltinDemo();
    {
        // The rows follow once everything is loaded; the editor validates after load.
        const QSignalBlocker grantBlocker(m_grant);
        const QSignalBlocker authBlocker(m_clientAuth);
        m_grant->setCurrentIndex(std::max(0, m_grant->findData(static_cast<int>(environment.grant))));
        m_clientAuth->setCurrentIndex(std::max(0, m_clientAuth->findData(static_cast<int>(environment.clientAuth))));
    }
    m_clientId->setText(environment.clientId);
    m_username->setText(environment.username);
    m_clientSecret->reset();
    m_password->reset();

    const QString provided = tr("provided by the built-in Demo API");
    for (QLineEdit *edit : {m_clientId, m_username}) {
        edit->setReadOnly(m_demo);
        edit->setToolTip(m_demo ? tr("Provided by the built-in Demo API") : QString());
        edit->setPlaceholderText(m_demo ? provided : QString());
    }
    // The Demo API's own client secret and password are used; nothing here would be read.
    m_clientSecret->setProvided(m_demo);
    m_password->setProvided(m_demo);
    updateGrantRows();
    updateClientAuthHelp();
}

void EnvironmentCredentialsPage::store(Environment &environment) const
{
    environment.grant = static_cast<GrantType>(m_grant->currentData().toInt());
    environment.clientAuth = static_cast<ClientAuthStyle>(m_clientAuth->currentData().toInt());
    if (m_demo)
        return;
    environment.clientId = m_clientId->text().trimmed();
    environment.username = m_username->text().trimmed();
}

void EnvironmentCredentialsPage::check(const Environment &current, EnvironmentProblems &problems)
{
    if (m_demo)
        return;
    if (m_clientId->text().trimmed().isEmpty())
        problems.missing(tr("the client ID"));
    if (current.grant == GrantType::Password && m_username->text().trimmed().isEmpty())
        problems.missing(tr("the username (password grant)"));
}

QStringList EnvironmentCredentialsPage::secretNames() const
{
    if (m_demo)
        return {};
    return {SecretStore::clientSecretName(), SecretStore::passwordName()};
}

QList<EnvironmentSecrets::Op> EnvironmentCredentialsPage::secretOps(const Environment &current) const
{
    QList<EnvironmentSecrets::Op> ops;
    if (const auto op = m_clientSecret->saveOp())
        ops.append(*op);
    // A password typed for another grant is not kept; a removal asked for is done either way.
    if (const auto op = m_password->saveOp(); op && (op->remove || current.grant == GrantType::Password))
        ops.append(*op);
    return ops;
}

void EnvironmentCredentialsPage::clearTypedSecrets()
{
    m_clientSecret->edit()->clear();
    m_password->edit()->clear();
}

void EnvironmentCredentialsPage::refreshSecrets()
{
    m_clientSecret->refresh();
    m_password->refresh();
}

void EnvironmentCredentialsPage::applyTones(const QPalette &base)
{
    for (QLineEdit *edit : {m_clientId, m_username})
        toneReadOnly(edit, base);
}

void EnvironmentCredentialsPage::updateGrantRows()
{
    const bool password = static_cast<GrantType>(m_grant->currentData().toInt()) == GrantType::Password;
    m_form->setRowVisible(m_username, password);
    m_form->setRowVisible(m_password, password);
    m_username->setEnabled(password);
    m_password->setEnabled(password);
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
    }
    m_clientAuth->setAccessibleDescription(m_clientAuthHelp->text());
    Q_EMIT edited();
}
