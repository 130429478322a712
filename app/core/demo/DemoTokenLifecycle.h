#pragma once

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

// The Demo's token lifecycle, so a new user can try it offline: refresh tokens for the password
// grant (RFC 6749 §6; none for client credentials, §4.4.3), rotated on every use, a rotated-out
// one refused with invalid_grant; revocation (RFC 7009) at /oauth/revoke and introspection
// (RFC 7662) at /oauth/introspect, both behind the token endpoint's client authentication.
class DemoTokenLifecycle
{
public:
    struct Grant
    {
        QString clientId;
        QString subject;
        QStringList scopes;
    };

    // What DemoServer lends the endpoints: its client authentication (params read, client id
    // out; an answer when it fails) and its check of an access token (claims when valid).
    struct Hooks
    {
        std::function<std::optional<QHttpServerResponse>(const QHttpServerRequest &, QHash<QString, QString> *, QString *)> authenticate;
        std::function<std::optional<QJsonObject>(const QByteArray &)> accessTokenClaims;
    };

    static QString revocationPath() { return QStringLiteral("/oauth/revoke"); }
    static QString introspectionPath() { return QStringLiteral("/oauth/introspect"); }

    void registerRoutes(QHttpServer &server, const Hooks &hooks);

    QString issueRefreshToken(const Grant &grant);
    // The grant a refresh token carries, which it gives up (rotation): nullopt when it is
    // unknown, used, revoked or another client's.
    std::optional<Grant> redeem(const QString &refreshToken, const QString &clientId);
    bool isRevoked(const QString &jti) const { return m_revokedJtis.contains(jti); }

    // RFC 7009 §2.2 answers 200 whether or not the token was known; revoking a refresh token ends its grant.
    void revoke(const QString &token, const QString &clientId, const Hooks &hooks);
    QJsonObject introspect(const QString &token, const QString &clientId, const Hooks &hooks) const;

private:
    QHash<QString, Grant> m_refreshTokens;
    QSet<QString> m_revokedJtis;
};
