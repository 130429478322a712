#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"
#include "oauth/TokenResponseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(AccessToken::ExpirySource)
Q_DECLARE_METATYPE(AccessToken::ScopeSource)
Q_DECLARE_METATYPE(OAuthError::Kind)

namespace {
const QUrl &endpoint()
{
    static const QUrl url(u"https://auth.example.com/oauth/token"_s);
    return url;
}

QDateTime fixedNow()
{
    return QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
}

QByteArray b64url(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString makeJwt(const QJsonObject &claims)
{
    const QJsonObject header{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
    return QString::fromLatin1(b64url(header) + '.' + b64url(claims) + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

TokenResult parse(int status, const QByteArray &body, const QStringList &requestedScopes = {},
                  const QByteArray &contentType = QByteArrayLiteral("application/json"))
{
    return TokenResponseParser::parse(status, contentType, body, endpoint(), requestedScopes, fixedNow());
}

const QString opaqueToken = u"FOEtUHwg0das9PhsasVmgMGbZn7nWSgK"_s;

const QByteArray nginx502 = QByteArrayLiteral("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                                              "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
                                              "</body>\r\n</html>\r\n");
} // namespace

class TestTokenResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenTypeIsPreserved_data();
    void tokenTypeIsPreserved();
    void basicFields();
    void expiresIn_data();
    void expiresIn();
    void cyclrResponse();
    void scopes_data();
    void scopes();

    void protocolError();
    void protocolErrorWithStatus200();
    void protocolErrorWithUnknownCode();
    void hintForStandardCodes_data();
    void hintForStandardCodes();
    void nonJsonErrorBodies_data();
    void nonJsonErrorBodies();
    void invalidSuccessResponses_data();
    void invalidSuccessResponses();
    void excerptIsOnePrintableLine_data();
    void excerptIsOnePrintableLine();
    void summaryOfParsedErrors_data();
    void summaryOfParsedErrors();
    void summaryOfEveryKind_data();
    void summaryOfEveryKind();
    void tokensThatCannotBeAHeaderAreRefused_data();
    void tokensThatCannotBeAHeaderAreRefused();
    void tokensThatCanBeAHeaderAreKept_data();
    void tokensThatCanBeAHeaderAreKept();
};

void TestTokenResponseParser::tokenTypeIsPreserved_data()
{
    QTest::addColumn<QString>("tokenType");
    QTest::addColumn<bool>("isBearer");

    QTest::newRow("bearer") << u"bearer"_s << true;
    QTest::newRow("Bearer") << u"Bearer"_s << true;
    QTest::newRow("BEARER") << u"BEARER"_s << true;
    QTest::newRow("mac") << u"mac"_s << false;
    QTest::newRow("DPoP") << u"DPoP"_s << false;
}

void TestTokenResponseParser::tokenTypeIsPreserved()
{
    QFETCH(QString, tokenType);
    QFETCH(bool, isBearer);

    const TokenResult result = parse(200, json({{u"access_token"_s, opaqueToken}, {u"token_type"_s, tokenType}, {u"expires_in"_s, 3600}}));
    QVERIFY(result.ok());
    QVERIFY(!result.error.isError());
    QCOMPARE(result.token->tokenType, tokenType);
    QCOMPARE(result.token->isBearer(), isBearer);
}

void TestTokenResponseParser::basicFields()
{
    const TokenResult result = parse(200, json({{u"access_token"_s, opaqueToken},
                                                {u"token_type"_s, u"Bearer"_s},
                                                {u"refresh_token"_s, u"r-123"_s},
                                                {u"expires_in"_s, 60}}));
    QVERIFY(result.ok());
    const AccessToken &token = *result.token;
    QCOMPARE(token.value, opaqueToken);
    QCOMPARE(token.refreshToken, u"r-123"_s);
    QCOMPARE(token.obtainedAt, fixedNow());
    QCOMPARE(token.obtainedAt.timeSpec(), Qt::UTC);
    QCOMPARE(token.expiresAt, fixedNow().addSecs(60));
    // Standard fields are not repeated among the extras.
    QVERIFY(token.extraFields.isEmpty());
    QCOMPARE(token.jwt().kind(), JwtView::Kind::Opaque);
}

void TestTokenResponseParser::expiresIn_data()
{
    QTest::addColumn<QJsonValue>("expiresIn"); // Undefined: field absent
    QTest::addColumn<QString>("accessToken");
    QTest::addColumn<AccessToken::ExpirySource>("source");
    QTest::addColumn<qint64>("lifetime"); // -1: unknown

    const qint64 jwtLifetime = 1800;
    const QString jwt = makeJwt({{u"sub"_s, u"client"_s}, {u"exp"_s, fixedNow().addSecs(jwtLifetime).toSecsSinceEpoch()}});
    const QString jwtWithoutExp = makeJwt({{u"sub"_s, u"client"_s}});
    const QJsonValue absent(QJsonValue::Undefined);

    QTest::newRow("number") << QJsonValue(3600) << opaqueToken << AccessToken::ExpirySource::ExpiresIn << qint64(3600);
    QTest::newRow("number wins over jwt exp") << QJsonValue(3600) << jwt << AccessToken::ExpirySource::ExpiresIn << qint64(3600);
    QTest::newRow("numeric string") << QJsonValue(u"3600"_s) << opaqueToken << AccessToken::ExpirySource::ExpiresIn << qint64(3600);
    QTest::newRow("numeric string with spaces") << QJsonValue(u" 3600 "_s) << opaqueToken << AccessToken::ExpirySource::ExpiresIn
                                                << qint64(3600);
    QTest::newRow("absent, jwt exp") << absent << jwt << AccessToken::ExpirySource::JwtExp << jwtLifetime;
    QTest::newRow("absent, opaque") << absent << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("absent, jwt without exp") << absent << jwtWithoutExp << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("null, opaque") << QJsonValue(QJsonValue::Null) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("zero, opaque") << QJsonValue(0) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("zero, jwt exp") << QJsonValue(0) << jwt << AccessToken::ExpirySource::JwtExp << jwtLifetime;
    QTest::newRow("zero string, opaque") << QJsonValue(u"0"_s) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("negative, opaque") << QJsonValue(-3600) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("negative, jwt exp") << QJsonValue(-3600) << jwt << AccessToken::ExpirySource::JwtExp << jwtLifetime;
    QTest::newRow("negative string, opaque") << QJsonValue(u"-5"_s) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("10^12, opaque") << QJsonValue(1e12) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
    QTest::newRow("10^12, jwt exp") << QJsonValue(1e12) << jwt << AccessToken::ExpirySource::JwtExp << jwtLifetime;
    QTest::newRow("10^12 string, opaque") << QJsonValue(u"1000000000000"_s) << opaqueToken << AccessToken::ExpirySource::Unknown
                                          << qint64(-1);
    QTest::newRow("non-numeric string, opaque") << QJsonValue(u"soon"_s) << opaqueToken << AccessToken::ExpirySource::Unknown
                                                << qint64(-1);
    QTest::newRow("bool, opaque") << QJsonValue(true) << opaqueToken << AccessToken::ExpirySource::Unknown << qint64(-1);
}

void TestTokenResponseParser::expiresIn()
{
    QFETCH(QJsonValue, expiresIn);
    QFETCH(QString, accessToken);
    QFETCH(AccessToken::ExpirySource, source);
    QFETCH(qint64, lifetime);

    QJsonObject body{{u"access_token"_s, accessToken}, {u"token_type"_s, u"bearer"_s}};
    if (!expiresIn.isUndefined())
        body.insert(u"expires_in"_s, expiresIn);

    const TokenResult result = parse(200, json(body));
    QVERIFY(result.ok());
    const AccessToken &token = *result.token;
    QCOMPARE(static_cast<int>(token.expirySource), static_cast<int>(source));
    QCOMPARE(token.lifetimeSeconds(), lifetime);
    if (lifetime < 0) {
        QVERIFY(!token.hasKnownExpiry());
        QVERIFY(!token.expiresAt.isValid());
        QVERIFY(!token.needsRenewal(fixedNow().addYears(10)));
    } else {
        QVERIFY(token.hasKnownExpiry());
        QCOMPARE(token.expiresAt, fixedNow().addSecs(lifetime));
        QCOMPARE(token.secondsLeft(fixedNow()), lifetime);
    }
}

void TestTokenResponseParser::cyclrResponse()
{
    const QByteArray body = QByteArray(
        R"({"token_type":"bearer","access_token":"FOEtUHwg0das9PhsasVmgMGbZn7nWSgK","expires_in":1209599,"clientId":"abc"})");
    const TokenResult result = parse(200, body, {u"accounts:read"_s}, QByteArrayLiteral("application/json; charset=utf-8"));
    QVERIFY(result.ok());
    const AccessToken &token = *result.token;

    QCOMPARE(token.value, opaqueToken);
    QVERIFY(token.isBearer());
    QCOMPARE(token.tokenType, u"bearer"_s);
    QCOMPARE(token.extraFields.value(u"clientId"_s).toString(), u"abc"_s);
    QCOMPARE(token.extraFields.size(), qsizetype(1));
    QCOMPARE(static_cast<int>(token.expirySource), static_cast<int>(AccessToken::ExpirySource::ExpiresIn));
    QCOMPARE(token.lifetimeSeconds(), Q_INT64_C(1209599));
    QVERIFY(qAbs(token.lifetimeSeconds() - 14 * 24 * 3600) <= 1);
    QVERIFY(qAbs(token.expiresAt.secsTo(fixedNow().addDays(14))) <= 1);
    // No scope reported anywhere: nothing may be claimed missing.
    QCOMPARE(static_cast<int>(token.scopeSource), static_cast<int>(AccessToken::ScopeSource::NotReported));
    QVERIFY(token.missingScopes().isEmpty());
}

void TestTokenResponseParser::scopes_data()
{
    QTest::addColumn<QJsonObject>("extraBody");
    QTest::addColumn<QString>("accessToken");
    QTest::addColumn<QStringList>("requested");
    QTest::addColumn<AccessToken::ScopeSource>("source");
    QTest::addColumn<QStringList>("granted");
    QTest::addColumn<QStringList>("missing");

    const QStringList requested{u"accounts:read"_s, u"trades:read"_s, u"trades:write"_s};

    QTest::newRow("response string, all granted")
        << QJsonObject{{u"scope"_s, u"accounts:read trades:read trades:write"_s}} << opaqueToken << requested
        << AccessToken::ScopeSource::Response << requested << QStringList();
    QTest::newRow("response string, some missing")
        << QJsonObject{{u"scope"_s, u"accounts:read  trades:read"_s}} << opaqueToken << requested << AccessToken::ScopeSource::Response
        << QStringList{u"accounts:read"_s, u"trades:read"_s} << QStringList{u"trades:write"_s};
    QTest::newRow("response empty string: nothing granted")
        << QJsonObject{{u"scope"_s, u""_s}} << opaqueToken << requested << AccessToken::ScopeSource::Response << QStringList()
        << requested;
    QTest::newRow("response array") << QJsonObject{{u"scope"_s, QJsonArray{u"accounts:read"_s}}} << opaqueToken << requested
                                    << AccessToken::ScopeSource::Response << QStringList{u"accounts:read"_s}
                                    << QStringList{u"trades:read"_s, u"trades:write"_s};
    QTest::newRow("response wins over jwt claim")
        << QJsonObject{{u"scope"_s, u"accounts:read"_s}} << makeJwt({{u"scope"_s, u"trades:read"_s}}) << requested
        << AccessToken::ScopeSource::Response << QStringList{u"accounts:read"_s} << QStringList{u"trades:read"_s, u"trades:write"_s};
    QTest::newRow("absent, jwt scope") << QJsonObject() << makeJwt({{u"scope"_s, u"accounts:read trades:write"_s}}) << requested
                                       << AccessToken::ScopeSource::JwtClaim
                                       << QStringList{u"accounts:read"_s, u"trades:write"_s} << QStringList{u"trades:read"_s};
    QTest::newRow("absent, jwt scp array")
        << QJsonObject() << makeJwt({{u"scp"_s, QJsonArray{u"trades:read"_s, u"trades:write"_s}}}) << requested
        << AccessToken::ScopeSource::JwtClaim << QStringList{u"trades:read"_s, u"trades:write"_s} << QStringList{u"accounts:read"_s};
    QTest::newRow("absent, jwt scp string")
        << QJsonObject() << makeJwt({{u"scp"_s, u"accounts:read trades:read trades:write"_s}}) << requested
        << AccessToken::ScopeSource::JwtClaim << requested << QStringList();
    QTest::newRow("absent, jwt scope wins over scp")
        << QJsonObject() << makeJwt({{u"scope"_s, u"accounts:read"_s}, {u"scp"_s, QJsonArray{u"trades:read"_s}}}) << requested
        << AccessToken::ScopeSource::JwtClaim << QStringList{u"accounts:read"_s} << QStringList{u"trades:read"_s, u"trades:write"_s};
    QTest::newRow("absent, jwt without scope claims")
        << QJsonObject() << makeJwt({{u"sub"_s, u"x"_s}}) << requested << AccessToken::ScopeSource::NotReported << QStringList()
        << QStringList();
    QTest::newRow("absent, opaque") << QJsonObject() << opaqueToken << requested << AccessToken::ScopeSource::NotReported
                                    << QStringList() << QStringList();
    // OpenID Connect: a provider reporting the access token's scope for its API (RFC 8707) leaves
    // out openid and offline_access; the ID token and the refresh token in the answer grant them.
    const QStringList oidc{u"openid"_s, u"offline_access"_s, u"accounts:read"_s};
    QTest::newRow("openid answered by an id_token")
        << QJsonObject{{u"scope"_s, u"accounts:read"_s}, {u"id_token"_s, makeJwt({{u"sub"_s, u"x"_s}})}} << opaqueToken
        << QStringList{u"openid"_s, u"accounts:read"_s} << AccessToken::ScopeSource::Response
        << QStringList{u"accounts:read"_s, u"openid"_s} << QStringList();
    QTest::newRow("openid and offline_access answered")
        << QJsonObject{{u"scope"_s, u"accounts:read"_s}, {u"id_token"_s, makeJwt({{u"sub"_s, u"x"_s}})}, {u"refresh_token"_s, u"rt-1"_s}}
        << opaqueToken << oidc << AccessToken::ScopeSource::Response
        << QStringList{u"accounts:read"_s, u"openid"_s, u"offline_access"_s} << QStringList();
    QTest::newRow("openid without an id_token is not granted")
        << QJsonObject{{u"scope"_s, u"accounts:read"_s}, {u"refresh_token"_s, u"rt-1"_s}} << opaqueToken << oidc
        << AccessToken::ScopeSource::Response << QStringList{u"accounts:read"_s, u"offline_access"_s} << QStringList{u"openid"_s};
    QTest::newRow("from the jwt claim, openid answered")
        << QJsonObject{{u"id_token"_s, makeJwt({{u"sub"_s, u"x"_s}})}} << makeJwt({{u"scope"_s, u"accounts:read"_s}})
        << QStringList{u"openid"_s, u"accounts:read"_s} << AccessToken::ScopeSource::JwtClaim
        << QStringList{u"accounts:read"_s, u"openid"_s} << QStringList();
    QTest::newRow("id_token, openid not requested")
        << QJsonObject{{u"scope"_s, u"accounts:read"_s}, {u"id_token"_s, makeJwt({{u"sub"_s, u"x"_s}})}} << opaqueToken
        << QStringList{u"accounts:read"_s} << AccessToken::ScopeSource::Response << QStringList{u"accounts:read"_s} << QStringList();
    QTest::newRow("nothing requested") << QJsonObject{{u"scope"_s, u"accounts:read"_s}} << opaqueToken << QStringList()
                                       << AccessToken::ScopeSource::Response << QStringList{u"accounts:read"_s} << QStringList();
}

void TestTokenResponseParser::scopes()
{
    QFETCH(QJsonObject, extraBody);
    QFETCH(QString, accessToken);
    QFETCH(QStringList, requested);
    QFETCH(AccessToken::ScopeSource, source);
    QFETCH(QStringList, granted);
    QFETCH(QStringList, missing);

    QJsonObject body = extraBody;
    body.insert(u"access_token"_s, accessToken);
    body.insert(u"token_type"_s, u"Bearer"_s);
    body.insert(u"expires_in"_s, 300);

    const TokenResult result = parse(200, json(body), requested);
    QVERIFY(result.ok());
    const AccessToken &token = *result.token;
    QCOMPARE(token.requestedScopes, requested);
    QCOMPARE(static_cast<int>(token.scopeSource), static_cast<int>(source));
    QCOMPARE(token.grantedScopes, granted);
    QCOMPARE(token.missingScopes(), missing);
    QVERIFY(!token.extraFields.contains(u"scope"_s));
}

void TestTokenResponseParser::protocolError()
{
    const QByteArray body = QByteArray(R"({"error":"invalid_client","error_description":"bad secret","error_uri":"https://x"})");
    const TokenResult result = parse(400, body);
    QVERIFY(!result.ok());
    QVERIFY(!result.token.has_value());
    const OAuthError &error = result.error;
    QVERIFY(error.isError());
    QCOMPARE(static_cast<int>(error.kind), static_cast<int>(OAuthError::Kind::Protocol));
    QCOMPARE(error.httpStatus, 400);
    QCOMPARE(error.code, u"invalid_client"_s);
    QCOMPARE(error.description, u"bad secret"_s);
    QCOMPARE(error.uri, u"https://x"_s);
    QCOMPARE(error.endpoint, endpoint());
    QVERIFY(!error.hint().isEmpty());
    QCOMPARE(error.hint(), OAuthError::hintForCode(u"invalid_client"_s));

    const QString summary = error.summary();
    QVERIFY2(summary.contains(u"400"_s), qPrintable(summary));
    QVERIFY2(summary.contains(u"invalid_client"_s), qPrintable(summary));
    QVERIFY2(summary.contains(u"bad secret"_s), qPrintable(summary));
}

void TestTokenResponseParser::protocolErrorWithStatus200()
{
    const TokenResult result = parse(200, json({{u"error"_s, u"invalid_grant"_s},
                                                {u"error_description"_s, u"Ungültige Anmeldedaten <b>\"quoted\"</b>"_s}}));
    QVERIFY(!result.ok());
    QCOMPARE(static_cast<int>(result.error.kind), static_cast<int>(OAuthError::Kind::Protocol));
    QCOMPARE(result.error.httpStatus, 200);
    QCOMPARE(result.error.code, u"invalid_grant"_s);
    // Verbatim, not stripped or escaped.
    QCOMPARE(result.error.description, u"Ungültige Anmeldedaten <b>\"quoted\"</b>"_s);
    QVERIFY(result.error.uri.isEmpty());
}

void TestTokenResponseParser::protocolErrorWithUnknownCode()
{
    const TokenResult result = parse(403, json({{u"error"_s, u"account_suspended"_s}}));
    QCOMPARE(static_cast<int>(result.error.kind), static_cast<int>(OAuthError::Kind::Protocol));
    QCOMPARE(result.error.code, u"account_suspended"_s);
    QVERIFY(!result.error.hint().isEmpty());
    QVERIFY(result.error.summary().contains(u"403"_s));
}

void TestTokenResponseParser::hintForStandardCodes_data()
{
    QTest::addColumn<QString>("code");
    // RFC 6749 §5.2
    QTest::newRow("invalid_request") << u"invalid_request"_s;
    QTest::newRow("invalid_client") << u"invalid_client"_s;
    QTest::newRow("invalid_grant") << u"invalid_grant"_s;
    QTest::newRow("unauthorized_client") << u"unauthorized_client"_s;
    QTest::newRow("unsupported_grant_type") << u"unsupported_grant_type"_s;
    QTest::newRow("invalid_scope") << u"invalid_scope"_s;
    // Used by servers at the token endpoint too (RFC 6749 §4.1.2.1, RFC 8707).
    QTest::newRow("access_denied") << u"access_denied"_s;
    QTest::newRow("server_error") << u"server_error"_s;
    QTest::newRow("temporarily_unavailable") << u"temporarily_unavailable"_s;
    QTest::newRow("invalid_target") << u"invalid_target"_s;
}

void TestTokenResponseParser::hintForStandardCodes()
{
    QFETCH(QString, code);
    QVERIFY(!OAuthError::hintForCode(code).isEmpty());

    OAuthError error;
    error.kind = OAuthError::Kind::Protocol;
    error.code = code;
    QCOMPARE(error.hint(), OAuthError::hintForCode(code));
}

void TestTokenResponseParser::nonJsonErrorBodies_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("excerptContains"); // empty: excerpt must be empty
    QTest::addColumn<QString>("exactExcerpt");    // null: not checked

    QTest::newRow("nginx 502") << 502 << QByteArray("text/html") << nginx502 << u"502 Bad Gateway"_s << QString();

    QByteArray bigPage = QByteArrayLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                                           "<title>\n   Sign in to Example\n</title>\n"
                                           "<style>body { color: red; } a > b { }</style>\n"
                                           "<script>var a = 1 < 2 && 3 > 2; document.write('<p>x</p>');</script>\n"
                                           "</head><body><div class=\"login\">");
    for (int i = 0; i < 500; ++i)
        bigPage += "<p>Please <a href=\"/login\">sign in</a> to continue &amp; enjoy.</p>\n";
    bigPage += "</div></body></html>";
    QTest::newRow("large login page") << 401 << QByteArray("text/html; charset=utf-8") << bigPage << u"Sign in to Example"_s << QString();

    QTest::newRow("empty body 500") << 500 << QByteArray() << QByteArray() << QString() << QString();
    QTest::newRow("whitespace body 503") << 503 << QByteArray("text/plain") << QByteArray(" \r\n ") << QString() << QString();
    QTest::newRow("text/plain 401") << 401 << QByteArray("text/plain") << QByteArray("Unauthorized") << u"Unauthorized"_s
                                    << u"Unauthorized"_s;
    QTest::newRow("text/plain 401 with newline") << 401 << QByteArray("text/plain") << QByteArray("Unauthorized\n") << u"Unauthorized"_s
                                                 << u"Unauthorized"_s;
    QTest::newRow("json without error 404") << 404 << QByteArray("application/json")
                                            << QByteArray(R"({"status":404,"message":"Not Found"})") << u"Not Found"_s << QString();
    QTest::newRow("json error not a string") << 400 << QByteArray("application/json")
                                             << QByteArray(R"({"error":{"message":"nope"}})") << u"nope"_s << QString();
}

void TestTokenResponseParser::nonJsonErrorBodies()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, excerptContains);
    QFETCH(QString, exactExcerpt);

    const TokenResult result = parse(status, body, {}, contentType);
    QVERIFY(!result.ok());
    const OAuthError &error = result.error;
    QCOMPARE(static_cast<int>(error.kind), static_cast<int>(OAuthError::Kind::Http));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.endpoint, endpoint());
    QVERIFY(error.code.isEmpty());
    QVERIFY2(error.excerpt.size() <= 200, qPrintable(error.excerpt));
    QVERIFY2(!error.excerpt.contains(u'<'), qPrintable(error.excerpt));
    QVERIFY2(!error.excerpt.contains(u'\n'), qPrintable(error.excerpt));
    if (excerptContains.isEmpty())
        QVERIFY2(error.excerpt.isEmpty(), qPrintable(error.excerpt));
    else
        QVERIFY2(error.excerpt.contains(excerptContains), qPrintable(error.excerpt));
    if (!exactExcerpt.isNull())
        QCOMPARE(error.excerpt, exactExcerpt);
    QVERIFY(!error.hint().isEmpty());
    QVERIFY2(error.summary().contains(QString::number(status)), qPrintable(error.summary()));
}

void TestTokenResponseParser::invalidSuccessResponses_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("html") << 200 << nginx502;
    QTest::newRow("form encoded") << 200 << QByteArray("access_token=abc&token_type=bearer&scope=repo");
    QTest::newRow("plain text") << 200 << QByteArray("OK");
    QTest::newRow("empty") << 200 << QByteArray();
    QTest::newRow("truncated json") << 200 << QByteArray(R"({"access_token":"abc")");
    QTest::newRow("json array") << 200 << QByteArray(R"([{"access_token":"abc","token_type":"bearer"}])");
    QTest::newRow("json string") << 200 << QByteArray(R"("abc")");
    QTest::newRow("no access_token") << 200 << QByteArray(R"({"token_type":"bearer","expires_in":3600})");
    QTest::newRow("empty access_token") << 200 << QByteArray(R"({"access_token":"","token_type":"bearer"})");
    QTest::newRow("numeric access_token") << 200 << QByteArray(R"({"access_token":12345,"token_type":"bearer"})");
    QTest::newRow("null access_token") << 200 << QByteArray(R"({"access_token":null})");
    QTest::newRow("201 without access_token") << 201 << QByteArray(R"({"id":"x"})");
}

void TestTokenResponseParser::invalidSuccessResponses()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    const TokenResult result = parse(status, body);
    QVERIFY(!result.ok());
    QVERIFY(!result.token.has_value());
    const OAuthError &error = result.error;
    QCOMPARE(static_cast<int>(error.kind), static_cast<int>(OAuthError::Kind::InvalidResponse));
    QCOMPARE(error.httpStatus, status);
    QVERIFY(!error.detail.isEmpty());
    QVERIFY(!error.hint().isEmpty());
    QVERIFY(!error.excerpt.contains(u'<'));
    QVERIFY2(error.summary().contains(QString::number(status)), qPrintable(error.summary()));
}

void TestTokenResponseParser::excerptIsOnePrintableLine_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected"); // null: only the general rules are checked

    QTest::newRow("control characters") << QByteArray("a\x01" "b\tc\r\nd") << u"a b c d"_s;
    QTest::newRow("collapsed whitespace") << QByteArray("  many     spaces   ") << u"many spaces"_s;
    QTest::newRow("title first") << QByteArray("<html><title>Teapot</title><body><h1>I am a teapot</h1></body></html>") << QString();
    QTest::newRow("very long text") << QByteArray(5000, 'x') << QString();
    QTest::newRow("very long html") << QByteArray("<html><head><title>Big</title></head><body>" + QByteArray(100000, 'y') + "</body></html>")
                                    << QString();
    QTest::newRow("invalid utf-8") << QByteArray("abc\xff\xfe" "def") << QString();
    // A mask where the excerpt is cut stays whole (a masked error page echoing a request).
    QTest::newRow("mask at the cut") << QByteArray(197, 'a') + u"•••• and the rest"_s.toUtf8() << QString(195, u'a') + u"••••…"_s;
    QTest::newRow("mask before the cut") << QByteArray(150, 'a') + u"•••• "_s.toUtf8() + QByteArray(100, 'b')
                                         << QString(150, u'a') + u"•••• "_s + QString(44, u'b') + u'…';
}

void TestTokenResponseParser::excerptIsOnePrintableLine()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);

    const QString excerpt = TokenResponseParser::excerpt(body);
    QVERIFY2(excerpt.size() <= 200, qPrintable(QString::number(excerpt.size())));
    QVERIFY(!excerpt.contains(u'\n'));
    QVERIFY(!excerpt.contains(u'\r'));
    QVERIFY(!excerpt.contains(u'\t'));
    QVERIFY(!excerpt.contains(u'<'));
    QVERIFY(!excerpt.isEmpty());
    if (!expected.isNull())
        QCOMPARE(excerpt, expected);
    if (body.contains("<title>")) {
        const QByteArray title = body.mid(body.indexOf("<title>") + 7, body.indexOf("</title>") - body.indexOf("<title>") - 7);
        QVERIFY2(excerpt.startsWith(QString::fromUtf8(title)), qPrintable(excerpt));
    }
    QVERIFY(TokenResponseParser::excerpt(body, 10).size() <= 10);
}

void TestTokenResponseParser::summaryOfParsedErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<OAuthError::Kind>("kind");

    QTest::newRow("protocol") << 401 << QByteArray(R"({"error":"invalid_client"})") << OAuthError::Kind::Protocol;
    QTest::newRow("http html") << 502 << nginx502 << OAuthError::Kind::Http;
    QTest::newRow("http empty") << 500 << QByteArray() << OAuthError::Kind::Http;
    QTest::newRow("http text") << 429 << QByteArray("Too Many Requests") << OAuthError::Kind::Http;
    QTest::newRow("invalid response") << 200 << QByteArray("[]") << OAuthError::Kind::InvalidResponse;
}

void TestTokenResponseParser::summaryOfParsedErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(OAuthError::Kind, kind);

    const TokenResult result = parse(status, body);
    QCOMPARE(static_cast<int>(result.error.kind), static_cast<int>(kind));
    const QString summary = result.error.summary();
    QVERIFY(!summary.isEmpty());
    QVERIFY2(summary.contains(QString::number(status)), qPrintable(summary));
    QVERIFY2(!summary.contains(u'\n'), qPrintable(summary));
    QVERIFY(!OAuthError::kindName(kind).isEmpty());
}

void TestTokenResponseParser::summaryOfEveryKind_data()
{
    QTest::addColumn<OAuthError::Kind>("kind");
    QTest::addColumn<int>("status"); // 0: no status

    QTest::newRow("configuration") << OAuthError::Kind::Configuration << 0;
    QTest::newRow("insecure url") << OAuthError::Kind::InsecureUrl << 0;
    QTest::newRow("network") << OAuthError::Kind::Network << 0;
    QTest::newRow("tls") << OAuthError::Kind::Tls << 0;
    QTest::newRow("timeout") << OAuthError::Kind::Timeout << 0;
    QTest::newRow("cancelled") << OAuthError::Kind::Cancelled << 0;
    QTest::newRow("redirect") << OAuthError::Kind::Redirect << 302;
    QTest::newRow("protocol") << OAuthError::Kind::Protocol << 400;
    QTest::newRow("http") << OAuthError::Kind::Http << 503;
    QTest::newRow("invalid response") << OAuthError::Kind::InvalidResponse << 200;
    QTest::newRow("too large") << OAuthError::Kind::TooLarge << 200;
}

void TestTokenResponseParser::summaryOfEveryKind()
{
    QFETCH(OAuthError::Kind, kind);
    QFETCH(int, status);

    OAuthError error;
    error.kind = kind;
    error.httpStatus = status;
    error.endpoint = QUrl(u"https://user:pa55word@auth.example.com/oauth/token?client_secret=s3cr3t"_s);
    error.code = u"invalid_request"_s;
    error.detail = u"something specific went wrong"_s;
    error.excerpt = u"Service Unavailable"_s;

    QVERIFY(error.isError());
    QVERIFY(!OAuthError::kindName(kind).isEmpty());
    const QString summary = error.summary();
    QVERIFY(!summary.isEmpty());
    if (status != 0)
        QVERIFY2(summary.contains(QString::number(status)), qPrintable(summary));
    // The endpoint is shown without credentials or query.
    QVERIFY2(!summary.contains(u"s3cr3t"_s), qPrintable(summary));
    QVERIFY2(!summary.contains(u"pa55word"_s), qPrintable(summary));
}

void TestTokenResponseParser::tokensThatCannotBeAHeaderAreRefused_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("tokenType");
    QTest::addColumn<QString>("why");

    // Before, these were kept: a CR/LF then failed `send` as a usage error, a character past
    // Latin-1 went out as '?', and a huge one made curl fail with "Out of memory".
    QTest::newRow("CRLF") << u"abc\r\nX-Injected: 1"_s << u"Bearer"_s << u"a line break (U+000D) at character 4"_s;
    QTest::newRow("LF") << u"abc\ndef"_s << u"Bearer"_s << u"a line break (U+000A) at character 4"_s;
    QTest::newRow("NUL") << u"ab\u0000c"_s << u"Bearer"_s << u"a control character (U+0000) at character 3"_s;
    QTest::newRow("DEL") << u"ab\u007fc"_s << u"Bearer"_s << u"a control character (U+007F) at character 3"_s;
    QTest::newRow("non-Latin-1") << u"tok€n"_s << u"Bearer"_s << u"outside ASCII (U+20AC)"_s;
    QTest::newRow("Latin-1 but not ASCII") << u"tokén"_s << u"Bearer"_s << u"outside ASCII (U+00E9)"_s;
    QTest::newRow("astral") << u"tok😀n"_s << u"Bearer"_s << u"outside ASCII (U+1F600) at character 4"_s;
    QTest::newRow("trailing space") << u"abc "_s << u"Bearer"_s << u"white space"_s;
    QTest::newRow("huge") << QString(AccessToken::maxValueChars + 1, u'a') << u"Bearer"_s << u"65537 characters long"_s;
    QTest::newRow("token_type with CRLF") << u"abc"_s << u"Bearer\r\nX-Injected: 1"_s << u"token_type"_s;
    QTest::newRow("token_type with a space") << u"abc"_s << u"Bearer x"_s << u"token_type"_s;
    QTest::newRow("token_type non-ASCII") << u"abc"_s << u"Bеarer"_s << u"token_type"_s;
}

void TestTokenResponseParser::tokensThatCannotBeAHeaderAreRefused()
{
    QFETCH(QString, value);
    QFETCH(QString, tokenType);
    QFETCH(QString, why);

    const TokenResult result = parse(200, json({{u"access_token"_s, value}, {u"token_type"_s, tokenType}, {u"expires_in"_s, 60}}));
    QVERIFY(!result.ok());
    QCOMPARE(result.error.kind, OAuthError::Kind::InvalidResponse);
    QVERIFY2(result.error.detail.contains(why), qPrintable(result.error.detail));
    const QString summary = result.error.summary();
    QVERIFY2(summary.contains(u"auth.example.com/oauth/token"_s) && summary.contains(u"HTTP 200"_s), qPrintable(summary));
    // The message names where, never the token itself.
    if (value.size() > 3)
        QVERIFY2(!summary.contains(value.left(4)), qPrintable(summary));
}

void TestTokenResponseParser::tokensThatCanBeAHeaderAreKept_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("tokenType");

    QTest::newRow("b64token") << u"a-b.c_d~e+f/g=="_s << u"Bearer"_s;
    QTest::newRow("visible ASCII") << u"!\"#$%&'()*,:;<>?@[\\]^`{|}"_s << u"Bearer"_s;
    QTest::newRow("inner space") << u"part one"_s << u"Bearer"_s;
    QTest::newRow("longest") << QString(AccessToken::maxValueChars, u'a') << u"Bearer"_s;
    QTest::newRow("scheme with tchars") << u"abc"_s << u"N_A"_s;
    QTest::newRow("DPoP") << u"abc"_s << u"DPoP"_s;
}

void TestTokenResponseParser::tokensThatCanBeAHeaderAreKept()
{
    QFETCH(QString, value);
    QFETCH(QString, tokenType);

    const TokenResult result = parse(200, json({{u"access_token"_s, value}, {u"token_type"_s, tokenType}}));
    QVERIFY2(result.ok(), qPrintable(result.error.summary()));
    QCOMPARE(result.token->value, value);
    QVERIFY(result.token->headerProblem().isEmpty());
}

QTEST_GUILESS_MAIN(TestTokenResponseParser)
#include "tst_tokenresponseparser.moc"
