#pragma once

#include "http/ProxyPolicy.h"
#include "oauth/ProviderMetadata.h"

#include <QByteArray>
#include <QUrl>
#include <QWidget>

#include <functional>

class ProviderDiscovery;
class QLabel;
class QPushButton;
struct DiscoveryResult;

// "Issuer URL…" in the environment editor: asks for the provider's issuer, reads its metadata
// with ProviderDiscovery in the background (the window stays responsive; the button says so)
// through the proxy the environment takes, and hands the metadata on; what went wrong is shown
// in the note under it.
class IssuerDiscoveryButton : public QWidget
{
    Q_OBJECT

public:
    explicit IssuerDiscoveryButton(QWidget *parent = nullptr);

    // The issuer offered when the dialog opens (the environment's, if it has one), and how its
    // servers are reached (the trusted certificates, plain http allowed).
    void setContext(const QUrl &issuer, const QByteArray &trustedCertificates, bool allowInsecureHttp);
    // The proxy decision of the environment as the form says it now, asked at each discovery and
    // answered through done (perhaps after reading the proxy's password from the keychain).
    // Without one, the app's.
    using ProxyProvider = std::function<void(std::function<void(const ProxyPolicy &)> done)>;
    void setProxyProvider(ProxyProvider provider) { m_proxyProvider = std::move(provider); }
    // Adds a sentence to the note of a discovery that filled the form (what the editor changed).
    void addToNote(const QString &sentence);
    // Reads the metadata of issuer now (the dialog's OK); also for tests.
    void discover(const QUrl &issuer);
    bool isRunning() const;
    QPushButton *button() const { return m_button; }

Q_SIGNALS:
    void discovered(const ProviderMetadata &metadata);

private:
    void ask();
    void start(const QUrl &issuer, const ProxyPolicy &proxy);
    void onFinished(const DiscoveryResult &result);

    QUrl m_issuer;
    QByteArray m_trustedCertificates;
    bool m_allowInsecureHttp = false;
    QPushButton *m_button;
    QLabel *m_note;
    ProxyProvider m_proxyProvider;
    ProviderDiscovery *m_discovery = nullptr;
    int m_attempt = 0;          // the latest discover(): an earlier one's late proxy answer is dropped
    bool m_preparing = false;   // waiting for the proxy decision
};
