#include "oauth/OAuthError.h"
#include "util/EpochTime.h"
#include "workspace/EnvironmentChange.h"

#include <QJsonValue>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

// Small facts the GUI acts on: which numbers are times (EpochTime), which scopes an invalid_scope
// error blames (OAuthError::refusedScopes), which environment edits cost the token
// (EnvironmentChange).
class TestTokenFacts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timesByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected"); // empty: not a time
        QTest::newRow("iat") << u"iat"_s << 1740830400.0 << u"2025-03-01 12:00:00 UTC"_s;
        QTest::newRow("exp") << u"exp"_s << 1740834000.0 << u"2025-03-01 13:00:00 UTC"_s;
        QTest::newRow("auth_time") << u"auth_time"_s << 1740830000.0 << u"2025-03-01 11:53:20 UTC"_s;
        QTest::newRow("created_at") << u"created_at"_s << 1740830400.0 << u"2025-03-01 12:00:00 UTC"_s;
        QTest::newRow("createdAt") << u"createdAt"_s << 1740830400.0 << u"2025-03-01 12:00:00 UTC"_s;
        QTest::newRow("expires_at_ms") << u"expires_at_ms"_s << 1741000000000.0 << u"2025-03-03 11:06:40 UTC"_s;
        QTest::newRow("timestamp in ms by size") << u"timestamp"_s << 1740830400000.0 << u"2025-03-01 12:00:00 UTC"_s;
        QTest::newRow("last_login_time") << u"last_login_time"_s << 1740830400.0 << u"2025-03-01 12:00:00 UTC"_s;
        QTest::newRow("expires_in is a duration") << u"expires_in"_s << 1740830400.0 << QString();
        QTest::newRow("format is not a time") << u"format"_s << 1740830400.0 << QString();
        QTest::newRow("lifetime is not a moment") << u"lifetime"_s << 1740830400.0 << QString();
        QTest::newRow("an id is not a time") << u"customer_id"_s << 1740830400.0 << QString();
        QTest::newRow("too small to be a date") << u"updated_at"_s << 3600.0 << QString();
        QTest::newRow("past 2100") << u"created_at"_s << 5000000000.0 << QString();
    }

    void timesByName()
    {
        QFETCH(QString, name);
        QFETCH(double, value);
        QFETCH(QString, expected);
        const auto when = EpochTime::fromField(name, QJsonValue(value));
        QCOMPARE(when ? EpochTime::utcText(*when) : QString(), expected);
    }

    void aTimeMustBeANumber()
    {
        QVERIFY(!EpochTime::fromField(u"created_at"_s, QJsonValue(u"1740830400"_s)));
    }

    void refusedScopesAreTheOnesTheErrorNames()
    {
        OAuthError error;
        error.kind = OAuthError::Kind::Protocol;
        error.code = u"invalid_scope"_s;
        error.description = u"Unknown scope: accounts:admin; GET /scopes lists the catalog"_s;
        QCOMPARE(error.refusedScopes({u"accounts:read"_s, u"accounts:admin"_s}), QStringList{u"accounts:admin"_s});
        // Whole scopes only: "accounts:read" is not named by "accounts:read-all".
        error.description = u"The scope \"accounts:read-all\" is not allowed for this client."_s;
        QCOMPARE(error.refusedScopes({u"accounts:read"_s, u"accounts:read-all"_s}), QStringList{u"accounts:read-all"_s});
        // Several, in prose punctuation.
        error.description = u"Scopes not allowed: a:write, b:write."_s;
        QCOMPARE(error.refusedScopes({u"a:read"_s, u"a:write"_s, u"b:write"_s}), (QStringList{u"a:write"_s, u"b:write"_s}));
        // Nothing named: only a lone requested scope can be the one.
        error.description = u"invalid scope"_s;
        QCOMPARE(error.refusedScopes({u"a:read"_s}), QStringList{u"a:read"_s});
        QVERIFY(error.refusedScopes({u"a:read"_s, u"b:read"_s}).isEmpty());
        // Another error blames no scope.
        error.code = u"invalid_client"_s;
        error.description = u"a:read"_s;
        QVERIFY(error.refusedScopes({u"a:read"_s}).isEmpty());
    }

    void onlyWhatTheTokenIsFetchedWithCostsIt()
    {
        Environment before;
        before.id = u"e1"_s;
        before.name = u"Staging"_s;
        before.tokenUrl = QUrl(u"https://auth.example.com/token"_s);
        before.apiBaseUrl = QUrl(u"https://api.example.com/"_s);
        before.clientId = u"client"_s;
        before.scopes = {u"a:read"_s};
        before.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}};
        before.variables = {{u"userId"_s, u"1"_s}};

        Environment after = before;
        after.name = u"Staging EU"_s;
        after.tier = Tier::Production;
        after.apiBaseUrl = QUrl(u"https://api.eu.example.com/"_s);
        after.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}-eu"_s}};
        after.variables = {{u"userId"_s, u"2"_s}};
        QVERIFY(!EnvironmentChange::affectsToken(before, after));

        const QList<std::function<void(Environment &)>> changes = {
            [](Environment &e) { e.tokenUrl = QUrl(u"https://auth.example.com/other"_s); },
            [](Environment &e) { e.clientId = u"other"_s; },
            [](Environment &e) { e.clientAuth = ClientAuthStyle::Json; },
            [](Environment &e) { e.grant = GrantType::Password; },
            [](Environment &e) { e.username = u"someone"_s; },
            [](Environment &e) { e.scopes = {u"a:read"_s, u"a:write"_s}; },
            [](Environment &e) { e.params = {{u"audience"_s, u"api"_s, false}}; },
            [](Environment &e) { e.trustedCertificates = "-----BEGIN CERTIFICATE-----"; },
            [](Environment &e) { e.allowInsecureHttp = true; },
        };
        for (qsizetype i = 0; i < changes.size(); ++i) {
            Environment changed = before;
            changes.at(i)(changed);
            QVERIFY2(EnvironmentChange::affectsToken(before, changed), qPrintable(QString::number(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenFacts)
#include "tst_tokenfacts.moc"
