#include "jwt/JwksKeySet.h"
#include "jwt/JwsSignatureCheck.h"
#include "jwt/SignatureCheckRunner.h"
#include "support/JwsTestKeys.h"
#include "support/ScriptedHttpServer.h"
#include "util/ManualClock.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

using namespace Qt::StringLiterals;

using namespace JwsTestKeys;

namespace {
JwksKeySet keySet(const QList<QJsonObject> &keys)
{
    QString error;
    JwksKeySet set = JwksKeySet::parse(jwks(keys), &error);
    Q_ASSERT(error.isEmpty());
    return set;
}

SignatureCheck run(SignatureCheckRunner &runner, const QString &jwt, const QUrl &url)
{
    SignatureCheck check;
    check.reason = u"test gave up"_s;
    QEventLoop loop;
    QMetaObject::Connection connection = QObject::connect(&runner, &SignatureCheckRunner::finished, &loop, [&](const SignatureCheck &c) {
        check = c;
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    runner.start(jwt, url, {}, 10000);
    loop.exec();
    QObject::disconnect(connection);
    return check;
}
} // namespace

class tst_JwsSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verifies_data()
    {
        QTest::addColumn<QString>("alg");
        for (const char *alg : {"RS256", "PS256", "ES256", "EdDSA"})
            QTest::newRow(alg) << QString::fromLatin1(alg);
    }

    void verifies()
    {
        QFETCH(QString, alg);
        const Key key = generate(alg);
        const Key other = generate(alg);
        const JwksKeySet keys = keySet({jwk(other, u"old"_s, alg), jwk(key, u"k1"_s, alg)});

        const QString good = token(key, alg, u"k1"_s);
        SignatureCheck check = JwsSignatureCheck::verify(good, keys);
        QVERIFY2(check.isVerified(), qPrintable(check.summary()));
        QCOMPARE(check.keyId, u"k1"_s);
        QCOMPARE(check.summary(), u"signature verified with key kid=k1 (%1)"_s.arg(alg));

        // Tampered payload: the same header and signature over other claims.
        QStringList parts = good.split(u'.');
        parts[1] = QString::fromLatin1(segment({{u"sub"_s, u"mallory"_s}}));
        check = JwsSignatureCheck::verify(parts.join(u'.'), keys);
        QCOMPARE(check.status, SignatureCheck::Status::Invalid);
        QVERIFY2(check.reason.contains(u"does not verify with key kid=k1"_s), qPrintable(check.reason));

        // Signed by another key under the same kid.
        check = JwsSignatureCheck::verify(token(other, alg, u"k1"_s), keys);
        QCOMPARE(check.status, SignatureCheck::Status::Invalid);

        // No kid: each key of the alg's type is tried.
        check = JwsSignatureCheck::verify(token(key, alg, {}), keys);
        QVERIFY2(check.isVerified(), qPrintable(check.summary()));
        QCOMPARE(check.keyId, u"k1"_s);

        // A kid the set does not have.
        check = JwsSignatureCheck::verify(token(key, alg, u"k9"_s), keys);
        QCOMPARE(check.status, SignatureCheck::Status::NoKey);
        QVERIFY2(check.reason.contains(u"no key kid=k9"_s), qPrintable(check.reason));
    }

    void refusesAlgNone()
    {
        const Key key = generate(u"RS256"_s);
        const JwksKeySet keys = keySet({jwk(key, u"k1"_s, u"RS256"_s)});
        const QString unsigned_ = QString::fromLatin1(segment({{u"alg"_s, u"none"_s}, {u"kid"_s, u"k1"_s}}) + '.' + segment({{u"sub"_s, u"x"_s}}) + '.');
        const SignatureCheck check = JwsSignatureCheck::verify(unsigned_, keys);
        QCOMPARE(check.status, SignatureCheck::Status::Refused);
        QVERIFY2(check.reason.contains(u"unsigned"_s), qPrintable(check.reason));
    }

    void refusesHmacKeyedWithThePublicKey()
    {
        // The algorithm-confusion attack: HS256 with the issuer's public key (PEM) as the secret.
        const Key key = generate(u"RS256"_s);
        const JwksKeySet keys = keySet({jwk(key, u"k1"_s, u"RS256"_s)});
        BIO *bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PUBKEY(bio, key.get());
        char *pem = nullptr;
        const long pemLength = BIO_get_mem_data(bio, &pem);
        const QByteArray secret(pem, pemLength);
        BIO_free(bio);
        const QByteArray input = segment({{u"alg"_s, u"HS256"_s}, {u"kid"_s, u"k1"_s}}) + '.' + segment({{u"sub"_s, u"admin"_s}});
        unsigned char mac[32];
        unsigned int macLength = 0;
        HMAC(EVP_sha256(), secret.constData(), int(secret.size()), reinterpret_cast<const unsigned char *>(input.constData()),
             size_t(input.size()), mac, &macLength);
        const QString forged = QString::fromLatin1(input + '.' + b64(QByteArray(reinterpret_cast<const char *>(mac), int(macLength))).toLatin1());
        const SignatureCheck check = JwsSignatureCheck::verify(forged, keys);
        QCOMPARE(check.status, SignatureCheck::Status::Refused);
        QVERIFY2(check.reason.contains(u"algorithm-confusion"_s), qPrintable(check.reason));
    }

    void keyMustFitTheAlgorithm()
    {
        const Key rsa = generate(u"RS256"_s);
        const Key ec = generate(u"ES256"_s);
        // An ES256 token naming the RSA key's kid.
        const JwksKeySet keys = keySet({jwk(rsa, u"k1"_s, u"RS256"_s)});
        const SignatureCheck check = JwsSignatureCheck::verify(token(ec, u"ES256"_s, u"k1"_s), keys);
        QCOMPARE(check.status, SignatureCheck::Status::NoKey);
        QVERIFY2(check.reason.contains(u"not for ES256"_s), qPrintable(check.reason));
        // An RS256 token against a key the JWKS restricts to PS256.
        const JwksKeySet pss = keySet({jwk(rsa, u"k1"_s, u"PS256"_s)});
        QCOMPARE(JwsSignatureCheck::verify(token(rsa, u"RS256"_s, u"k1"_s), pss).status, SignatureCheck::Status::NoKey);
    }

    void refusesUnusableKeys()
    {
        const Key ec = generate(u"ES256"_s);
        QJsonObject offCurve = jwk(ec, u"bad"_s, u"ES256"_s);
        offCurve[u"y"_s] = b64(QByteArray(32, '\x01'));
        JwksKeySet::Key key = JwksKeySet::importKey(offCurve);
        QVERIFY(!key.key);
        QVERIFY2(key.problem.contains(u"not on P-256"_s), qPrintable(key.problem));

        QJsonObject withPrivate = jwk(ec, u"leak"_s, u"ES256"_s);
        withPrivate.insert(u"d"_s, b64("secret"));
        key = JwksKeySet::importKey(withPrivate);
        QVERIFY(!key.key);
        QVERIFY(key.problem.contains(u"private key"_s));

        const Key weak(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024)), EVP_PKEY_free);
        key = JwksKeySet::importKey(jwk(weak, u"weak"_s, u"RS256"_s));
        QVERIFY(!key.key);
        QVERIFY2(key.problem.contains(u"1024 bits"_s), qPrintable(key.problem));
        // A token naming it is told why.
        const SignatureCheck check = JwsSignatureCheck::verify(token(weak, u"RS256"_s, u"weak"_s), keySet({jwk(weak, u"weak"_s, u"RS256"_s)}));
        QCOMPARE(check.status, SignatureCheck::Status::NoKey);
        QVERIFY2(check.reason.contains(u"too weak"_s), qPrintable(check.reason));

        QString error;
        QVERIFY(JwksKeySet::parse("<html></html>", &error).isEmpty());
        QVERIFY(error.contains(u"HTML"_s));
        QVERIFY(JwksKeySet::parse(R"({"keys":"x"})", &error).isEmpty());
        QVERIFY(error.contains(u"\"keys\" array"_s));
    }

    void opaqueIsNotChecked()
    {
        const SignatureCheck check = JwsSignatureCheck::verify(u"2YotnFZFEjr1zCsicMWpAA"_s, JwksKeySet());
        QCOMPARE(check.status, SignatureCheck::Status::NotChecked);
        QVERIFY(check.reason.contains(u"opaque"_s));
    }

    void runnerFetchesCachesAndRefetchesForUnknownKid()
    {
        SignatureCheckRunner::clearCache();
        const Key first = generate(u"ES256"_s);
        const Key rotated = generate(u"ES256"_s);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QUrl url = server.url(u"/jwks"_s);
        server.queueResponse(ScriptedHttpServer::response(200, "OK", "application/json", jwks({jwk(first, u"a"_s, u"ES256"_s)})));
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        jwks({jwk(first, u"a"_s, u"ES256"_s), jwk(rotated, u"b"_s, u"ES256"_s)})));
        SignatureCheckRunner runner;
        SignatureCheck check = run(runner, token(first, u"ES256"_s, u"a"_s), url);
        QVERIFY2(check.isVerified(), qPrintable(check.summary()));
        QCOMPARE(server.requestCount(), 1);

        // Cached per URL: no second fetch.
        check = run(runner, token(first, u"ES256"_s, u"a"_s), url);
        QVERIFY(check.isVerified());
        QCOMPARE(server.requestCount(), 1);

        // An unknown kid fetches the set once more: the rotated key is there now.
        check = run(runner, token(rotated, u"ES256"_s, u"b"_s), url);
        QVERIFY2(check.isVerified(), qPrintable(check.summary()));
        QCOMPARE(check.keyId, u"b"_s);
        QCOMPARE(server.requestCount(), 2);

        // Still unknown after that one fetch: no key, and no third fetch loop.
        check = run(runner, token(rotated, u"ES256"_s, u"zz"_s), url);
        QCOMPARE(check.status, SignatureCheck::Status::NoKey);
        QCOMPARE(server.requestCount(), 3);

        // alg none needs no keys: nothing fetched.
        const QString none = QString::fromLatin1(segment({{u"alg"_s, u"none"_s}}) + '.' + segment({{u"sub"_s, u"x"_s}}) + '.');
        QCOMPARE(run(runner, none, url).status, SignatureCheck::Status::Refused);
        QCOMPARE(server.requestCount(), 3);
    }

    void cacheLifetimeFollowsCacheControlWithinBounds_data()
    {
        QTest::addColumn<QByteArray>("cacheControl");
        QTest::addColumn<int>("seconds");
        QTest::newRow("none") << QByteArray() << SignatureCheckRunner::defaultCacheSeconds;
        QTest::newRow("public, max-age=300") << QByteArray("public, max-age=300") << 300;
        QTest::newRow("MAX-AGE quoted") << QByteArray("Max-Age=\"900\", must-revalidate") << 900;
        QTest::newRow("a year: capped") << QByteArray("max-age=31536000") << SignatureCheckRunner::maxCacheSeconds;
        QTest::newRow("5 s: floored") << QByteArray("max-age=5") << SignatureCheckRunner::minCacheSeconds;
        QTest::newRow("no-store") << QByteArray("no-store") << SignatureCheckRunner::minCacheSeconds;
        QTest::newRow("no-cache, max-age=600") << QByteArray("max-age=600, no-cache") << SignatureCheckRunner::minCacheSeconds;
        QTest::newRow("garbage") << QByteArray("max-age=soon") << SignatureCheckRunner::defaultCacheSeconds;
        QTest::newRow("negative") << QByteArray("max-age=-5") << SignatureCheckRunner::defaultCacheSeconds;
    }

    void cacheLifetimeFollowsCacheControlWithinBounds()
    {
        QFETCH(QByteArray, cacheControl);
        QFETCH(int, seconds);
        QCOMPARE(SignatureCheckRunner::cacheSecondsFor(cacheControl), seconds);
    }

    void aCachedKeySetExpires()
    {
        SignatureCheckRunner::clearCache();
        const Key key = generate(u"RS256"_s);
        const Key next = generate(u"RS256"_s);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QUrl url = server.url(u"/jwks"_s);
        // The first answer may be kept 120 s; after that the issuer has retired key "a" for "b".
        server.queueResponse(ScriptedHttpServer::response(200, "OK", "application/json", jwks({jwk(key, u"a"_s, u"RS256"_s)}),
                                                          "Cache-Control: public, max-age=120\r\n"));
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", jwks({jwk(next, u"b"_s, u"RS256"_s)})));
        ManualClock clock;
        SignatureCheckRunner runner(nullptr, &clock);
        const QString signedByA = token(key, u"RS256"_s, u"a"_s);
        QVERIFY(run(runner, signedByA, url).isVerified());
        QCOMPARE(server.requestCount(), 1);

        clock.advance(119);
        QVERIFY(run(runner, signedByA, url).isVerified());
        QCOMPARE(server.requestCount(), 1);

        // Past max-age: fetched anew, and the retired key no longer verifies anything.
        clock.advance(2);
        SignatureCheck check = run(runner, signedByA, url);
        QCOMPARE(server.requestCount(), 2);
        QCOMPARE(check.status, SignatureCheck::Status::NoKey);
        QVERIFY(run(runner, token(next, u"RS256"_s, u"b"_s), url).isVerified());
        QCOMPARE(server.requestCount(), 2); // the set fetched for "a" has "b"

        // No Cache-Control: kept for the default 10 minutes.
        clock.advance(SignatureCheckRunner::defaultCacheSeconds - 1);
        QVERIFY(run(runner, token(next, u"RS256"_s, u"b"_s), url).isVerified());
        QCOMPARE(server.requestCount(), 2);
        clock.advance(2);
        QVERIFY(run(runner, token(next, u"RS256"_s, u"b"_s), url).isVerified());
        QCOMPARE(server.requestCount(), 3);
    }

    void runnerReportsAJwksThatCannotBeHad()
    {
        SignatureCheckRunner::clearCache();
        const Key key = generate(u"EdDSA"_s);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "text/html", "<html>login</html>"));
        SignatureCheckRunner runner;
        SignatureCheck check = run(runner, token(key, u"EdDSA"_s, u"k"_s), server.url(u"/jwks"_s));
        QCOMPARE(check.status, SignatureCheck::Status::Failed);
        QVERIFY2(check.reason.contains(u"HTML"_s), qPrintable(check.reason));

        server.setResponse(ScriptedHttpServer::response(500, "Oops", "text/plain", "down"));
        check = run(runner, token(key, u"EdDSA"_s, u"k"_s), server.url(u"/jwks2"_s));
        QCOMPARE(check.status, SignatureCheck::Status::Failed);
        QVERIFY2(check.reason.contains(u"HTTP 500"_s), qPrintable(check.reason));

        check = run(runner, token(key, u"EdDSA"_s, u"k"_s), QUrl());
        QCOMPARE(check.status, SignatureCheck::Status::NotChecked);
        QVERIFY(check.reason.contains(u"no JWKS URL"_s));
    }
};

QTEST_GUILESS_MAIN(tst_JwsSignature)
#include "tst_jwssignature.moc"
