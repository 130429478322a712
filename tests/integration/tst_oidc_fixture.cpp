// Smoke test of the integration-test fixture itself: a real oidc-provider comes up through
// OidcProviderProcess, and raw HTTP requests (no Tokenbench code) get client credentials
// tokens from it. It pins down the server behaviour that the Tokenbench tests rely on.

#include "OidcProviderProcess.h"

#include <QtCore/QByteArray>
#include <QtCore/QEventLoop>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QTest>

namespace {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QByteArray wwwAuthenticate;
    QString networkError;
};

// application/x-www-form-urlencoded as RFC 6749 §2.3.1 / Appendix B require for the
// client_id and client_secret in a Basic header: UTF-8, unreserved characters
// (ALPHA DIGIT - . _ ~) kept, ' ' -> '+', every other octet -> %XX. Written out by hand so
// that it is an oracle independent of Tokenbench's (and Qt's) encoders.
QByteArray formUrlEncode(const QString &value)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    for (const char c : utf8) {
        const auto octet = static_cast<unsigned char>(c);
        const bool unreserved = (octet >= 'A' && octet <= 'Z') || (octet >= 'a' && octet <= 'z')
            || (octet >= '0' && octet <= '9') || octet == '-' || octet == '.' || octet == '_' || octet == '~';
        if (unreserved) {
            out += c;
        } else if (octet == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[octet >> 4];
            out += hex[octet & 0x0F];
        }
    }
    return out;
}

QByteArray basicAuthorization(const QString &clientId, const QString &clientSecret)
{
    return QByteArrayLiteral("Basic ") + (formUrlEncode(clientId) + ':' + formUrlEncode(clientSecret)).toBase64();
}

QJsonObject decodeJwtPart(const QByteArray &part)
{
    const QByteArray decoded = QByteArray::fromBase64(
        part, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors);
    return QJsonDocument::fromJson(decoded).object();
}

} // namespace

class tst_OidcFixture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void discovery();
    void clientCredentialsToken_data();
    void clientCredentialsToken();
    void wrongSecretIsInvalidClient_data();
    void wrongSecretIsInvalidClient();
    void unknownScopeIsInvalidScope();
    void unencodedBasicCredentialsAreRejected();

private:
    HttpResult send(QNetworkRequest request, const QByteArray &verb, const QByteArray &body = {});
    HttpResult tokenRequest(const OidcFixtureClient &client, const QString &scope);

    OidcProviderProcess m_server;
    QNetworkAccessManager m_nam;
};

void tst_OidcFixture::initTestCase()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    QVERIFY(m_server.isRunning());
    QCOMPARE(m_server.issuer().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(m_server.issuer().port(), int(m_server.port()));
}

void tst_OidcFixture::cleanupTestCase()
{
    m_server.stop();
    QVERIFY(!m_server.isRunning());
    const QString serverErrors = m_server.standardErrorOutput().trimmed();
    if (!serverErrors.isEmpty())
        qWarning("authorization server stderr:\n%s", qUtf8Printable(serverErrors));
}

HttpResult tst_OidcFixture::send(QNetworkRequest request, const QByteArray &verb, const QByteArray &body)
{
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();

    HttpResult result;
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = QStringLiteral("no reply within 20 s");
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    result.wwwAuthenticate = reply->rawHeader(QByteArrayLiteral("WWW-Authenticate"));
    if (result.status == 0 && result.networkError.isEmpty())
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

HttpResult tst_OidcFixture::tokenRequest(const OidcFixtureClient &client, const QString &scope)
{
    QNetworkRequest request(m_server.tokenEndpoint());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));

    QByteArray body = QByteArrayLiteral("grant_type=client_credentials");
    if (!scope.isEmpty())
        body += QByteArrayLiteral("&scope=") + formUrlEncode(scope);
    if (client.authMethod == QStringLiteral("client_secret_post")) {
        body += QByteArrayLiteral("&client_id=") + formUrlEncode(client.id);
        body += QByteArrayLiteral("&client_secret=") + formUrlEncode(client.secret);
    } else {
        request.setRawHeader(QByteArrayLiteral("Authorization"), basicAuthorization(client.id, client.secret));
    }
    return send(request, QByteArrayLiteral("POST"), body);
}

void tst_OidcFixture::discovery()
{
    const HttpResult result = send(QNetworkRequest(m_server.discoveryUrl()), QByteArrayLiteral("GET"));
    QVERIFY2(result.status == 200, qPrintable(result.networkError + QString::fromUtf8(result.body)));
    QCOMPARE(result.json.value(QLatin1String("issuer")).toString(), m_server.issuer().toString());
    QCOMPARE(QUrl(result.json.value(QLatin1String("token_endpoint")).toString()), m_server.tokenEndpoint());

    const QJsonArray grantTypes = result.json.value(QLatin1String("grant_types_supported")).toArray();
    QVERIFY(grantTypes.contains(QStringLiteral("client_credentials")));
    const QJsonArray authMethods = result.json.value(QLatin1String("token_endpoint_auth_methods_supported")).toArray();
    QVERIFY(authMethods.contains(QStringLiteral("client_secret_basic")));
    QVERIFY(authMethods.contains(QStringLiteral("client_secret_post")));
    const QJsonArray scopes = result.json.value(QLatin1String("scopes_supported")).toArray();
    for (const QString &scope : OidcProviderProcess::apiScopes())
        QVERIFY2(scopes.contains(scope), qPrintable(scope));
}

void tst_OidcFixture::clientCredentialsToken_data()
{
    QTest::addColumn<OidcFixtureClient>("client");
    QTest::addColumn<QString>("scope");

    QTest::newRow("basic") << OidcProviderProcess::basicClient() << QStringLiteral("accounts:read trades:read");
    QTest::newRow("post") << OidcProviderProcess::postClient() << QStringLiteral("trades:execute");
    QTest::newRow("special-basic") << OidcProviderProcess::specialClient()
                                   << OidcProviderProcess::apiScopes().join(QLatin1Char(' '));
}

void tst_OidcFixture::clientCredentialsToken()
{
    QFETCH(OidcFixtureClient, client);
    QFETCH(QString, scope);

    const HttpResult result = tokenRequest(client, scope);
    QVERIFY2(result.status == 200, result.body.constData());
    QCOMPARE(result.json.value(QLatin1String("token_type")).toString().toLower(), QStringLiteral("bearer"));
    QCOMPARE(result.json.value(QLatin1String("expires_in")).toInt(), 300);
    QCOMPARE(result.json.value(QLatin1String("scope")).toString(), scope);

    const QByteArray accessToken = result.json.value(QLatin1String("access_token")).toString().toLatin1();
    const QList<QByteArray> segments = accessToken.split('.');
    QCOMPARE(segments.size(), 3);
    const QJsonObject header = decodeJwtPart(segments.at(0));
    QVERIFY2(header.contains(QLatin1String("alg")), segments.at(0).constData());
    QCOMPARE(header.value(QLatin1String("alg")).toString(), QStringLiteral("RS256"));
    QCOMPARE(header.value(QLatin1String("typ")).toString(), QStringLiteral("at+jwt"));

    const QJsonObject payload = decodeJwtPart(segments.at(1));
    QCOMPARE(payload.value(QLatin1String("iss")).toString(), m_server.issuer().toString());
    QCOMPARE(payload.value(QLatin1String("aud")).toString(), OidcProviderProcess::apiResource());
    QCOMPARE(payload.value(QLatin1String("client_id")).toString(), client.id);
    QCOMPARE(payload.value(QLatin1String("scope")).toString(), scope);
    const qint64 lifetime = payload.value(QLatin1String("exp")).toInteger() - payload.value(QLatin1String("iat")).toInteger();
    QCOMPARE(lifetime, 300);
}

void tst_OidcFixture::wrongSecretIsInvalidClient_data()
{
    QTest::addColumn<OidcFixtureClient>("client");
    for (OidcFixtureClient client : OidcProviderProcess::clients()) {
        client.secret += QStringLiteral("-wrong");
        QTest::newRow(qPrintable(client.authMethod + QLatin1Char(' ') + client.id)) << client;
    }
}

void tst_OidcFixture::wrongSecretIsInvalidClient()
{
    QFETCH(OidcFixtureClient, client);

    const HttpResult result = tokenRequest(client, QStringLiteral("accounts:read"));
    QCOMPARE(result.status, 401);
    QCOMPARE(result.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_client"));
    if (client.authMethod == QStringLiteral("client_secret_basic"))
        QVERIFY2(result.wwwAuthenticate.startsWith("Basic "), result.wwwAuthenticate.constData());
}

void tst_OidcFixture::unknownScopeIsInvalidScope()
{
    const HttpResult result = tokenRequest(OidcProviderProcess::basicClient(), QStringLiteral("accounts:read bogus:scope"));
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json.value(QLatin1String("error")).toString(), QStringLiteral("invalid_scope"));
    QCOMPARE(result.json.value(QLatin1String("scope")).toString(), QStringLiteral("bogus:scope"));
}

// Proves the special client really exercises §2.3.1: without form-urlencoding, the ':' in
// its id splits the Basic credentials in the wrong place and the '%' is an invalid escape.
void tst_OidcFixture::unencodedBasicCredentialsAreRejected()
{
    const OidcFixtureClient client = OidcProviderProcess::specialClient();
    QNetworkRequest request(m_server.tokenEndpoint());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader(QByteArrayLiteral("Authorization"),
                         QByteArrayLiteral("Basic ") + (client.id + QLatin1Char(':') + client.secret).toUtf8().toBase64());
    const HttpResult result = send(request, QByteArrayLiteral("POST"), QByteArrayLiteral("grant_type=client_credentials"));
    QVERIFY2(result.status == 400 || result.status == 401, result.body.constData());
    QVERIFY(result.json.value(QLatin1String("error")).toString() != QString());
    QVERIFY(!result.json.contains(QLatin1String("access_token")));
}

QTEST_GUILESS_MAIN(tst_OidcFixture)
#include "tst_oidc_fixture.moc"
