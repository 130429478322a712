#include "support/JwsTestKeys.h"
#include "oauth/ClientAssertion.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QUrl tokenUrl(u"https://id.example/oauth/token"_s);
constexpr qint64 issuedAt = 1764756000;

QJsonObject part(const QString &jws, int index)
{
    const QByteArray encoded = jws.toLatin1().split('.').value(index);
    return QJsonDocument::fromJson(QByteArray::fromBase64(encoded, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)).object();
}

QByteArray signaturePart(const QString &jws)
{
    return QByteArray::fromBase64(jws.toLatin1().split('.').value(2), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

class TestClientAssertion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsWithEachKind_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<int>("signatureBytes");
        QTest::newRow("RSA 2048") << JwsTestKeys::generatePem(u"RSA"_s, 2048) << u"RS256"_s << 256;
        QTest::newRow("RSA 3072") << JwsTestKeys::generatePem(u"RSA"_s, 3072) << u"RS256"_s << 384;
        QTest::newRow("P-256") << JwsTestKeys::generatePem(u"EC"_s) << u"ES256"_s << 64;
        QTest::newRow("Ed25519") << JwsTestKeys::generatePem(u"ED25519"_s) << u"EdDSA"_s << 64;
    }

    void signsWithEachKind()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, alg);
        QFETCH(int, signatureBytes);
        QVERIFY(!key.isEmpty());

        const ClientAssertion::Result result = ClientAssertion::create(u"tb-client"_s, tokenUrl, u"key-2026"_s, key, issuedAt);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const QJsonObject header = part(result.assertion, 0);
        QCOMPARE(header.value(u"alg"_s).toString(), alg);
        QCOMPARE(header.value(u"kid"_s).toString(), u"key-2026"_s);
        QCOMPARE(header.value(u"typ"_s).toString(), u"JWT"_s);

        const QJsonObject claims = part(result.assertion, 1);
        QCOMPARE(claims.value(u"iss"_s).toString(), u"tb-client"_s);
        QCOMPARE(claims.value(u"sub"_s).toString(), u"tb-client"_s);
        QCOMPARE(claims.value(u"aud"_s).toString(), tokenUrl.toString());
        QCOMPARE(claims.value(u"iat"_s).toInteger(), issuedAt);
        QCOMPARE(claims.value(u"exp"_s).toInteger(), issuedAt + 60);
        QVERIFY(claims.value(u"jti"_s).toString().size() >= 16);

        // Verified by OpenSSL with the public key alone, as the authorization server does;
        // an ES256 signature is r||s, 64 bytes, not OpenSSL's DER.
        QCOMPARE(signaturePart(result.assertion).size(), signatureBytes);
        QVERIFY(JwsTestKeys::verifies(result.assertion, JwsTestKeys::publicKeyPem(key)));
        QCOMPARE(ClientAssertion::algorithmFor(key, nullptr), alg);
    }

    void aChangedClaimNoLongerVerifies()
    {
        const QByteArray key = JwsTestKeys::generatePem(u"EC"_s);
        const QString assertion = ClientAssertion::create(u"tb-client"_s, tokenUrl, {}, key, issuedAt).assertion;
        QStringList parts = assertion.split(u'.');
        QJsonObject claims = part(assertion, 1);
        claims.insert(u"sub"_s, u"someone-else"_s);
        parts[1] = QString::fromLatin1(QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QVERIFY(!JwsTestKeys::verifies(parts.join(u'.'), JwsTestKeys::publicKeyPem(key)));
        // Nor with another key.
        QVERIFY(!JwsTestKeys::verifies(assertion, JwsTestKeys::publicKeyPem(JwsTestKeys::generatePem(u"EC"_s))));
    }

    void eachAssertionIsNew()
    {
        const QByteArray key = JwsTestKeys::generatePem(u"ED25519"_s);
        const QString first = ClientAssertion::create(u"c"_s, tokenUrl, {}, key, issuedAt).assertion;
        const QString second = ClientAssertion::create(u"c"_s, tokenUrl, {}, key, issuedAt).assertion;
        QVERIFY(part(first, 1).value(u"jti"_s) != part(second, 1).value(u"jti"_s));
        // No kid given: none in the header.
        QVERIFY(!part(first, 0).contains(u"kid"_s));
    }

    void unusableKeysAreRefused_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("reason");
        QTest::newRow("RSA 1024") << JwsTestKeys::generatePem(u"RSA"_s, 1024) << u"at least 2048"_s;
        QTest::newRow("P-384") << JwsTestKeys::generatePem(u"EC"_s, 0, u"P-384"_s) << u"P-256"_s;
        QTest::newRow("encrypted") << JwsTestKeys::encrypted(JwsTestKeys::generatePem(u"EC"_s)) << u"passphrase"_s;
        QTest::newRow("public key") << JwsTestKeys::publicKeyPem(JwsTestKeys::generatePem(u"EC"_s)) << u"not a PEM private key"_s;
        QTest::newRow("not PEM") << QByteArray("client-secret") << u"not a PEM private key"_s;
        QTest::newRow("empty") << QByteArray() << u"not a PEM private key"_s;
    }

    void unusableKeysAreRefused()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, reason);
        const ClientAssertion::Result result = ClientAssertion::create(u"c"_s, tokenUrl, {}, key, issuedAt);
        QVERIFY(!result.ok());
        QVERIFY(result.assertion.isEmpty());
        QVERIFY2(result.error.contains(reason), qPrintable(result.error));
        QString error;
        QVERIFY(ClientAssertion::algorithmFor(key, &error).isEmpty());
        QCOMPARE(error, result.error);
    }
};

QTEST_GUILESS_MAIN(TestClientAssertion)
#include "tst_clientassertion.moc"
