#pragma once

#include "oauth/DeviceAuthorization.h"
#include "oauth/TokenRequest.h"
#include "oauth/TokenResponseParser.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

class Clock;
class Exchange;
struct ExchangeResult;
class TokenClient;
class TokenFetch;
class TokenPost;

// The device authorization grant (RFC 8628) for one TokenFetch: asks the device authorization
// endpoint for a device code and a user code, has the fetch show the user code and the
// verification URI (GrantInteraction::Kind::EnterCode), then polls the token endpoint at the
// server's interval — on a timer, never blocking — until the person approved (the token),
// declined (access_denied), the code ran out (expired_token, or expires_in passed here) or the
// fetch was cancelled. authorization_pending waits another interval, slow_down adds 5 s to it
// for good (§3.5), a timed-out poll doubles it. Every request goes through TokenPost's direct
// path (Exchange: size limit, TLS, no redirect, secrets masked in errors). The device code is a
// secret: it is sent to the token endpoint only and masked in every error.
class DeviceCodeGrant : public QObject
{
    Q_OBJECT

public:
    // slow_down's increase of the interval (RFC 8628 §3.5).
    static constexpr int slowDownStepMs = 5000;

    // Runs for fetch, its parent: finishes it, and stops the moment it finishes or is cancelled.
    // Its polls are client's direct POSTs.
    DeviceCodeGrant(TokenClient *client, const TokenRequest &request, TokenFetch *fetch);
    ~DeviceCodeGrant() override;

    void start();

    // The wait between polls as it stands (slow_down raises it); how many polls were sent.
    int intervalMs() const { return m_intervalMs; }
    int pollCount() const { return m_polls; }

private:
    void onAuthorization(const ExchangeResult &answer);
    void schedulePoll();
    void poll();
    void onPollAnswer(const TokenResult &result);
    void finish(const TokenResult &result);
    void stop();

    QPointer<TokenClient> m_client;
    TokenRequest m_request;
    QPointer<TokenFetch> m_fetch;
    const Clock *m_clock;
    QTimer m_timer;
    QPointer<Exchange> m_exchange;
    QPointer<TokenPost> m_post;
    QDateTime m_expiresAt;
    int m_intervalMs = DeviceAuthorization::defaultIntervalMs;
    int m_polls = 0;
    bool m_stopped = false;
};
