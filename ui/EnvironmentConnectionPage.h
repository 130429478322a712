#pragma once

#include "EnvironmentPage.h"
#include "oauth/ProviderMetadata.h"

#include <QByteArray>

class IssuerDiscoveryButton;
class QCheckBox;
class QFormLayout;
class QLabel;
class QPushButton;

// The Connection page: where the environment's servers are (token URL, API base URL, plain
// http allowed or not) and which private certificate authorities it trusts besides the system's.
class EnvironmentConnectionPage : public EnvironmentPage
{
    Q_OBJECT

public:
    explicit EnvironmentConnectionPage(QWidget *parent = nullptr);

    void load(const Environment &environment) override;
    void store(Environment &environment) const override;
    void check(const Environment &current, EnvironmentProblems &problems) override;
    QList<QWidget *> focusOrder() const override;
    void applyTones(const QPalette &base) override;
    // Fills the token URL from an issuer's metadata (the editor takes the rest of it).
    void applyMetadata(const ProviderMetadata &metadata);
    IssuerDiscoveryButton *issuerDiscovery() const { return m_issuerDiscovery; }

private:
    void chooseCertificates();
    void addCertificatesFrom(const QString &path);
    void updateTrustedSummary();

    bool m_demo = false;
    QByteArray m_trusted; // PEM, as it will be saved
    QFormLayout *m_form = nullptr;
    QLabel *m_demoNote = nullptr;
    QLineEdit *m_tokenUrl = nullptr;
    QLabel *m_tokenUrlMessage = nullptr;
    QCheckBox *m_allowInsecureHttp = nullptr;
    QLineEdit *m_apiUrl = nullptr;
    QLabel *m_apiUrlMessage = nullptr;
    QLabel *m_trustedSummary = nullptr;
    QLabel *m_trustedMessage = nullptr;
    QPushButton *m_addCertificates = nullptr;
    QPushButton *m_clearCertificates = nullptr;
    IssuerDiscoveryButton *m_issuerDiscovery = nullptr;
};
