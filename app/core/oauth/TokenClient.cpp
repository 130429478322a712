#include "oauth/TokenClient.h"

#include "oauth/AuthorizationCodeGrant.h"
#include "oauth/TokenFetch.h"
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
    auto *fetch = new TokenFetch(this);
    const OAuthError invalid = request.validate();
    if (invalid.isError()) {
        failSoon(fetch, invalid);
        return fetch;
    }

    switch (request.grant) {
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
        // Never sent as a bare POST: without the code the person approved there is nothing to
        // exchange, and the server would only answer invalid_grant.
        OAuthError unavailable;
        unavailable.kind = OAuthError::Kind::Configuration;
        unavailable.endpoint = request.tokenUrl;
        unavailable.detail = u"the %1 grant is not available in this build"_s.arg(Environment::grantName(request.grant));
        failSoon(fetch, unavailable);
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
