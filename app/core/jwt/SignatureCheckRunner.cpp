#include "jwt/SignatureCheckRunner.h"

#include "jwt/JwsSignatureCheck.h"
#include "oauth/ProviderDocumentFetch.h"
#include "util/Clock.h"

#include <QDateTime>
#include <QMetaObject>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
struct CachedKeySet
{
    JwksKeySet keys;
    QDateTime expiresAt;
};

// Key sets by JWKS URL, for this process (the GUI's thread; the CLI has one).
QHash<QUrl, CachedKeySet> &cache()
{
    static QHash<QUrl, CachedKeySet> sets;
    return sets;
}
} // namespace

SignatureCheckRunner::SignatureCheckRunner(QObject *parent, const Clock *clock)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
{
}

int SignatureCheckRunner::cacheSecondsFor(const QByteArray &cacheControl)
{
    // RFC 9111 §5.2: comma-separated directives, case-insensitive names, max-age=delta-seconds
    // (quoted is tolerated, as §5.2 asks of recipients).
    std::optional<qint64> maxAge;
    for (const QByteArray &part : cacheControl.split(',')) {
        const QByteArray directive = part.trimmed().toLower();
        if (directive == "no-store" || directive == "no-cache")
            return minCacheSeconds;
        if (directive.startsWith("max-age=")) {
            QByteArray value = directive.mid(8).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            bool ok = false;
            const qint64 seconds = value.toLongLong(&ok);
            if (ok && seconds >= 0 && !maxAge)
                maxAge = seconds;
        }
    }
    if (!maxAge)
        return defaultCacheSeconds;
    return int(std::clamp<qint64>(*maxAge, minCacheSeconds, maxCacheSeconds));
}

void SignatureCheckRunner::clearCache()
{
    cache().clear();
}

void SignatureCheckRunner::start(const QString &token, const QUrl &jwksUrl, const QByteArray &trustedCertificates, int timeoutMs)
{
    cancel();
    m_token = token;
    m_jwksUrl = jwksUrl;
    m_trustedCertificates = trustedCertificates;
    m_timeoutMs = timeoutMs;
    m_running = true;
    const int generation = ++m_generation;
    const auto later = [this, generation](const SignatureCheck &check) {
        // Reported from the event loop, as a fetched answer would be.
        QMetaObject::invokeMethod(this, [this, generation, check] {
            if (generation == m_generation)
                finish(check);
        }, Qt::QueuedConnection);
    };

    SignatureCheck check = JwsSignatureCheck::precheck(token);
    if (check.status != SignatureCheck::Status::NotChecked || check.algorithm.isEmpty())
        return later(check);
    if (jwksUrl.isEmpty()) {
        check.reason = u"the environment has no JWKS URL: set its issuer (env set NAME --issuer URL, or Issuer URL… in the editor)"_s;
        return later(check);
    }
    auto cached = cache().constFind(jwksUrl);
    if (cached != cache().constEnd() && cached->expiresAt <= m_clock->now()) {
        cache().erase(cached); // past its max-age: the issuer may have retired a key since
        cached = cache().constEnd();
    }
    if (cached != cache().constEnd()) {
        check = JwsSignatureCheck::verify(token, cached->keys);
        if (check.status != SignatureCheck::Status::NoKey)
            return later(check);
        fetch(true); // a kid the cached set lacks: the issuer may have rotated its keys
        return;
    }
    fetch(false);
}

void SignatureCheckRunner::cancel()
{
    ++m_generation;
    if (m_fetch) {
        m_fetch->disconnect(this);
        m_fetch->cancel();
        m_fetch->deleteLater();
        m_fetch = nullptr;
    }
    m_running = false;
}

void SignatureCheckRunner::fetch(bool refetch)
{
    auto *fetch = new ProviderDocumentFetch(this);
    m_fetch = fetch;
    connect(fetch, &ProviderDocumentFetch::finished, this, [this, fetch, refetch](const ProviderDocument &document) {
        fetch->deleteLater();
        m_fetch = nullptr;
        onKeySet(document, refetch);
    });
    if (m_proxy)
        fetch->setProxy(*m_proxy);
    fetch->start(m_jwksUrl, m_trustedCertificates, m_timeoutMs);
}

void SignatureCheckRunner::onKeySet(const ProviderDocument &document, bool refetch)
{
    SignatureCheck check = JwsSignatureCheck::precheck(m_token);
    if (!document.ok()) {
        check.status = SignatureCheck::Status::Failed;
        check.reason = u"the JWKS could not be had: "_s + document.problem;
        return finish(check);
    }
    QString error;
    const JwksKeySet keys = JwksKeySet::parse(document.body, &error);
    if (!error.isEmpty()) {
        check.status = SignatureCheck::Status::Failed;
        check.reason = u"%1 (%2)"_s.arg(error, m_jwksUrl.toDisplayString());
        return finish(check);
    }
    cache().insert(m_jwksUrl, {keys, m_clock->now().addSecs(cacheSecondsFor(document.cacheControl))});
    check = JwsSignatureCheck::verify(m_token, keys);
    if (check.status == SignatureCheck::Status::NoKey && refetch)
        check.reason += u" (the JWKS was fetched again for it)"_s;
    finish(check);
}

void SignatureCheckRunner::finish(const SignatureCheck &check)
{
    m_running = false;
    Q_EMIT finished(check);
}
