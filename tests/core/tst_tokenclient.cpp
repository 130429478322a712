#include "demo/DemoServer.h"
#include "oauth/TokenCache.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/ScriptedHttpServer.h"
#include "util/ManualClock.h"

#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
TokenResult await(TokenFetch *fetch)
{
    QSignalSpy spy(fetch, &TokenFetch::finished);
    if (!spy.wait(15000))
        return {std::nullopt, OAuthError{OAuthError::Kind::Timeout, {}, 0, {}, {}, {}, u"test gave up"_s, {}}};
    return spy.first().first().value<TokenResult>();
}
} // namespace

Q_DECLARE_METATYPE(TokenResult)

class TestTokenClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    DemoServer m_demo;

    TokenRequest demoRequest(ClientAuthStyle style) const
    {
        TokenRequest request;
        request.tokenUrl = m_demo.tokenUrl();
        request.clientAuth = style;
        request.clientId = DemoServer::clientId();
        request.clientSecret = DemoServer::clientSecret();
        request.scopes = {u"accounts:read"_s, u"trades:read"_s};
        return request;
    }

    TokenRequest scriptedRequest(const ScriptedHttpServer &server, const QString &path = u"/token"_s) const
    {
        TokenRequest request;
        request.tokenUrl = server.url(path);
        request.clientId = u"client"_s;
        request.clientSecret = u"TOP-SECRET-VALUE"_s;
        request.timeoutMs = 5000;
        return request;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void demoGrantsWithEveryClientAuthStyle_data()
    {
        QTest::addColumn<int>("style");
        QTest::newRow("basic") << int(ClientAuthStyle::Basic);
        QTest::newRow("body") << int(ClientAuthStyle::Body);
        QTest::newRow("json") << int(ClientAuthStyle::Json);
    }

    void demoGrantsWithEveryClientAuthStyle()
    {
        QFETCH(int, style);
        TokenClient client(&m_network);
        const TokenResult result = await(client.fetch(demoRequest(ClientAuthStyle(style))));
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(result.token->isBearer());
        QCOMPARE(result.token->grantedScopes, (QStringList{u"accounts:read"_s, u"trades:read"_s}));
        QCOMPARE(result.token->scopeSource, AccessToken::ScopeSource::Response);
        QCOMPARE(result.token->expirySource, AccessToken::ExpirySource::ExpiresIn);
        QVERIFY(qAbs(result.token->lifetimeSeconds() - m_demo.tokenLifetime()) <= 1);
        QVERIFY(result.token->jwt().isJwt());
        QCOMPARE(result.token->jwt().claims().value(u"client_id"_s).toString(), DemoServer::clientId());
    }

    void reservedCharactersSurviveEveryStyle_data() { demoGrantsWithEveryClientAuthStyle_data(); }

    void reservedCharactersSurviveEveryStyle()
    {
        QFETCH(int, style);
        TokenClient client(&m_network);
        TokenRequest request = demoRequest(ClientAuthStyle(style));
        request.clientId = DemoServer::specialClientId();
        request.clientSecret = DemoServer::specialClientSecret();
        const TokenResult result = await(client.fetch(request));
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(result.token->jwt().claims().value(u"client_id"_s).toString(), DemoServer::specialClientId());
    }

    void demoPasswordGrant()
    {
        TokenClient client(&m_network);
        TokenRequest request = demoRequest(ClientAuthStyle::Body);
        request.grant = GrantType::Password;
        request.username = DemoServer::username();
        request.password = DemoServer::password();
        TokenResult result = await(client.fetch(request));
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(result.token->jwt().claims().value(u"sub"_s).toString(), DemoServer::username());

        request.password = u"wrong"_s;
        result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_grant"_s);
    }

    void demoRefusesAWrongSecret()
    {
        TokenClient client(&m_network);
        TokenRequest request = demoRequest(ClientAuthStyle::Basic);
        request.clientSecret = u"not-the-secret"_s;
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_client"_s);
        QCOMPARE(result.error.httpStatus, 401);
        QVERIFY(!result.error.hint().isEmpty());
    }

    void demoRefusesAnUnknownScope()
    {
        TokenClient client(&m_network);
        TokenRequest request = demoRequest(ClientAuthStyle::Body);
        request.scopes = {u"accounts:read"_s, u"bank:destroy"_s};
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_scope"_s);
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY(!result.error.description.isEmpty());
    }

    void htmlErrorPageIsReportedWithAnExcerpt()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(
            502, "Bad Gateway", "text/html",
            "<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>"));
        TokenClient client(&m_network);
        const TokenResult result = await(client.fetch(scriptedRequest(server)));
        QCOMPARE(result.error.kind, OAuthError::Kind::Http);
        QCOMPARE(result.error.httpStatus, 502);
        QVERIFY2(result.error.excerpt.startsWith(u"502 Bad Gateway"_s), qPrintable(result.error.excerpt));
        QVERIFY(!result.error.excerpt.contains(u'<'));
        QVERIFY(result.error.summary().contains(u"502"_s));
    }

    void successWithoutTokenIsAnInvalidResponse()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "text/html", "<html><title>Sign in</title></html>"));
        TokenClient client(&m_network);
        const TokenResult result = await(client.fetch(scriptedRequest(server)));
        QCOMPARE(result.error.kind, OAuthError::Kind::InvalidResponse);
        QVERIFY(result.error.excerpt.contains(u"Sign in"_s));
    }

    void redirectIsNotFollowedAndTheSecretStaysPut()
    {
        ScriptedHttpServer elsewhere;
        QVERIFY(elsewhere.listen());
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        for (const QByteArray &status : {QByteArray("302 Found"), QByteArray("307 Temporary Redirect"), QByteArray("308 Permanent Redirect")}) {
            server.setResponse("HTTP/1.1 " + status + "\r\nLocation: " + elsewhere.url(u"/steal"_s).toEncoded()
                               + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            TokenClient client(&m_network);
            TokenRequest request = scriptedRequest(server);
            request.clientAuth = ClientAuthStyle::Body;
            const TokenResult result = await(client.fetch(request));
            QCOMPARE(result.error.kind, OAuthError::Kind::Redirect);
            QVERIFY(result.error.detail.contains(u"/steal"_s));
        }
        QTest::qWait(100);
        QCOMPARE(elsewhere.requestCount(), 0);
        QVERIFY(!elsewhere.received().contains("TOP-SECRET-VALUE"));
        QVERIFY(server.received().contains("TOP-SECRET-VALUE")); // it did go where it was meant to
    }

    void stallEndsInATimeout()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setMode(ScriptedHttpServer::Mode::Stall);
        TokenClient client(&m_network);
        TokenRequest request = scriptedRequest(server);
        request.timeoutMs = 300;
        QElapsedTimer timer;
        timer.start();
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Timeout);
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY(!result.error.hint().isEmpty());
    }

    void resetAndRefusedAreNetworkErrors()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setMode(ScriptedHttpServer::Mode::Reset);
        TokenClient client(&m_network);
        TokenResult result = await(client.fetch(scriptedRequest(server)));
        QCOMPARE(result.error.kind, OAuthError::Kind::Network);
        QVERIFY(!result.error.detail.isEmpty());

        // A port that was free a moment ago: nothing listens there now.
        TokenRequest refused = scriptedRequest(server);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        refused.tokenUrl.setPort(probe.serverPort());
        probe.close();
        result = await(client.fetch(refused));
        QCOMPARE(result.error.kind, OAuthError::Kind::Network);
        QVERIFY(result.error.summary().contains(u"network error"_s));
    }

    void tlsHandshakeFailureIsATlsError()
    {
        // A plain-http server answering https: the handshake cannot succeed.
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"access_token":"x"})"));
        TokenClient client(&m_network);
        TokenRequest request = scriptedRequest(server);
        request.tokenUrl = server.url(u"/token"_s, u"https"_s);
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Tls);
    }

    void selfSignedCertificateIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString key = dir.filePath(u"key.pem"_s);
        const QString cert = dir.filePath(u"cert.pem"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, key, u"-out"_s, cert,
                                     u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
            QSKIP("openssl could not make a test certificate");
        QFile keyFile(key), certFile(cert);
        QVERIFY(keyFile.open(QIODevice::ReadOnly) && certFile.open(QIODevice::ReadOnly));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        config.setLocalCertificate(QSslCertificate(certFile.readAll()));
        auto *ssl = new QSslServer;
        ssl->setSslConfiguration(config);
        ScriptedHttpServer server(ssl);
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"access_token":"x","token_type":"Bearer"})"));

        TokenClient client(&m_network);
        TokenRequest request = scriptedRequest(server);
        request.tokenUrl = server.url(u"/token"_s, u"https"_s);
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::Tls);
        QVERIFY2(result.error.detail.contains(u"self signed"_s, Qt::CaseInsensitive)
                     || result.error.detail.contains(u"self-signed"_s, Qt::CaseInsensitive),
                 qPrintable(result.error.detail));
        QCOMPARE(server.requestCount(), 0); // nothing, the secret least of all, crossed
        QVERIFY(!server.received().contains("TOP-SECRET-VALUE"));
    }

    void cancelReportsCancelled()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setMode(ScriptedHttpServer::Mode::Stall);
        TokenClient client(&m_network);
        TokenFetch *fetch = client.fetch(scriptedRequest(server));
        QSignalSpy spy(fetch, &TokenFetch::finished);
        QTimer::singleShot(50, fetch, &TokenFetch::cancel);
        QVERIFY(spy.wait(5000));
        QCOMPARE(spy.first().first().value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        QCOMPARE(spy.count(), 1);
    }

    void invalidConfigurationFailsWithoutTouchingTheNetwork()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        TokenClient client(&m_network);
        TokenRequest request = scriptedRequest(server);
        request.tokenUrl = QUrl(u"http://tokens.example.invalid/token"_s);
        const TokenResult result = await(client.fetch(request));
        QCOMPARE(result.error.kind, OAuthError::Kind::InsecureUrl);
    }

    void cacheCoalescesAndRenews()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        TokenClient client(&m_network, &clock);
        TokenCache cache(&client, &clock);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"opaque-1","token_type":"bearer","expires_in":"300","scope":"a b"})"));
        TokenRequest request = scriptedRequest(server);
        request.scopes = {u"b"_s, u"a"_s};
        const QString key = TokenCache::keyFor(u"env-1"_s, request);

        // 50 callers at once share one request.
        QList<TokenFetch *> fetches;
        for (int i = 0; i < 50; ++i) {
            std::optional<AccessToken> cached;
            TokenFetch *fetch = cache.obtain(key, request, &cached);
            QVERIFY(fetch);
            QVERIFY(!cached);
            fetches.append(fetch);
        }
        QVERIFY(std::all_of(fetches.cbegin(), fetches.cend(), [&](TokenFetch *f) { return f == fetches.first(); }));
        QVERIFY(await(fetches.first()).ok());
        QCOMPARE(server.requestCount(), 1);

        std::optional<AccessToken> cached;
        QCOMPARE(cache.obtain(key, request, &cached), nullptr);
        QVERIFY(cached);
        QCOMPARE(cached->value, u"opaque-1"_s);

        // Inside the renewal margin (30 s before expiry) the cache fetches anew.
        clock.advance(275);
        TokenFetch *renewal = cache.obtain(key, request, &cached);
        QVERIFY(renewal);
        QVERIFY(await(renewal).ok());
        QCOMPARE(server.requestCount(), 2);

        // Another scope set or another secret is another token.
        TokenRequest other = request;
        other.scopes = {u"a"_s};
        QVERIFY(TokenCache::keyFor(u"env-1"_s, other) != key);
        other = request;
        other.clientSecret = u"rotated"_s;
        QVERIFY(TokenCache::keyFor(u"env-1"_s, other) != key);
        QVERIFY(!TokenCache::keyFor(u"env-1"_s, other).contains(u"rotated"_s));
        cache.invalidateEnvironment(u"env-1"_s);
        QVERIFY(!cache.any(key));
    }
};

QTEST_GUILESS_MAIN(TestTokenClient)
#include "tst_tokenclient.moc"
