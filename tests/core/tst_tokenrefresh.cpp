#include "demo/DemoServer.h"
#include "oauth/TokenCache.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenIntrospection.h"
#include "oauth/TokenLogout.h"
#include "oauth/TokenRevocation.h"
#include "secrets/KnownSecrets.h"
#include "support/ScriptedHttpServer.h"
#include "util/ManualClock.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(IntrospectionResult)
Q_DECLARE_METATYPE(OAuthError)
Q_DECLARE_METATYPE(QList<TokenLogout::Outcome>)

namespace {
TokenResult await(TokenFetch *fetch)
{
    QSignalSpy spy(fetch, &TokenFetch::finished);
    if (!spy.wait(15000))
        return {std::nullopt, OAuthError{OAuthError::Kind::Timeout, {}, 0, {}, {}, {}, u"test gave up"_s, {}}, false};
    return spy.first().first().value<TokenResult>();
}

QByteArray tokenAnswer(const QByteArray &access, const QByteArray &refresh = {})
{
    QByteArray body = "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"a b\"";
    if (!refresh.isEmpty())
        body += ",\"refresh_token\":\"" + refresh + "\"";
    body += '}';
    return ScriptedHttpServer::response(200, "OK", "application/json", body);
}

QByteArray invalidGrant()
{
    return ScriptedHttpServer::response(400, "Bad Request", "application/json",
                                        R"({"error":"invalid_grant","error_description":"refresh token expired"})");
}

QByteArray bodyOf(const QByteArray &request)
{
    return request.mid(request.indexOf("\r\n\r\n") + 4);
}
} // namespace

class TestTokenRefresh : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;

    TokenRequest scripted(const ScriptedHttpServer &server) const
    {
        TokenRequest request;
        request.tokenUrl = server.url(u"/token"_s);
        request.grant = GrantType::Password;
        request.clientId = u"client"_s;
        request.clientSecret = u"TOP-SECRET-VALUE"_s;
        request.username = u"user"_s;
        request.password = u"PASSWORD-VALUE"_s;
        request.scopes = {u"a"_s, u"b"_s};
        request.timeoutMs = 5000;
        return request;
    }

    TokenRequest demoPassword() const
    {
        TokenRequest request;
        request.tokenUrl = m_demo.tokenUrl();
        request.grant = GrantType::Password;
        request.clientAuth = ClientAuthStyle::Basic;
        request.clientId = DemoServer::clientId();
        request.clientSecret = DemoServer::clientSecret();
        request.username = DemoServer::username();
        request.password = DemoServer::password();
        request.scopes = {u"accounts:read"_s, u"trades:read"_s};
        return request;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_demo.start());
    }

    void refreshGrantSendsTheRefreshTokenAndNotTheGrant()
    {
        TokenRequest request;
        request.tokenUrl = QUrl(u"https://as.example/token"_s);
        request.grant = GrantType::Password;
        request.clientAuth = ClientAuthStyle::Body;
        request.clientId = u"client"_s;
        request.clientSecret = u"s3cret-value"_s;
        request.username = u"user"_s;
        request.password = u"pass-word"_s;
        request.scopes = {u"a"_s, u"b"_s};
        request.extraParams = {{u"audience"_s, u"api"_s}};
        request.refreshToken = u"rt-ONE-value"_s;
        request.refreshScopes = {u"b"_s, u"a"_s};
        QVERIFY(request.canRefresh());

        const TokenRequest refresh = request.refreshGrant();
        QVERIFY(!refresh.validate().isError());
        const QByteArray body = refresh.body();
        QCOMPARE(body, "grant_type=refresh_token&refresh_token=rt-ONE-value&client_id=client&client_secret=s3cret-value"_ba);
        // Narrowing: scope is sent; the same scopes: left out (as originally granted).
        request.scopes = {u"a"_s};
        QVERIFY(request.refreshGrant().body().endsWith("&scope=a"));
        // Wider than the refresh token was issued for: the grant itself is needed.
        request.scopes = {u"a"_s, u"c"_s};
        QVERIFY(!request.canRefresh());
        // Issued-for unknown (a kept refresh token): tried, with the scopes asked for.
        request.refreshScopes.clear();
        QVERIFY(request.canRefresh());
        QVERIFY(request.refreshGrant().body().endsWith("&scope=a+c"));

        const QString transcript = refresh.redactedTranscript();
        QVERIFY(transcript.contains(u"refresh_token=••••"_s));
        QVERIFY(!transcript.contains(u"rt-ONE-value"_s));
        QVERIFY(!request.withoutRefresh().canRefresh());
        QVERIFY(!request.withoutRefresh().body().contains("refresh_token"));
    }

    void aDeviceGrantsTokenRefreshesAtTheTokenEndpoint()
    {
        // Renewing what the device grant issued is a refresh like any other (RFC 6749 §6), not a
        // new device authorization request.
        TokenRequest request;
        request.tokenUrl = QUrl(u"https://as.example/token"_s);
        request.deviceAuthorizationUrl = QUrl(u"https://as.example/device_authorization"_s);
        request.grant = GrantType::DeviceCode;
        request.clientAuth = ClientAuthStyle::None;
        request.clientId = u"tv"_s;
        request.refreshToken = u"rt-TV-value"_s;
        QVERIFY(request.isDeviceAuthorizationStep());
        const TokenRequest refresh = request.refreshGrant();
        QVERIFY(!refresh.isDeviceAuthorizationStep());
        QCOMPARE(refresh.endpoint(), request.tokenUrl);
        QCOMPARE(refresh.body(), "grant_type=refresh_token&refresh_token=rt-TV-value&client_id=tv"_ba);
    }

    void rotationReplacesTheRefreshToken()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(tokenAnswer("access-2", "rt-TWO-value"));
        TokenClient client;
        TokenRequest request = scripted(server);
        request.refreshToken = u"rt-ONE-value"_s;
        const TokenResult result = await(client.fetch(request));
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(result.token->value, u"access-2"_s);
        QCOMPARE(result.token->refreshToken, u"rt-TWO-value"_s);
        QVERIFY(result.token->refreshedAt.isValid());
        QVERIFY(!result.refreshRefused);
        QCOMPARE(server.requestCount(), 1);
        const QByteArray sent = bodyOf(server.requests().first());
        QVERIFY(sent.contains("grant_type=refresh_token"));
        QVERIFY(sent.contains("refresh_token=rt-ONE-value"));
        QVERIFY(!sent.contains("password"));
    }

    void anAnswerWithoutRefreshTokenKeepsTheOld()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(tokenAnswer("access-2"));
        TokenClient client;
        TokenRequest request = scripted(server);
        request.refreshToken = u"rt-ONE-value"_s;
        const TokenResult result = await(client.fetch(request));
        QVERIFY(result.ok());
        QCOMPARE(result.token->refreshToken, u"rt-ONE-value"_s);
    }

    void invalidGrantFallsBackToTheGrantOnce()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(invalidGrant());
        server.setResponse(tokenAnswer("access-from-grant", "rt-NEW-value"));
        TokenClient client;
        TokenRequest request = scripted(server);
        request.refreshToken = u"rt-OLD-value"_s;
        const TokenResult result = await(client.fetch(request));
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(result.refreshRefused);
        QCOMPARE(result.token->value, u"access-from-grant"_s);
        QCOMPARE(result.token->refreshToken, u"rt-NEW-value"_s);
        QVERIFY(!result.token->refreshedAt.isValid());
        QCOMPARE(server.requestCount(), 2);
        const QByteArray grant = bodyOf(server.requests().at(1));
        QVERIFY(grant.contains("grant_type=password"));
        QVERIFY(!grant.contains("rt-OLD-value"));
    }

    void aRefusedGrantIsNotRetried()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(invalidGrant());
        TokenClient client;
        TokenRequest request = scripted(server);
        request.refreshToken = u"rt-OLD-value"_s;
        const TokenResult result = await(client.fetch(request));
        QVERIFY(!result.ok());
        QCOMPARE(result.error.code, u"invalid_grant"_s);
        QCOMPARE(server.requestCount(), 2); // the refresh, then the grant: once
    }

    void aServerErrorOnRefreshIsReportedNotFallenBackFrom()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(503, "Service Unavailable", "text/html", "<title>down</title>rt-OLD-value"));
        TokenClient client;
        TokenRequest request = scripted(server);
        request.refreshToken = u"rt-OLD-value"_s;
        const TokenResult result = await(client.fetch(request));
        QVERIFY(!result.ok());
        QCOMPARE(server.requestCount(), 1);
        // The refresh token echoed in an error page never reaches the error text.
        QVERIFY(!result.error.summary().contains(u"rt-OLD-value"_s));
        QVERIFY(!result.error.excerpt.contains(u"rt-OLD-value"_s));
    }

    void theCacheRenewsWithItsRefreshTokenAndTheDemoRotates()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        TokenClient client(&clock);
        TokenCache cache(&client, &clock);
        const TokenRequest request = demoPassword();
        const QString key = TokenCache::keyFor(u"env"_s, request);
        std::optional<AccessToken> cached;
        const TokenResult first = await(cache.obtain(key, request, &cached));
        QVERIFY2(first.ok(), qPrintable(first.error.summary()));
        QVERIFY(!first.token->refreshToken.isEmpty());
        QVERIFY(!first.token->refreshedAt.isValid());

        clock.advance(600); // past its 300 s
        const TokenResult second = await(cache.obtain(key, request, &cached));
        QVERIFY2(second.ok(), qPrintable(second.error.summary()));
        QVERIFY(second.token->refreshedAt.isValid());
        QVERIFY(second.token->refreshToken != first.token->refreshToken); // rotated
        QCOMPARE(second.token->grantedScopes, request.scopes);

        // The rotated-out refresh token is refused by the Demo: the grant runs instead.
        TokenRequest stale = request;
        stale.refreshToken = first.token->refreshToken;
        const TokenResult again = await(client.fetch(stale));
        QVERIFY(again.ok());
        QVERIFY(again.refreshRefused);
    }

    void theDemoIssuesNoRefreshTokenForClientCredentials()
    {
        TokenClient client;
        TokenRequest request = demoPassword();
        request.grant = GrantType::ClientCredentials;
        const TokenResult result = await(client.fetch(request));
        QVERIFY(result.ok());
        QVERIFY(result.token->refreshToken.isEmpty());
    }

    void theDemoRefusesAWiderScopeOnRefresh()
    {
        TokenClient client;
        TokenRequest request = demoPassword();
        request.scopes = {u"accounts:read"_s};
        const TokenResult first = await(client.fetch(request));
        QVERIFY(first.ok());
        TokenRequest wider = request;
        wider.refreshToken = first.token->refreshToken;
        wider.scopes = {u"accounts:read"_s, u"trades:execute"_s};
        const TokenResult refused = await(client.fetch(wider.refreshGrant()));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error.code, u"invalid_scope"_s);
    }

    void logoutRevokesRefreshThenAccessAndIntrospectionSaysInactive()
    {
        TokenClient client;
        const TokenRequest request = demoPassword();
        const TokenResult got = await(client.fetch(request));
        QVERIFY(got.ok());

        TokenIntrospection before;
        QSignalSpy introspected(&before, &TokenIntrospection::finished);
        before.start(request, m_demo.introspectionUrl(), got.token->value);
        QVERIFY(introspected.wait());
        const auto active = introspected.first().first().value<IntrospectionResult>();
        QVERIFY2(active.ok(), qPrintable(active.error.summary()));
        QVERIFY(active.active);
        QCOMPARE(active.scope(), u"accounts:read trades:read"_s);
        QCOMPARE(active.clientId(), DemoServer::clientId());
        QCOMPARE(active.subject(), DemoServer::username());
        QVERIFY(active.expiresAt().has_value());

        TokenLogout logout;
        QSignalSpy done(&logout, &TokenLogout::finished);
        logout.start(request, m_demo.revocationUrl(), got.token->refreshToken, got.token->value);
        QVERIFY(done.wait());
        const auto outcomes = done.first().first().value<QList<TokenLogout::Outcome>>();
        QCOMPARE(outcomes.size(), 2);
        QCOMPARE(outcomes.at(0).hint, TokenRevocation::Hint::RefreshToken);
        QCOMPARE(outcomes.at(1).hint, TokenRevocation::Hint::AccessToken);
        QVERIFY(TokenLogout::succeeded(outcomes));

        for (const QString &token : {got.token->value, got.token->refreshToken}) {
            TokenIntrospection after;
            QSignalSpy answered(&after, &TokenIntrospection::finished);
            after.start(request, m_demo.introspectionUrl(), token);
            QVERIFY(answered.wait());
            const auto inactive = answered.first().first().value<IntrospectionResult>();
            QVERIFY(inactive.ok());
            QVERIFY(!inactive.active);
        }
        // The revoked refresh token renews nothing.
        TokenRequest renew = request;
        renew.refreshToken = got.token->refreshToken;
        const TokenResult refused = await(client.fetch(renew.refreshGrant()));
        QCOMPARE(refused.error.code, u"invalid_grant"_s);
    }

    void revocationSendsTheHintWithClientAuthentication()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", {}));
        TokenRevocation revocation;
        QSignalSpy done(&revocation, &TokenRevocation::finished);
        revocation.start(scripted(server), server.url(u"/revoke"_s), u"rt-ONE-value"_s, TokenRevocation::Hint::RefreshToken);
        QVERIFY(done.wait());
        QVERIFY(!done.first().first().value<OAuthError>().isError());
        const QByteArray sent = server.requests().first();
        QVERIFY(sent.startsWith("POST /revoke "));
        QVERIFY(sent.contains("Authorization: Basic "));
        QCOMPARE(bodyOf(sent), "token=rt-ONE-value&token_type_hint=refresh_token"_ba);
    }

    void aFailedRevocationIsReportedWithoutTheToken()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(400, "Bad Request", "application/json",
                                                        R"({"error":"unsupported_token_type","error_description":"no rt-ONE-value here"})"));
        TokenLogout logout;
        QSignalSpy done(&logout, &TokenLogout::finished);
        logout.start(scripted(server), server.url(u"/revoke"_s), u"rt-ONE-value"_s, u"access-ONE-value"_s);
        QVERIFY(done.wait());
        const auto outcomes = done.first().first().value<QList<TokenLogout::Outcome>>();
        QCOMPARE(outcomes.size(), 2); // the access token is still tried
        QVERIFY(!TokenLogout::succeeded(outcomes));
        const QString text = TokenLogout::describe(outcomes);
        QVERIFY(text.contains(u"unsupported_token_type"_s));
        QVERIFY(!text.contains(u"rt-ONE-value"_s));
    }

    void introspectionRefusesWhatIsNoIntrospectionAnswer_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<int>("kind");
        QTest::newRow("no active") << ScriptedHttpServer::response(200, "OK", "application/json", R"({"scope":"a"})")
                                   << int(OAuthError::Kind::InvalidResponse);
        QTest::newRow("html") << ScriptedHttpServer::response(200, "OK", "text/html", "<html>login</html>") << int(OAuthError::Kind::InvalidResponse);
        QTest::newRow("over 1 MB") << ScriptedHttpServer::response(200, "OK", "application/json", QByteArray(2 * 1024 * 1024, ' '))
                                   << int(OAuthError::Kind::TooLarge);
        QTest::newRow("401") << ScriptedHttpServer::response(401, "Unauthorized", "application/json", R"({"error":"invalid_client"})")
                             << int(OAuthError::Kind::Protocol);
    }

    void introspectionRefusesWhatIsNoIntrospectionAnswer()
    {
        QFETCH(QByteArray, response);
        QFETCH(int, kind);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(response);
        TokenIntrospection introspection;
        QSignalSpy done(&introspection, &TokenIntrospection::finished);
        introspection.start(scripted(server), server.url(u"/introspect"_s), u"opaque-value"_s);
        QVERIFY(done.wait());
        const auto result = done.first().first().value<IntrospectionResult>();
        QCOMPARE(int(result.error.kind), kind);
    }

    void refreshTokensAreKnownSecrets()
    {
        TokenRequest request;
        request.refreshToken = u"rt-ONE-value"_s;
        KnownSecrets known;
        known.addTokenRequest(request);
        QCOMPARE(known.mask(u"echo rt-ONE-value"_s), u"echo ••••"_s);
    }
};

QTEST_GUILESS_MAIN(TestTokenRefresh)
#include "tst_tokenrefresh.moc"
