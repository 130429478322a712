#pragma once

#include "http/ProxyPolicy.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <optional>

class Exchange;
struct ExchangeResult;

// What fetching one of an authorization server's public documents (its metadata, its JWKS)
// ended with: the body of a 2xx answer, or why there is none, in one line.
struct ProviderDocument
{
    enum class Failure {
        None,
        Transport, // network, TLS, timeout, cancelled, not a URL libcurl takes
        Status,    // an answer, but not 2xx (status holds it)
        Redirect,  // a redirect to another origin, or too many: not followed
        TooLarge,  // past ProviderDocumentFetch::maxBytes; stopped there
    };

    Failure failure = Failure::None;
    QString problem; // one line, naming the URL
    QUrl url;        // the URL the body came from (after same-origin redirects)
    int status = 0;
    QByteArray contentType;
    QByteArray cacheControl; // the answer's Cache-Control (how long a key set may be kept)
    QByteArray body;

    bool ok() const { return failure == Failure::None; }
};

// GETs one public JSON document of an authorization server through Exchange (libcurl: TLS
// verified against the system's authorities plus the environment's trusted certificates, the
// environment's proxy — or the app's when none is given —, like every other request), its body stopped past maxBytes. Redirects are followed only within the
// document's origin: a server's metadata or keys served from elsewhere would be someone else's.
// Never blocks; finished() comes once, from the event loop.
class ProviderDocumentFetch : public QObject
{
    Q_OBJECT

public:
    // Metadata documents and key sets are a few KB; a 1 MB one is not what was asked for.
    static constexpr qint64 maxBytes = qint64(1024) * 1024;
    static constexpr int maxSameOriginRedirects = 3;

    explicit ProviderDocumentFetch(QObject *parent = nullptr);

    // The proxy decision for the fetch (an environment's: ProxyPolicy::forEnvironment); without
    // one, the app's at the moment each hop is sent. Set before start().
    void setProxy(const ProxyPolicy &proxy) { m_proxy = proxy; }
    void start(const QUrl &url, const QByteArray &trustedCertificates, int timeoutMs = 30000);
    void cancel();

Q_SIGNALS:
    void finished(const ProviderDocument &document);

private:
    void sendHop(const QUrl &url);
    void onAnswer(const ExchangeResult &answer);
    void finish(ProviderDocument document);

    QPointer<Exchange> m_exchange;
    QUrl m_origin; // the URL asked for: redirects must stay at its origin
    QByteArray m_trustedCertificates;
    std::optional<ProxyPolicy> m_proxy;
    int m_timeoutMs = 30000;
    int m_redirects = 0;
    bool m_finished = false;
};
