#pragma once

#include "oauth/ProviderMetadata.h"

#include <QByteArray>
#include <QUrl>
#include <QWidget>

class ProviderDiscovery;
class QLabel;
class QPushButton;
struct DiscoveryResult;

// "Issuer URL…" in the environment editor: asks for the provider's issuer, reads its metadata
// with ProviderDiscovery in the background (the window stays responsive; the button says so),
// and hands the metadata on; what went wrong is shown in the note under it.
class IssuerDiscoveryButton : public QWidget
{
    Q_OBJECT

public:
    explicit IssuerDiscoveryButton(QWidget *parent = nullptr);

    // The issuer offered when the dialog opens (the environment's, if it has one), and how its
    // servers are reached (the trusted certificates, plain http allowed).
    void setContext(const QUrl &issuer, const QByteArray &trustedCertificates, bool allowInsecureHttp);
    // Reads the metadata of issuer now (the dialog's OK); also for tests.
    void discover(const QUrl &issuer);
    bool isRunning() const;
    QPushButton *button() const { return m_button; }

Q_SIGNALS:
    void discovered(const ProviderMetadata &metadata);

private:
    void ask();
    void onFinished(const DiscoveryResult &result);

    QUrl m_issuer;
    QByteArray m_trustedCertificates;
    bool m_allowInsecureHttp = false;
    QPushButton *m_button;
    QLabel *m_note;
    ProviderDiscovery *m_discovery = nullptr;
};
