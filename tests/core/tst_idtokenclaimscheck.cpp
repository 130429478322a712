#include "jwt/IdTokenClaimsCheck.h"
#include "support/JwsTestKeys.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

// OpenID Connect Core §3.1.3.7: each claim an ID token must pass, and each way it can fail.
class TestIdTokenClaimsCheck : public QObject
{
    Q_OBJECT

private:
    const QDateTime m_now = QDateTime(QDate(2026, 12, 3), QTime(12, 0), Qt::UTC);
    const IdTokenClaimsCheck::Expected m_expected{QUrl(u"https://id.example.test/realm"_s), u"tb-native"_s, u"n-0S6_WzA2Mj"_s};
    JwsTestKeys::Key m_key = JwsTestKeys::generate(u"RS256"_s);

    QJsonObject goodClaims() const
    {
        return {{u"iss"_s, u"https://id.example.test/realm"_s},
                {u"sub"_s, u"acct-ana-0001"_s},
                {u"aud"_s, u"tb-native"_s},
                {u"exp"_s, m_now.toSecsSinceEpoch() + 300},
                {u"iat"_s, m_now.toSecsSinceEpoch() - 5},
                {u"nonce"_s, u"n-0S6_WzA2Mj"_s}};
    }

    QString idToken(const QJsonObject &claims) const { return JwsTestKeys::token(m_key, u"RS256"_s, u"k1"_s, claims); }

private Q_SLOTS:
    void aGoodIdTokenIsValid()
    {
        const IdTokenClaimsCheck check = IdTokenClaimsCheck::check(idToken(goodClaims()), m_expected, m_now);
        QVERIFY2(check.isValid(), qPrintable(check.summary()));
        QCOMPARE(check.summary(), u"claims valid (iss, aud, exp, iat, nonce)"_s);
        QCOMPARE(IdTokenClaimsCheck::statusName(check.status()), u"valid"_s);
    }

    void severalAudiencesWithAzpNamingTheClient()
    {
        QJsonObject claims = goodClaims();
        claims[u"aud"_s] = QJsonArray{u"urn:api"_s, u"tb-native"_s};
        claims[u"azp"_s] = u"tb-native"_s;
        const IdTokenClaimsCheck check = IdTokenClaimsCheck::check(idToken(claims), m_expected, m_now);
        QVERIFY2(check.isValid(), qPrintable(check.summary()));
        QCOMPARE(check.reason(), u"iss, aud, azp, exp, iat, nonce"_s);
    }

    void noNonceSentNoneChecked()
    {
        QJsonObject claims = goodClaims();
        claims.remove(u"nonce"_s);
        IdTokenClaimsCheck::Expected expected = m_expected;
        expected.nonce.clear();
        const IdTokenClaimsCheck check = IdTokenClaimsCheck::check(idToken(claims), expected, m_now);
        QVERIFY2(check.isValid(), qPrintable(check.summary()));
        QCOMPARE(check.reason(), u"iss, aud, exp, iat"_s);
    }

    void expiredWithinTheLeewayIsStillValid()
    {
        QJsonObject claims = goodClaims();
        claims[u"exp"_s] = m_now.toSecsSinceEpoch() - IdTokenClaimsCheck::leewaySeconds + 1;
        QVERIFY(IdTokenClaimsCheck::check(idToken(claims), m_expected, m_now).isValid());
    }

    void refusals_data()
    {
        QTest::addColumn<QJsonObject>("claims");
        QTest::addColumn<QString>("reason");
        const auto with = [this](const QString &name, const QJsonValue &value) {
            QJsonObject claims = goodClaims();
            if (value.isUndefined())
                claims.remove(name);
            else
                claims[name] = value;
            return claims;
        };
        const QJsonValue removed = QJsonValue(QJsonValue::Undefined);
        QTest::newRow("no iss") << with(u"iss"_s, removed) << u"no iss claim"_s;
        QTest::newRow("another issuer") << with(u"iss"_s, u"https://evil.example.test/realm"_s)
                                        << u"iss is https://evil.example.test/realm, not the environment's issuer https://id.example.test/realm"_s;
        QTest::newRow("issuer with a trailing slash") << with(u"iss"_s, u"https://id.example.test/realm/"_s) << u"not the environment's issuer"_s;
        QTest::newRow("no aud") << with(u"aud"_s, removed) << u"no aud claim"_s;
        QTest::newRow("another client") << with(u"aud"_s, u"tb-other"_s) << u"aud (tb-other) does not contain the client id tb-native"_s;
        QTest::newRow("aud not strings") << with(u"aud"_s, QJsonArray{u"tb-native"_s, 7}) << u"not a string"_s;
        QTest::newRow("several audiences, no azp") << with(u"aud"_s, QJsonArray{u"tb-native"_s, u"urn:api"_s})
                                                   << u"several audiences (tb-native, urn:api) and no azp"_s;
        QJsonObject otherAzp = with(u"azp"_s, u"tb-other"_s);
        QTest::newRow("azp another client") << otherAzp << u"azp is tb-other, not the client id tb-native"_s;
        QTest::newRow("no exp") << with(u"exp"_s, removed) << u"no exp claim"_s;
        QTest::newRow("exp not a number") << with(u"exp"_s, u"tomorrow"_s) << u"no exp claim"_s;
        QTest::newRow("expired") << with(u"exp"_s, m_now.toSecsSinceEpoch() - IdTokenClaimsCheck::leewaySeconds - 1)
                                 << u"it expired at 2026-12-03T11:58:59Z"_s;
        QTest::newRow("no iat") << with(u"iat"_s, removed) << u"no iat claim"_s;
        QTest::newRow("no nonce") << with(u"nonce"_s, removed) << u"no nonce claim, though the authorization request sent one"_s;
        QTest::newRow("another nonce") << with(u"nonce"_s, u"replayed"_s) << u"nonce is not the one the authorization request sent"_s;
    }

    void refusals()
    {
        QFETCH(QJsonObject, claims);
        QFETCH(QString, reason);
        const IdTokenClaimsCheck check = IdTokenClaimsCheck::check(idToken(claims), m_expected, m_now);
        QCOMPARE(check.status(), IdTokenClaimsCheck::Status::Invalid);
        QVERIFY2(check.reason().contains(reason), qPrintable(check.reason()));
        QVERIFY2(check.summary().startsWith(u"claims NOT valid: "_s), qPrintable(check.summary()));
        // The nonce itself is never part of what is shown.
        QVERIFY(!check.summary().contains(m_expected.nonce));
    }

    void notAJwtIsInvalid()
    {
        QCOMPARE(IdTokenClaimsCheck::check(u"opaque-id-token"_s, m_expected, m_now).status(), IdTokenClaimsCheck::Status::Invalid);
        QCOMPARE(IdTokenClaimsCheck::check(u"eyJ.bad.x"_s, m_expected, m_now).status(), IdTokenClaimsCheck::Status::Invalid);
    }

    void noIssuerToCompareWithIsNotChecked()
    {
        IdTokenClaimsCheck::Expected expected = m_expected;
        expected.issuer = QUrl();
        const IdTokenClaimsCheck check = IdTokenClaimsCheck::check(idToken(goodClaims()), expected, m_now);
        QCOMPARE(check.status(), IdTokenClaimsCheck::Status::NotChecked);
        QVERIFY2(check.summary().startsWith(u"claims not checked: the environment has no issuer"_s), qPrintable(check.summary()));
    }
};

QTEST_GUILESS_MAIN(TestIdTokenClaimsCheck)
#include "tst_idtokenclaimscheck.moc"
