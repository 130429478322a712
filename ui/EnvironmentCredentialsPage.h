#pragma once

#include "EnvironmentPage.h"

class QComboBox;
class QFormLayout;
class QLabel;
class SecretField;

// The Credentials page: the grant, how the client authenticates, the client id and secret, and
// the password grant's user. The secrets go to the keychain through SecretFields.
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

private:
    void updateGrantRows();
    void updateClientAuthHelp();

    bool m_demo = false;
    QFormLayout *m_form = nullptr;
    QComboBox *m_grant = nullptr;
    QComboBox *m_clientAuth = nullptr;
    QLabel *m_clientAuthHelp = nullptr;
    QLineEdit *m_clientId = nullptr;
    SecretField *m_clientSecret = nullptr;
    QLineEdit *m_username = nullptr;
    SecretField *m_password = nullptr;
};
