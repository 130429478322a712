#include "oauth/TokenCache.h"

#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "util/Clock.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

TokenCache::TokenCache(TokenClient *client, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_clock(clock ? clock : Clock::system())
{
}

QString TokenCache::keyFor(const QString &environmentId, const TokenRequest &request)
{
    // A token belongs to one environment, client, scope set and parameter set: editing any of
    // them must miss the cache. Secrets take part only as a hash, so the key can be logged.
    QStringList scopes = request.scopes;
    scopes.sort();
    scopes.removeDuplicates();
    QStringList params;
    for (const auto &[name, value] : request.extraParams)
        params.append(name + u'=' + value);
    params.sort();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &part : {request.tokenUrl.toString(), Environment::grantName(request.grant),
                                Environment::clientAuthName(request.clientAuth), request.clientId, request.clientSecret,
                                request.privateKey, request.signingKeyId, QString::fromLatin1(request.clientCertificate), request.clientKey,
                                request.username, request.password, params.join(u'\n')}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    }
    return environmentId + u'|' + scopes.join(u' ') + u'|' + QString::fromLatin1(hash.result().toHex().left(16));
}

std::optional<AccessToken> TokenCache::fresh(const QString &key) const
{
    const auto it = m_tokens.constFind(key);
    if (it == m_tokens.constEnd() || it->needsRenewal(m_clock->now()))
        return std::nullopt;
    return *it;
}

std::optional<AccessToken> TokenCache::any(const QString &key) const
{
    const auto it = m_tokens.constFind(key);
    if (it == m_tokens.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<AccessToken> TokenCache::freshSibling(const QString &key, const std::function<bool(const AccessToken &)> &accepts) const
{
    if (auto own = fresh(key); own && accepts(*own))
        return own;
    // environment id | scopes | credential hash: siblings share the first and the last part.
    const qsizetype first = key.indexOf(u'|');
    const qsizetype last = key.lastIndexOf(u'|');
    if (first < 0 || last <= first)
        return std::nullopt;
    const QStringView prefix = QStringView(key).left(first + 1);
    const QStringView suffix = QStringView(key).mid(last);
    const QDateTime now = m_clock->now();
    for (auto it = m_tokens.constBegin(); it != m_tokens.constEnd(); ++it) {
        if (it.key().startsWith(prefix) && it.key().endsWith(suffix) && !it->needsRenewal(now) && accepts(*it))
            return *it;
    }
    return std::nullopt;
}

TokenFetch *TokenCache::obtain(const QString &key, const TokenRequest &request, std::optional<AccessToken> *cached)
{
    if (auto token = fresh(key)) {
        if (cached)
            *cached = std::move(token);
        return nullptr;
    }
    if (cached)
        cached->reset();
    if (const auto running = m_inFlight.value(key); running && !running->isFinished())
        return running;

    TokenFetch *fetch = m_client->fetch(withHeldRefreshToken(key, request));
    m_inFlight.insert(key, fetch);
    connect(fetch, &TokenFetch::finished, this, [this, key, fetch](const TokenResult &result) {
        if (m_inFlight.value(key) == fetch)
            m_inFlight.remove(key);
        if (result.ok()) {
            m_tokens.insert(key, *result.token);
            Q_EMIT tokenChanged(key);
        } else if (result.refreshRefused) {
            // Turned down, and the grant failed too: the refresh token is not tried again.
            invalidate(key);
        }
    });
    return fetch;
}

TokenRequest TokenCache::withHeldRefreshToken(const QString &key, const TokenRequest &request) const
{
    const auto held = m_tokens.constFind(key);
    if (!request.refreshToken.isEmpty() || held == m_tokens.constEnd() || held->refreshToken.isEmpty())
        return request;
    TokenRequest renewal = request;
    renewal.refreshToken = held->refreshToken;
    // What it was issued for: the scopes granted, as far as the server said.
    renewal.refreshScopes = held->scopeSource == AccessToken::ScopeSource::NotReported ? held->requestedScopes : held->grantedScopes;
    return renewal;
}

void TokenCache::invalidate(const QString &key)
{
    if (m_tokens.remove(key) > 0)
        Q_EMIT tokenChanged(key);
}

void TokenCache::invalidateValue(const QString &value)
{
    const auto keys = m_tokens.keys();
    for (const auto &key : keys) {
        if (m_tokens.value(key).value == value)
            invalidate(key);
    }
}

void TokenCache::invalidateEnvironment(const QString &environmentId)
{
    const QString prefix = environmentId + u'|';
    const auto keys = m_tokens.keys();
    for (const auto &key : keys) {
        if (key.startsWith(prefix))
            invalidate(key);
    }
}

void TokenCache::clear()
{
    const auto keys = m_tokens.keys();
    m_tokens.clear();
    for (const auto &key : keys)
        Q_EMIT tokenChanged(key);
}
