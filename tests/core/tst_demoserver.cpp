#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

struct HttpResult
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(body).array(); }
};

// application/x-www-form-urlencoded, as RFC 6749 §2.3.1 wants it for the Basic credentials
// too: everything but unreserved characters percent-encoded as UTF-8, and space as '+'.
QByteArray formEncode(const QString &value)
{
    return QUrl::toPercentEncoding(value).replace("%20", "+");
}

QByteArray formBody(const QList<std::pair<QString, QString>> &params)
{
    QByteArrayList pairs;
    for (const auto &[name, value] : params)
        pairs.append(formEncode(name) + '=' + formEncode(value));
    return pairs.join('&');
}

QByteArray basicAuthorization(const QString &id, const QString &secret)
{
    return "Basic " + (formEncode(id) + ':' + formEncode(secret)).toBase64();
}

QJsonObject jwtPart(const QString &token, int index)
{
    const QStringList parts = token.split(u'.');
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(index).toLatin1(),
                                                          QByteArray::Base64UrlEncoding))
            .object();
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray blockedBody()
{
    return R"({"code":"operation-not-allowed","message":"The current status of the user does not allow calling this endpoint","reasons":["user-blocked"]})"_ba;
}

} // namespace

class TestDemoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void startsOnLoopbackOnly();
    void startReportsTakenPort();

    void tokenWithBasicAuth_data() { clientData(); }
    void tokenWithBasicAuth();
    void tokenWithFormCredentials_data() { clientData(); }
    void tokenWithFormCredentials();
    void tokenWithJsonCredentials_data() { clientData(); }
    void tokenWithJsonCredentials();
    void basicCredentialsMustBeFormEncoded();
    void twoClientAuthMethodsAreRejected();
    void passwordGrant();
    void wrongPasswordIsInvalidGrant();
    void invalidClient();
    void invalidScope();
    void unsupportedGrantType();
    void jwtCarriesClaims();
    void scopesCatalog();

    void missingTokenIs401();
    void validTokenReadsAccounts();
    void expiredTokenIs401();
    void tamperedTokenIs401();
    void insufficientScopeIs403();
    void createTradeEchoesBody();
    void patchCustomer();
    void onBehalfOfNeedsScope();
    void meAnswersForTheUser();
    void blockedUserCannotWrite();
    void blockedUserCanRead();
    void slowAnswersWithoutBlocking();
    void slowSurvivesClientHangingUp();
    void unknownPathIs404();

private:
    void clientData();
    QNetworkReply *sendAsync(const QByteArray &verb, const QString &path, const Headers &headers = {},
                             const QByteArray &body = {});
    HttpResult wait(QNetworkReply *reply);
    HttpResult send(const QByteArray &verb, const QString &path, const Headers &headers = {},
                    const QByteArray &body = {});
    HttpResult tokenRequest(const QList<std::pair<QString, QString>> &params,
                            const QByteArray &authorization = {});
    // Empty on failure; callers QVERIFY it.
    QString fetchToken(const QString &scope = {});
    static Headers bearer(const QString &token, const Headers &more = {});

    std::unique_ptr<DemoServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestDemoServer::init()
{
    m_server = std::make_unique<DemoServer>();
    QString error;
    QVERIFY2(m_server->start(0, &error), qPrintable(error));
    QVERIFY(m_server->isRunning());
    QVERIFY(m_server->port() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestDemoServer::cleanup()
{
    m_nam.reset();
    m_server.reset();
}

void TestDemoServer::clientData()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("clientSecret");
    QTest::newRow("plain") << DemoServer::clientId() << DemoServer::clientSecret();
    QTest::newRow("reserved-and-non-ascii") << DemoServer::specialClientId() << DemoServer::specialClientSecret();
}

QNetworkReply *TestDemoServer::sendAsync(const QByteArray &verb, const QString &path, const Headers &headers,
                                         const QByteArray &body)
{
    QUrl url = m_server->baseUrl();
    const qsizetype query = path.indexOf(u'?');
    url.setPath(path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_nam->sendCustomRequest(request, verb, body);
}

HttpResult TestDemoServer::wait(QNetworkReply *reply)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    if (!reply->isFinished()) {
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    HttpResult result;
    result.finished = reply->isFinished();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    return result;
}

HttpResult TestDemoServer::send(const QByteArray &verb, const QString &path, const Headers &headers,
                                const QByteArray &body)
{
    return wait(sendAsync(verb, path, headers, body));
}

HttpResult TestDemoServer::tokenRequest(const QList<std::pair<QString, QString>> &params,
                                        const QByteArray &authorization)
{
    Headers headers{{"Content-Type"_ba, "application/x-www-form-urlencoded"_ba}};
    if (!authorization.isEmpty())
        headers.append({"Authorization"_ba, authorization});
    return send("POST", u"/oauth/token"_s, headers, formBody(params));
}

QString TestDemoServer::fetchToken(const QString &scope)
{
    QList<std::pair<QString, QString>> params{{u"grant_type"_s, u"client_credentials"_s}};
    if (!scope.isEmpty())
        params.append({u"scope"_s, scope});
    const HttpResult result =
            tokenRequest(params, basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
    if (result.status != 200)
        return {};
    return result.json().value(u"access_token"_s).toString();
}

Headers TestDemoServer::bearer(const QString &token, const Headers &more)
{
    Headers headers{{"Authorization"_ba, "Bearer " + token.toLatin1()}};
    headers.append(more);
    return headers;
}

void TestDemoServer::startsOnLoopbackOnly()
{
    QCOMPARE(m_server->baseUrl().host(), u"127.0.0.1"_s);
    QCOMPARE(m_server->tokenUrl().path(), u"/oauth/token"_s);
    QCOMPARE(m_server->apiUrl().path(), u"/api"_s);

    // Reachable on loopback ...
    QTcpSocket loopback;
    loopback.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(loopback.waitForConnected(3000));

    // ... and not on any other address of this machine.
    QHostAddress external;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (!address.isLoopback() && address.protocol() == QAbstractSocket::IPv4Protocol) {
            external = address;
            break;
        }
    }
    if (external.isNull())
        QSKIP("This machine has no non-loopback IPv4 address to probe");
    QTcpSocket outside;
    outside.connectToHost(external, m_server->port());
    QVERIFY(!outside.waitForConnected(3000));
}

void TestDemoServer::startReportsTakenPort()
{
    DemoServer second;
    QString error;
    QVERIFY(!second.start(m_server->port(), &error));
    QVERIFY(!second.isRunning());
    QVERIFY2(error.contains(QString::number(m_server->port())), qPrintable(error));
}

void TestDemoServer::tokenWithBasicAuth()
{
    QFETCH(QString, clientId);
    QFETCH(QString, clientSecret);
    const HttpResult result =
            tokenRequest({{u"grant_type"_s, u"client_credentials"_s}}, basicAuthorization(clientId, clientSecret));
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    QCOMPARE(result.header("Cache-Control"), "no-store"_ba);
    const QJsonObject json = result.json();
    QCOMPARE(json.value(u"token_type"_s).toString(), u"Bearer"_s);
    QCOMPARE(json.value(u"expires_in"_s).toInt(), 300);
    QCOMPARE(json.value(u"scope"_s).toString(), u"accounts:read trades:read"_s);
    QCOMPARE(jwtPart(json.value(u"access_token"_s).toString(), 1).value(u"client_id"_s).toString(), clientId);
}

void TestDemoServer::tokenWithFormCredentials()
{
    QFETCH(QString, clientId);
    QFETCH(QString, clientSecret);
    const HttpResult result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s},
                                            {u"client_id"_s, clientId},
                                            {u"client_secret"_s, clientSecret}});
    QCOMPARE(result.status, 200);
    const QString token = result.json().value(u"access_token"_s).toString();
    QCOMPARE(jwtPart(token, 1).value(u"sub"_s).toString(), clientId);
}

void TestDemoServer::tokenWithJsonCredentials()
{
    QFETCH(QString, clientId);
    QFETCH(QString, clientSecret);
    const QJsonObject body{{u"grant_type"_s, u"client_credentials"_s},
                           {u"client_id"_s, clientId},
                           {u"client_secret"_s, clientSecret},
                           {u"scope"_s, u"customers:read"_s}};
    const HttpResult result = send("POST", u"/oauth/token"_s, {{"Content-Type"_ba, "application/json"_ba}},
                                   QJsonDocument(body).toJson(QJsonDocument::Compact));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value(u"scope"_s).toString(), u"customers:read"_s);
    QCOMPARE(jwtPart(result.json().value(u"access_token"_s).toString(), 1).value(u"client_id"_s).toString(),
             clientId);

    // The same credentials with one character off are refused, so the JSON path really checks.
    const QJsonObject wrong{{u"grant_type"_s, u"client_credentials"_s},
                            {u"client_id"_s, clientId},
                            {u"client_secret"_s, clientSecret.chopped(1)}};
    const HttpResult refused = send("POST", u"/oauth/token"_s, {{"Content-Type"_ba, "application/json"_ba}},
                                    QJsonDocument(wrong).toJson(QJsonDocument::Compact));
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.json().value(u"error"_s).toString(), u"invalid_client"_s);
}

void TestDemoServer::basicCredentialsMustBeFormEncoded()
{
    // The secret sent raw inside Basic: '+' decodes to a space and the id/secret split is
    // at the first ':', so RFC 6749 §2.3.1 decoding cannot recover it.
    const QByteArray raw = (DemoServer::specialClientId() + u':' + DemoServer::specialClientSecret()).toUtf8();
    const HttpResult result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s}}, "Basic " + raw.toBase64());
    QCOMPARE(result.status, 401);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_client"_s);
}

void TestDemoServer::twoClientAuthMethodsAreRejected()
{
    const HttpResult result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s},
                                            {u"client_id"_s, DemoServer::clientId()},
                                            {u"client_secret"_s, DemoServer::clientSecret()}},
                                           basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_request"_s);
    QVERIFY(!result.json().value(u"error_description"_s).toString().isEmpty());
}

void TestDemoServer::passwordGrant()
{
    for (const QString &user : {DemoServer::username(), DemoServer::blockedUserId()}) {
        const HttpResult result = tokenRequest({{u"grant_type"_s, u"password"_s},
                                                {u"username"_s, user},
                                                {u"password"_s, DemoServer::password()}},
                                               basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
        QCOMPARE(result.status, 200);
        const QJsonObject claims = jwtPart(result.json().value(u"access_token"_s).toString(), 1);
        QCOMPARE(claims.value(u"sub"_s).toString(), user);
        QCOMPARE(claims.value(u"client_id"_s).toString(), DemoServer::clientId());
    }
}

void TestDemoServer::wrongPasswordIsInvalidGrant()
{
    const auto auth = basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret());
    HttpResult result = tokenRequest({{u"grant_type"_s, u"password"_s},
                                      {u"username"_s, DemoServer::username()},
                                      {u"password"_s, u"not-the-password"_s}},
                                     auth);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_grant"_s);
    QVERIFY(result.json().value(u"access_token"_s).isUndefined());

    result = tokenRequest({{u"grant_type"_s, u"password"_s},
                           {u"username"_s, u"nobody"_s},
                           {u"password"_s, DemoServer::password()}},
                          auth);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_grant"_s);
}

void TestDemoServer::invalidClient()
{
    HttpResult result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s}},
                                     basicAuthorization(DemoServer::clientId(), u"wrong-secret"_s));
    QCOMPARE(result.status, 401);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_client"_s);
    QCOMPARE(result.header("WWW-Authenticate"), R"(Basic realm="tokenbench-demo")"_ba);
    QCOMPARE(result.header("Cache-Control"), "no-store"_ba);

    result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s},
                           {u"client_id"_s, u"no-such-client"_s},
                           {u"client_secret"_s, DemoServer::clientSecret()}});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_client"_s);

    result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s}});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_client"_s);
}

void TestDemoServer::invalidScope()
{
    const HttpResult result = tokenRequest({{u"grant_type"_s, u"client_credentials"_s},
                                            {u"scope"_s, u"accounts:read bogus:scope"_s}},
                                           basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_scope"_s);
    QVERIFY(result.json().value(u"error_description"_s).toString().contains(u"bogus:scope"_s));
}

void TestDemoServer::unsupportedGrantType()
{
    const auto auth = basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret());
    // The Demo knows authorization_code now (DemoAuthorizationEndpoint): a code it never issued is invalid_grant.
    HttpResult result = tokenRequest({{u"grant_type"_s, u"authorization_code"_s}, {u"code"_s, u"x"_s}}, auth);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_grant"_s);
    result = tokenRequest({{u"grant_type"_s, u"urn:example:no-such-grant"_s}}, auth);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"unsupported_grant_type"_s);

    result = tokenRequest({{u"scope"_s, u"accounts:read"_s}}, auth);
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_request"_s);
}

void TestDemoServer::jwtCarriesClaims()
{
    m_server->setTokenLifetime(120);
    const HttpResult result = tokenRequest({{u"grant_type"_s, u"password"_s},
                                            {u"username"_s, DemoServer::username()},
                                            {u"password"_s, DemoServer::password()},
                                            {u"scope"_s, u"trades:execute  customers:read trades:execute"_s}},
                                           basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value(u"expires_in"_s).toInt(), 120);
    QCOMPARE(result.json().value(u"scope"_s).toString(), u"trades:execute customers:read"_s);

    const QString token = result.json().value(u"access_token"_s).toString();
    QCOMPARE(token.count(u'.'), 2);
    QVERIFY(!token.contains(u'='));
    const QJsonObject header = jwtPart(token, 0);
    QCOMPARE(header.value(u"alg"_s).toString(), u"ES256"_s);
    QCOMPARE(header.value(u"typ"_s).toString(), u"at+jwt"_s);
    QCOMPARE(header.value(u"kid"_s).toString(), m_server->signingKey().keyId());

    const QJsonObject claims = jwtPart(token, 1);
    QCOMPARE(claims.value(u"iss"_s).toString(), m_server->baseUrl().toString());
    QCOMPARE(claims.value(u"sub"_s).toString(), DemoServer::username());
    QCOMPARE(claims.value(u"aud"_s).toString(), u"tokenbench-demo-api"_s);
    QCOMPARE(claims.value(u"client_id"_s).toString(), DemoServer::clientId());
    QCOMPARE(claims.value(u"scope"_s).toString(), u"trades:execute customers:read"_s);
    QVERIFY(!claims.value(u"jti"_s).toString().isEmpty());
    const qint64 iat = claims.value(u"iat"_s).toInteger();
    QVERIFY(qAbs(iat - QDateTime::currentSecsSinceEpoch()) <= 2);
    QCOMPARE(claims.value(u"nbf"_s).toInteger(), iat);
    QCOMPARE(claims.value(u"exp"_s).toInteger(), iat + 120);

    // Each token is unique.
    const HttpResult again = tokenRequest({{u"grant_type"_s, u"client_credentials"_s}},
                                          basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
    QVERIFY(jwtPart(again.json().value(u"access_token"_s).toString(), 1).value(u"jti"_s)
            != claims.value(u"jti"_s));
}

void TestDemoServer::scopesCatalog()
{
    const QStringList expected{u"accounts:read"_s,    u"accounts:execute"_s,  u"trades:read"_s,
                               u"trades:execute"_s,   u"customers:read"_s,    u"customers:write"_s,
                               u"customers:execute"_s, u"transfers:read"_s,   u"transfers:execute"_s,
                               u"core.users:act-on-behalf-of"_s};
    QStringList catalog;
    for (const DemoScope &scope : DemoScopes::all())
        catalog.append(scope.name);
    QCOMPARE(catalog, expected);
    QVERIFY(DemoScopes::contains(u"transfers:execute"_s));
    QVERIFY(!DemoScopes::contains(u"transfers:write"_s));

    const HttpResult result = send("GET", u"/scopes"_s);
    QCOMPARE(result.status, 200);
    QVERIFY(result.header("Content-Type").startsWith("application/json"));
    const QJsonArray scopes = result.json().value(u"scopes"_s).toArray();
    QStringList served;
    for (const QJsonValue &scope : scopes) {
        served.append(scope.toObject().value(u"name"_s).toString());
        QVERIFY(!scope.toObject().value(u"description"_s).toString().isEmpty());
    }
    QCOMPARE(served, expected);
}

void TestDemoServer::missingTokenIs401()
{
    HttpResult result = send("GET", u"/api/accounts"_s);
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"), R"(Bearer realm="tokenbench-demo")"_ba);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"unauthorized"_s);
    QVERIFY(!result.json().value(u"message"_s).toString().isEmpty());

    // Client credentials are not an access token.
    result = send("GET", u"/api/accounts"_s,
                  {{"Authorization"_ba, basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret())}});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"), R"(Bearer realm="tokenbench-demo")"_ba);
}

void TestDemoServer::validTokenReadsAccounts()
{
    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    const HttpResult result = send("GET", u"/api/accounts"_s, bearer(token));
    QCOMPARE(result.status, 200);
    const QJsonArray accounts = result.jsonArray();
    QVERIFY(accounts.size() >= 2);
    QVERIFY(!accounts.first().toObject().value(u"id"_s).toString().isEmpty());

    // The scheme name is case-insensitive (RFC 7235 §2.1).
    const HttpResult lower = send("GET", u"/api/accounts"_s, {{"Authorization"_ba, "bearer " + token.toLatin1()}});
    QCOMPARE(lower.status, 200);
}

void TestDemoServer::expiredTokenIs401()
{
    m_server->setTokenLifetime(1);
    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    QCOMPARE(send("GET", u"/api/accounts"_s, bearer(token)).status, 200);

    // exp is whole seconds; the server honours the token through the second exp names.
    const qint64 exp = jwtPart(token, 1).value(u"exp"_s).toInteger();
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() >= (exp + 1) * 1000 + 20, 4000);

    const HttpResult result = send("GET", u"/api/accounts"_s, bearer(token));
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"),
             R"(Bearer realm="tokenbench-demo", error="invalid_token", error_description="The access token expired")"_ba);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_token"_s);
}

void TestDemoServer::tamperedTokenIs401()
{
    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    const QByteArray malformed =
            R"(Bearer realm="tokenbench-demo", error="invalid_token", error_description="The access token is malformed or its signature is invalid")"_ba;

    // One character of the signature changed.
    QString badSignature = token;
    const qsizetype signatureStart = token.lastIndexOf(u'.') + 1;
    badSignature[signatureStart] = token.at(signatureStart) == u'A' ? u'B' : u'A';
    HttpResult result = send("GET", u"/api/accounts"_s, bearer(badSignature));
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"), malformed);

    // Claims rewritten to grant more, original signature kept.
    const QStringList parts = token.split(u'.');
    QJsonObject claims = jwtPart(token, 1);
    claims.insert(u"scope"_s, u"accounts:read trades:read trades:execute"_s);
    const QString forged = parts.at(0) + u'.'
            + QString::fromLatin1(base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact))) + u'.'
            + parts.at(2);
    result = send("POST", u"/api/trades"_s, bearer(forged, {{"Content-Type"_ba, "application/json"_ba}}), "{}");
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"), malformed);

    // Unsigned (alg "none") and non-JWT tokens.
    const QString unsigned_ = QString::fromLatin1(base64Url(R"({"alg":"none","typ":"at+jwt"})"_ba)) + u'.'
            + parts.at(1) + u'.';
    QCOMPARE(send("GET", u"/api/accounts"_s, bearer(unsigned_)).status, 401);
    result = send("GET", u"/api/accounts"_s, bearer(u"not-a-jwt"_s));
    QCOMPARE(result.status, 401);
    QCOMPARE(result.header("WWW-Authenticate"), malformed);

    // A token from another Demo API instance (another signing key) is not accepted either.
    DemoServer other;
    QVERIFY(other.start());
    const HttpResult foreignToken = wait(m_nam->post(
            [&other] {
                QNetworkRequest request(other.tokenUrl());
                request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
                request.setRawHeader("Authorization",
                                     basicAuthorization(DemoServer::clientId(), DemoServer::clientSecret()));
                return request;
            }(),
            formBody({{u"grant_type"_s, u"client_credentials"_s}})));
    QCOMPARE(foreignToken.status, 200);
    result = send("GET", u"/api/accounts"_s, bearer(foreignToken.json().value(u"access_token"_s).toString()));
    QCOMPARE(result.status, 401);
}

void TestDemoServer::insufficientScopeIs403()
{
    const QString token = fetchToken(); // default scopes: accounts:read trades:read
    QVERIFY(!token.isEmpty());
    HttpResult result = send("POST", u"/api/trades"_s, bearer(token, {{"Content-Type"_ba, "application/json"_ba}}),
                             R"({"symbol":"BTC-USD"})");
    QCOMPARE(result.status, 403);
    QCOMPARE(result.header("WWW-Authenticate"),
             R"(Bearer realm="tokenbench-demo", error="insufficient_scope", scope="trades:execute")"_ba);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"insufficient_scope"_s);
    QCOMPARE(result.json().value(u"required_scope"_s).toString(), u"trades:execute"_s);
    QVERIFY(!result.json().value(u"message"_s).toString().isEmpty());

    result = send("GET", u"/api/customers"_s, bearer(token));
    QCOMPARE(result.status, 403);
    QCOMPARE(result.json().value(u"required_scope"_s).toString(), u"customers:read"_s);
}

void TestDemoServer::createTradeEchoesBody()
{
    const QString token = fetchToken(u"trades:read trades:execute"_s);
    QVERIFY(!token.isEmpty());
    const QJsonObject order{{u"symbol"_s, u"ETH-USD"_s}, {u"side"_s, u"buy"_s}, {u"quantity"_s, u"2.5"_s}};
    const HttpResult created = send("POST", u"/api/trades"_s,
                                    bearer(token, {{"Content-Type"_ba, "application/json"_ba}}),
                                    QJsonDocument(order).toJson(QJsonDocument::Compact));
    QCOMPARE(created.status, 201);
    const QJsonObject trade = created.json();
    for (auto it = order.begin(); it != order.end(); ++it)
        QCOMPARE(trade.value(it.key()), it.value());
    const QString id = trade.value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());

    const HttpResult listed = send("GET", u"/api/trades"_s, bearer(token));
    QCOMPARE(listed.status, 200);
    bool found = false;
    for (const QJsonValue &value : listed.jsonArray())
        found = found || value.toObject().value(u"id"_s).toString() == id;
    QVERIFY(found);

    const HttpResult notJson = send("POST", u"/api/trades"_s,
                                    bearer(token, {{"Content-Type"_ba, "application/json"_ba}}), "[1,2]");
    QCOMPARE(notJson.status, 400);
}

void TestDemoServer::patchCustomer()
{
    const QString token = fetchToken(u"customers:read customers:write"_s);
    QVERIFY(!token.isEmpty());
    const HttpResult list = send("GET", u"/api/customers"_s, bearer(token));
    QCOMPARE(list.status, 200);
    const QString id = list.jsonArray().first().toObject().value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());

    const HttpResult patched = send("PATCH", u"/api/customers/"_s + id,
                                    bearer(token, {{"Content-Type"_ba, "application/json"_ba}}),
                                    R"({"email":"new@example.invalid"})");
    QCOMPARE(patched.status, 200);
    QCOMPARE(patched.json().value(u"id"_s).toString(), id);
    QCOMPARE(patched.json().value(u"email"_s).toString(), u"new@example.invalid"_s);
    QCOMPARE(send("GET", u"/api/customers"_s, bearer(token)).jsonArray().first().toObject().value(u"email"_s),
             QJsonValue(u"new@example.invalid"_s));

    const HttpResult missing = send("PATCH", u"/api/customers/cus-does-not-exist"_s,
                                    bearer(token, {{"Content-Type"_ba, "application/json"_ba}}), "{}");
    QCOMPARE(missing.status, 404);

    const QString readOnly = fetchToken(u"customers:read"_s);
    const HttpResult denied = send("PATCH", u"/api/customers/"_s + id,
                                   bearer(readOnly, {{"Content-Type"_ba, "application/json"_ba}}), "{}");
    QCOMPARE(denied.status, 403);
    QCOMPARE(denied.json().value(u"required_scope"_s).toString(), u"customers:write"_s);
}

void TestDemoServer::onBehalfOfNeedsScope()
{
    const QString plain = fetchToken(u"accounts:read"_s);
    QVERIFY(!plain.isEmpty());
    const Headers obo{{"X-On-Behalf-Of"_ba, "user demo-user"_ba}};
    HttpResult result = send("GET", u"/api/accounts"_s, bearer(plain, obo));
    QCOMPARE(result.status, 403);
    QCOMPARE(result.header("WWW-Authenticate"),
             R"(Bearer realm="tokenbench-demo", error="insufficient_scope", scope="core.users:act-on-behalf-of")"_ba);
    QCOMPARE(result.json().value(u"required_scope"_s).toString(), u"core.users:act-on-behalf-of"_s);

    // Without the header the same token is fine; with the scope the header is fine.
    QCOMPARE(send("GET", u"/api/accounts"_s, bearer(plain)).status, 200);
    const QString delegating = fetchToken(u"accounts:read core.users:act-on-behalf-of"_s);
    QVERIFY(!delegating.isEmpty());
    QCOMPARE(send("GET", u"/api/accounts"_s, bearer(delegating, obo)).status, 200);

    // A malformed header is a client error.
    result = send("GET", u"/api/accounts"_s, bearer(delegating, {{"X-On-Behalf-Of"_ba, "demo-user"_ba}}));
    QCOMPARE(result.status, 400);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"invalid_request"_s);
}

void TestDemoServer::meAnswersForTheUser()
{
    const QString token = fetchToken(u"core.users:act-on-behalf-of"_s);
    QVERIFY(!token.isEmpty());
    HttpResult result = send("GET", u"/api/me"_s, bearer(token, {{"X-On-Behalf-Of"_ba, "user demo-user"_ba}}));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value(u"user"_s).toString(), u"demo-user"_s);
    QCOMPARE(result.json().value(u"acting_client"_s).toString(), DemoServer::clientId());

    result = send("GET", u"/api/me"_s, bearer(token));
    QCOMPARE(result.status, 400);

    result = send("GET", u"/api/me"_s, bearer(token, {{"X-On-Behalf-Of"_ba, "user"_ba}}));
    QCOMPARE(result.status, 400);

    const QString withoutScope = fetchToken();
    result = send("GET", u"/api/me"_s, bearer(withoutScope, {{"X-On-Behalf-Of"_ba, "user demo-user"_ba}}));
    QCOMPARE(result.status, 403);
    QCOMPARE(result.json().value(u"required_scope"_s).toString(), u"core.users:act-on-behalf-of"_s);
}

void TestDemoServer::blockedUserCannotWrite()
{
    const QString token = fetchToken(u"trades:execute core.users:act-on-behalf-of"_s);
    QVERIFY(!token.isEmpty());
    const Headers json{{"Content-Type"_ba, "application/json"_ba}};
    HttpResult result = send("POST", u"/api/trades"_s,
                             bearer(token, json + Headers{{"X-On-Behalf-Of"_ba, "user blocked-user"_ba}}),
                             R"({"symbol":"BTC-USD","side":"buy","quantity":"1"})");
    QCOMPARE(result.status, 409);
    QCOMPARE(result.body, blockedBody());

    // The same call for an ordinary user goes through.
    result = send("POST", u"/api/trades"_s, bearer(token, json + Headers{{"X-On-Behalf-Of"_ba, "user demo-user"_ba}}),
                  R"({"symbol":"BTC-USD","side":"buy","quantity":"1"})");
    QCOMPARE(result.status, 201);
    QCOMPARE(result.json().value(u"on_behalf_of"_s).toString(), u"demo-user"_s);

    // Scope checks come first: without trades:execute it is 403, not 409.
    const QString weak = fetchToken(u"core.users:act-on-behalf-of"_s);
    result = send("POST", u"/api/trades"_s, bearer(weak, json + Headers{{"X-On-Behalf-Of"_ba, "user blocked-user"_ba}}),
                  "{}");
    QCOMPARE(result.status, 403);
}

void TestDemoServer::blockedUserCanRead()
{
    const QString token = fetchToken(u"trades:read core.users:act-on-behalf-of"_s);
    QVERIFY(!token.isEmpty());
    const HttpResult result =
            send("GET", u"/api/trades"_s, bearer(token, {{"X-On-Behalf-Of"_ba, "user blocked-user"_ba}}));
    QCOMPARE(result.status, 200);
    QVERIFY(!result.jsonArray().isEmpty());
}

void TestDemoServer::slowAnswersWithoutBlocking()
{
    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    QElapsedTimer elapsed;
    elapsed.start();
    QNetworkReply *slow = sendAsync("GET", u"/api/slow?ms=600"_s, bearer(token));

    // While the slow answer is pending, the server keeps serving other requests.
    QTest::qWait(50);
    const HttpResult fast = send("GET", u"/api/accounts"_s, bearer(token));
    QCOMPARE(fast.status, 200);
    QVERIFY(!slow->isFinished());

    const HttpResult result = wait(slow);
    QVERIFY(result.finished);
    QCOMPARE(result.status, 200);
    QVERIFY2(elapsed.elapsed() >= 580, QByteArray::number(elapsed.elapsed()).constData());
    QCOMPARE(result.json().value(u"delayed_ms"_s).toInt(), 600);

    QCOMPARE(send("GET", u"/api/slow?ms=abc"_s, bearer(token)).status, 400);
    QCOMPARE(send("GET", u"/api/slow?ms=10"_s).status, 401);
}

void TestDemoServer::slowSurvivesClientHangingUp()
{
    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    QNetworkReply *slow = sendAsync("GET", u"/api/slow?ms=200"_s, bearer(token));
    QTest::qWait(80);
    slow->abort();
    delete slow;
    QTest::qWait(300); // past the timer: the answer to the gone client must be dropped quietly

    QCOMPARE(send("GET", u"/api/accounts"_s, bearer(token)).status, 200);
}

void TestDemoServer::unknownPathIs404()
{
    HttpResult result = send("GET", u"/nowhere"_s);
    QCOMPARE(result.status, 404);
    QCOMPARE(result.json().value(u"error"_s).toString(), u"not_found"_s);

    const QString token = fetchToken();
    QVERIFY(!token.isEmpty());
    QCOMPARE(send("GET", u"/api/accountsX"_s, bearer(token)).status, 404);
    QCOMPARE(send("GET", u"/api/accounts/extra"_s, bearer(token)).status, 404);

    result = send("DELETE", u"/api/accounts"_s, bearer(token));
    QCOMPARE(result.status, 405);
    QCOMPARE(result.header("Allow"), "GET"_ba);
}

QTEST_GUILESS_MAIN(TestDemoServer)
#include "tst_demoserver.moc"
