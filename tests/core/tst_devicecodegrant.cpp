#include "oauth/DeviceCodeGrant.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/ScriptedHttpServer.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(GrantInteraction)

namespace {
const QString deviceCode = u"DEVICE-CODE-SECRET-7f3a9c"_s;
const QString clientSecret = u"CLIENT-SECRET-VALUE"_s;

QByteArray json(int status, const QJsonObject &object)
{
    return ScriptedHttpServer::response(status, status == 200 ? "OK" : "Bad Request", "application/json",
                                        QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QByteArray authorization(const ScriptedHttpServer &server, double interval, double expiresIn = 600)
{
    return json(200, {{u"device_code"_s, deviceCode},
                      {u"user_code"_s, u"BCDF-GHJK"_s},
                      {u"verification_uri"_s, server.url(u"/device"_s).toString()},
                      {u"verification_uri_complete"_s, server.url(u"/device"_s).toString() + u"?user_code=BCDF-GHJK"_s},
                      {u"expires_in"_s, expiresIn},
                      {u"interval"_s, interval}});
}

QByteArray oauthError(const QString &code)
{
    return json(400, {{u"error"_s, code}, {u"error_description"_s, u"said by the script"_s}});
}

QByteArray token()
{
    return json(200, {{u"access_token"_s, u"device-access-token-1"_s}, {u"token_type"_s, u"Bearer"_s}, {u"expires_in"_s, 300},
                      {u"scope"_s, u"accounts:read"_s}});
}

TokenRequest request(const ScriptedHttpServer &server)
{
    TokenRequest request;
    request.grant = GrantType::DeviceCode;
    request.tokenUrl = server.url(u"/token"_s);
    request.deviceAuthorizationUrl = server.url(u"/device/auth"_s);
    request.clientId = u"device-client"_s;
    request.clientAuth = ClientAuthStyle::Body;
    request.clientSecret = clientSecret;
    request.scopes = {u"accounts:read"_s};
    request.timeoutMs = 5000;
    return request;
}

TokenResult await(TokenFetch *fetch, int ms = 15000)
{
    QSignalSpy spy(fetch, &TokenFetch::finished);
    if (!spy.wait(ms))
        return {std::nullopt, OAuthError{OAuthError::Kind::Timeout, {}, 0, {}, {}, {}, u"test gave up"_s, {}}};
    return spy.first().first().value<TokenResult>();
}

QByteArray bodyOf(const QByteArray &request)
{
    return request.mid(request.indexOf("\r\n\r\n") + 4);
}

QUrlQuery form(const QByteArray &request)
{
    QByteArray body = bodyOf(request);
    body.replace('+', ' ');
    return QUrlQuery(QString::fromUtf8(body));
}
} // namespace

class TestDeviceCodeGrant : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        qRegisterMetaType<GrantInteraction>();
    }

    void pendingTwiceThenToken()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.05));
        server.queueResponse(oauthError(u"authorization_pending"_s));
        server.queueResponse(oauthError(u"authorization_pending"_s));
        server.queueResponse(token());
        server.setResponse(oauthError(u"invalid_grant"_s));

        TokenClient client;
        TokenFetch *fetch = client.fetch(request(server));
        QSignalSpy asked(fetch, &TokenFetch::interactionRequired);
        const TokenResult result = await(fetch);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(result.token->value, u"device-access-token-1"_s);
        QCOMPARE(server.requestCount(), 4);

        QCOMPARE(asked.size(), 1);
        const auto interaction = asked.first().first().value<GrantInteraction>();
        QCOMPARE(interaction.kind, GrantInteraction::Kind::EnterCode);
        QCOMPARE(interaction.userCode, u"BCDF-GHJK"_s);
        QCOMPARE(interaction.url, server.url(u"/device"_s));
        QCOMPARE(interaction.completeUrl.query(), u"user_code=BCDF-GHJK"_s);
        QVERIFY(interaction.expiresAt > QDateTime::currentDateTimeUtc().addSecs(590));

        const QList<QByteArray> sent = server.requests();
        QVERIFY(sent.at(0).startsWith("POST /device/auth "));
        QCOMPARE(form(sent.at(0)).queryItemValue(u"client_id"_s), u"device-client"_s);
        QCOMPARE(form(sent.at(0)).queryItemValue(u"scope"_s, QUrl::FullyDecoded), u"accounts:read"_s);
        QVERIFY(!form(sent.at(0)).hasQueryItem(u"grant_type"_s));
        for (int i = 1; i < 4; ++i) {
            QVERIFY(sent.at(i).startsWith("POST /token "));
            QCOMPARE(form(sent.at(i)).queryItemValue(u"grant_type"_s, QUrl::FullyDecoded), u"urn:ietf:params:oauth:grant-type:device_code"_s);
            QCOMPARE(form(sent.at(i)).queryItemValue(u"device_code"_s, QUrl::FullyDecoded), deviceCode);
            QCOMPARE(form(sent.at(i)).queryItemValue(u"client_secret"_s, QUrl::FullyDecoded), clientSecret);
        }
    }

    void slowDownAddsFiveSeconds()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.05));
        server.queueResponse(oauthError(u"slow_down"_s));
        server.queueResponse(token());

        TokenClient client;
        TokenFetch *fetch = client.fetch(request(server));
        QSignalSpy asked(fetch, &TokenFetch::interactionRequired);
        QVERIFY(asked.wait(5000));
        auto *grant = fetch->findChild<DeviceCodeGrant *>();
        QVERIFY(grant);
        QCOMPARE(grant->intervalMs(), 50);
        QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 2, 5000);
        QElapsedTimer sinceSlowDown;
        sinceSlowDown.start();
        QTRY_COMPARE_WITH_TIMEOUT(grant->intervalMs(), 50 + DeviceCodeGrant::slowDownStepMs, 2000);
        // Nothing more for the new interval: 5 s.
        QTest::qWait(4500);
        QCOMPARE(server.requestCount(), 2);
        const TokenResult result = await(fetch, 5000);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(sinceSlowDown.elapsed() >= 4900);
        QCOMPARE(server.requestCount(), 3);
    }

    void deniedExpiredAndOtherErrorsEndTheGrant_data()
    {
        QTest::addColumn<QString>("code");
        QTest::newRow("denied") << u"access_denied"_s;
        QTest::newRow("expired") << u"expired_token"_s;
        QTest::newRow("invalid_client") << u"invalid_client"_s;
    }

    void deniedExpiredAndOtherErrorsEndTheGrant()
    {
        QFETCH(QString, code);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.05));
        server.queueResponse(oauthError(u"authorization_pending"_s));
        server.setResponse(oauthError(code));

        TokenClient client;
        const TokenResult result = await(client.fetch(request(server)));
        QVERIFY(!result.ok());
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, code);
        QVERIFY(!result.error.hint().isEmpty());
        QTest::qWait(300);
        QCOMPARE(server.requestCount(), 3); // no poll after the answer that ended it
    }

    void stopsPollingWhenTheCodeExpires()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.2, 1));
        server.setResponse(oauthError(u"authorization_pending"_s));

        TokenClient client;
        QElapsedTimer timer;
        timer.start();
        const TokenResult result = await(client.fetch(request(server)));
        QVERIFY(!result.ok());
        QCOMPARE(result.error.code, u"expired_token"_s);
        QCOMPARE(result.error.httpStatus, 0);
        QVERIFY2(result.error.summary().startsWith(u"expired_token: "_s), qPrintable(result.error.summary()));
        QVERIFY(timer.elapsed() >= 1000);
        QVERIFY(timer.elapsed() < 6000);
        const int requests = server.requestCount();
        QVERIFY(requests >= 3 && requests <= 7);
        QTest::qWait(500);
        QCOMPARE(server.requestCount(), requests);
    }

    void cancelStopsThePolls()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.1));
        server.setResponse(oauthError(u"authorization_pending"_s));

        TokenClient client;
        TokenFetch *fetch = client.fetch(request(server));
        QSignalSpy finished(fetch, &TokenFetch::finished);
        QTRY_VERIFY_WITH_TIMEOUT(server.requestCount() >= 3, 5000);
        fetch->cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        const int requests = server.requestCount();
        QTest::qWait(600);
        QVERIFY(server.requestCount() <= requests + 1); // at most the poll already on the wire
        const int settled = server.requestCount();
        QTest::qWait(400);
        QCOMPARE(server.requestCount(), settled);
    }

    void theDeviceCodeNeverReachesAnError()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.queueResponse(authorization(server, 0.05));
        // A broken gateway page that echoes the request it got.
        server.setResponse(ScriptedHttpServer::response(502, "Bad Gateway", "text/html",
                                                        "<html><title>502</title>request was device_code=" + deviceCode.toLatin1()
                                                                + "&client_secret=" + clientSecret.toLatin1() + "</html>"));
        TokenClient client;
        const TokenResult result = await(client.fetch(request(server)));
        QCOMPARE(result.error.kind, OAuthError::Kind::Http);
        QVERIFY(!result.error.summary().contains(deviceCode));
        QVERIFY(!result.error.summary().contains(clientSecret));
        QVERIFY(result.error.summary().contains(u"••••"_s));
    }

    void aBrokenAuthorizationEndpointIsReported()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(json(401, {{u"error"_s, u"invalid_client"_s}, {u"error_description"_s, u"unknown client"_s}}));
        TokenClient client;
        const TokenResult result = await(client.fetch(request(server)));
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_client"_s);
        QCOMPARE(result.error.endpoint, server.url(u"/device/auth"_s));
        QCOMPARE(server.requestCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDeviceCodeGrant)
#include "tst_devicecodegrant.moc"
