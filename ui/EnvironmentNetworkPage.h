#pragma once

#include "EnvironmentPage.h"

#include <QByteArray>
#include <QUrl>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class SecretField;

// The Network page: the client certificate for mutual TLS (public PEM in the workspace, its
// private key in the keychain) and the proxy this environment's token and API requests take
// (the app's setting, none, or its own with a password in the keychain and a no-proxy list).
class EnvironmentNetworkPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentNetworkPage(EnvironmentSecrets *secrets, QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;
    QStringList secretNames() const override;
    QList<EnvironmentSecrets::Op> secretOps(const Environment &current) const override;
    void clearTypedSecrets() override;
    void refreshSecrets() override;

    // The proxy password typed and not saved yet (discovery uses it before OK); empty when none.
    QString typedProxyPassword() const;

private:
    void chooseCertificate();
    void setCertificateFrom(const QString &path);
    void updateCertificateSummary();
    void updateProxyRows();
    void updateAppProxyNote(const QUrl &target);
    ProxyMode proxyMode() const;

    EnvironmentSecrets *m_secrets;
    bool m_demo = false;
    QByteArray m_certificate; // PEM, as it will be saved
    QLabel *m_certificateSummary = nullptr;
    QLabel *m_certificateMessage = nullptr;
    QPushButton *m_chooseCertificate = nullptr;
    QPushButton *m_clearCertificate = nullptr;
    SecretField *m_clientKey = nullptr;
    QLabel *m_clientKeyMessage = nullptr;
    QFormLayout *m_proxyForm = nullptr;
    QComboBox *m_proxyMode = nullptr;
    QLabel *m_appProxyNote = nullptr;
    QUrl m_appProxyTarget; // the server the note's system route was asked for
    QLineEdit *m_proxyUrl = nullptr;
    QLabel *m_proxyUrlMessage = nullptr;
    QLineEdit *m_proxyUsername = nullptr;
    SecretField *m_proxyPassword = nullptr;
    QLineEdit *m_noProxy = nullptr;
};
