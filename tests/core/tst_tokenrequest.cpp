#include "support/JwsTestKeys.h"
#include "oauth/ClientAssertion.h"
#include "oauth/TokenRequest.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {
// Form-urlencoded decoding as a server does it ('+' is space), to prove our encoding round-trips.
QString formDecode(QByteArray value)
{
    value.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(value));
}

QHash<QString, QString> decodeForm(const QByteArray &body)
{
    QHash<QString, QString> fields;
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        fields.insert(formDecode(pair.left(eq)), formDecode(pair.mid(eq + 1)));
    }
    return fields;
}

TokenRequest baseRequest(ClientAuthStyle style, const QString &id, const QString &secret)
{
    TokenRequest request;
    request.tokenUrl = QUrl(u"https://id.sandbox.example/oauth/token"_s);
    request.clientAuth = style;
    request.clientId = id;
    request.clientSecret = secret;
    request.scopes = {u"trades:read"_s, u"core.users:act-on-behalf-of"_s};
    return request;
}
} // namespace

class TestTokenRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formEncodeFollowsTheFormEncoding_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << u"abc-123._~"_s << QByteArray("abc-123._~");
        QTest::newRow("colon") << u"a:b"_s << QByteArray("a%3Ab");
        QTest::newRow("plus") << u"a+b"_s << QByteArray("a%2Bb");
        QTest::newRow("percent") << u"100%"_s << QByteArray("100%25");
        QTest::newRow("ampersand") << u"a&b=c"_s << QByteArray("a%26b%3Dc");
        QTest::newRow("space") << u"a b"_s << QByteArray("a+b");
        QTest::newRow("non-ascii") << u"dé ü"_s << QByteArray("d%C3%A9+%C3%BC");
        QTest::newRow("slash") << u"a/b"_s << QByteArray("a%2Fb");
    }

    void formEncodeFollowsTheFormEncoding()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(TokenRequest::formEncode(input), expected);
        QCOMPARE(formDecode(TokenRequest::formEncode(input)), input);
    }

    void basicEncodesBeforeBase64()
    {
        // RFC 6749 §2.3.1: a ':' in the id must not split it; it is encoded first.
        const QString id = u"client:id+1"_s;
        const QString secret = u"p:a+s%s&w r dé"_s;
        const QByteArray header = TokenRequest::basicCredentials(id, secret);
        QVERIFY(header.startsWith("Basic "));
        const QByteArray decoded = QByteArray::fromBase64(header.mid(6));
        QCOMPARE(decoded, QByteArray("client%3Aid%2B1:p%3Aa%2Bs%25s%26w+r+d%C3%A9"));
        const QList<QByteArray> parts = decoded.split(':');
        QCOMPARE(parts.size(), 2);
        QCOMPARE(formDecode(parts.at(0)), id);
        QCOMPARE(formDecode(parts.at(1)), secret);
    }

    void basicStyleKeepsCredentialsOutOfTheBody()
    {
        const TokenRequest request = baseRequest(ClientAuthStyle::Basic, u"id"_s, u"s3cr3t&x"_s);
        const HttpHeaders wire = request.headers();
        QVERIFY(wire.value("Authorization").startsWith("Basic "));
        QCOMPARE(wire.value("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        const auto fields = decodeForm(request.body());
        QCOMPARE(fields.value(u"grant_type"_s), u"client_credentials"_s);
        QCOMPARE(fields.value(u"scope"_s), u"trades:read core.users:act-on-behalf-of"_s);
        QVERIFY(!fields.contains(u"client_secret"_s));
        QVERIFY(!request.body().contains("s3cr3t"));
    }

    void publicClientSendsItsIdAndNoSecret()
    {
        TokenRequest request = baseRequest(ClientAuthStyle::None, u"cli-app"_s, QString());
        QCOMPARE(request.validate().kind, OAuthError::Kind::None);
        QVERIFY(!request.headers().contains("Authorization"));
        const auto fields = decodeForm(request.body());
        QCOMPARE(fields.value(u"client_id"_s), u"cli-app"_s);
        QVERIFY(!fields.contains(u"client_secret"_s));
        // A secret left over from an earlier style is never sent by a public client.
        request.clientSecret = u"left-over"_s;
        QVERIFY(!request.body().contains("left-over"));
        QVERIFY(!request.headers().contains("Authorization"));
    }

    void bodyStyleSendsEncodedCredentials()
    {
        const QString secret = u"a:b+c%d&e f é"_s;
        TokenRequest request = baseRequest(ClientAuthStyle::Body, u"id&evil=1"_s, secret);
        request.extraParams = {{u"audience"_s, u"https://api.example/ v2"_s}};
        QVERIFY(!request.headers().contains("Authorization"));
        const auto fields = decodeForm(request.body());
        QCOMPARE(fields.value(u"client_id"_s), u"id&evil=1"_s);
        QCOMPARE(fields.value(u"client_secret"_s), secret);
        QCOMPARE(fields.value(u"audience"_s), u"https://api.example/ v2"_s);
        QVERIFY(!fields.contains(u"evil"_s)); // the '&' in the id did not start a new field
    }

    void jsonStyleSendsAJsonObject()
    {
        TokenRequest request = baseRequest(ClientAuthStyle::Json, u"id"_s, u"\"quoted\" \\ secret"_s);
        QCOMPARE(request.headers().value("Content-Type"), QByteArray("application/json"));
        const QJsonObject json = QJsonDocument::fromJson(request.body()).object();
        QCOMPARE(json.value(u"grant_type"_s).toString(), u"client_credentials"_s);
        QCOMPARE(json.value(u"client_id"_s).toString(), u"id"_s);
        QCOMPARE(json.value(u"client_secret"_s).toString(), u"\"quoted\" \\ secret"_s);
        QCOMPARE(json.value(u"scope"_s).toString(), u"trades:read core.users:act-on-behalf-of"_s);
    }

    void passwordGrantCarriesTheUser()
    {
        TokenRequest request = baseRequest(ClientAuthStyle::Body, u"id"_s, u"secret"_s);
        request.grant = GrantType::Password;
        request.username = u"ana@example.com"_s;
        request.password = u"p&ss word"_s;
        const auto fields = decodeForm(request.body());
        QCOMPARE(fields.value(u"grant_type"_s), u"password"_s);
        QCOMPARE(fields.value(u"username"_s), u"ana@example.com"_s);
        QCOMPARE(fields.value(u"password"_s), u"p&ss word"_s);
        QVERIFY(!request.validate().isError());
        request.password.clear();
        QCOMPARE(request.validate().kind, OAuthError::Kind::Configuration);
    }

    void neverFollowsRedirectsNorKeepsCookies()
    {
        // Exchange keeps no cookies at all; a redirect is answered, not followed.
        TokenRequest request = baseRequest(ClientAuthStyle::Basic, u"id"_s, u"s"_s);
        request.timeoutMs = 1234;
        const PreparedRequest wire = request.prepared();
        QCOMPARE(wire.maxRedirects, 0);
        QCOMPARE(wire.method, QByteArray("POST"));
        QCOMPARE(wire.url, request.tokenUrl);
        QCOMPARE(wire.body, request.body());
        QCOMPARE(wire.timeoutMs, 1234);
        QCOMPARE(wire.headers.value("Accept"), QByteArray("application/json"));
        QVERIFY(!wire.headers.contains("Cookie"));
        // The credentials are for the token endpoint: the guard lets them go there.
        QVERIFY(wire.guard.allows(request.tokenUrl));
    }

    void validateRefusesPlainHttpUnlessLoopbackOrAllowed_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allow");
        QTest::addColumn<int>("kind");
        QTest::newRow("https") << u"https://id.example/token"_s << false << int(OAuthError::Kind::None);
        QTest::newRow("http remote") << u"http://id.example/token"_s << false << int(OAuthError::Kind::InsecureUrl);
        QTest::newRow("http remote allowed") << u"http://id.example/token"_s << true << int(OAuthError::Kind::None);
        QTest::newRow("http 127.0.0.1") << u"http://127.0.0.1:8080/token"_s << false << int(OAuthError::Kind::None);
        QTest::newRow("http 127.9.9.9") << u"http://127.9.9.9/token"_s << false << int(OAuthError::Kind::None);
        QTest::newRow("http localhost") << u"http://localhost:9/token"_s << false << int(OAuthError::Kind::None);
        QTest::newRow("http [::1]") << u"http://[::1]:9/token"_s << false << int(OAuthError::Kind::None);
        QTest::newRow("http lookalike") << u"http://127.0.0.1.evil.example/token"_s << false << int(OAuthError::Kind::InsecureUrl);
        QTest::newRow("ftp") << u"ftp://id.example/token"_s << true << int(OAuthError::Kind::Configuration);
        QTest::newRow("credentials in url") << u"https://user:pw@id.example/token"_s << false << int(OAuthError::Kind::Configuration);
        QTest::newRow("empty") << QString() << false << int(OAuthError::Kind::Configuration);
    }

    void validateRefusesPlainHttpUnlessLoopbackOrAllowed()
    {
        QFETCH(QString, url);
        QFETCH(bool, allow);
        QFETCH(int, kind);
        TokenRequest request = baseRequest(ClientAuthStyle::Basic, u"id"_s, u"secret"_s);
        request.tokenUrl = QUrl(url);
        request.allowInsecureHttp = allow;
        const OAuthError error = request.validate();
        QCOMPARE(int(error.kind), kind);
        if (error.isError()) {
            QVERIFY(!error.summary().isEmpty());
            QVERIFY(!error.hint().isEmpty());
        }
    }

    void validateNeedsClientAndSecret()
    {
        TokenRequest request = baseRequest(ClientAuthStyle::Basic, QString(), u"secret"_s);
        QCOMPARE(request.validate().kind, OAuthError::Kind::Configuration);
        request = baseRequest(ClientAuthStyle::Basic, u"id"_s, QString());
        QCOMPARE(request.validate().kind, OAuthError::Kind::Configuration);
        QVERIFY(request.validate().summary().contains(u"secret"_s));
    }

    void transcriptMasksEverySecret_data()
    {
        QTest::addColumn<int>("style");
        QTest::newRow("basic") << int(ClientAuthStyle::Basic);
        QTest::newRow("body") << int(ClientAuthStyle::Body);
        QTest::newRow("json") << int(ClientAuthStyle::Json);
    }

    void transcriptMasksEverySecret()
    {
        QFETCH(int, style);
        Environment env;
        env.tokenUrl = QUrl(u"https://id.example/token"_s);
        env.clientAuth = ClientAuthStyle(style);
        env.grant = GrantType::Password;
        env.clientId = u"visible-id"_s;
        env.username = u"ana"_s;
        env.params = {{u"audience"_s, u"api"_s, false}, {u"api_key"_s, QString(), true}};
        TokenRequest request = TokenRequest::fromEnvironment(env);
        request.clientSecret = u"CLIENT-SECRET-1"_s;
        request.password = u"USER-PASSWORD-2"_s;
        request.extraParams[1].second = u"PARAM-SECRET-3"_s;
        const QString transcript = request.redactedTranscript();
        QVERIFY(transcript.contains(u"visible-id"_s) || ClientAuthStyle(style) == ClientAuthStyle::Basic);
        QVERIFY(transcript.contains(u"audience"_s));
        for (const QString &secret : {u"CLIENT-SECRET-1"_s, u"USER-PASSWORD-2"_s, u"PARAM-SECRET-3"_s}) {
            QVERIFY2(!transcript.contains(secret), qPrintable(transcript));
            QVERIFY(!transcript.contains(QString::fromLatin1(secret.toUtf8().toBase64())));
        }
        QVERIFY(transcript.contains(u"••••"_s));
        // ... while the real body does carry them (except Basic, where the secret is in the header).
        QVERIFY(request.body().contains("USER-PASSWORD-2"));
    }

    void trustedCertificatesGoWithTheRequest()
    {
        // Exchange hands them to libcurl besides the system's authorities (tst_exchange proves
        // a server signed by one is trusted and a public one still verifies).
        Environment env;
        env.tokenUrl = QUrl(u"https://auth.example.com/oauth/token"_s);
        env.clientId = u"c"_s;
        QVERIFY(TokenRequest::fromEnvironment(env).prepared().extraCaPem.isEmpty());
        const QByteArray pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        env.trustedCertificates = pem;
        const TokenRequest trusting = TokenRequest::fromEnvironment(env);
        QCOMPARE(trusting.trustedCertificates, pem);
        QCOMPARE(trusting.prepared().extraCaPem, pem);
    }

    void privateKeyJwtSendsASignedAssertionAndNoSecret()
    {
        const QByteArray key = JwsTestKeys::generatePem(u"EC"_s);
        TokenRequest request = baseRequest(ClientAuthStyle::PrivateKeyJwt, u"tb-jwt"_s, u"left-over"_s);
        request.privateKey = QString::fromLatin1(key);
        request.signingKeyId = u"kid-1"_s;
        QCOMPARE(request.validate().kind, OAuthError::Kind::None);
        QVERIFY(!request.headers().contains("Authorization"));
        const QByteArray body = request.body();
        QVERIFY(!body.contains("left-over"));
        const auto fields = decodeForm(body);
        QCOMPARE(fields.value(u"client_id"_s), u"tb-jwt"_s);
        QCOMPARE(fields.value(u"client_assertion_type"_s), u"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"_s);
        const QString assertion = fields.value(u"client_assertion"_s);
        QVERIFY(JwsTestKeys::verifies(assertion, JwsTestKeys::publicKeyPem(key)));
        const QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(assertion.section(u'.', 1, 1).toLatin1(), QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(claims.value(u"aud"_s).toString(), request.tokenUrl.toString());
        QCOMPARE(claims.value(u"iss"_s).toString(), u"tb-jwt"_s);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(qAbs(claims.value(u"iat"_s).toInteger() - now) <= 5);
        // A new assertion for every request: the server refuses a jti twice.
        QVERIFY(decodeForm(request.body()).value(u"client_assertion"_s) != assertion);

        // The transcript shows neither the assertion nor the key.
        const QString transcript = request.redactedTranscript();
        QVERIFY(transcript.contains(u"client_assertion=••••"_s));
        QVERIFY(!transcript.contains(assertion.left(20)));
        QVERIFY(!transcript.contains(u"PRIVATE KEY"_s));
    }

    void tlsClientAuthNamesTheClientAndPresentsTheCertificate()
    {
        // RFC 8705 §2: client_id in the body, no secret anywhere; the certificate is the proof.
        for (const ClientAuthStyle style : {ClientAuthStyle::TlsClientAuth, ClientAuthStyle::SelfSignedTlsClientAuth}) {
            TokenRequest request = baseRequest(style, u"tb-mtls"_s, u"left-over"_s);
            OAuthError error = request.validate();
            QCOMPARE(error.kind, OAuthError::Kind::Configuration);
            QVERIFY2(error.detail.contains(u"TLS client certificate, and the environment has none"_s), qPrintable(error.detail));
            request.clientCertificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
            request.clientKey = u"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"_s;
            QCOMPARE(request.validate().kind, OAuthError::Kind::None);
            QVERIFY(!request.headers().contains("Authorization"));
            const QByteArray body = request.body();
            QVERIFY2(!body.contains("left-over") && !body.contains("client_secret"), body.constData());
            QCOMPARE(decodeForm(body).value(u"client_id"_s), u"tb-mtls"_s);
            const PreparedRequest prepared = request.prepared();
            QCOMPARE(prepared.clientCertificate, request.clientCertificate);
            // Revocation and introspection authenticate the same way.
            const PreparedRequest revoke = request.endpointRequest(QUrl(u"https://id.example.com/revoke"_s), {{u"token"_s, u"t"_s}});
            QCOMPARE(decodeForm(revoke.body).value(u"client_id"_s), u"tb-mtls"_s);
            QVERIFY(!revoke.body.contains("client_secret"));
            QCOMPARE(revoke.clientCertificate, request.clientCertificate);
        }
    }

    void privateKeyJwtNeedsAUsableKey()
    {
        TokenRequest request = baseRequest(ClientAuthStyle::PrivateKeyJwt, u"tb-jwt"_s, QString());
        OAuthError error = request.validate();
        QCOMPARE(error.kind, OAuthError::Kind::Configuration);
        QVERIFY2(error.detail.contains(u"private key"_s), qPrintable(error.detail));
        request.privateKey = QString::fromLatin1(JwsTestKeys::generatePem(u"RSA"_s, 1024));
        error = request.validate();
        QCOMPARE(error.kind, OAuthError::Kind::Configuration);
        QVERIFY2(error.detail.contains(u"2048"_s), qPrintable(error.detail));
    }

    void clientCertificateGoesToTheTokenEndpointOnly()
    {
        Environment env;
        env.tokenUrl = QUrl(u"https://auth.example.com/oauth/token"_s);
        env.clientId = u"c"_s;
        env.clientAuth = ClientAuthStyle::None;
        QVERIFY(TokenRequest::fromEnvironment(env).prepared().clientCertificate.isEmpty());
        const QByteArray certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        env.clientCertificate = certificate;
        TokenRequest request = TokenRequest::fromEnvironment(env);
        QCOMPARE(request.clientCertificate, certificate);
        // Without its key the certificate is useless: refused before anything is sent.
        QCOMPARE(request.validate().kind, OAuthError::Kind::Configuration);
        request.clientKey = u"-----BEGIN PRIVATE KEY-----\nMIIC\n-----END PRIVATE KEY-----\n"_s;
        QCOMPARE(request.validate().kind, OAuthError::Kind::None);
        const PreparedRequest prepared = request.prepared();
        QCOMPARE(prepared.clientCertificate, certificate);
        QCOMPARE(prepared.clientKey, request.clientKey.toUtf8());
        QVERIFY(prepared.clientCertificateGuard.allows(env.tokenUrl));
        QVERIFY(!prepared.clientCertificateGuard.allows(QUrl(u"https://elsewhere.example.com/oauth/token"_s)));
        QVERIFY(!request.redactedTranscript().contains(u"PRIVATE KEY"_s));
    }
};

QTEST_GUILESS_MAIN(TestTokenRequest)
#include "tst_tokenrequest.moc"
