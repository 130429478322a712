#include "oauth/TokenClient.h"

#include "oauth/AuthorizationCodeGrant.h"
#include "oauth/DeviceCodeGrant.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenRenewal.h"
#include "util/Clock.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

TokenClient::TokenClient(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
{
}

TokenFetch *TokenClient::fetch(const TokenRequest &request)
{
    if (request.canRefresh())
        return TokenRenewal::start(this, request);
    auto *fetch = new TokenFetch(this);
    const OAuthError invalid = request.validate();
    if (invalid.isError()) {
        failSoon(fetch, invalid);
        return fetch;
    }

    // The refresh grant is one POST, whatever grant the refresh token came from.
    switch (request.refreshing ? GrantType::ClientCredentials : request.grant) {
    case GrantType::ClientCredentials:
    case GrantType::Password:
        break;
    case GrantType::AuthorizationCode: {
        // Started from the event loop, as a POST reports: the caller connects to the fetch first.
        auto *grant = new AuthorizationCodeGrant(request, this, fetch);
        QMetaObject::invokeMethod(grant, &AuthorizationCodeGrant::start, Qt::QueuedConnection);
        return fetch;
    }
    case GrantType::DeviceCode: {
        // RFC 8628: a device code first, then polls until the person approved (DeviceCodeGrant,
        // a child of the fetch: its cancel stops the polling).
        auto *grant = new DeviceCodeGrant(this, request, fetch);
        QMetaObject::invokeMethod(grant, &DeviceCodeGrant::start, Qt::QueuedConnection);
        return fetch;
    }
    }

    TokenPost *tokenPost = post(request, fetch);
    connect(tokenPost, &TokenPost::finished, fetch, &TokenFetch::finish);
    return fetch;
}

TokenPost *TokenClient::post(const TokenRequest &request, TokenFetch *fetch)
{
    auto *tokenPost = new TokenPost(request, m_clock, fetch);
    connect(fetch, &TokenFetch::finished, tokenPost, &TokenPost::cancel);
    tokenPost->start();
    return tokenPost;
}

void TokenClient::failSoon(TokenFetch *fetch, const OAuthError &error)
{
    QMetaObject::invokeMethod(fetch, [fetch, error] { fetch->finish({std::nullopt, error}); }, Qt::QueuedConnection);
}
