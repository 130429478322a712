#pragma once

#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"

#include <QObject>

class EndpointCall;

// RFC 7009: tells the authorization server that a token is no longer wanted, at the
// environment's revocation endpoint, the client authenticated as at the token endpoint.
// Revoking a refresh token ends the grant's access tokens too, at most servers (§2.1).
class TokenRevocation : public QObject
{
    Q_OBJECT

public:
    enum class Hint { AccessToken, RefreshToken };

    explicit TokenRevocation(QObject *parent = nullptr);

    static QString hintName(Hint hint);
    void start(const TokenRequest &client, const QUrl &endpoint, const QString &token, Hint hint);

Q_SIGNALS:
    // Kind::None when the server took it: 200, also for a token it did not know (§2.2).
    void finished(const OAuthError &error);

private:
    EndpointCall *m_call;
};
