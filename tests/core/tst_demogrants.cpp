#include "demo/DemoDeviceEndpoint.h"
#include "demo/DemoServer.h"
#include "jwt/JwksKeySet.h"
#include "jwt/JwsSignatureCheck.h"
#include "jwt/SignatureCheckRunner.h"
#include "oauth/ProviderDiscovery.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenRequest.h"
#include "oauth/TokenResponseParser.h"
#include "support/LoopbackBrowser.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(GrantType)
Q_DECLARE_METATYPE(ClientAuthStyle)

// The built-in Demo as a new user meets it: the environment "Demo" resolved to the running
// server for every grant (its endpoints never stored), each grant run to a token through the
// core's TokenClient (the authorization code approved on the Demo's page as a browser would,
// the device code on its /device page), refresh; its tokens ES256 with the key its JWKS
// publishes (what the inspector checks), a tampered one refused by both; its discovery document.
class TestDemoGrants : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;
    QNetworkAccessManager m_browser;

    struct Reply
    {
        int status = 0;
        QByteArray body;
        QByteArray location;
    };

    Reply send(QNetworkRequest request, const QByteArray &verb, const QByteArray &body = {})
    {
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_browser.sendCustomRequest(request, verb, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(10000);
        Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), reply->rawHeader("Location")};
        reply->deleteLater();
        return result;
    }

    // What a person does in the browser with the Demo's authorization page: loads it, approves,
    // and the browser follows the redirect to the app's loopback callback.
    bool approveInBrowser(const QUrl &authorizationUrl)
    {
        const Reply page = send(QNetworkRequest(authorizationUrl), "GET");
        if (page.status != 200 || !page.body.contains("Approve"))
            return false;
        QUrl form = authorizationUrl;
        form.setQuery(QString());
        QNetworkRequest post(form);
        post.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
        const Reply decided = send(post, "POST", authorizationUrl.query(QUrl::FullyEncoded).toUtf8() + "&decision=approve");
        if (decided.status != 302)
            return false;
        return LoopbackBrowser::get(QUrl::fromEncoded(decided.location)).contains("You can close");
    }

    // The Demo environment with this grant and client authentication, as the app runs it.
    TokenRequest demoRequest(GrantType grant, ClientAuthStyle clientAuth, Environment *resolvedOut = nullptr) const
    {
        Environment demo = Workspace::demoEnvironment();
        demo.grant = grant;
        demo.clientAuth = clientAuth;
        const BuiltinEnvironmentResolver *resolver = m_demo.environmentResolver();
        const Environment resolved = resolver->resolved(demo);
        TokenRequest request = TokenRequest::fromEnvironment(resolved);
        const BuiltinEnvironmentResolver::Credentials credentials = resolver->credentials(resolved);
        request.clientSecret = credentials.clientSecret;
        request.password = credentials.password;
        if (resolvedOut)
            *resolvedOut = resolved;
        return request;
    }

    TokenResult run(const TokenRequest &request)
    {
        TokenClient client;
        TokenResult result;
        bool finished = false;
        TokenFetch *fetch = client.fetch(request);
        connect(fetch, &TokenFetch::interactionRequired, this, [this](const GrantInteraction &interaction) {
            if (interaction.kind == GrantInteraction::Kind::OpenBrowser)
                QVERIFY(approveInBrowser(interaction.url));
            else
                QVERIFY(m_demo.deviceEndpoint()->approve(interaction.userCode));
        });
        connect(fetch, &TokenFetch::finished, this, [&](const TokenResult &r) {
            result = r;
            finished = true;
        });
        if (!QTest::qWaitFor([&] { return finished; }, 20000))
            result.error.detail = u"no answer in 20 s"_s;
        return result;
    }

    SignatureCheck checkWithJwks(const QString &token, const QUrl &jwksUrl)
    {
        SignatureCheckRunner runner;
        QSignalSpy finished(&runner, &SignatureCheckRunner::finished);
        runner.start(token, jwksUrl, {});
        if (!finished.wait(10000))
            return {};
        return finished.constFirst().constFirst().value<SignatureCheck>();
    }

    int callApi(const QString &token)
    {
        QNetworkRequest request(QUrl(m_demo.apiUrl().toString() + u"/accounts"_s));
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        return send(request, "GET").status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        m_demo.deviceEndpoint()->setIntervalSeconds(1);
    }

    void theDemoResolvesToTheRunningServer()
    {
        Environment resolved;
        demoRequest(GrantType::AuthorizationCode, ClientAuthStyle::Basic, &resolved);
        QCOMPARE(resolved.tokenUrl, m_demo.tokenUrl());
        QCOMPARE(resolved.apiBaseUrl, m_demo.apiUrl());
        QCOMPARE(resolved.provider.issuer, m_demo.issuer());
        QCOMPARE(resolved.provider.authorizationUrl, m_demo.authorizationUrl());
        QCOMPARE(resolved.provider.deviceAuthorizationUrl, m_demo.deviceAuthorizationUrl());
        QCOMPARE(resolved.provider.revocationUrl, m_demo.revocationUrl());
        QCOMPARE(resolved.provider.introspectionUrl, m_demo.introspectionUrl());
        QCOMPARE(resolved.provider.jwksUrl, m_demo.jwksUrl());
        QCOMPARE(resolved.clientId, DemoServer::clientId());
        // Another start, another port: what the workspace holds names none of it.
        const QJsonObject stored = Workspace::demoEnvironment().toJson();
        const QByteArray json = QJsonDocument(stored).toJson();
        QVERIFY2(!json.contains("127.0.0.1") && !json.contains("http"), json.constData());
        // Client authentication "none" is the Demo's public client, with no secret.
        Environment publicClient;
        const TokenRequest request = demoRequest(GrantType::DeviceCode, ClientAuthStyle::None, &publicClient);
        QCOMPARE(publicClient.clientId, DemoServer::publicClientId());
        QVERIFY(request.clientSecret.isEmpty());
        // Not running: nothing is made up.
        DemoServer stopped;
        QVERIFY(!stopped.environmentResolver()->unavailableReason().isEmpty());
        QVERIFY(stopped.environmentResolver()->resolved(Workspace::demoEnvironment()).tokenUrl.isEmpty());
    }

    void everyGrantGetsAVerifiedToken_data()
    {
        QTest::addColumn<GrantType>("grant");
        QTest::addColumn<ClientAuthStyle>("clientAuth");
        QTest::addColumn<bool>("refreshToken");
        QTest::newRow("client_credentials") << GrantType::ClientCredentials << ClientAuthStyle::Basic << false;
        QTest::newRow("password") << GrantType::Password << ClientAuthStyle::Basic << true;
        QTest::newRow("authorization_code") << GrantType::AuthorizationCode << ClientAuthStyle::Basic << true;
        QTest::newRow("authorization_code, public client") << GrantType::AuthorizationCode << ClientAuthStyle::None << true;
        QTest::newRow("device_code") << GrantType::DeviceCode << ClientAuthStyle::Body << true;
        QTest::newRow("device_code, public client") << GrantType::DeviceCode << ClientAuthStyle::None << true;
    }

    void everyGrantGetsAVerifiedToken()
    {
        QFETCH(GrantType, grant);
        QFETCH(ClientAuthStyle, clientAuth);
        QFETCH(bool, refreshToken);
        Environment resolved;
        TokenRequest request = demoRequest(grant, clientAuth, &resolved);
        const TokenResult result = run(request);
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + u' ' + result.error.detail));
        QCOMPARE(callApi(result.token->value), 200);
        const SignatureCheck check = checkWithJwks(result.token->value, resolved.provider.jwksUrl);
        QVERIFY2(check.isVerified(), qPrintable(check.summary()));
        QCOMPARE(check.keyId, m_demo.signingKey().keyId());
        QCOMPARE(check.summary(), u"signature verified with key kid=%1 (ES256)"_s.arg(m_demo.signingKey().keyId()));
        QCOMPARE(result.token->refreshToken.isEmpty(), !refreshToken);
        if (!refreshToken)
            return;
        // Renewed with the refresh token (rotated), no person needed; the new one works too.
        request.refreshToken = result.token->refreshToken;
        const TokenResult renewed = run(request); // a held refresh token is used before the grant runs again
        QVERIFY2(renewed.ok(), qPrintable(renewed.error.summary()));
        QVERIFY(!renewed.refreshRefused);
        QVERIFY(renewed.token->refreshToken != result.token->refreshToken);
        QCOMPARE(callApi(renewed.token->value), 200);
    }

    void thePublicClientHasOnlyTheGrantsWithAPerson()
    {
        for (const GrantType grant : {GrantType::ClientCredentials, GrantType::Password}) {
            const TokenResult result = run(demoRequest(grant, ClientAuthStyle::None));
            QVERIFY(!result.ok());
            QCOMPARE(result.error.code, u"unauthorized_client"_s);
        }
    }

    void aTamperedTokenIsRefusedByTheApiAndTheCheck()
    {
        Environment resolved;
        const TokenResult result = run(demoRequest(GrantType::ClientCredentials, ClientAuthStyle::Basic, &resolved));
        QVERIFY(result.ok());
        const QStringList parts = result.token->value.split(u'.');
        QCOMPARE(parts.size(), 3);
        QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding)).object();
        claims.insert(u"scope"_s, u"accounts:read trades:read trades:execute customers:write"_s);
        const QString widened = parts.at(0) + u'.'
                                + QString::fromLatin1(QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(
                                    QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
                                + u'.' + parts.at(2);
        QCOMPARE(callApi(widened), 401);
        const SignatureCheck check = checkWithJwks(widened, resolved.provider.jwksUrl);
        QCOMPARE(check.status, SignatureCheck::Status::Invalid);

        // The algorithm-confusion forgery: HS256 keyed with the public key's bytes.
        const QByteArray header = QJsonDocument(QJsonObject{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"at+jwt"_s}, {u"kid"_s, m_demo.signingKey().keyId()}})
                                      .toJson(QJsonDocument::Compact);
        const QByteArray input = header.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + '.' + parts.at(1).toLatin1();
        const QByteArray publicKey = QJsonDocument(m_demo.signingKey().publicJwk()).toJson(QJsonDocument::Compact);
        const QString hmac = QString::fromLatin1(input + '.'
                                                 + QMessageAuthenticationCode::hash(input, publicKey, QCryptographicHash::Sha256)
                                                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QCOMPARE(callApi(hmac), 401);
        QCOMPARE(checkWithJwks(hmac, resolved.provider.jwksUrl).status, SignatureCheck::Status::Refused);

        // Another Demo's token: signed by a key this JWKS does not have.
        DemoServer other;
        QVERIFY(other.start());
        QVERIFY(other.signingKey().keyId() != m_demo.signingKey().keyId());
        const QByteArray foreign = other.signingKey().sign(claims, u"at+jwt"_s);
        QCOMPARE(callApi(QString::fromLatin1(foreign)), 401);
        QCOMPARE(checkWithJwks(QString::fromLatin1(foreign), resolved.provider.jwksUrl).status, SignatureCheck::Status::NoKey);
    }

    void theJwksIsTheSigningKeysPublicHalf()
    {
        const Reply jwks = send(QNetworkRequest(m_demo.jwksUrl()), "GET");
        QCOMPARE(jwks.status, 200);
        QString error;
        const JwksKeySet keys = JwksKeySet::parse(jwks.body, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(keys.keys().size(), 1);
        const JwksKeySet::Key key = keys.keys().constFirst();
        QCOMPARE(key.kid, m_demo.signingKey().keyId());
        QCOMPARE(key.kty, u"EC"_s);
        QCOMPARE(key.crv, u"P-256"_s);
        QCOMPARE(key.alg, u"ES256"_s);
        QVERIFY(key.key);
        QVERIFY(!jwks.body.contains("\"d\"")); // never the private part
        const QByteArray signedHere = m_demo.signingKey().sign({{u"sub"_s, u"x"_s}}, u"JWT"_s);
        QVERIFY(JwsSignatureCheck::verify(QString::fromLatin1(signedHere), keys).isVerified());
    }

    void discoveryFindsEveryEndpoint()
    {
        ProviderDiscovery discovery;
        QSignalSpy finished(&discovery, &ProviderDiscovery::finished);
        discovery.start(m_demo.issuer(), {});
        QVERIFY(finished.wait(10000));
        const DiscoveryResult result = finished.constFirst().constFirst().value<DiscoveryResult>();
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(result.documentUrl.path(), u"/.well-known/openid-configuration"_s);
        Environment env;
        env.name = u"From the issuer"_s;
        result.metadata->applyTo(&env, {});
        QCOMPARE(env.tokenUrl, m_demo.tokenUrl());
        QCOMPARE(env.provider.issuer, m_demo.issuer());
        QCOMPARE(env.provider.authorizationUrl, m_demo.authorizationUrl());
        QCOMPARE(env.provider.deviceAuthorizationUrl, m_demo.deviceAuthorizationUrl());
        QCOMPARE(env.provider.revocationUrl, m_demo.revocationUrl());
        QCOMPARE(env.provider.introspectionUrl, m_demo.introspectionUrl());
        QCOMPARE(env.provider.jwksUrl, m_demo.jwksUrl());
        for (const QString &grant : {u"client_credentials"_s, u"password"_s, u"authorization_code"_s,
                                     u"urn:ietf:params:oauth:grant-type:device_code"_s, u"refresh_token"_s})
            QVERIFY2(env.provider.grantsSupported.contains(grant), qPrintable(grant));
        QVERIFY(env.provider.clientAuthMethodsSupported.contains(u"none"_s));
        QVERIFY(env.scopeCatalog.size() >= 5);
        // RFC 8414's own address serves the same document.
        const Reply rfc8414 = send(QNetworkRequest(m_demo.baseUrl().resolved(QUrl(u"/.well-known/oauth-authorization-server"_s))), "GET");
        QCOMPARE(rfc8414.status, 200);
        QCOMPARE(QJsonDocument::fromJson(rfc8414.body).object().value(u"issuer"_s).toString(), m_demo.issuer().toString());
        QCOMPARE(send(QNetworkRequest(m_demo.jwksUrl()), "POST").status, 405);
    }
};

QTEST_GUILESS_MAIN(TestDemoGrants)
#include "tst_demogrants.moc"
