#include "oauth/DeviceCodeGrant.h"

#include "http/Exchange.h"
#include "oauth/GrantInteraction.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenPost.h"
#include "secrets/KnownSecrets.h"
#include "util/Clock.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// A timed-out poll doubles the wait (RFC 8628 §3.5's backoff), up to this.
constexpr int maxBackoffMs = 60 * 1000;

OAuthError deviceError(const QUrl &endpoint, const QString &code, const QString &description)
{
    OAuthError error;
    error.kind = OAuthError::Kind::Protocol;
    error.endpoint = endpoint;
    error.code = code;
    error.description = description;
    return error;
}
} // namespace

DeviceCodeGrant::DeviceCodeGrant(TokenClient *client, const TokenRequest &request, TokenFetch *fetch)
    : QObject(fetch)
    , m_client(client)
    , m_request(request)
    , m_fetch(fetch)
    , m_clock(client->clock())
{
    m_request.deviceCode.clear(); // the first step asks for one
    m_timer.setSingleShot(true);
    // Not early: a poll before the interval is what earns slow_down.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DeviceCodeGrant::poll);
    // Cancelled, or finished by anyone: no request of this grant outlives the fetch's answer.
    connect(fetch, &TokenFetch::finished, this, &DeviceCodeGrant::stop);
}

DeviceCodeGrant::~DeviceCodeGrant()
{
    stop();
}

void DeviceCodeGrant::start()
{
    // On libcurl through Exchange, as a token request goes: the limit of a token response
    // (a device authorization response is as small), TLS, no redirect, no proxy from the environment.
    PreparedRequest prepared = m_request.prepared();
    prepared.maxResponseBytes = TokenPost::maxResponseBytes;
    auto *exchange = new Exchange(this);
    m_exchange = exchange;
    connect(exchange, &Exchange::finished, this, [this, exchange](const ExchangeResult &answer) {
        exchange->deleteLater();
        m_exchange = nullptr;
        onAuthorization(answer);
    });
    exchange->start(prepared);
}

void DeviceCodeGrant::onAuthorization(const ExchangeResult &answer)
{
    if (m_stopped)
        return;
    // Transport failures and redirects read as for any token request, named by this endpoint.
    TokenRequest asked = m_request;
    asked.tokenUrl = m_request.deviceAuthorizationUrl;
    if (answer.error != ExchangeResult::Error::None || (answer.status >= 300 && answer.status < 400)) {
        finish(TokenPost::interpret(answer, asked, m_clock->now()));
        return;
    }
    KnownSecrets sent;
    sent.addTokenRequest(m_request);
    // Masked before an excerpt is cut from an error page, so no beginning of a secret is left.
    const DeviceAuthorization authorization = DeviceAuthorization::parse(answer.status, answer.headers.value("Content-Type"),
                                                                         answer.body, m_request.deviceAuthorizationUrl, m_clock->now());
    if (!authorization.ok()) {
        const DeviceAuthorization masked = DeviceAuthorization::parse(answer.status, answer.headers.value("Content-Type"),
                                                                      sent.mask(answer.body), m_request.deviceAuthorizationUrl,
                                                                      m_clock->now());
        finish({std::nullopt, sent.mask(masked.error)});
        return;
    }
    m_request.deviceCode = authorization.deviceCode;
    m_expiresAt = authorization.expiresAt;
    m_intervalMs = authorization.intervalMs;

    GrantInteraction interaction;
    interaction.kind = GrantInteraction::Kind::EnterCode;
    interaction.url = authorization.verificationUri;
    interaction.completeUrl = authorization.verificationUriComplete;
    interaction.userCode = authorization.userCode;
    interaction.expiresAt = authorization.expiresAt;
    if (m_fetch)
        m_fetch->requireInteraction(interaction);
    schedulePoll();
}

void DeviceCodeGrant::schedulePoll()
{
    if (m_stopped)
        return;
    m_timer.start(m_intervalMs);
}

void DeviceCodeGrant::poll()
{
    if (m_stopped)
        return;
    if (m_clock->now() >= m_expiresAt) {
        // RFC 8628 §3.5: polling stops when the code runs out; the server would say expired_token.
        finish({std::nullopt, deviceError(m_request.tokenUrl, u"expired_token"_s,
                                          u"the user code was not approved before it expired (at %1 UTC)"_s.arg(
                                                  m_expiresAt.toUTC().toString(u"HH:mm:ss"_s)))});
        return;
    }
    if (!m_client || !m_fetch)
        return;
    ++m_polls;
    TokenPost *post = m_client->post(m_request, m_fetch);
    m_post = post;
    connect(post, &TokenPost::finished, this, [this, post](const TokenResult &result) {
        post->deleteLater();
        m_post = nullptr;
        onPollAnswer(result);
    });
}

void DeviceCodeGrant::onPollAnswer(const TokenResult &result)
{
    if (m_stopped)
        return;
    if (result.ok()) {
        finish(result);
        return;
    }
    const OAuthError &error = result.error;
    if (error.kind == OAuthError::Kind::Protocol && error.code == u"authorization_pending"_s) {
        schedulePoll();
        return;
    }
    if (error.kind == OAuthError::Kind::Protocol && error.code == u"slow_down"_s) {
        m_intervalMs += slowDownStepMs;
        schedulePoll();
        return;
    }
    if (error.kind == OAuthError::Kind::Timeout) {
        m_intervalMs = std::min(maxBackoffMs, std::max(m_intervalMs, m_intervalMs * 2));
        schedulePoll();
        return;
    }
    // access_denied, expired_token and anything else end the grant with the server's words.
    finish(result);
}

void DeviceCodeGrant::finish(const TokenResult &result)
{
    stop();
    if (m_fetch)
        m_fetch->finish(result);
}

void DeviceCodeGrant::stop()
{
    m_stopped = true;
    m_timer.stop();
    if (m_exchange) {
        m_exchange->disconnect(this);
        m_exchange->cancel();
        m_exchange->deleteLater();
        m_exchange = nullptr;
    }
    if (m_post) {
        m_post->disconnect(this);
        m_post->cancel();
        m_post->deleteLater();
        m_post = nullptr;
    }
}
