#include "demo/DemoServer.h"

#include "demo/DemoAuthorizationEndpoint.h"
#include "demo/DemoDeviceEndpoint.h"
#include "demo/DemoMetadataEndpoint.h"
#include "demo/DemoRequestParams.h"
#include "demo/DemoScopes.h"
#include "demo/DemoSeedData.h"
#include "demo/DemoTokenLifecycle.h"
#include "jwt/JwsSignatureCheck.h"

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QLoggingCategory>
#include <QUrlQuery>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

using StatusCode = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

struct DemoServer::Caller
{
    QString clientId;
    QString subject;
    QStringList scopes;
    QString onBehalfOf; // user id named by X-On-Behalf-Of; empty when the header is absent
};

namespace {

constexpr int maxSlowMs = 60000;

QString audience() { return u"tokenbench-demo-api"_s; }
QString onBehalfOfScope() { return u"core.users:act-on-behalf-of"_s; }
QStringList defaultScopes() { return {u"accounts:read"_s, u"trades:read"_s}; }

QByteArray basicChallenge() { return "Basic realm=\"tokenbench-demo\""_ba; }
QByteArray bearerChallenge() { return "Bearer realm=\"tokenbench-demo\""_ba; }

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> base64UrlDecode(const QByteArray &segment)
{
    auto result = QByteArray::fromBase64Encoding(
            segment, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return result.decoded;
}

QByteArray randomBytes(int count32)
{
    QByteArray bytes;
    for (int i = 0; i < count32; ++i) {
        const quint32 word = QRandomGenerator::system()->generate();
        bytes.append(reinterpret_cast<const char *>(&word), sizeof word);
    }
    return bytes;
}

// Comparing secrets and signatures must not leak, through timing, how long a prefix matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QHttpServerResponse jsonResponse(const QByteArray &json, StatusCode status = StatusCode::Ok)
{
    return QHttpServerResponse("application/json"_ba, json, status);
}

QHttpServerResponse jsonResponse(const QJsonObject &object, StatusCode status = StatusCode::Ok)
{
    return jsonResponse(compactJson(object), status);
}

QHttpServerResponse jsonResponse(const QJsonArray &array, StatusCode status = StatusCode::Ok)
{
    return jsonResponse(QJsonDocument(array).toJson(QJsonDocument::Compact), status);
}

// RFC 6749 §5.1/§5.2: token endpoint answers carry credentials or say why there are none;
// neither may be cached.
QHttpServerResponse oauthResponse(const QJsonObject &object, StatusCode status)
{
    auto response = jsonResponse(object, status);
    response.setHeader("Cache-Control"_ba, "no-store"_ba);
    response.setHeader("Pragma"_ba, "no-cache"_ba);
    return response;
}

QHttpServerResponse oauthError(StatusCode status, const QString &error, const QString &description)
{
    auto response = oauthResponse({{u"error"_s, error}, {u"error_description"_s, description}}, status);
    // RFC 7235 §3.1: every 401 names a scheme the client can use; RFC 6749 §5.2 makes that
    // mandatory when the client tried Basic, and it is harmless when it sent body credentials.
    if (status == StatusCode::Unauthorized)
        response.setHeader("WWW-Authenticate"_ba, basicChallenge());
    return response;
}

QHttpServerResponse apiError(StatusCode status, const QString &error, const QString &message)
{
    return jsonResponse(QJsonObject{{u"error"_s, error}, {u"message"_s, message}}, status);
}

QHttpServerResponse invalidToken(const QString &description)
{
    auto response = apiError(StatusCode::Unauthorized, u"invalid_token"_s, description);
    response.setHeader("WWW-Authenticate"_ba,
                       bearerChallenge() + ", error=\"invalid_token\", error_description=\""_ba
                               + description.toUtf8() + "\""_ba);
    return response;
}

QHttpServerResponse insufficientScope(const QString &scope)
{
    auto response = jsonResponse(
            QJsonObject{{u"error"_s, u"insufficient_scope"_s},
                        {u"required_scope"_s, scope},
                        {u"message"_s,
                         u"The access token does not grant the scope \"%1\" this call needs"_s.arg(scope)}},
            StatusCode::Forbidden);
    response.setHeader("WWW-Authenticate"_ba,
                       bearerChallenge() + ", error=\"insufficient_scope\", scope=\""_ba
                               + scope.toUtf8() + "\""_ba);
    return response;
}

// Header names are case-insensitive, and presence matters: an X-On-Behalf-Of sent empty is
// malformed, not absent.
std::optional<QByteArray> headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return std::nullopt;
}

// Splits "Scheme credentials"; the scheme is compared case-insensitively by the callers.
std::pair<QByteArray, QByteArray> splitAuthorization(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    if (space < 0)
        return {trimmed, {}};
    return {trimmed.left(space), trimmed.mid(space + 1).trimmed()};
}

using Params = QHash<QString, QString>;

std::optional<QString> knownClientSecret(const QString &clientId)
{
    if (clientId == DemoServer::clientId())
        return DemoServer::clientSecret();
    if (clientId == DemoServer::specialClientId())
        return DemoServer::specialClientSecret();
    return std::nullopt;
}

// Client authentication (RFC 6749 §2.3): HTTP Basic or credentials in the body, never both;
// the same at every endpoint a client authenticates at. nullopt once *clientId is a known client
// with its secret, else the error to answer.
std::optional<QHttpServerResponse> authenticateClient(const QHttpServerRequest &request, const Params &params, QString *clientId)
{
    QString clientSecret;
    const QByteArray authorization = request.value("Authorization"_ba);
    if (!authorization.isEmpty()) {
        const auto [scheme, credentials] = splitAuthorization(authorization);
        if (scheme.compare("Basic", Qt::CaseInsensitive) != 0) {
            return oauthError(StatusCode::Unauthorized, u"invalid_client"_s,
                              u"The token endpoint accepts only HTTP Basic client authentication in the Authorization header"_s);
        }
        const auto decoded = QByteArray::fromBase64Encoding(credentials, QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
        if (colon < 0) {
            return oauthError(StatusCode::Unauthorized, u"invalid_client"_s,
                              u"The Basic credentials are not base64 of client_id:client_secret"_s);
        }
        *clientId = DemoRequestParams::formDecode(decoded.decoded.left(colon));
        clientSecret = DemoRequestParams::formDecode(decoded.decoded.mid(colon + 1));
        if (params.contains(u"client_secret"_s)) {
            return oauthError(StatusCode::BadRequest, u"invalid_request"_s,
                              u"The client authenticated with both HTTP Basic and client_secret in the body; use one method"_s);
        }
        if (params.contains(u"client_id"_s) && params.value(u"client_id"_s) != *clientId) {
            return oauthError(StatusCode::BadRequest, u"invalid_request"_s,
                              u"The client_id in the body differs from the one in the Basic credentials"_s);
        }
    } else {
        *clientId = params.value(u"client_id"_s);
        clientSecret = params.value(u"client_secret"_s);
        // A public client identifies itself and has nothing to prove (RFC 6749 §2.1, §3.2.1).
        if (*clientId == DemoServer::publicClientId() && clientSecret.isEmpty())
            return std::nullopt;
    }
    if (clientId->isEmpty()) {
        return oauthError(StatusCode::Unauthorized, u"invalid_client"_s,
                          u"Client authentication is required (HTTP Basic, or client_id and client_secret in the body)"_s);
    }
    const auto expectedSecret = knownClientSecret(*clientId);
    if (!expectedSecret || !constantTimeEquals(expectedSecret->toUtf8(), clientSecret.toUtf8())) {
        return oauthError(StatusCode::Unauthorized, u"invalid_client"_s,
                          u"Unknown client or wrong client secret"_s);
    }
    return std::nullopt;
}

bool isKnownUser(const QString &username)
{
    return username == DemoServer::username() || username == DemoServer::blockedUserId();
}

std::optional<QJsonObject> jsonObjectBody(const QHttpServerRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// The methods each known path answers, so a wrong method gets 405 instead of 404.
QStringList allowedMethods(const QString &path)
{
    static const QRegularExpression customerPath(u"^/api/customers/[^/]+$"_s);
    if (path == u"/oauth/token" || path == DemoDeviceEndpoint::authorizationPath())
        return {u"POST"_s};
    if (path == DemoDeviceEndpoint::verificationPath())
        return {u"GET"_s, u"POST"_s};
    if (path == u"/api/trades")
        return {u"GET"_s, u"POST"_s};
    if (path == DemoMetadataEndpoint::jwksPath() || path == DemoMetadataEndpoint::openIdConfigurationPath()
        || path == DemoMetadataEndpoint::authorizationServerPath())
        return {u"GET"_s};
    if (path == u"/scopes" || path == u"/api/accounts" || path == u"/api/customers"
        || path == u"/api/me" || path == u"/api/slow")
        return {u"GET"_s};
    if (customerPath.match(path).hasMatch())
        return {u"PATCH"_s};
    return {};
}

bool isSafeMethod(Method method)
{
    return method == Method::Get || method == Method::Head || method == Method::Options;
}

} // namespace

namespace {
QLoggingCategory::CategoryFilter previousLoggingFilter = nullptr;

// QHttpServer's debug log prints every request with its headers, Authorization included; the
// in-process Demo API must not put the tokens it checks into anyone's log, whatever
// QT_LOGGING_RULES says (a filter is the one thing that overrides the rules).
void quietHttpServerLog(QLoggingCategory *category)
{
    if (previousLoggingFilter)
        previousLoggingFilter(category);
    if (qstrncmp(category->categoryName(), "qt.httpserver", 13) == 0) {
        category->setEnabled(QtDebugMsg, false);
        category->setEnabled(QtInfoMsg, false);
    }
}
} // namespace

DemoServer::DemoServer(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
    , m_authorization(std::make_unique<DemoAuthorizationEndpoint>([this] { return baseUrl(); }))
    , m_device(std::make_unique<DemoDeviceEndpoint>([this] { return baseUrl(); },
                                                    [this](const QHttpServerRequest &request, Params *params, QString *clientId) {
                                                        return readClientRequest(request, params, clientId);
                                                    }))
    , m_lifecycle(std::make_unique<DemoTokenLifecycle>())
    , m_signingKey(DemoSigningKey::generate())
    , m_metadata(std::make_unique<DemoMetadataEndpoint>(*this, m_signingKey))
    , m_trades(DemoSeedData::trades())
    , m_customers(DemoSeedData::customers())
{
    static const bool quiet = [] {
        previousLoggingFilter = QLoggingCategory::installFilter(quietHttpServerLog);
        return true;
    }();
    Q_UNUSED(quiet)
    registerRoutes();
}

DemoServer::~DemoServer() = default;

bool DemoServer::start(quint16 port, QString *error)
{
    if (isRunning()) {
        if (port == 0 || port == m_port)
            return true;
        if (error)
            *error = tr("The Demo API is already running on port %1").arg(m_port);
        return false;
    }
    if (!m_signingKey.isValid()) {
        if (error)
            *error = tr("The Demo API has no key to sign its tokens with (OpenSSL could not make an EC P-256 key)");
        return false;
    }
    // QHttpServer::listen() only logs why it failed; listening on our own QTcpServer and
    // handing it over with bind() keeps the reason for the caller.
    auto tcpServer = std::make_unique<QTcpServer>();
    if (!tcpServer->listen(QHostAddress::LocalHost, port)) {
        if (error) {
            *error = tr("The Demo API could not listen on 127.0.0.1:%1: %2")
                             .arg(port)
                             .arg(tcpServer->errorString());
        }
        return false;
    }
    m_port = tcpServer->serverPort();
    m_server->bind(tcpServer.release()); // reparents the QTcpServer to m_server
    return true;
}

QUrl DemoServer::baseUrl() const
{
    if (!isRunning())
        return {};
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    return url;
}

QUrl DemoServer::authorizationUrl() const
{
    QUrl url = baseUrl();
    if (!url.isEmpty())
        url.setPath(u"/oauth/authorize"_s);
    return url;
}

QUrl DemoServer::tokenUrl() const
{
    QUrl url = baseUrl();
    if (!url.isEmpty())
        url.setPath(u"/oauth/token"_s);
    return url;
}

QUrl DemoServer::deviceAuthorizationUrl() const
{
    QUrl url = baseUrl();
    if (!url.isEmpty())
        url.setPath(DemoDeviceEndpoint::authorizationPath());
    return url;
}

QUrl DemoServer::revocationUrl() const
{
    return isRunning() ? baseUrl().resolved(QUrl(DemoTokenLifecycle::revocationPath())) : QUrl();
}

QUrl DemoServer::introspectionUrl() const
{
    return isRunning() ? baseUrl().resolved(QUrl(DemoTokenLifecycle::introspectionPath())) : QUrl();
}

QUrl DemoServer::jwksUrl() const
{
    return isRunning() ? baseUrl().resolved(QUrl(DemoMetadataEndpoint::jwksPath())) : QUrl();
}

QUrl DemoServer::apiUrl() const
{
    QUrl url = baseUrl();
    if (!url.isEmpty())
        url.setPath(u"/api"_s);
    return url;
}

void DemoServer::registerRoutes()
{
    m_server->route(u"/oauth/token"_s, Method::Post,
                    [this](const QHttpServerRequest &request) { return token(request); });
    m_authorization->registerRoutes(m_server.get());
    m_lifecycle->registerRoutes(*m_server, {[this](const QHttpServerRequest &request, Params *params, QString *clientId) {
                                                return readClientRequest(request, params, clientId);
                                            },
                                            [this](const QByteArray &token) -> std::optional<QJsonObject> {
                                                QJsonObject claims;
                                                if (checkToken(token, &claims) != TokenState::Valid)
                                                    return std::nullopt;
                                                return claims;
                                            }});

    m_device->registerRoutes(m_server.get());
    m_metadata->registerRoutes(m_server.get());

    m_server->route(u"/scopes"_s, Method::Get, [] {
        QJsonArray scopes;
        for (const DemoScope &scope : DemoScopes::all())
            scopes.append(QJsonObject{{u"name"_s, scope.name}, {u"description"_s, scope.description}});
        return jsonResponse(QJsonObject{{u"scopes"_s, scopes}});
    });

    m_server->route(u"/api/accounts"_s, Method::Get,
                    [this](const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        if (auto denied = authorize(request, u"accounts:read"_s, &caller))
                            return std::move(*denied);
                        return jsonResponse(DemoSeedData::accounts());
                    });

    m_server->route(u"/api/trades"_s, Method::Get,
                    [this](const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        if (auto denied = authorize(request, u"trades:read"_s, &caller))
                            return std::move(*denied);
                        return jsonResponse(m_trades);
                    });

    m_server->route(u"/api/trades"_s, Method::Post,
                    [this](const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        if (auto denied = authorize(request, u"trades:execute"_s, &caller))
                            return std::move(*denied);
                        return createTrade(request, caller);
                    });

    m_server->route(u"/api/customers"_s, Method::Get,
                    [this](const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        const QString scope = m_overPermissiveForTests ? QString() : u"customers:read"_s;
                        if (auto denied = authorize(request, scope, &caller))
                            return std::move(*denied);
                        return jsonResponse(m_customers);
                    });

    m_server->route(u"/api/customers/<arg>"_s, Method::Patch,
                    [this](const QString &id, const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        if (auto denied = authorize(request, u"customers:write"_s, &caller))
                            return std::move(*denied);
                        return patchCustomer(id, request);
                    });

    m_server->route(u"/api/me"_s, Method::Get,
                    [this](const QHttpServerRequest &request) -> QHttpServerResponse {
                        Caller caller;
                        if (auto denied = authorize(request, onBehalfOfScope(), &caller))
                            return std::move(*denied);
                        if (caller.onBehalfOf.isEmpty()) {
                            return apiError(StatusCode::BadRequest, u"invalid_request"_s,
                                            u"This endpoint needs the header X-On-Behalf-Of: user <userId>"_s);
                        }
                        return jsonResponse(QJsonObject{{u"user"_s, caller.onBehalfOf},
                                                        {u"acting_client"_s, caller.clientId}});
                    });

    // The server shares the GUI's event loop, so a slow answer is a timer, never a sleep.
    // The responder outlives the handler; if the client hangs up first, QHttpServer deletes
    // the socket and the answer is dropped (the 6.4 responder's destructor never touches it).
    m_server->route(u"/api/slow"_s, Method::Get,
                    [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                        Caller caller;
                        if (auto denied = authorize(request, u"accounts:read"_s, &caller)) {
                            denied->write(std::move(responder));
                            return;
                        }
                        bool ok = false;
                        const int requested = request.query().queryItemValue(u"ms"_s).toInt(&ok);
                        if (!ok || requested < 0) {
                            apiError(StatusCode::BadRequest, u"invalid_request"_s,
                                     u"ms must be a number of milliseconds (0 to %1)"_s.arg(maxSlowMs))
                                    .write(std::move(responder));
                            return;
                        }
                        const int delay = std::min(requested, maxSlowMs);
                        auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
                        QPointer<QTcpSocket> socket = pending->socket();
                        QTimer::singleShot(delay, this, [pending, socket, delay] {
                            if (!socket || socket->state() != QAbstractSocket::ConnectedState)
                                return;
                            jsonResponse(QJsonObject{{u"delayed_ms"_s, delay}})
                                    .write(std::move(*pending));
                        });
                    });

    m_server->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QString path = request.url().path();
        const QStringList allowed = allowedMethods(path);
        if (!allowed.isEmpty()) {
            auto response = apiError(StatusCode::MethodNotAllowed, u"method_not_allowed"_s,
                                     u"%1 answers %2 only"_s.arg(path, allowed.join(u", "_s)));
            response.setHeader("Allow"_ba, allowed.join(u", "_s).toUtf8());
            response.write(std::move(responder));
            return;
        }
        apiError(StatusCode::NotFound, u"not_found"_s, u"The Demo API has no endpoint at %1"_s.arg(path))
                .write(std::move(responder));
    });
}

std::optional<QHttpServerResponse> DemoServer::readClientRequest(const QHttpServerRequest &request, Params *paramsOut, QString *clientIdOut) const
{
    Params &params = *paramsOut;
    QString problem;
    if (!DemoRequestParams::read(request, &params, &problem))
        return oauthError(StatusCode::BadRequest, u"invalid_request"_s, problem);

    return authenticateClient(request, params, clientIdOut);
}

QHttpServerResponse DemoServer::token(const QHttpServerRequest &request) const
{
    Params params;
    QString clientId;
    if (auto refused = readClientRequest(request, &params, &clientId))
        return std::move(*refused);

    const QString grantType = params.value(u"grant_type"_s);
    QString subject;
    std::optional<DemoTokenLifecycle::Grant> refreshed;
    if (grantType.isEmpty()) {
        return oauthError(StatusCode::BadRequest, u"invalid_request"_s, u"The grant_type parameter is missing"_s);
    } else if (clientId == publicClientId() && (grantType == u"client_credentials" || grantType == u"password")) {
        // Without a secret nothing shows the request comes from the client: a person must take part.
        return oauthError(StatusCode::BadRequest, u"unauthorized_client"_s,
                          u"The public client %1 has no secret, so it may use only authorization_code, the device grant and refresh_token; "
                          "use %2 with its secret for %3"_s.arg(clientId, DemoServer::clientId(), grantType));
    } else if (grantType == u"client_credentials") {
        subject = clientId;
    } else if (grantType == u"password") {
        const QString username = params.value(u"username"_s);
        const QString password = params.value(u"password"_s);
        if (username.isEmpty() || password.isEmpty()) {
            return oauthError(StatusCode::BadRequest, u"invalid_request"_s,
                              u"The password grant needs username and password"_s);
        }
        if (!isKnownUser(username) || !constantTimeEquals(password.toUtf8(), DemoServer::password().toUtf8())) {
            return oauthError(StatusCode::BadRequest, u"invalid_grant"_s, u"The username or password is wrong"_s);
        }
        subject = username;
    } else if (grantType == u"authorization_code") {
        QString why;
        const auto grant = m_authorization->redeem(params.value(u"code"_s), clientId, params.value(u"redirect_uri"_s),
                                                   params.value(u"code_verifier"_s), &why);
        if (!grant)
            return oauthError(StatusCode::BadRequest, u"invalid_grant"_s, why);
        subject = DemoServer::username(); // the Demo's one user approved it
        params.insert(u"scope"_s, grant->scopes.join(u' '));
    } else if (grantType == DemoDeviceEndpoint::grantType()) {
        DemoDeviceEndpoint::Redemption redeemed = m_device->redeem(clientId, params.value(u"device_code"_s));
        if (redeemed.refusal)
            return std::move(*redeemed.refusal);
        subject = redeemed.subject;
        params.insert(u"scope"_s, redeemed.scopes.join(u' ')); // what the person approved
    } else if (grantType == u"refresh_token") {
        refreshed = m_lifecycle->redeem(params.value(u"refresh_token"_s), clientId);
        if (!refreshed)
            return oauthError(StatusCode::BadRequest, u"invalid_grant"_s, u"The refresh token is unknown, used, revoked or another client's"_s);
        subject = refreshed->subject;
    } else {
        return oauthError(StatusCode::BadRequest, u"unsupported_grant_type"_s,
                          u"The grant type \"%1\" is not supported; use client_credentials, password, authorization_code, urn:ietf:params:oauth:grant-type:device_code or refresh_token"_s.arg(grantType));
    }

    // RFC 6749 §3.3: scope tokens are separated by spaces.
    QStringList scopes;
    if (params.contains(u"scope"_s)) {
        const QStringList requested = params.value(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
        QStringList unknown;
        for (const QString &scope : requested) {
            if (!DemoScopes::contains(scope))
                unknown.append(scope);
            else if (!scopes.contains(scope))
                scopes.append(scope);
        }
        if (!unknown.isEmpty()) {
            return oauthError(StatusCode::BadRequest, u"invalid_scope"_s,
                              u"Unknown scope: %1; GET /scopes lists the catalog"_s.arg(unknown.join(u", "_s)));
        }
    }
    if (refreshed) {
        // RFC 6749 §6: a refresh may narrow the grant's scopes, never widen them.
        for (const QString &scope : std::as_const(scopes)) {
            if (!refreshed->scopes.contains(scope))
                return oauthError(StatusCode::BadRequest, u"invalid_scope"_s, u"The scope %1 was not granted to this refresh token"_s.arg(scope));
        }
        if (scopes.isEmpty())
            scopes = refreshed->scopes;
    }
    if (scopes.isEmpty())
        scopes = defaultScopes();

    QJsonObject answer{{u"access_token"_s, QString::fromLatin1(issueToken(subject, clientId, scopes))},
                       {u"token_type"_s, u"Bearer"_s},
                       {u"expires_in"_s, m_tokenLifetime},
                       {u"scope"_s, scopes.join(u' ')}};
    // A person's grant may be renewed without them; a client's own (§4.4.3) is simply asked again.
    // Rotation: the new refresh token keeps the grant's scopes, however far this token narrowed them.
    if (grantType != u"client_credentials")
        answer.insert(u"refresh_token"_s, m_lifecycle->issueRefreshToken({clientId, subject, refreshed ? refreshed->scopes : scopes}));
    return oauthResponse(answer, StatusCode::Ok);
}

QByteArray DemoServer::issueToken(const QString &subject, const QString &client, const QStringList &scopes) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims{
        {u"iss"_s, issuer().toString(QUrl::FullyEncoded)},
        {u"sub"_s, subject},
        {u"aud"_s, audience()},
        {u"client_id"_s, client},
        {u"iat"_s, now},
        {u"nbf"_s, now},
        {u"exp"_s, now + m_tokenLifetime},
        {u"jti"_s, QString::fromLatin1(base64Url(randomBytes(4)))},
        {u"scope"_s, scopes.join(u' ')},
    };
    // RFC 9068's type for a JWT access token.
    return m_signingKey.sign(claims, u"at+jwt"_s);
}

DemoServer::TokenState DemoServer::checkToken(const QByteArray &token, QJsonObject *claims) const
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return TokenState::Malformed;
    // The check the inspector makes, against the key the JWKS endpoint publishes: ES256 with this
    // server's kid only (alg none, HMAC and any other key refused).
    if (!JwsSignatureCheck::verify(QString::fromLatin1(token), m_signingKey.verificationKeys()).isVerified())
        return TokenState::Malformed;

    const auto headerJson = base64UrlDecode(parts.at(0));
    const auto claimsJson = base64UrlDecode(parts.at(1));
    if (!headerJson || !claimsJson)
        return TokenState::Malformed;
    const QJsonDocument headerDocument = QJsonDocument::fromJson(*headerJson);
    const QJsonDocument claimsDocument = QJsonDocument::fromJson(*claimsJson);
    if (!headerDocument.isObject() || !claimsDocument.isObject())
        return TokenState::Malformed;
    if (headerDocument.object().value(u"alg"_s).toString() != DemoSigningKey::algorithm())
        return TokenState::Malformed;
    *claims = claimsDocument.object();
    const QJsonValue exp = claims->value(u"exp"_s);
    const QJsonValue nbf = claims->value(u"nbf"_s);
    if (!exp.isDouble() || !nbf.isDouble() || claims->value(u"aud"_s).toString() != audience())
        return TokenState::Malformed;

    // Times are whole seconds and iat is rounded down, so the token is honoured through the
    // whole second named by exp: it then never dies before a client that counted expires_in
    // from the moment it received the token expects it to.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now < nbf.toInteger())
        return TokenState::NotYetValid;
    if (now > exp.toInteger())
        return TokenState::Expired;
    if (m_lifecycle->isRevoked(claims->value(u"jti"_s).toString()))
        return TokenState::Revoked;
    return TokenState::Valid;
}

std::optional<QHttpServerResponse> DemoServer::authorize(const QHttpServerRequest &request,
                                                         const QString &requiredScope, Caller *caller) const
{
    const auto [scheme, token] = splitAuthorization(request.value("Authorization"_ba));
    if (scheme.compare("Bearer", Qt::CaseInsensitive) != 0 || token.isEmpty()) {
        auto response = apiError(StatusCode::Unauthorized, u"unauthorized"_s,
                                 u"This endpoint needs an access token: send Authorization: Bearer <token>"_s);
        response.setHeader("WWW-Authenticate"_ba, bearerChallenge());
        return response;
    }

    QJsonObject claims;
    switch (checkToken(token, &claims)) {
    case TokenState::Valid:
        break;
    case TokenState::Malformed:
        return invalidToken(u"The access token is malformed or its signature is invalid"_s);
    case TokenState::Expired:
        return invalidToken(u"The access token expired"_s);
    case TokenState::NotYetValid:
        return invalidToken(u"The access token is not valid yet"_s);
    case TokenState::Revoked:
        return invalidToken(u"The access token was revoked"_s);
    }
    caller->clientId = claims.value(u"client_id"_s).toString();
    caller->subject = claims.value(u"sub"_s).toString();
    caller->scopes = claims.value(u"scope"_s).toString().split(u' ', Qt::SkipEmptyParts);

    // Acting for a user is a privilege of its own, whatever endpoint is called.
    if (const auto onBehalfOf = headerValue(request, "X-On-Behalf-Of"_ba)) {
        if (!caller->scopes.contains(onBehalfOfScope()))
            return insufficientScope(onBehalfOfScope());
        static const QRegularExpression format(u"^user ([A-Za-z0-9._@-]+)$"_s);
        const auto match = format.match(QString::fromUtf8(*onBehalfOf));
        if (!match.hasMatch()) {
            return apiError(StatusCode::BadRequest, u"invalid_request"_s,
                            u"X-On-Behalf-Of must have the form \"user <userId>\""_s);
        }
        caller->onBehalfOf = match.captured(1);
    }

    // An empty requiredScope: the test-only flaw (setOverPermissiveForTests), any valid token passes.
    if (!requiredScope.isEmpty() && !caller->scopes.contains(requiredScope))
        return insufficientScope(requiredScope);

    // Seed 003: a blocked user may still be read, but nothing may be changed on their behalf.
    if (caller->onBehalfOf == blockedUserId() && !isSafeMethod(request.method())) {
        return jsonResponse(
                R"({"code":"operation-not-allowed","message":"The current status of the user does not allow calling this endpoint","reasons":["user-blocked"]})"_ba,
                StatusCode::Conflict);
    }
    return std::nullopt;
}

QHttpServerResponse DemoServer::createTrade(const QHttpServerRequest &request, const Caller &caller)
{
    const auto body = jsonObjectBody(request);
    if (!body) {
        return apiError(StatusCode::BadRequest, u"invalid_request"_s,
                        u"The body must be a JSON object describing the trade"_s);
    }
    QJsonObject trade = *body;
    trade.insert(u"id"_s, u"trd-%1"_s.arg(m_nextTradeNumber++));
    trade.insert(u"state"_s, u"pending"_s);
    trade.insert(u"created_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!caller.onBehalfOf.isEmpty())
        trade.insert(u"on_behalf_of"_s, caller.onBehalfOf);
    m_trades.append(trade);
    return jsonResponse(trade, StatusCode::Created);
}

QHttpServerResponse DemoServer::patchCustomer(const QString &id, const QHttpServerRequest &request)
{
    const auto body = jsonObjectBody(request);
    if (!body) {
        return apiError(StatusCode::BadRequest, u"invalid_request"_s,
                        u"The body must be a JSON object with the fields to change"_s);
    }
    for (qsizetype i = 0; i < m_customers.size(); ++i) {
        QJsonObject customer = m_customers.at(i).toObject();
        if (customer.value(u"id"_s).toString() != id)
            continue;
        for (auto it = body->begin(); it != body->end(); ++it) {
            if (it.key() != u"id")
                customer.insert(it.key(), it.value());
        }
        m_customers.replace(i, customer);
        return jsonResponse(customer);
    }
    return apiError(StatusCode::NotFound, u"not_found"_s, u"There is no customer %1"_s.arg(id));
}
