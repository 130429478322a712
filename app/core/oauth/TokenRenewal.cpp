#include "oauth/TokenRenewal.h"

#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"

using namespace Qt::StringLiterals;

TokenFetch *TokenRenewal::start(TokenClient *client, const TokenRequest &request)
{
    auto *outer = new TokenFetch(client);
    // A child of the fetch: it goes when the fetch does.
    auto *renewal = new TokenRenewal(client, outer, request);
    TokenFetch *step = client->fetch(request.refreshGrant());
    renewal->m_step = step;
    connect(step, &TokenFetch::finished, renewal, &TokenRenewal::refreshed);
    return outer;
}

TokenRenewal::TokenRenewal(TokenClient *client, TokenFetch *outer, const TokenRequest &request)
    : QObject(outer)
    , m_client(client)
    , m_outer(outer)
    , m_request(request)
{
    // Cancelling (or any end) of the caller's fetch stops the step in flight.
    connect(outer, &TokenFetch::finished, this, [this] {
        if (m_step)
            m_step->cancel();
    });
}

bool TokenRenewal::isRefusal(const TokenResult &result)
{
    const OAuthError &error = result.error;
    if (error.code == u"invalid_grant"_s)
        return true;
    return (error.kind == OAuthError::Kind::Protocol || error.kind == OAuthError::Kind::Http) && error.httpStatus == 400;
}

void TokenRenewal::refreshed(const TokenResult &result)
{
    m_step = nullptr;
    if (result.ok()) {
        TokenResult renewed = result;
        AccessToken &token = *renewed.token;
        // Rotation: a new refresh token replaces the old; without one the old stays valid (§6).
        if (token.refreshToken.isEmpty())
            token.refreshToken = m_request.refreshToken;
        token.refreshedAt = token.obtainedAt;
        m_outer->finish(renewed);
        return;
    }
    if (!isRefusal(result)) {
        m_outer->finish(result);
        return;
    }
    // Turned down: forget it and run the grant itself, once (its request holds no refresh token).
    follow(m_client->fetch(m_request.withoutRefresh()));
}

void TokenRenewal::follow(TokenFetch *step)
{
    m_step = step;
    connect(step, &TokenFetch::interactionRequired, m_outer, &TokenFetch::requireInteraction);
    if (step->interaction())
        m_outer->requireInteraction(*step->interaction());
    connect(step, &TokenFetch::finished, this, [this](const TokenResult &result) {
        m_step = nullptr;
        TokenResult granted = result;
        granted.refreshRefused = true;
        m_outer->finish(granted);
    });
}
