#include "oauth/ProviderDiscovery.h"
#include "oauth/ProviderMetadata.h"
#include "support/ForwardProxyProcess.h"
#include "support/ScriptedHttpServer.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
DiscoveryResult discover(const QUrl &issuer, bool allowInsecure = false, const std::optional<ProxyPolicy> &proxy = std::nullopt)
{
    ProviderDiscovery discovery;
    if (proxy)
        discovery.setProxy(*proxy);
    DiscoveryResult result;
    result.failure = DiscoveryResult::Failure::Transport;
    result.problem = u"test gave up"_s;
    QEventLoop loop;
    QObject::connect(&discovery, &ProviderDiscovery::finished, &loop, [&](const DiscoveryResult &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    discovery.start(issuer, {}, allowInsecure, 10000);
    loop.exec();
    return result;
}

QJsonObject metadataFor(const QString &issuer)
{
    return QJsonObject{
        {u"issuer"_s, issuer},
        {u"token_endpoint"_s, issuer + u"/token"_s},
        {u"authorization_endpoint"_s, issuer + u"/auth"_s},
        {u"device_authorization_endpoint"_s, issuer + u"/device/auth"_s},
        {u"revocation_endpoint"_s, issuer + u"/token/revocation"_s},
        {u"introspection_endpoint"_s, issuer + u"/token/introspection"_s},
        {u"jwks_uri"_s, issuer + u"/jwks"_s},
        {u"grant_types_supported"_s, QJsonArray{u"authorization_code"_s, u"refresh_token"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s}},
        {u"token_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_post"_s, u"private_key_jwt"_s, u"none"_s}},
        {u"scopes_supported"_s, QJsonArray{u"openid"_s, u"accounts:read"_s}},
    };
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray okJson(const QByteArray &body)
{
    return ScriptedHttpServer::response(200, "OK", "application/json", body);
}

QByteArray requestPath(const QByteArray &request)
{
    return request.split(' ').value(1);
}
} // namespace

class tst_ProviderDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentUrlsFollowRfc8414PathInsertion()
    {
        QCOMPARE(ProviderDiscovery::documentUrls(QUrl(u"https://id.example.com"_s)),
                 (QList<QUrl>{QUrl(u"https://id.example.com/.well-known/openid-configuration"_s),
                              QUrl(u"https://id.example.com/.well-known/oauth-authorization-server"_s)}));
        QCOMPARE(ProviderDiscovery::documentUrls(QUrl(u"https://id.example.com/realms/corp/"_s)),
                 (QList<QUrl>{QUrl(u"https://id.example.com/realms/corp/.well-known/openid-configuration"_s),
                              QUrl(u"https://id.example.com/.well-known/oauth-authorization-server/realms/corp"_s),
                              QUrl(u"https://id.example.com/.well-known/openid-configuration/realms/corp"_s)}));
    }

    void issuerProblems()
    {
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"https://id.example.com/tenant"_s), false).isEmpty());
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"http://127.0.0.1:8080"_s), false).isEmpty());
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"http://id.example.com"_s), false).contains(u"https"_s));
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"http://id.example.com"_s), true).isEmpty());
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"https://id.example.com/?tenant=a"_s), false).contains(u"query"_s));
        QVERIFY(ProviderDiscovery::issuerProblem(QUrl(u"https://u:p@id.example.com"_s), false).contains(u"user name"_s));
        QVERIFY(!ProviderDiscovery::issuerProblem(QUrl(u"ftp://id.example.com"_s), false).isEmpty());
    }

    void parsesMetadata()
    {
        const QString issuer = u"https://id.example.com"_s;
        QString error;
        const auto metadata = ProviderMetadata::parse(json(metadataFor(issuer)), "application/json", QUrl(issuer), &error);
        QVERIFY2(metadata, qPrintable(error));
        QCOMPARE(metadata->tokenEndpoint, QUrl(u"https://id.example.com/token"_s));
        QCOMPARE(metadata->jwksUri, QUrl(u"https://id.example.com/jwks"_s));
        QCOMPARE(metadata->scopesSupported, (QStringList{u"openid"_s, u"accounts:read"_s}));

        // RFC 8414 §2's defaults for lists left out.
        QJsonObject minimal{{u"issuer"_s, issuer}, {u"token_endpoint"_s, issuer + u"/token"_s}};
        const auto defaults = ProviderMetadata::parse(json(minimal), "application/json", QUrl(issuer), &error);
        QVERIFY2(defaults, qPrintable(error));
        QCOMPARE(defaults->grantTypesSupported, (QStringList{u"authorization_code"_s, u"implicit"_s}));
        QCOMPARE(defaults->tokenEndpointAuthMethodsSupported, QStringList{u"client_secret_basic"_s});
    }

    void refusesBadMetadata_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("notJson");
        const QString issuer = u"https://id.example.com"_s;
        QJsonObject other = metadataFor(u"https://evil.example.net"_s);
        QTest::newRow("another issuer") << json(other) << QByteArray("application/json") << u"names the issuer \"https://evil.example.net\""_s << false;
        QJsonObject slash = metadataFor(issuer);
        slash[u"issuer"_s] = issuer + u'/';
        QTest::newRow("issuer with a slash more") << json(slash) << QByteArray("application/json") << u"RFC 8414 §3.3"_s << false;
        QTest::newRow("html") << QByteArray("<!doctype html><html><body>Welcome</body></html>") << QByteArray("text/html")
                              << u"HTML page"_s << true;
        QTest::newRow("not json") << QByteArray("issuer: yes") << QByteArray("text/plain") << u"not JSON"_s << true;
        QTest::newRow("array") << QByteArray("[1,2]") << QByteArray("application/json") << u"not an object"_s << true;
        QJsonObject numberEndpoint = metadataFor(issuer);
        numberEndpoint[u"token_endpoint"_s] = 42;
        QTest::newRow("token_endpoint a number") << json(numberEndpoint) << QByteArray("application/json") << u"token_endpoint: expected a string"_s << false;
        QJsonObject stringList = metadataFor(issuer);
        stringList[u"grant_types_supported"_s] = u"client_credentials"_s;
        QTest::newRow("grant_types_supported a string") << json(stringList) << QByteArray("application/json") << u"grant_types_supported"_s << false;
        QJsonObject noToken = metadataFor(issuer);
        noToken.remove(u"token_endpoint"_s);
        QTest::newRow("no token_endpoint") << json(noToken) << QByteArray("application/json") << u"token_endpoint"_s << false;
        QJsonObject plain = metadataFor(issuer);
        plain[u"jwks_uri"_s] = u"http://id.example.com/jwks"_s;
        QTest::newRow("http endpoint under https") << json(plain) << QByteArray("application/json") << u"plain http"_s << false;
        QJsonObject script = metadataFor(issuer);
        script[u"authorization_endpoint"_s] = u"javascript:alert(1)"_s;
        QTest::newRow("not an http url") << json(script) << QByteArray("application/json") << u"not an absolute http(s) URL"_s << false;
        QJsonObject spaced = metadataFor(issuer);
        spaced[u"scopes_supported"_s] = QJsonArray{u"a b"_s};
        QTest::newRow("scope with a space") << json(spaced) << QByteArray("application/json") << u"has a space"_s << false;
    }

    void refusesBadMetadata()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, expected);
        QFETCH(bool, notJson);
        QString error;
        bool absent = !notJson;
        QVERIFY(!ProviderMetadata::parse(body, contentType, QUrl(u"https://id.example.com"_s), &error, &absent));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QCOMPARE(absent, notJson);
    }

    void appliesToEnvironment()
    {
        const QString issuer = u"https://id.example.com"_s;
        QString error;
        const auto metadata = ProviderMetadata::parse(json(metadataFor(issuer)), "application/json", QUrl(issuer), &error);
        QVERIFY2(metadata, qPrintable(error));

        Environment env;
        env.scopeCatalog = {{u"accounts:read"_s, u"Read the accounts"_s}};
        const QStringList report = metadata->applyTo(&env, {});
        QCOMPARE(env.tokenUrl, QUrl(u"https://id.example.com/token"_s));
        QCOMPARE(env.provider.issuer, QUrl(issuer));
        QCOMPARE(env.provider.authorizationUrl, QUrl(u"https://id.example.com/auth"_s));
        QCOMPARE(env.provider.deviceAuthorizationUrl, QUrl(u"https://id.example.com/device/auth"_s));
        QCOMPARE(env.provider.revocationUrl, QUrl(u"https://id.example.com/token/revocation"_s));
        QCOMPARE(env.provider.introspectionUrl, QUrl(u"https://id.example.com/token/introspection"_s));
        QCOMPARE(env.provider.jwksUrl, QUrl(u"https://id.example.com/jwks"_s));
        QCOMPARE(env.provider.grantsSupported.size(), 3);
        QCOMPARE(env.provider.clientAuthMethodsSupported, (QStringList{u"client_secret_post"_s, u"private_key_jwt"_s, u"none"_s}));
        // client_credentials and client_secret_basic are not listed: supported ones chosen.
        QCOMPARE(env.grant, GrantType::AuthorizationCode);
        QCOMPARE(env.clientAuth, ClientAuthStyle::Body);
        // The catalog keeps its description and gains the scope it lacked.
        QCOMPARE(env.scopeCatalog, (QList<CatalogScope>{{u"accounts:read"_s, u"Read the accounts"_s}, {u"openid"_s, {}}}));
        QVERIFY2(report.join(u'\n').contains(u"token URL: https://id.example.com/token"_s), qPrintable(report.join(u'\n')));
        QVERIFY(report.join(u'\n').contains(u"grant: authorization_code"_s));

        // What the user gave stays.
        Environment chosen;
        chosen.grant = GrantType::ClientCredentials;
        chosen.clientAuth = ClientAuthStyle::Basic;
        metadata->applyTo(&chosen, {true, true});
        QCOMPARE(chosen.grant, GrantType::ClientCredentials);
        QCOMPARE(chosen.clientAuth, ClientAuthStyle::Basic);

        // A supported current choice stays too; the device grant is known by its URN.
        Environment device;
        device.grant = GrantType::DeviceCode;
        device.clientAuth = ClientAuthStyle::None;
        metadata->applyTo(&device, {});
        QCOMPARE(device.grant, GrantType::DeviceCode);
        QCOMPARE(device.clientAuth, ClientAuthStyle::None);
    }

    void aClientCertificateTakesTheMutualTlsAliasesAndTlsClientAuth()
    {
        // RFC 8705 §5: the aliases are for a client that presents a certificate; §2.1's
        // tls_client_auth replaces a client secret nobody chose when the server lists it.
        const QString issuer = u"https://id.example.com"_s;
        QJsonObject document = metadataFor(issuer);
        document.insert(u"token_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_basic"_s, u"tls_client_auth"_s});
        document.insert(u"mtls_endpoint_aliases"_s, QJsonObject{{u"token_endpoint"_s, u"https://mtls.id.example.com/token"_s},
                                                               {u"revocation_endpoint"_s, u"https://mtls.id.example.com/revoke"_s}});
        QString error;
        const auto metadata = ProviderMetadata::parse(json(document), "application/json", QUrl(issuer), &error);
        QVERIFY2(metadata, qPrintable(error));
        QCOMPARE(metadata->mtlsAliases.tokenEndpoint, QUrl(u"https://mtls.id.example.com/token"_s));

        Environment withCertificate;
        withCertificate.clientCertificate = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n";
        const QString report = metadata->applyTo(&withCertificate, {}).join(u'\n');
        QCOMPARE(withCertificate.tokenUrl, QUrl(u"https://mtls.id.example.com/token"_s));
        QCOMPARE(withCertificate.provider.revocationUrl, QUrl(u"https://mtls.id.example.com/revoke"_s));
        QCOMPARE(withCertificate.provider.introspectionUrl, QUrl(u"https://id.example.com/token/introspection"_s)); // no alias
        QCOMPARE(withCertificate.clientAuth, ClientAuthStyle::TlsClientAuth);
        QVERIFY2(report.contains(u"token URL (mutual TLS alias): https://mtls.id.example.com/token"_s), qPrintable(report));
        QVERIFY2(report.contains(u"client authentication: tls_client_auth (a client certificate is configured)"_s), qPrintable(report));

        // Without a certificate: the plain endpoints, the secret kept.
        Environment plain;
        metadata->applyTo(&plain, {});
        QCOMPARE(plain.tokenUrl, QUrl(u"https://id.example.com/token"_s));
        QCOMPARE(plain.clientAuth, ClientAuthStyle::Basic);
        // A style the user gave stays, certificate or not (private_key_jwt over mutual TLS).
        Environment given = withCertificate;
        given.clientAuth = ClientAuthStyle::Basic;
        metadata->applyTo(&given, {false, true});
        QCOMPARE(given.clientAuth, ClientAuthStyle::Basic);
        // So does one saved before (env set --issuer on an existing environment), while the server lists it.
        Environment saved = given;
        ProviderMetadata::Choices kept;
        kept.clientAuthKept = true;
        metadata->applyTo(&saved, kept);
        QCOMPARE(saved.clientAuth, ClientAuthStyle::Basic);
        QCOMPARE(saved.tokenUrl, QUrl(u"https://mtls.id.example.com/token"_s)); // the aliases still, with the certificate

        QCOMPARE(ProviderMetadata::clientAuthForMethod(u"self_signed_tls_client_auth"_s), ClientAuthStyle::SelfSignedTlsClientAuth);
        QCOMPARE(ProviderMetadata::methodForClientAuth(ClientAuthStyle::TlsClientAuth), u"tls_client_auth"_s);

        // An alias is an endpoint like the others: plain http under an https issuer is refused.
        document.insert(u"mtls_endpoint_aliases"_s, QJsonObject{{u"token_endpoint"_s, u"http://mtls.id.example.com/token"_s}});
        QVERIFY(!ProviderMetadata::parse(json(document), "application/json", QUrl(issuer), &error));
        QVERIFY2(error.contains(u"mtls_endpoint_aliases"_s), qPrintable(error));
    }

    void discoversFromOpenIdConfiguration()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(okJson(json(metadataFor(issuer))));
        const DiscoveryResult result = discover(QUrl(issuer));
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(result.documentUrl, QUrl(issuer + u"/.well-known/openid-configuration"_s));
        QCOMPARE(result.metadata->tokenEndpoint, QUrl(issuer + u"/token"_s));
        QCOMPARE(server.requestCount(), 1);
        QVERIFY(server.requests().first().contains("Accept: application/json"));
    }

    void fallsBackToRfc8414WithPath()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url(u"/tenant/one"_s).toString();
        server.queueResponse(ScriptedHttpServer::response(404, "Not Found", "text/plain", "no"));
        server.setResponse(okJson(json(metadataFor(issuer))));
        const DiscoveryResult result = discover(QUrl(issuer));
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(requestPath(server.requests().at(0)), QByteArray("/tenant/one/.well-known/openid-configuration"));
        QCOMPARE(requestPath(server.requests().at(1)), QByteArray("/.well-known/oauth-authorization-server/tenant/one"));
        QCOMPARE(result.documentUrl, QUrl(server.url(u"/.well-known/oauth-authorization-server/tenant/one"_s)));
    }

    void refusesMismatchedIssuerWithoutTryingFurther()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(okJson(json(metadataFor(u"https://login.example.org"_s))));
        const DiscoveryResult result = discover(server.url({}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::BadDocument);
        QVERIFY2(result.problem.contains(u"names the issuer \"https://login.example.org\""_s), qPrintable(result.problem));
        QVERIFY(!result.metadata);
        QCOMPARE(server.requestCount(), 1);
    }

    void htmlEverywhereIsNoMetadata()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "text/html", "<html><body>Sign in</body></html>"));
        const DiscoveryResult result = discover(server.url({}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::BadDocument);
        QVERIFY2(result.problem.contains(u"HTML page"_s), qPrintable(result.problem));
        QCOMPARE(server.requestCount(), 2);
    }

    void wrongTypesAreRefused()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        QJsonObject metadata = metadataFor(server.url({}).toString());
        metadata[u"jwks_uri"_s] = QJsonArray{u"x"_s};
        server.setResponse(okJson(json(metadata)));
        const DiscoveryResult result = discover(server.url({}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::BadDocument);
        QVERIFY2(result.problem.contains(u"jwks_uri: expected a string"_s), qPrintable(result.problem));
    }

    void notFoundAnywhere()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(404, "Not Found", "text/plain", "no"));
        const DiscoveryResult result = discover(server.url({}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::NotFound);
        QVERIFY2(result.problem.contains(u"HTTP 404"_s), qPrintable(result.problem));
    }

    void hugeDocumentIsStopped()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        QByteArray huge = "{\"issuer\":\"" + server.url({}).toString().toUtf8() + "\",\"x\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
        server.setResponse(okJson(huge));
        const DiscoveryResult result = discover(server.url({}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::BadDocument);
        QVERIFY2(result.problem.contains(u"1 MB"_s) || result.problem.contains(u"1.0 MB"_s) || result.problem.contains(u"MiB"_s),
                 qPrintable(result.problem));
    }

    void followsRedirectsOnlyWithinTheOrigin()
    {
        ScriptedHttpServer elsewhere;
        QVERIFY(elsewhere.listen());
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        elsewhere.setResponse(okJson(json(metadataFor(issuer))));
        server.setResponse(ScriptedHttpServer::response(302, "Found", "text/plain", "",
                                                        "Location: " + elsewhere.url(u"/meta"_s).toEncoded() + "\r\n"));
        DiscoveryResult result = discover(QUrl(issuer));
        QCOMPARE(result.failure, DiscoveryResult::Failure::BadDocument);
        QVERIFY2(result.problem.contains(u"another origin"_s), qPrintable(result.problem));
        QCOMPARE(elsewhere.requestCount(), 0);

        server.queueResponse(ScriptedHttpServer::response(301, "Moved", "text/plain", "", "Location: /meta.json\r\n"));
        server.setResponse(okJson(json(metadataFor(issuer))));
        result = discover(QUrl(issuer));
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(result.documentUrl, server.url(u"/meta.json"_s));
    }

    void invalidIssuerFetchesNothing()
    {
        const DiscoveryResult result = discover(QUrl(u"http://id.example.com"_s));
        QCOMPARE(result.failure, DiscoveryResult::Failure::InvalidIssuer);
    }

    // Discovery takes the proxy of the environment it fills (or the app's), like its token and
    // API requests: a real tinyproxy's log shows the well-known GET went through it.
    void goesThroughTheProxy()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        QString error;
        const auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error, u"disco"_s, u"Disc0-Proxy-Pass"_s);
        QVERIFY2(proxy, qPrintable(error));
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(okJson(json(metadataFor(issuer))));
        const QByteArray wellKnown = "GET " + issuer.toUtf8() + "/.well-known/openid-configuration HTTP/1.1";

        ProxyRoute route = ProxyRoute::fromUrl(proxy->url(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        route.username = u"disco"_s;
        route.password = u"Disc0-Proxy-Pass"_s;
        // The environment's own proxy, given to the discovery.
        DiscoveryResult result = discover(QUrl(issuer), false, ProxyPolicy::manual(route, {}));
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QVERIFY2(proxy->log().contains(wellKnown), proxy->log().constData());
        const qsizetype through = proxy->log().count(wellKnown);

        // None given: the app's, as it is when the fetch starts.
        ProxyPolicy::setApplication(ProxyPolicy::manual(route, {}));
        result = discover(QUrl(issuer));
        ProxyPolicy::setApplication(ProxyPolicy());
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(proxy->log().count(wellKnown), through + 1);

        // Direct for this environment: the proxy sees nothing, whatever the app's says.
        ProxyPolicy::setApplication(ProxyPolicy::manual(route, {}));
        result = discover(QUrl(issuer), false, ProxyPolicy::direct());
        ProxyPolicy::setApplication(ProxyPolicy());
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(proxy->log().count(wellKnown), through + 1);

        // Wrong credentials: the proxy's refusal, nothing fetched from the server.
        const int served = server.requestCount();
        route.password = u"wrong"_s;
        result = discover(QUrl(issuer), false, ProxyPolicy::manual(route, {}));
        QVERIFY(!result.ok());
        QCOMPARE(server.requestCount(), served);

        // A proxy that is gone: named in the failure.
        proxy->stop();
        route.password = u"Disc0-Proxy-Pass"_s;
        result = discover(QUrl(issuer), false, ProxyPolicy::manual(route, {}));
        QCOMPARE(result.failure, DiscoveryResult::Failure::Transport);
        QVERIFY2(result.problem.contains(u"proxy"_s), qPrintable(result.problem));
    }

    void unreachableIsTransport()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QUrl issuer = server.url({});
        server.setMode(ScriptedHttpServer::Mode::Reset);
        const DiscoveryResult result = discover(issuer);
        QCOMPARE(result.failure, DiscoveryResult::Failure::Transport);
    }
};

QTEST_GUILESS_MAIN(tst_ProviderDiscovery)
#include "tst_providerdiscovery.moc"
