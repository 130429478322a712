#include "oauth/ProviderDiscovery.h"

#include "oauth/TokenRequest.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

ProviderDiscovery::ProviderDiscovery(QObject *parent)
    : QObject(parent)
{
}

QString ProviderDiscovery::issuerProblem(const QUrl &issuer, bool allowInsecureHttp)
{
    if (!issuer.isValid() || issuer.isRelative() || issuer.host().isEmpty()
        || (issuer.scheme() != u"https"_s && issuer.scheme() != u"http"_s))
        return u"\"%1\" is not an http(s) URL"_s.arg(issuer.toString());
    if (!issuer.userInfo().isEmpty())
        return u"the issuer URL must not contain a user name or password"_s;
    if (issuer.hasQuery() || issuer.hasFragment())
        return u"an issuer identifier has no query or fragment (RFC 8414 §2)"_s;
    if (issuer.scheme() == u"http"_s && !allowInsecureHttp && !TokenRequest::isLoopback(issuer))
        return u"the issuer must use https (plain http only on loopback, or with allow-insecure-http)"_s;
    return {};
}

QList<QUrl> ProviderDiscovery::documentUrls(const QUrl &issuer)
{
    QString path = issuer.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    QUrl openid = issuer;
    openid.setPath(path + u"/.well-known/openid-configuration"_s, QUrl::StrictMode);
    QUrl oauth = issuer;
    oauth.setPath(u"/.well-known/oauth-authorization-server"_s + path, QUrl::StrictMode);
    QList<QUrl> urls{openid, oauth};
    if (!path.isEmpty()) {
        // Some servers with a path in their issuer insert OpenID's name the RFC 8414 way too.
        QUrl insertedOpenid = issuer;
        insertedOpenid.setPath(u"/.well-known/openid-configuration"_s + path, QUrl::StrictMode);
        urls.append(insertedOpenid);
    }
    return urls;
}

void ProviderDiscovery::start(const QUrl &issuer, const QByteArray &trustedCertificates, bool allowInsecureHttp, int timeoutMs)
{
    m_issuer = issuer;
    m_trustedCertificates = trustedCertificates;
    m_timeoutMs = timeoutMs;
    m_tried.clear();
    m_finished = false;
    if (const QString problem = issuerProblem(issuer, allowInsecureHttp); !problem.isEmpty()) {
        DiscoveryResult result;
        result.failure = DiscoveryResult::Failure::InvalidIssuer;
        result.problem = problem;
        // On the next turn, as for a real fetch, so callers can connect first.
        QMetaObject::invokeMethod(this, [this, result] { finish(result); }, Qt::QueuedConnection);
        return;
    }
    m_pending = documentUrls(issuer);
    tryNext();
}

void ProviderDiscovery::cancel()
{
    if (m_fetch)
        m_fetch->cancel();
}

void ProviderDiscovery::tryNext()
{
    if (m_pending.isEmpty()) {
        DiscoveryResult result;
        result.failure = DiscoveryResult::Failure::NotFound;
        result.problem = u"no metadata for the issuer %1: %2"_s.arg(m_issuer.toDisplayString(), m_tried.join(u"; "_s));
        return finish(result);
    }
    auto *fetch = new ProviderDocumentFetch(this);
    m_fetch = fetch;
    if (m_proxy)
        fetch->setProxy(*m_proxy);
    connect(fetch, &ProviderDocumentFetch::finished, this, [this, fetch](const ProviderDocument &document) {
        fetch->deleteLater();
        onDocument(document);
    });
    fetch->start(m_pending.takeFirst(), m_trustedCertificates, m_timeoutMs);
}

void ProviderDiscovery::onDocument(const ProviderDocument &document)
{
    DiscoveryResult result;
    result.documentUrl = document.url;
    switch (document.failure) {
    case ProviderDocument::Failure::None:
        break;
    case ProviderDocument::Failure::Status:
        m_tried.append(document.problem);
        return tryNext();
    case ProviderDocument::Failure::Transport:
        // The server is not reachable: another path on it will not be either.
        result.failure = DiscoveryResult::Failure::Transport;
        result.problem = document.problem;
        return finish(result);
    case ProviderDocument::Failure::Redirect:
    case ProviderDocument::Failure::TooLarge:
        result.failure = DiscoveryResult::Failure::BadDocument;
        result.problem = document.problem;
        return finish(result);
    }

    QString error;
    bool absent = false;
    result.metadata = ProviderMetadata::parse(document.body, document.contentType, m_issuer, &error, &absent);
    if (!result.metadata) {
        const QString line = u"%1: %2"_s.arg(document.url.toDisplayString(QUrl::RemoveUserInfo), error);
        if (absent && !m_pending.isEmpty()) {
            // A site that answers every path with its home page has no document here; the
            // next well-known name may still be there.
            m_tried.append(line);
            return tryNext();
        }
        result.failure = DiscoveryResult::Failure::BadDocument;
        m_tried.append(line);
        result.problem = m_tried.join(u"; "_s);
        return finish(result);
    }
    finish(result);
}

void ProviderDiscovery::finish(const DiscoveryResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(result);
}
