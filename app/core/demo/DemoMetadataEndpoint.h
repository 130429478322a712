#pragma once

#include <QJsonObject>
#include <QString>

class DemoServer;
class DemoSigningKey;
class QHttpServer;

// What the Demo API publishes about itself, so clients configure themselves from its issuer URL
// alone: the authorization server metadata (RFC 8414 at /.well-known/oauth-authorization-server,
// and the same document at OpenID Connect discovery's /.well-known/openid-configuration) naming
// every endpoint the running Demo has, and its JWK Set (RFC 7517) at /.well-known/jwks.json with
// the public key its tokens are signed with. Both are built from the live port on each request.
class DemoMetadataEndpoint
{
public:
    static QString jwksPath() { return QStringLiteral("/.well-known/jwks.json"); }
    static QString openIdConfigurationPath() { return QStringLiteral("/.well-known/openid-configuration"); }
    static QString authorizationServerPath() { return QStringLiteral("/.well-known/oauth-authorization-server"); }

    DemoMetadataEndpoint(const DemoServer &server, const DemoSigningKey &key);

    void registerRoutes(QHttpServer *server) const;
    // The metadata document of the running server.
    QJsonObject metadata() const;

private:
    const DemoServer &m_server;
    const DemoSigningKey &m_key;
};
