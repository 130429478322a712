#pragma once

#include "demo/DemoEnvironmentResolver.h"
#include "demo/DemoSigningKey.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class DemoAuthorizationEndpoint;
class DemoDeviceEndpoint;
class DemoMetadataEndpoint;
class DemoTokenLifecycle;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QJsonObject;

// The built-in Demo API: an OAuth 2 authorization server and a protected resource API on a
// loopback port, in-process. It is the environment a new user starts on and the fast fixture
// for tests; everything it answers is what a real server would.
class DemoServer : public QObject
{
    Q_OBJECT

public:
    static QString clientId() { return QStringLiteral("demo-client"); }
    static QString clientSecret() { return QStringLiteral("demo-secret"); }
    static QString username() { return QStringLiteral("demo-user"); }
    static QString password() { return QStringLiteral("demo-password"); }
    static QString blockedUserId() { return QStringLiteral("blocked-user"); }
    // A second client whose secret has reserved characters and non-ASCII, so the three
    // client-authentication encodings (Basic per RFC 6749 §2.3.1, form body, JSON) are exercised.
    static QString specialClientId() { return QStringLiteral("demo-client-2"); }
    static QString specialClientSecret() { return QStringLiteral(u"p:a+s%s&w r d\u00e9"); }
    // A public client (RFC 6749 §2.1, client authentication "none"): no secret, so only the grants
    // with a person (authorization code with PKCE, device) and refresh; what a native app registers.
    static QString publicClientId() { return QStringLiteral("demo-public-client"); }

    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    // Listens on 127.0.0.1; port 0 picks a free one.
    bool start(quint16 port = 0, QString *error = nullptr);
    bool isRunning() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QUrl baseUrl() const;
    QUrl tokenUrl() const;
    // The authorization code grant's endpoint (DemoAuthorizationEndpoint): PKCE S256, loopback redirects.
    QUrl authorizationUrl() const;
    QUrl apiUrl() const;
    // RFC 8628's device authorization endpoint; DemoDeviceEndpoint runs the grant.
    QUrl deviceAuthorizationUrl() const;
    DemoDeviceEndpoint *deviceEndpoint() const { return m_device.get(); }
    // The built-in Demo environment resolved to this server (Authorizer::setBuiltinResolver).
    const BuiltinEnvironmentResolver *environmentResolver() const { return &m_resolver; }
    // RFC 7009 revocation and RFC 7662 introspection (DemoTokenLifecycle).
    QUrl revocationUrl() const;
    QUrl introspectionUrl() const;
    // The issuer its tokens and redirects name (the base URL), whose metadata is at
    // /.well-known/openid-configuration, and its JWK Set (DemoMetadataEndpoint).
    QUrl issuer() const { return baseUrl(); }
    QUrl jwksUrl() const;
    // The key its access tokens are signed with (ES256, made when the server is constructed).
    const DemoSigningKey &signingKey() const { return m_signingKey; }

    // Access-token lifetime in seconds (default 300; can be as short as 1).
    void setTokenLifetime(int seconds) { m_tokenLifetime = seconds; }
    int tokenLifetime() const { return m_tokenLifetime; }

    // A deliberate flaw for the tests of the scope matrix (issue 12): GET /api/customers then
    // takes any valid token, without checking customers:read, so the runner's detection of an
    // over-permissive endpoint is proven against a real server. Only tests call it; neither the
    // app nor the CLI has a way to switch it on.
    void setOverPermissiveForTests(bool on) { m_overPermissiveForTests = on; }

private:
    DemoEnvironmentResolver m_resolver{this};
    struct Caller;
    enum class TokenState { Valid, Malformed, Expired, NotYetValid, Revoked };

    void registerRoutes();
    QHttpServerResponse token(const QHttpServerRequest &request) const;
    // The request's form parameters and its client (RFC 6749 §2.3: HTTP Basic or credentials in
    // the body); the answer to send when either fails.
    std::optional<QHttpServerResponse> readClientRequest(const QHttpServerRequest &request, QHash<QString, QString> *params,
                                                          QString *clientId) const;
    QByteArray issueToken(const QString &subject, const QString &client, const QStringList &scopes) const;
    TokenState checkToken(const QByteArray &token, QJsonObject *claims) const;
    // Empty when the request may proceed; otherwise the 400/401/403/409 answer to send.
    std::optional<QHttpServerResponse> authorize(const QHttpServerRequest &request,
                                                 const QString &requiredScope, Caller *caller) const;
    QHttpServerResponse createTrade(const QHttpServerRequest &request, const Caller &caller);
    QHttpServerResponse patchCustomer(const QString &id, const QHttpServerRequest &request);

    std::unique_ptr<QHttpServer> m_server;
    std::unique_ptr<DemoAuthorizationEndpoint> m_authorization;
    std::unique_ptr<DemoDeviceEndpoint> m_device;
    std::unique_ptr<DemoTokenLifecycle> m_lifecycle;
    DemoSigningKey m_signingKey;
    std::unique_ptr<DemoMetadataEndpoint> m_metadata;
    quint16 m_port = 0;
    int m_tokenLifetime = 300;
    // The API's state lives for the server's lifetime, so a created trade shows up in the list.
    QJsonArray m_trades;
    QJsonArray m_customers;
    int m_nextTradeNumber = 5003;
    bool m_overPermissiveForTests = false;
};
