#pragma once

#include "oauth/Pkce.h"
#include "oauth/TokenRequest.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QVariantMap>

class AuthorizationRequestFlow;
class QOAuthHttpServerReplyHandler;
class TokenClient;
class TokenFetch;
struct TokenResult;

// The authorization code grant (RFC 6749 §4.1) for a native app (RFC 8252) with PKCE S256
// (RFC 7636), run for one TokenFetch (its child; it stops when the fetch finishes or is
// cancelled). On Qt NetworkAuth: QOAuthHttpServerReplyHandler listens on 127.0.0.1 (the
// environment's redirect port, or any free one) for the redirect to
// http://127.0.0.1:PORT/callback, and AuthorizationRequestFlow builds the authorization URL
// with a fresh state and the PKCE challenge, which the fetch asks the caller to open
// (GrantInteraction::OpenBrowser). The redirect is judged here: state must match, an RFC 9207
// "iss" must name the environment's issuer (when it is known), an error is reported as the
// server gave it; then the listener closes and the code is exchanged through
// TokenClient::post (libcurl: limits, TLS, trusted certificates, masking) with the verifier.
// The browser's page says whether it worked and that it can be closed. The person has
// TokenRequest::interactionTimeoutMs (5 minutes by default), then the fetch times out.
class AuthorizationCodeGrant : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *callbackPath = "callback";
    // How long a refused redirect's page has to reach the browser before the fetch reports.
    static constexpr int pageGraceMs = 250;

    AuthorizationCodeGrant(const TokenRequest &request, TokenClient *client, TokenFetch *fetch);
    ~AuthorizationCodeGrant() override;

    // Listens, then asks for the browser; on failure finishes the fetch (from the event loop).
    // TokenClient calls it from the event loop, so the fetch's caller has connected.
    void start();

    bool isListening() const;
    quint16 port() const;

private:
    void onCallback(const QVariantMap &values);
    void onExchanged(const TokenResult &result);
    void fail(const OAuthError &error, const QString &page);
    // Closes the listener and stops the clock; the fetch is over or the code is in hand.
    void stop();

    TokenRequest m_request;
    TokenClient *m_client;
    TokenFetch *m_fetch;
    Pkce m_pkce;
    // OpenID Connect's nonce (Core §3.1.2.1), sent when the scope asks for an ID token; the
    // token carries it on (AccessToken::idTokenNonce) for IdTokenClaimsCheck.
    QString m_nonce;
    QOAuthHttpServerReplyHandler *m_listener = nullptr;
    AuthorizationRequestFlow *m_flow = nullptr;
    QTimer m_deadline;
    bool m_answered = false; // the one redirect that counts has come
};
