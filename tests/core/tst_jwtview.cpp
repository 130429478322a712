#include "jwt/JwtView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(JwtView::Kind)
Q_DECLARE_METATYPE(std::optional<QStringList>)

namespace {
QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray b64url(const QJsonObject &object)
{
    return b64url(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject hs256Header()
{
    return QJsonObject{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
}

// An HS256-shaped token; the signature is arbitrary base64url since nothing is verified.
QString makeJwt(const QJsonObject &claims, const QJsonObject &header = hs256Header(),
                const QByteArray &signature = QByteArrayLiteral("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"))
{
    return QString::fromLatin1(b64url(header) + '.' + b64url(claims) + '.' + signature);
}

QString rawJwt(const QByteArray &headerSegment, const QByteArray &payloadSegment, const QByteArray &signature = "c2ln")
{
    return QString::fromLatin1(headerSegment + '.' + payloadSegment + '.' + signature);
}
} // namespace

class TestJwtView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesValidHs256();
    void surroundingWhitespaceIsIgnored();
    void timeClaims();
    void timeClaimEdgeCases_data();
    void timeClaimEdgeCases();
    void scopes_data();
    void scopes();
    void opaqueTokens_data();
    void opaqueTokens();
    void malformedTokens_data();
    void malformedTokens();
    void unsignedTokens_data();
    void unsignedTokens();
    void largePayloadDecodes();
    void oversizedTokenIsMalformed();
    void base64UrlDecode_data();
    void base64UrlDecode();
};

void TestJwtView::decodesValidHs256()
{
    const QJsonObject claims{{u"sub"_s, u"1234567890"_s},
                             {u"name"_s, u"John Doe"_s},
                             {u"iat"_s, 1516239022},
                             {u"aud"_s, QJsonArray{u"api"_s, u"ui"_s}}};
    const JwtView view = JwtView::decode(makeJwt(claims));

    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    QVERIFY(view.isJwt());
    QVERIFY(view.problem().isEmpty());
    QCOMPARE(view.header(), hs256Header());
    QCOMPARE(view.claims(), claims);
    QCOMPARE(view.algorithm(), u"HS256"_s);
    QVERIFY(!view.isUnsigned());
    QCOMPARE(view.claims().value(u"sub"_s).toString(), u"1234567890"_s);
}

void TestJwtView::surroundingWhitespaceIsIgnored()
{
    const QJsonObject claims{{u"sub"_s, u"x"_s}};
    const JwtView view = JwtView::decode(u"  "_s + makeJwt(claims) + u"\r\n"_s);
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    QCOMPARE(view.claims(), claims);
}

void TestJwtView::timeClaims()
{
    const JwtView view = JwtView::decode(makeJwt({{u"exp"_s, 1700003600}, {u"iat"_s, 1700000000}, {u"nbf"_s, 1699999990}}));
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);

    const auto exp = view.expiresAt();
    const auto iat = view.issuedAt();
    const auto nbf = view.notBefore();
    QVERIFY(exp.has_value());
    QVERIFY(iat.has_value());
    QVERIFY(nbf.has_value());

    QCOMPARE(exp->timeSpec(), Qt::UTC);
    QCOMPARE(iat->timeSpec(), Qt::UTC);
    QCOMPARE(nbf->timeSpec(), Qt::UTC);
    QCOMPARE(*iat, QDateTime(QDate(2023, 11, 14), QTime(22, 13, 20), Qt::UTC));
    QCOMPARE(exp->toSecsSinceEpoch(), Q_INT64_C(1700003600));
    QCOMPARE(nbf->toSecsSinceEpoch(), Q_INT64_C(1699999990));
    QCOMPARE(iat->secsTo(*exp), Q_INT64_C(3600));

    QVERIFY(view.timeClaim(u"exp"_s) == exp);
    QVERIFY(!view.timeClaim(u"auth_time"_s).has_value());
}

void TestJwtView::timeClaimEdgeCases_data()
{
    QTest::addColumn<QByteArray>("claimsJson");
    QTest::addColumn<bool>("hasTime");
    QTest::addColumn<qint64>("expectedSecs");

    QTest::newRow("epoch") << QByteArray(R"({"exp":0})") << true << qint64(0);
    QTest::newRow("before epoch") << QByteArray(R"({"exp":-1})") << true << qint64(-1);
    QTest::newRow("fraction truncated") << QByteArray(R"({"exp":1700000000.75})") << true << qint64(1700000000);
    QTest::newRow("last second of 9999") << QByteArray(R"({"exp":253402300799})") << true << qint64(253402300799);
    QTest::newRow("year 10000") << QByteArray(R"({"exp":253402300800})") << false << qint64(0);
    QTest::newRow("1e15 far future") << QByteArray(R"({"exp":1e15})") << false << qint64(0);
    QTest::newRow("-1e15 far past") << QByteArray(R"({"exp":-1e15})") << false << qint64(0);
    QTest::newRow("1e300") << QByteArray(R"({"exp":1e300})") << false << qint64(0);
    QTest::newRow("-1e300") << QByteArray(R"({"exp":-1e300})") << false << qint64(0);
    QTest::newRow("string") << QByteArray(R"({"exp":"1700000000"})") << false << qint64(0);
    QTest::newRow("null") << QByteArray(R"({"exp":null})") << false << qint64(0);
    QTest::newRow("bool") << QByteArray(R"({"exp":true})") << false << qint64(0);
    QTest::newRow("object") << QByteArray(R"({"exp":{"v":1}})") << false << qint64(0);
    QTest::newRow("absent") << QByteArray(R"({"sub":"x"})") << false << qint64(0);
}

void TestJwtView::timeClaimEdgeCases()
{
    QFETCH(QByteArray, claimsJson);
    QFETCH(bool, hasTime);
    QFETCH(qint64, expectedSecs);

    const JwtView view = JwtView::decode(rawJwt(b64url(hs256Header()), b64url(claimsJson)));
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    const auto exp = view.expiresAt();
    QCOMPARE(exp.has_value(), hasTime);
    if (hasTime) {
        QVERIFY(exp->isValid());
        QCOMPARE(exp->timeSpec(), Qt::UTC);
        QCOMPARE(exp->toSecsSinceEpoch(), expectedSecs);
    }
}

void TestJwtView::scopes_data()
{
    QTest::addColumn<QJsonObject>("claims");
    QTest::addColumn<std::optional<QStringList>>("expected");

    QTest::newRow("scope string") << QJsonObject{{u"scope"_s, u"accounts:read trades:write"_s}}
                                  << std::optional<QStringList>(QStringList{u"accounts:read"_s, u"trades:write"_s});
    QTest::newRow("scope string with extra spaces") << QJsonObject{{u"scope"_s, u"  a   b "_s}}
                                                    << std::optional<QStringList>(QStringList{u"a"_s, u"b"_s});
    QTest::newRow("scp array") << QJsonObject{{u"scp"_s, QJsonArray{u"a"_s, u"b"_s}}}
                               << std::optional<QStringList>(QStringList{u"a"_s, u"b"_s});
    QTest::newRow("scp string") << QJsonObject{{u"scp"_s, u"a b"_s}} << std::optional<QStringList>(QStringList{u"a"_s, u"b"_s});
    QTest::newRow("scope wins over scp") << QJsonObject{{u"scope"_s, u"from-scope"_s}, {u"scp"_s, QJsonArray{u"from-scp"_s}}}
                                         << std::optional<QStringList>(QStringList{u"from-scope"_s});
    QTest::newRow("empty scope string is present") << QJsonObject{{u"scope"_s, u""_s}} << std::optional<QStringList>(QStringList());
    QTest::newRow("neither") << QJsonObject{{u"sub"_s, u"x"_s}} << std::optional<QStringList>();
}

void TestJwtView::scopes()
{
    QFETCH(QJsonObject, claims);
    QFETCH(std::optional<QStringList>, expected);

    const JwtView view = JwtView::decode(makeJwt(claims));
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    const auto actual = view.scopes();
    QCOMPARE(actual.has_value(), expected.has_value());
    if (expected)
        QCOMPARE(*actual, *expected);
}

void TestJwtView::opaqueTokens_data()
{
    QTest::addColumn<QString>("token");

    QTest::newRow("seed doc opaque token") << u"FOEtUHwg0das9PhsasVmgMGbZn7nWSgK"_s;
    QTest::newRow("github style") << u"gho_16C7e42F292c6912E7710c838347Ae178B4a"_s;
    QTest::newRow("uuid") << u"2f1b6c2e-5d4c-4f5e-9a43-3b1f0c6d7e8a"_s;
    QTest::newRow("dotted but not base64 json") << u"abc.def.ghi"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("whitespace only") << u"   "_s;
}

void TestJwtView::opaqueTokens()
{
    QFETCH(QString, token);
    const JwtView view = JwtView::decode(token);
    QCOMPARE(view.kind(), JwtView::Kind::Opaque);
    QVERIFY(!view.isJwt());
    QVERIFY(!view.isUnsigned());
    QVERIFY(view.problem().isEmpty());
    QVERIFY(view.header().isEmpty());
    QVERIFY(view.claims().isEmpty());
    QVERIFY(!view.expiresAt().has_value());
    QVERIFY(!view.scopes().has_value());
}

void TestJwtView::malformedTokens_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("problemMentions");

    const QByteArray header = b64url(hs256Header());
    const QByteArray payload = b64url(QJsonObject{{u"sub"_s, u"x"_s}, {u"exp"_s, 1700000000}});

    QTest::newRow("2 segments") << QString::fromLatin1(header + '.' + payload) << QString();
    QTest::newRow("2 segments, trailing dot missing signature and payload") << QString::fromLatin1(header + '.') << QString();
    QTest::newRow("4 segments") << QString::fromLatin1(header + '.' + payload + ".c2ln.c2ln") << QString();
    QTest::newRow("5 segments (JWE)")
        << QString::fromLatin1(b64url(QJsonObject{{u"alg"_s, u"RSA-OAEP"_s}, {u"enc"_s, u"A256GCM"_s}})
                               + ".OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ")
        << u"JWE"_s;
    QTest::newRow("bad base64url char '+' in header") << rawJwt("eyJ+bGciOiJIUzI1NiJ9", payload) << QString();
    QTest::newRow("bad base64url char '/' in header") << rawJwt("eyJ/bGciOiJIUzI1NiJ9", payload) << QString();
    QTest::newRow("padding in header") << rawJwt(header + "==", payload) << QString();
    QTest::newRow("header length 1 mod 4") << rawJwt("eyJhY", payload) << QString();
    QTest::newRow("header not JSON") << rawJwt(b64url(QByteArrayLiteral("{\"alg\":\"HS256\"")), payload) << QString();
    QTest::newRow("header is garbage after eyJ") << rawJwt(b64url(QByteArrayLiteral("{\"a\x01\x02\xff")), payload) << QString();
    QTest::newRow("payload not JSON") << rawJwt(header, b64url(QByteArrayLiteral("this is not json"))) << QString();
    QTest::newRow("payload truncated JSON") << rawJwt(header, b64url(QByteArrayLiteral("{\"sub\":\"x\""))) << QString();
    QTest::newRow("payload is a JSON array") << rawJwt(header, b64url(QByteArrayLiteral("[1,2,3]"))) << QString();
    QTest::newRow("payload is a JSON string") << rawJwt(header, b64url(QByteArrayLiteral("\"sub\""))) << QString();
    QTest::newRow("payload bad base64url") << rawJwt(header, "eyJzdWIiOiJ4In0*") << QString();
    QTest::newRow("payload empty") << rawJwt(header, "") << QString();
    QTest::newRow("signature bad base64url") << rawJwt(header, payload, "c2ln+/==") << QString();
}

void TestJwtView::malformedTokens()
{
    QFETCH(QString, token);
    QFETCH(QString, problemMentions);

    const JwtView view = JwtView::decode(token);
    QCOMPARE(view.kind(), JwtView::Kind::Malformed);
    QVERIFY(!view.isJwt());
    QVERIFY(!view.isUnsigned());
    QVERIFY2(!view.problem().isEmpty(), qPrintable(token));
    if (!problemMentions.isEmpty())
        QVERIFY2(view.problem().contains(problemMentions), qPrintable(view.problem()));
    // Nothing half-decoded is exposed.
    QVERIFY(view.claims().isEmpty());
    QVERIFY(!view.expiresAt().has_value());
}

void TestJwtView::unsignedTokens_data()
{
    QTest::addColumn<QJsonObject>("header");
    QTest::addColumn<QByteArray>("signature");
    QTest::addColumn<bool>("isUnsigned");

    QTest::newRow("alg none, empty signature") << QJsonObject{{u"alg"_s, u"none"_s}} << QByteArray() << true;
    QTest::newRow("alg None") << QJsonObject{{u"alg"_s, u"None"_s}, {u"typ"_s, u"JWT"_s}} << QByteArray() << true;
    QTest::newRow("alg NONE with signature") << QJsonObject{{u"alg"_s, u"NONE"_s}} << QByteArray("c2ln") << true;
    QTest::newRow("HS256") << hs256Header() << QByteArray("c2ln") << false;
    QTest::newRow("RS256") << QJsonObject{{u"alg"_s, u"RS256"_s}, {u"kid"_s, u"k1"_s}} << QByteArray("c2ln") << false;
    QTest::newRow("no alg") << QJsonObject{{u"typ"_s, u"JWT"_s}} << QByteArray("c2ln") << false;
}

void TestJwtView::unsignedTokens()
{
    QFETCH(QJsonObject, header);
    QFETCH(QByteArray, signature);
    QFETCH(bool, isUnsigned);

    const JwtView view = JwtView::decode(makeJwt({{u"sub"_s, u"x"_s}}, header, signature));
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    QCOMPARE(view.algorithm(), header.value(u"alg"_s).toString());
    QCOMPARE(view.isUnsigned(), isUnsigned);
}

void TestJwtView::largePayloadDecodes()
{
    const QString blob(1024 * 1024, u'a');
    const QJsonObject claims{{u"sub"_s, u"big"_s}, {u"exp"_s, 1700000000}, {u"blob"_s, blob}};
    const QString token = makeJwt(claims);
    QVERIFY(token.size() > 1024 * 1024);
    QVERIFY(token.size() < 2 * 1024 * 1024);

    const JwtView view = JwtView::decode(token);
    QCOMPARE(view.kind(), JwtView::Kind::Jwt);
    QCOMPARE(view.claims().value(u"blob"_s).toString().size(), blob.size());
    QCOMPARE(view.claims().value(u"sub"_s).toString(), u"big"_s);
    QVERIFY(view.expiresAt().has_value());
}

void TestJwtView::oversizedTokenIsMalformed()
{
    const QString blob(1700 * 1024, u'a');
    const QString token = makeJwt({{u"sub"_s, u"huge"_s}, {u"blob"_s, blob}});
    QVERIFY(token.size() > 2 * 1024 * 1024);

    const JwtView view = JwtView::decode(token);
    QCOMPARE(view.kind(), JwtView::Kind::Malformed);
    QVERIFY(!view.problem().isEmpty());
    QVERIFY(view.claims().isEmpty());
}

void TestJwtView::base64UrlDecode_data()
{
    QTest::addColumn<QByteArray>("segment");
    QTest::addColumn<bool>("expectedOk");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QByteArray() << true << QByteArray();
    QTest::newRow("1 byte, no padding") << QByteArray("Zg") << true << QByteArray("f");
    QTest::newRow("2 bytes, no padding") << QByteArray("Zm8") << true << QByteArray("fo");
    QTest::newRow("3 bytes") << QByteArray("Zm9v") << true << QByteArray("foo");
    QTest::newRow("url alphabet") << QByteArray("_-8") << true << QByteArray("\xff\xef");
    QTest::newRow("json") << QByteArray("eyJhbGciOiJIUzI1NiJ9") << true << QByteArray(R"({"alg":"HS256"})");
    QTest::newRow("length 1") << QByteArray("Z") << false << QByteArray();
    QTest::newRow("length 5") << QByteArray("Zm9vY") << false << QByteArray();
    QTest::newRow("length 9") << QByteArray("Zm9vYmFyY") << false << QByteArray();
    QTest::newRow("plus") << QByteArray("Zm+v") << false << QByteArray();
    QTest::newRow("slash") << QByteArray("Zm/v") << false << QByteArray();
    QTest::newRow("padding ==") << QByteArray("Zg==") << false << QByteArray();
    QTest::newRow("padding =") << QByteArray("Zm8=") << false << QByteArray();
    QTest::newRow("space") << QByteArray("Zm 9v") << false << QByteArray();
    QTest::newRow("newline") << QByteArray("Zm9v\n") << false << QByteArray();
    QTest::newRow("dot") << QByteArray("Zm.v") << false << QByteArray();
    QTest::newRow("non-ascii") << QByteArray("Zm\xc3\xa9v") << false << QByteArray();
}

void TestJwtView::base64UrlDecode()
{
    QFETCH(QByteArray, segment);
    QFETCH(bool, expectedOk);
    QFETCH(QByteArray, expected);

    bool ok = !expectedOk; // make sure the function sets it either way
    const QByteArray decoded = JwtView::base64UrlDecode(segment, &ok);
    QCOMPARE(ok, expectedOk);
    QCOMPARE(decoded, expected);
}

QTEST_GUILESS_MAIN(TestJwtView)
#include "tst_jwtview.moc"
