#include "http/DenialReadout.h"

#include <QJsonArray>
#include <QTimeZone>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QDateTime now = QDateTime(QDate(2024, 5, 23), QTime(12, 0, 0), QTimeZone::utc());

AccessToken token(const QStringList &granted, const QDateTime &expiresAt = now.addSecs(300))
{
    AccessToken t;
    t.value = u"opaque-token"_s;
    t.tokenType = u"Bearer"_s;
    t.obtainedAt = now.addSecs(-10);
    t.expiresAt = expiresAt;
    t.requestedScopes = granted;
    t.grantedScopes = granted;
    t.scopeSource = AccessToken::ScopeSource::Response;
    return t;
}

HttpHeaders wwwAuthenticate(const QByteArray &value)
{
    HttpHeaders headers;
    headers.append("WWW-Authenticate", value);
    return headers;
}
} // namespace

class TestDenialReadout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unauthorized_data()
    {
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<bool>("tokenSent");
        QTest::addColumn<QDateTime>("expiresAt");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("summaryPart");

        const QDateTime later = now.addSecs(300);
        QTest::newRow("missing") << "Bearer realm=\"demo\""_ba << false << later << int(DenialReadout::Kind::MissingToken) << u"no access token"_s;
        QTest::newRow("expired by description")
            << R"(Bearer realm="demo", error="invalid_token", error_description="The access token expired")"_ba << true << later
            << int(DenialReadout::Kind::ExpiredToken) << u"expired"_s;
        QTest::newRow("expired by our clock") << R"(Bearer error="invalid_token")"_ba << true << now.addSecs(-1)
                                              << int(DenialReadout::Kind::ExpiredToken) << u"expired"_s;
        QTest::newRow("invalid") << R"(Bearer error="invalid_token", error_description="signature mismatch")"_ba << true << later
                                 << int(DenialReadout::Kind::InvalidToken) << u"rejected the access token as invalid"_s;
        QTest::newRow("no error code") << "Bearer realm=\"demo\""_ba << true << later << int(DenialReadout::Kind::InvalidToken)
                                       << u"no error code given"_s;
        QTest::newRow("no challenge at all") << QByteArray() << true << later << int(DenialReadout::Kind::InvalidToken)
                                             << u"no WWW-Authenticate"_s;
        QTest::newRow("invalid request") << R"(Bearer error="invalid_request")"_ba << true << later
                                         << int(DenialReadout::Kind::Unauthorized) << u"invalid_request"_s;
        QTest::newRow("the request's own credential")
            << R"(Bearer error="invalid_token")"_ba << false << later << int(DenialReadout::Kind::InvalidToken)
            << u"credential this request carried"_s;
        QTest::newRow("other scheme") << R"(Basic realm="proxy")"_ba << true << later << int(DenialReadout::Kind::Unauthorized)
                                      << u"asks for Basic authentication"_s;
    }

    void unauthorized()
    {
        QFETCH(QByteArray, challenge);
        QFETCH(bool, tokenSent);
        QFETCH(QDateTime, expiresAt);
        QFETCH(int, kind);
        QFETCH(QString, summaryPart);
        const HttpHeaders headers = challenge.isEmpty() ? HttpHeaders() : wwwAuthenticate(challenge);
        const DenialReadout r = DenialReadout::explain(401, "Unauthorized", headers, {}, token({u"a"_s}, expiresAt), tokenSent, now);
        QCOMPARE(int(r.kind), kind);
        QVERIFY2(r.summary.startsWith(u"401 Unauthorized — "_s), qPrintable(r.summary));
        QVERIFY2(r.summary.contains(summaryPart), qPrintable(r.summary));
        QVERIFY(!r.hint.isEmpty());
        QCOMPARE(r.tokenRejected(), kind == int(DenialReadout::Kind::ExpiredToken) || kind == int(DenialReadout::Kind::InvalidToken));
    }

    void insufficientScopeFromChallenge()
    {
        const DenialReadout r = DenialReadout::explain(
            403, "Forbidden", wwwAuthenticate(R"(Bearer realm="demo", error="insufficient_scope", scope="trades:execute")"),
            R"({"error":"insufficient_scope","required_scope":"trades:execute","message":"needs trades:execute"})",
            token({u"accounts:read"_s, u"trades:read"_s}), true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::InsufficientScope);
        QCOMPARE(r.summary, u"403 Forbidden — insufficient scope: needs trades:execute; your token has accounts:read trades:read"_s);
        QCOMPARE(r.requiredScopes, QStringList{u"trades:execute"_s});
        QCOMPARE(r.missingScopes, QStringList{u"trades:execute"_s});
        QVERIFY(r.hint.contains(u"trades:execute"_s));
        const QJsonObject json = r.toJson();
        QCOMPARE(json.value(u"missing_scopes"_s).toArray(), QJsonArray{u"trades:execute"_s});
        QCOMPARE(json.value(u"granted_scopes"_s).toArray().size(), 2);
    }

    void insufficientScopeFromBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("required");
        QTest::newRow("required_scope") << R"({"required_scope":"customers:write"})"_ba << QStringList{u"customers:write"_s};
        QTest::newRow("scope string") << R"({"error":"insufficient_scope","scope":"a:write b:write"})"_ba << QStringList{u"a:write"_s, u"b:write"_s};
        QTest::newRow("scopes array") << R"({"scopes":["x:read","y:read"]})"_ba << QStringList{u"x:read"_s, u"y:read"_s};
        QTest::newRow("named nowhere") << R"({"error":"insufficient_scope"})"_ba << QStringList{};
    }

    void insufficientScopeFromBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, required);
        const DenialReadout r = DenialReadout::explain(403, {}, {}, body, token({u"accounts:read"_s}), true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::InsufficientScope);
        QCOMPARE(r.requiredScopes, required);
        QVERIFY2(r.summary.contains(u"your token has accounts:read"_s), qPrintable(r.summary));
        if (required.isEmpty())
            QVERIFY(r.summary.contains(u"names no scope"_s));
        else
            QVERIFY(r.summary.contains(u"needs "_s + required.join(u' ')));
    }

    void actingOnBehalfIsExplained()
    {
        const DenialReadout r = DenialReadout::explain(
            403, "Forbidden", wwwAuthenticate(R"(Bearer error="insufficient_scope", scope="core.users:act-on-behalf-of")"), {},
            token({u"accounts:read"_s, u"trades:read"_s}), true, now);
        QVERIFY(r.summary.contains(u"needs core.users:act-on-behalf-of; your token has accounts:read trades:read"_s));
        QVERIFY2(r.hint.contains(u"X-On-Behalf-Of"_s), qPrintable(r.hint));
    }

    void scopeHeldButStillForbidden()
    {
        const DenialReadout r = DenialReadout::explain(403, {}, wwwAuthenticate(R"(Bearer error="insufficient_scope", scope="a")"), {},
                                                       token({u"a"_s}), true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::InsufficientScope);
        QVERIFY(r.missingScopes.isEmpty());
        QVERIFY(r.summary.contains(u"which your token has"_s));
    }

    void scopesNotReported()
    {
        AccessToken t = token({u"a"_s});
        t.scopeSource = AccessToken::ScopeSource::NotReported;
        t.grantedScopes.clear();
        const DenialReadout r = DenialReadout::explain(403, {}, {}, R"({"required_scope":"b"})", t, true, now);
        QVERIFY(r.summary.contains(u"did not report your token's scopes (requested: a)"_s));
        QCOMPARE(r.missingScopes, QStringList{u"b"_s});
        QVERIFY(r.toJson().value(u"granted_scopes"_s).isNull());
    }

    void plainForbidden()
    {
        const DenialReadout r = DenialReadout::explain(403, {}, {}, R"({"message":"Account suspended"})", token({u"a"_s}), true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::Forbidden);
        QVERIFY(r.summary.contains(u"Account suspended"_s));
    }

    void conflictReasons()
    {
        // Seed 003, verbatim.
        const QByteArray body = R"({
  "code": "operation-not-allowed",
  "message": "The current status of the user does not allow calling this endpoint",
  "reasons": ["user-blocked"]
})";
        const DenialReadout r = DenialReadout::explain(409, "Conflict", {}, body, token({u"a"_s}), true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::Conflict);
        QCOMPARE(r.reasons, QStringList{u"user-blocked"_s});
        QCOMPARE(r.summary, u"409 Conflict — user-blocked: The current status of the user does not allow calling this endpoint (code operation-not-allowed)"_s);
        QVERIFY(r.hint.contains(u"blocked"_s));
        QCOMPARE(r.toJson().value(u"reasons"_s).toArray(), QJsonArray{u"user-blocked"_s});

        const DenialReadout objects = DenialReadout::explain(409, {}, {}, R"({"reasons":[{"code":"a"},{"reason":"b"},7]})", std::nullopt, false, now);
        QCOMPARE(objects.reasons, (QStringList{u"a"_s, u"b"_s}));
        const DenialReadout none = DenialReadout::explain(409, {}, {}, "<html>conflict</html>", std::nullopt, false, now);
        QVERIFY(none.reasons.isEmpty());
        QVERIFY(none.summary.startsWith(u"409 Conflict — "_s));
    }

    void retryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("seconds"); // -1: not understood
        QTest::newRow("seconds") << "120"_ba << qint64(120);
        QTest::newRow("zero") << "0"_ba << qint64(0);
        QTest::newRow("spaces") << "  7 "_ba << qint64(7);
        QTest::newRow("imf-fixdate") << "Thu, 23 May 2024 12:01:30 GMT"_ba << qint64(90);
        QTest::newRow("rfc 850") << "Thursday, 23-May-24 12:02:00 GMT"_ba << qint64(120);
        QTest::newRow("asctime") << "Thu May 23 12:00:05 2024"_ba << qint64(5);
        QTest::newRow("date in the past") << "Thu, 23 May 2024 11:00:00 GMT"_ba << qint64(0);
        QTest::newRow("huge") << "99999999999999999999999"_ba << qint64(10LL * 365 * 24 * 3600);
        QTest::newRow("negative") << "-5"_ba << qint64(-1);
        QTest::newRow("fraction") << "1.5"_ba << qint64(-1);
        QTest::newRow("garbage") << "soon"_ba << qint64(-1);
        QTest::newRow("empty") << ""_ba << qint64(-1);
        QTest::newRow("bad date") << "Thu, 32 May 2024 12:00:00 GMT"_ba << qint64(-1);
    }

    void retryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, seconds);
        const auto parsed = DenialReadout::parseRetryAfter(value, now);
        QCOMPARE(parsed.has_value() ? *parsed : qint64(-1), seconds);
    }

    void rateLimited()
    {
        HttpHeaders headers;
        headers.append("Retry-After", "120");
        headers.append("X-RateLimit-Remaining", "0");
        const DenialReadout r = DenialReadout::explain(429, "Too Many Requests", headers, R"({"message":"slow down"})", std::nullopt, true, now);
        QCOMPARE(r.kind, DenialReadout::Kind::RateLimited);
        QCOMPARE(r.retryAfterSeconds, std::optional<qint64>(120));
        QCOMPARE(r.retryAt, now.addSecs(120));
        QVERIFY2(r.summary.contains(u"retry after 120 s (at 2024-05-23 12:02:00 UTC)"_s), qPrintable(r.summary));
        QVERIFY(r.text().contains(u"X-RateLimit-Remaining: 0"_s));
        QCOMPARE(r.toJson().value(u"retry_after_seconds"_s).toInteger(), 120);

        const DenialReadout silent = DenialReadout::explain(429, {}, {}, {}, std::nullopt, true, now);
        QVERIFY(!silent.retryAfterSeconds);
        QVERIFY(silent.hint.contains(u"no Retry-After"_s));
    }

    void everyStatusHasAMeaning()
    {
        for (int status : {100, 200, 201, 204, 302, 304, 400, 404, 405, 418, 422, 500, 502, 503, 599, 700}) {
            const DenialReadout r = DenialReadout::explain(status, {}, {}, {}, std::nullopt, false, now);
            QVERIFY2(r.summary.contains(u" — "_s), qPrintable(r.summary));
            QCOMPARE(r.isDenial(), status >= 400);
        }
        QCOMPARE(DenialReadout::explain(500, {}, {}, R"({"error":{"message":"db down"}})", std::nullopt, false, now).serverMessage, u"db down"_s);
        HttpHeaders allow;
        allow.append("Allow", "GET, POST");
        QVERIFY(DenialReadout::explain(405, {}, allow, {}, std::nullopt, false, now).text().contains(u"GET, POST"_s));
    }

    void hostileBodiesAndHeaders()
    {
        // Never a crash, whatever the server sends.
        const QList<QByteArray> bodies = {QByteArray(2 << 20, '{'), "[]", "null", "{\"reasons\":{}}", "{\"required_scope\":[1,2,{}]}",
                                          QByteArray("\xff\xfe\x00", 3), "{\"message\":" + QByteArray(100000, '"') + "}"};
        for (int status : {401, 403, 409, 429, 503}) {
            for (const QByteArray &body : bodies) {
                HttpHeaders headers;
                headers.append("WWW-Authenticate", QByteArray(5000, '"'));
                headers.append("Retry-After", QByteArray(5000, '9'));
                const DenialReadout r = DenialReadout::explain(status, QByteArray(300, 'x'), headers, body, std::nullopt, true, now);
                QVERIFY(!r.summary.isEmpty());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestDenialReadout)
#include "tst_denialreadout.moc"
