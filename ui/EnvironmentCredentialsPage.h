#pragma once

#include "EnvironmentPage.h"
#include "oauth/ProviderMetadata.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;
class SecretField;

// The Credentials page: the grant, how the client authenticates, and only what those two need —
// the client secret (Basic, body, JSON), the signing key id and private key (private_key_jwt),
// the password grant's user, the authorization code grant's redirect port, whether a refresh
// token is kept in the keychain (grants that get one for a person). Secrets go to the keychain
// through SecretFields.
class EnvironmentCredentialsPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentCredentialsPage(EnvironmentSecrets *secrets, QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;
    QStringList secretNames() const override;
    QList<EnvironmentSecrets::Op> secretOps(const Environment &current) const override;
    void clearTypedSecrets() override;
    void refreshSecrets() override;
    void applyTones(const QPalette &base) override;

    // What the user chose on this page since it was loaded: the grant and client authentication
    // discovery must leave alone (as the CLI leaves a --grant or --client-auth given with --issuer).
    ProviderMetadata::Choices choices() const { return {m_grantChosen, m_clientAuthChosen}; }
    // Shows the grant and client authentication discovery picked, with the fields they need.
    void setGrant(GrantType grant, ClientAuthStyle clientAuth);

private:
    void updateGrantRows();
    void updateClientAuthHelp();
    GrantType grant() const;
    ClientAuthStyle clientAuth() const;

    EnvironmentSecrets *m_secrets;
    bool m_demo = false;
    bool m_grantChosen = false;
    bool m_clientAuthChosen = false;
    QFormLayout *m_form = nullptr;
    QComboBox *m_grant = nullptr;
    QComboBox *m_clientAuth = nullptr;
    QLabel *m_clientAuthHelp = nullptr;
    QLineEdit *m_clientId = nullptr;
    SecretField *m_clientSecret = nullptr;
    QLineEdit *m_signingKeyId = nullptr;
    SecretField *m_privateKey = nullptr;
    QLabel *m_privateKeyMessage = nullptr;
    QLineEdit *m_username = nullptr;
    SecretField *m_password = nullptr;
    QSpinBox *m_redirectPort = nullptr;
    QLabel *m_redirectHint = nullptr;
    QCheckBox *m_keepRefreshToken = nullptr;
};
