#pragma once

#include "http/ProxyPolicy.h"
#include "jwt/JwksKeySet.h"
#include "jwt/SignatureCheck.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <optional>

class Clock;
class ProviderDocumentFetch;
struct ProviderDocument;

// Checks a token's signature against the JWKS at a URL (the environment's provider.jwksUrl),
// asynchronously: the key set is fetched through ProviderDocumentFetch (libcurl, ≤ 1 MB, TLS
// verified with the environment's trusted certificates, redirects within the origin only) and
// kept per URL for the process, so each token shown does not fetch it again — for as long as
// the answer's Cache-Control max-age says, within sane bounds (cacheSecondsFor), then fetched
// anew: an issuer that retires a key is believed within that time. A kid the cached set lacks
// fetches it once more (the issuer may have rotated its keys). finished() comes once.
class SignatureCheckRunner : public QObject
{
    Q_OBJECT

public:
    // How long a key set is kept without a Cache-Control max-age, and the bounds of one: a
    // second-long max-age would fetch for every token shown, a year-long one would keep a
    // retired (perhaps leaked) key trusted.
    static constexpr int defaultCacheSeconds = 10 * 60;
    static constexpr int minCacheSeconds = 30;
    static constexpr int maxCacheSeconds = 24 * 60 * 60;

    // clock: when cached key sets expire (null: the system's).
    explicit SignatureCheckRunner(QObject *parent = nullptr, const Clock *clock = nullptr);

    // Seconds to keep a key set answered with this Cache-Control: max-age within
    // [minCacheSeconds, maxCacheSeconds], no-store/no-cache as the minimum, else the default.
    static int cacheSecondsFor(const QByteArray &cacheControl);

    // The key set is read the way the environment's other requests go (its proxy or none);
    // without this, the app's proxy decides.
    void setProxy(const ProxyPolicy &proxy) { m_proxy = proxy; }
    void start(const QString &token, const QUrl &jwksUrl, const QByteArray &trustedCertificates, int timeoutMs = 30000);
    void cancel();
    bool isRunning() const { return m_running; }

    // Forgets every cached key set (tests; a user asking to check again).
    static void clearCache();

Q_SIGNALS:
    void finished(const SignatureCheck &check);

private:
    void fetch(bool refetch);
    void onKeySet(const ProviderDocument &document, bool refetch);
    void finish(const SignatureCheck &check);

    const Clock *m_clock;
    QString m_token;
    QUrl m_jwksUrl;
    QByteArray m_trustedCertificates;
    int m_timeoutMs = 30000;
    std::optional<ProxyPolicy> m_proxy;
    QPointer<ProviderDocumentFetch> m_fetch;
    bool m_running = false;
    int m_generation = 0;
};
