#include "http/CachedTokenSource.h"

#include "oauth/TokenCache.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "util/Clock.h"

#include <QMetaObject>

CachedTokenSource::CachedTokenSource(const QString &environmentId, const TokenRequest &request, const Clock *clock, QObject *parent)
    : TokenSource(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_environmentId(environmentId)
    , m_request(request)
    , m_client(new TokenClient(m_clock, this))
    , m_cache(new TokenCache(m_client, m_clock, this))
{
    m_known.addTokenRequest(request);
}

CachedTokenSource::~CachedTokenSource() = default;

TokenRequest CachedTokenSource::requestFor(const QStringList &scopes) const
{
    // Exactly the scopes asked for, none included: "no scope" is a request of its own.
    TokenRequest request = m_request;
    request.scopes = scopes;
    return request;
}

QString CachedTokenSource::keyFor(const QStringList &scopes) const
{
    if (m_key.isEmpty() || scopes != m_keyScopes) {
        m_keyScopes = scopes;
        m_key = TokenCache::keyFor(m_environmentId, requestFor(scopes));
    }
    return m_key;
}

std::optional<AccessToken> CachedTokenSource::usableToken(const TokenScopes &scopes) const
{
    const QString key = keyFor(scopes.scopes);
    if (scopes.match == TokenScopes::Match::Exact)
        return m_cache->fresh(key);
    return m_cache->freshSibling(key, [&scopes](const AccessToken &token) { return scopes.accepts(token); });
}

void CachedTokenSource::obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done)
{
    // Drop a cached token only when it is the one the server turned down; another caller may
    // already have replaced it with a fresh one.
    if (!rejected.isEmpty())
        m_cache->invalidateValue(rejected);
    if (const auto token = usableToken(scopes)) {
        QMetaObject::invokeMethod(context, [done, token = *token] { done({token, {}}); }, Qt::QueuedConnection);
        return;
    }
    const TokenRequest request = requestFor(scopes.scopes);
    const QString key = keyFor(scopes.scopes);
    std::optional<AccessToken> cached;
    TokenFetch *fetch = m_cache->obtain(key, request, &cached);
    if (!fetch) {
        QMetaObject::invokeMethod(context, [done, token = *cached] { done({token, {}}); }, Qt::QueuedConnection);
        return;
    }
    ++m_fetches;
    Q_EMIT fetching(request);
    if (!m_inFlight.contains(fetch))
        follow(fetch, scopes.scopes);
    connect(fetch, &TokenFetch::finished, context, [this, done](const TokenResult &result) {
        if (result.token)
            m_known.addToken(*result.token);
        done(result);
    });
}

void CachedTokenSource::follow(TokenFetch *fetch, const QStringList &scopes)
{
    m_inFlight.append(fetch);
    connect(fetch, &TokenFetch::interactionRequired, this,
            [this, scopes](const GrantInteraction &interaction) { Q_EMIT interactionRequired(scopes, interaction); });
    connect(fetch, &TokenFetch::finished, this, [this, fetch, scopes] {
        m_inFlight.removeAll(fetch);
        if (fetch->interaction())
            Q_EMIT interactionFinished(scopes);
    });
    // A grant may ask for the person before anyone listened (its driver starts inside fetch()).
    if (fetch->interaction())
        Q_EMIT interactionRequired(scopes, *fetch->interaction());
}

void CachedTokenSource::cancelTokenRequests()
{
    const QList<QPointer<TokenFetch>> running = m_inFlight;
    for (const QPointer<TokenFetch> &fetch : running) {
        if (fetch)
            fetch->cancel();
    }
}
