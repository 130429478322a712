#pragma once

#include "oauth/TokenRequest.h"

#include <QObject>
#include <QPointer>

class TokenClient;
class TokenFetch;
struct TokenResult;

// Renews a token with the refresh token a TokenRequest holds (RFC 6749 §6), and when the server
// turns that down (invalid_grant, or any 400) runs the grant itself, once. Rotation is honoured:
// a refresh_token in the answer replaces the one used; an answer without one keeps it. Drives
// one TokenFetch, the caller's, whose cancel() stops whichever step is in flight.
class TokenRenewal : public QObject
{
    Q_OBJECT

public:
    // The fetch the caller gets; owned by client like any other.
    static TokenFetch *start(TokenClient *client, const TokenRequest &request);

    // Whether a failed refresh is the server turning the refresh token down, so that the grant
    // may still succeed (not a transport failure, nor a client the server does not know).
    static bool isRefusal(const TokenResult &result);

private:
    TokenRenewal(TokenClient *client, TokenFetch *outer, const TokenRequest &request);
    void refreshed(const TokenResult &result);
    void follow(TokenFetch *step);

    TokenClient *m_client;
    TokenFetch *m_outer;
    TokenRequest m_request;
    QPointer<TokenFetch> m_step;
};
