#include "oauth/DeviceAuthorization.h"
#include "oauth/TokenRequest.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
TokenRequest deviceRequest()
{
    TokenRequest request;
    request.grant = GrantType::DeviceCode;
    request.tokenUrl = QUrl(u"http://127.0.0.1:9/token"_s);
    request.deviceAuthorizationUrl = QUrl(u"http://127.0.0.1:9/device/auth"_s);
    request.clientId = u"device-client"_s;
    request.clientAuth = ClientAuthStyle::Body;
    request.clientSecret = u"CLIENT-SECRET-VALUE"_s;
    request.scopes = {u"accounts:read"_s};
    return request;
}
const QString deviceCode = u"DEVICE-CODE-SECRET-7f3a9c"_s;
} // namespace

// RFC 8628's two requests as TokenRequest makes them, and the device authorization response as
// DeviceAuthorization reads it (DeviceCodeGrant's polling: tst_devicecodegrant).
class TestDeviceAuthorization : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesTheAuthorizationResponse()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QByteArray body = "{\"device_code\":\"dc\",\"user_code\":\"WDJB-MJHT\",\"verification_uri\":\"https://example.com/device\","
                                "\"verification_uri_complete\":\"https://example.com/device?user_code=WDJB-MJHT\",\"expires_in\":\"1800\"}";
        const DeviceAuthorization parsed = DeviceAuthorization::parse(200, "application/json", body, QUrl(u"https://example.com/da"_s), now);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error.summary()));
        QCOMPARE(parsed.deviceCode, u"dc"_s);
        QCOMPARE(parsed.userCode, u"WDJB-MJHT"_s);
        QCOMPARE(parsed.verificationUri, QUrl(u"https://example.com/device"_s));
        QCOMPARE(parsed.verificationUriComplete, QUrl(u"https://example.com/device?user_code=WDJB-MJHT"_s));
        QCOMPARE(parsed.expiresAt, now.addSecs(1800));
        // RFC 8628 §3.2: no interval means 5 seconds.
        QCOMPARE(parsed.intervalMs, 5000);
    }

    void refusesUnusableAuthorizationResponses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("says");
        const int invalid = int(OAuthError::Kind::InvalidResponse);
        QTest::newRow("no device_code") << 200 << QByteArray("{\"user_code\":\"A\",\"verification_uri\":\"https://x/d\",\"expires_in\":60}") << invalid << u"device_code"_s;
        QTest::newRow("no user_code") << 200 << QByteArray("{\"device_code\":\"d\",\"verification_uri\":\"https://x/d\",\"expires_in\":60}") << invalid << u"user_code"_s;
        QTest::newRow("control character in user_code") << 200 << QByteArray("{\"device_code\":\"d\",\"user_code\":\"AB\\u001b[2J\",\"verification_uri\":\"https://x/d\",\"expires_in\":60}") << invalid << u"control character"_s;
        QTest::newRow("javascript verification_uri") << 200 << QByteArray("{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"javascript:alert(1)\",\"expires_in\":60}") << invalid << u"verification_uri"_s;
        QTest::newRow("no expires_in") << 200 << QByteArray("{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://x/d\"}") << invalid << u"expires_in"_s;
        QTest::newRow("negative interval") << 200 << QByteArray("{\"device_code\":\"d\",\"user_code\":\"A\",\"verification_uri\":\"https://x/d\",\"expires_in\":60,\"interval\":-1}") << invalid << u"interval"_s;
        QTest::newRow("not JSON") << 200 << QByteArray("<html>login</html>") << invalid << u"not a JSON object"_s;
        QTest::newRow("a token response") << 200 << QByteArray("{\"access_token\":\"t\",\"token_type\":\"Bearer\"}") << invalid << u"has no \"device_code\""_s;
        QTest::newRow("RFC 6749 error") << 401 << QByteArray("{\"error\":\"invalid_client\",\"error_description\":\"who?\"}") << int(OAuthError::Kind::Protocol) << u"invalid_client"_s;
        QTest::newRow("HTML error page") << 404 << QByteArray("<html><title>Not Found</title></html>") << int(OAuthError::Kind::Http) << u"Not Found"_s;
    }

    void refusesUnusableAuthorizationResponses()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, says);
        const DeviceAuthorization parsed = DeviceAuthorization::parse(status, "application/json", body, QUrl(u"https://x/da"_s),
                                                                      QDateTime::currentDateTimeUtc());
        QVERIFY(!parsed.ok());
        QCOMPARE(int(parsed.error.kind), kind);
        QVERIFY2(parsed.error.summary().contains(says), qPrintable(parsed.error.summary()));
    }

    void requestsAsRfc8628Says()
    {
        TokenRequest asking = deviceRequest();
        asking.clientAuth = ClientAuthStyle::Basic;
        // The device authorization request: client and scope, no grant_type (§3.1).
        QVERIFY(asking.isDeviceAuthorizationStep());
        QCOMPARE(asking.endpoint(), asking.deviceAuthorizationUrl);
        QCOMPARE(asking.body(), QByteArray("scope=accounts%3Aread"));
        QVERIFY(asking.headers().value("Authorization").startsWith("Basic "));
        // The poll: the URN grant type and the device code, and the client's credentials (§3.4).
        TokenRequest polling = asking;
        polling.deviceCode = deviceCode;
        QCOMPARE(polling.endpoint(), polling.tokenUrl);
        QCOMPARE(polling.body(), "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" + deviceCode.toLatin1());
        // The device code is a secret in a transcript, like the client secret.
        QVERIFY(!polling.redactedTranscript().contains(deviceCode));
        QVERIFY(polling.redactedTranscript().contains(u"device_code=••••"_s));
    }

    void needsTheDeviceAuthorizationUrl()
    {
        TokenRequest incomplete = deviceRequest();
        incomplete.deviceAuthorizationUrl.clear();
        QCOMPARE(incomplete.validate().kind, OAuthError::Kind::Configuration);
        QVERIFY(incomplete.validate().detail.contains(u"device authorization URL"_s));
        incomplete.deviceAuthorizationUrl = QUrl(u"http://auth.example.com/device"_s);
        QCOMPARE(incomplete.validate().kind, OAuthError::Kind::InsecureUrl);
    }
};

QTEST_GUILESS_MAIN(TestDeviceAuthorization)
#include "tst_deviceauthorization.moc"
