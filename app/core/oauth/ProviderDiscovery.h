#pragma once

#include "oauth/ProviderDocumentFetch.h"
#include "oauth/ProviderMetadata.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <optional>

// What discovery ended with: the metadata and where it was read, or why there is none.
struct DiscoveryResult
{
    enum class Failure {
        None,
        InvalidIssuer, // not an issuer identifier (RFC 8414 §2): nothing was fetched
        Transport,     // network, TLS, timeout
        NotFound,      // no well-known document answered with metadata
        BadDocument,   // a document that is not usable metadata: HTML, wrong types, too large, another issuer, a redirect elsewhere
    };

    Failure failure = Failure::None;
    QString problem;   // one line, or one per document tried
    std::optional<ProviderMetadata> metadata;
    QUrl documentUrl;  // where the metadata was read

    bool ok() const { return failure == Failure::None; }
};

// Reads an authorization server's metadata from its issuer URL: OpenID Connect Discovery's
// <issuer>/.well-known/openid-configuration, then RFC 8414's /.well-known/oauth-authorization-server
// inserted before the issuer's path (§3.1). Each through ProviderDocumentFetch (libcurl, bounded,
// redirects only within the origin); the next is tried only when one is absent (an error status,
// or a page that is not JSON), never past a document that names another issuer or has members of
// the wrong type. Every document goes through the proxy the environment takes (setProxy), as its
// token and API requests do. Never blocks; finished() comes once.
class ProviderDiscovery : public QObject
{
    Q_OBJECT

public:
    explicit ProviderDiscovery(QObject *parent = nullptr);

    // allowInsecureHttp: a plain-http issuer on another host than loopback (the environment's
    // "allow insecure http").
    // The proxy decision for every document fetched (ProxyPolicy::forEnvironment of the
    // environment being filled); the app's when not set. Set before start().
    void setProxy(const ProxyPolicy &proxy) { m_proxy = proxy; }
    void start(const QUrl &issuer, const QByteArray &trustedCertificates, bool allowInsecureHttp = false, int timeoutMs = 30000);
    void cancel();

    // Why this is no issuer identifier (https, or http on loopback or when allowed; no query,
    // fragment or user info); empty when it is one.
    static QString issuerProblem(const QUrl &issuer, bool allowInsecureHttp);
    // The well-known documents to try, in order.
    static QList<QUrl> documentUrls(const QUrl &issuer);

Q_SIGNALS:
    void finished(const DiscoveryResult &result);

private:
    void tryNext();
    void onDocument(const ProviderDocument &document);
    void finish(const DiscoveryResult &result);

    QUrl m_issuer;
    QByteArray m_trustedCertificates;
    std::optional<ProxyPolicy> m_proxy;
    int m_timeoutMs = 30000;
    QList<QUrl> m_pending;
    QStringList m_tried; // what each absent document said
    QPointer<ProviderDocumentFetch> m_fetch;
    bool m_finished = false;
};
