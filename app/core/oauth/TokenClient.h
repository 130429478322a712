#pragma once

#include "oauth/TokenPost.h"
#include "oauth/TokenRequest.h"

#include <QObject>

class Clock;
class TokenFetch;

// The one entry point for tokens (TokenCache, Authorizer). A direct grant (client credentials,
// password) is one TokenPost; an interactive grant (authorization code, device code) is a
// driver object that owns its steps, asks the caller for a person through the fetch
// (TokenFetch::requireInteraction) and makes its token POSTs through post(). Never blocks:
// each request is a TokenFetch that reports back with a signal.
class TokenClient : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 maxResponseBytes = TokenPost::maxResponseBytes;

    explicit TokenClient(const Clock *clock = nullptr, QObject *parent = nullptr);

    // The returned fetch is owned by the client and deletes itself after finished().
    TokenFetch *fetch(const TokenRequest &request);

    // For the grant drivers: one direct POST of request, running for fetch — stopped when the
    // fetch finishes or is cancelled, deleted with it. The caller connects to the post's
    // finished(), which comes from the event loop, and decides what the answer means for the fetch.
    TokenPost *post(const TokenRequest &request, TokenFetch *fetch);

    const Clock *clock() const { return m_clock; }

private:
    // Reports error on fetch on the next turn of the event loop, so callers can connect first,
    // as for a real request.
    static void failSoon(TokenFetch *fetch, const OAuthError &error);

    const Clock *m_clock;
};
