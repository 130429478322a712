#pragma once

#include "http/TokenSource.h"
#include "oauth/TokenRequest.h"

#include <QList>
#include <QPointer>

class TokenCache;
class TokenClient;
class TokenFetch;

// Tokens from a TokenRequest whose secrets the caller has gathered (the CLI: keychain, a named
// environment variable or stdin), kept in a TokenCache per scope set so a request that needs
// the same scopes again reuses the token while it is fresh; a request for at least some scopes
// also reuses a fresh token of another scope set that has them. An interactive grant's request
// (authorization code, device code) reports what the person must do (interactionRequired), once
// per token request however many callers joined it; cancelTokenRequests() gives them up.
class CachedTokenSource : public TokenSource
{
    Q_OBJECT

public:
    CachedTokenSource(const QString &environmentId, const TokenRequest &request, const Clock *clock = nullptr, QObject *parent = nullptr);
    ~CachedTokenSource() override;

    std::optional<AccessToken> usableToken(const TokenScopes &scopes) const override;
    void obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done) override;
    const Clock *clock() const override { return m_clock; }
    const KnownSecrets &knownSecrets() const override { return m_known; }
    QByteArray clientKey() const override { return m_request.clientKey.toUtf8(); }
    void cancelTokenRequests() override;

    // How many times a token had to come from the authorization server (a fetch started or joined).
    int fetchCount() const { return m_fetches; }

Q_SIGNALS:
    // A token is about to be asked for with this request (secrets included: for a masked
    // transcript such as TokenRequest::redactedTranscript, never to print as it is).
    void fetching(const TokenRequest &request);

private:
    TokenRequest requestFor(const QStringList &scopes) const;
    QString keyFor(const QStringList &scopes) const;
    // Forwards the fetch's interactions, once per fetch (a coalesced one is joined, not re-shown).
    void follow(TokenFetch *fetch, const QStringList &scopes);

    const Clock *m_clock;
    QString m_environmentId;
    TokenRequest m_request;
    TokenClient *m_client;
    TokenCache *m_cache;
    int m_fetches = 0;
    QList<QPointer<TokenFetch>> m_inFlight; // the fetches followed, until they finish
    KnownSecrets m_known;
    // The cache key hashes the request's secrets: computed once per scope set, not on every call.
    mutable QStringList m_keyScopes;
    mutable QString m_key;
};
