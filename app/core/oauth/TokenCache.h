#pragma once

#include "oauth/AccessToken.h"
#include "oauth/TokenRequest.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class Clock;
class TokenClient;
class TokenFetch;

// Tokens per environment, client, scope set and extra parameters, in memory only. Hands out
// a cached token while it is fresh and coalesces concurrent fetches for one key.
class TokenCache : public QObject
{
    Q_OBJECT

public:
    explicit TokenCache(TokenClient *client, const Clock *clock = nullptr, QObject *parent = nullptr);

    // Anything that changes what a token may do is part of the key; secrets only by a hash.
    static QString keyFor(const QString &environmentId, const TokenRequest &request);

    std::optional<AccessToken> fresh(const QString &key) const;
    std::optional<AccessToken> any(const QString &key) const;
    // A fresh token held for the same environment and credentials as key, whatever its scopes,
    // that accepts says yes to; the one under key itself first.
    std::optional<AccessToken> freshSibling(const QString &key, const std::function<bool(const AccessToken &)> &accepts) const;
    // A fresh token comes back at once (fetch == nullptr); otherwise one fetch per key is in flight
    // and every caller gets the same TokenFetch. A refresh token held under key (or in request)
    // is used before the grant is run again (TokenRenewal).
    TokenFetch *obtain(const QString &key, const TokenRequest &request, std::optional<AccessToken> *cached);
    void invalidate(const QString &key);
    void invalidateEnvironment(const QString &environmentId);
    // Forgets every entry holding this token (a server turned it down).
    void invalidateValue(const QString &value);
    void clear();
    // The request with the refresh token held under key, if request has none and one is held.
    TokenRequest withHeldRefreshToken(const QString &key, const TokenRequest &request) const;

Q_SIGNALS:
    void tokenChanged(const QString &key);

private:
    TokenClient *m_client;
    const Clock *m_clock;
    QHash<QString, AccessToken> m_tokens;
    QHash<QString, QPointer<TokenFetch>> m_inFlight;
};
