#pragma once

#include "http/TokenSource.h"
#include "session/Authorizer.h"
#include "workspace/Environment.h"

// Tokens for one environment through the Authorizer the Authorize dialog uses, so the composer
// and the token inspector share one current token: a request reuses it while it is fresh and
// its scopes are accepted (exactly these, or at least these), and authorizing (first, again after
// a 401, or for a request that wants other scopes) updates it for both.
class AuthorizerTokenSource : public TokenSource
{
    Q_OBJECT

public:
    AuthorizerTokenSource(Authorizer *authorizer, const Environment &environment,
                          const AuthorizationCredentials &credentials = {}, QObject *parent = nullptr);
    ~AuthorizerTokenSource() override;

    std::optional<AccessToken> usableToken(const TokenScopes &scopes) const override;
    void obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done) override;
    const Clock *clock() const override;
    const KnownSecrets &knownSecrets() const override;
    QByteArray clientKey() const override;
    // Cancels the environment's authorization in flight: for a source whose Authorizer is its
    // own (the scope matrix's), never the one the Authorize dialog shares.
    void cancelTokenRequests() override;

private:
    Authorizer *m_authorizer;
    Environment m_environment;
    AuthorizationCredentials m_credentials;
};
