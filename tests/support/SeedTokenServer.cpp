#include "SeedTokenServer.h"

#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using StatusCode = QHttpServerResponse::StatusCode;

namespace {
QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

QHttpServerResponse json(const QJsonObject &object, StatusCode status = StatusCode::Ok)
{
    return QHttpServerResponse("application/json"_ba, QJsonDocument(object).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse oauthError(const QString &error, const QString &description, StatusCode status = StatusCode::BadRequest)
{
    return json({{u"error"_s, error}, {u"error_description"_s, description}}, status);
}

QString randomToken(int length)
{
    static const QString alphabet = u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"_s;
    QString out;
    for (int i = 0; i < length; ++i)
        out.append(alphabet.at(QRandomGenerator::global()->bounded(int(alphabet.size()))));
    return out;
}

QMap<QString, QString> formFields(const QByteArray &body)
{
    QMap<QString, QString> fields;
    const QUrlQuery query(QString::fromUtf8(QByteArray(body).replace('+', ' ')));
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
        fields.insert(key, value);
    return fields;
}
} // namespace

SeedTokenServer::SeedTokenServer(Seed seed, const QString &clientId, const QString &clientSecret, QObject *parent)
    : QObject(parent)
    , m_seed(seed)
    , m_clientId(clientId)
    , m_clientSecret(clientSecret)
{
    const QString tokenPath = seed == Seed::Banking ? u"/token"_s : u"/oauth/token"_s;
    m_server.route(tokenPath, QHttpServerRequest::Method::Post, [this](const QHttpServerRequest &request) { return token(request); });
    m_server.route(u"/api/transactions"_s, QHttpServerRequest::Method::Post,
                   [this](const QHttpServerRequest &request) { return transactions(request); });
}

void SeedTokenServer::setAccount(const QString &username, const QString &password)
{
    m_username = username;
    m_password = password;
}

bool SeedTokenServer::listen()
{
    auto *tcp = new QTcpServer;
    if (!tcp->listen(QHostAddress::LocalHost, 0)) {
        delete tcp;
        return false;
    }
    m_port = tcp->serverPort();
    m_server.bind(tcp);
    return true;
}

QUrl SeedTokenServer::url(const QString &path) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
}

QHttpServerResponse SeedTokenServer::token(const QHttpServerRequest &request)
{
    ++m_tokenRequests;
    m_lastContentType = header(request, "Content-Type");
    m_lastBody = request.body();
    m_lastHadAuthorization = !header(request, "Authorization").isEmpty();
    if (!request.query().isEmpty())
        return oauthError(u"invalid_request"_s, u"Credentials go in the body of the call, not in the endpoint's URL"_s);

    QMap<QString, QString> fields;
    if (m_seed == Seed::Cybrid) {
        if (!m_lastContentType.startsWith("application/json"))
            return oauthError(u"invalid_request"_s, u"Send the token request as a JSON body"_s);
        const QJsonObject object = QJsonDocument::fromJson(m_lastBody).object();
        for (auto it = object.begin(); it != object.end(); ++it)
            fields.insert(it.key(), it.value().toString());
    } else {
        if (!m_lastContentType.startsWith("application/x-www-form-urlencoded"))
            return oauthError(u"invalid_request"_s, u"Send the token request as a form body"_s);
        fields = formFields(m_lastBody);
    }

    QString clientId = fields.value(u"client_id"_s);
    QString clientSecret = fields.value(u"client_secret"_s);
    if (m_lastHadAuthorization) {
        // Only the enterprise seed leaves the client authentication method open.
        if (m_seed != Seed::EnterpriseObo)
            return oauthError(u"invalid_client"_s, u"HTTP Basic is not accepted: provide the client secret in the POST body"_s, StatusCode::Unauthorized);
        const QByteArray value = header(request, "Authorization");
        if (!value.startsWith("Basic "))
            return oauthError(u"invalid_client"_s, u"Unsupported client authentication"_s, StatusCode::Unauthorized);
        const QByteArray decoded = QByteArray::fromBase64(value.mid(6));
        const qsizetype colon = decoded.indexOf(':');
        clientId = QUrl::fromPercentEncoding(decoded.left(colon).replace('+', ' '));
        clientSecret = QUrl::fromPercentEncoding(decoded.mid(colon + 1).replace('+', ' '));
    }
    if (fields.value(u"grant_type"_s) != u"client_credentials"_s)
        return oauthError(u"unsupported_grant_type"_s, u"Only the client credentials grant is supported"_s);
    if (clientId != m_clientId || clientSecret != m_clientSecret)
        return oauthError(u"invalid_client"_s, u"Unknown client or wrong client secret"_s, StatusCode::Unauthorized);

    const QString scope = fields.value(u"scope"_s);
    QJsonObject answer;
    switch (m_seed) {
    case Seed::Cybrid:
        if (scope.isEmpty())
            return oauthError(u"invalid_scope"_s, u"The authentication scopes must be specified"_s);
        answer = {{u"access_token"_s, randomToken(48)}, {u"token_type"_s, u"bearer"_s}, {u"scope"_s, scope}};
        break;
    case Seed::Banking:
        answer = {{u"access_token"_s, randomToken(32)}, {u"token_type"_s, u"Bearer"_s}, {u"expires_in"_s, 3600}};
        break;
    case Seed::Cymbio:
        if (fields.value(u"username"_s) != m_username || fields.value(u"password"_s) != m_password)
            return oauthError(u"invalid_grant"_s, u"Wrong username or password"_s, StatusCode::Forbidden);
        answer = {{u"access_token"_s, randomToken(40)}, {u"token_type"_s, u"Bearer"_s}, {u"expires_in"_s, 300}, {u"scope"_s, scope}};
        break;
    case Seed::EnterpriseObo:
        answer = {{u"access_token"_s, randomToken(40)}, {u"token_type"_s, u"Bearer"_s}, {u"expires_in"_s, 3600},
                  {u"scope"_s, u"core.users:act-on-behalf-of"_s}};
        break;
    case Seed::Cyclr:
        answer = {{u"token_type"_s, u"bearer"_s}, {u"access_token"_s, randomToken(40)}, {u"expires_in"_s, 1209599}, {u"clientId"_s, clientId}};
        break;
    }
    m_issued.insert(answer.value(u"access_token"_s).toString(), scope.split(u' ', Qt::SkipEmptyParts));
    return json(answer);
}

QHttpServerResponse SeedTokenServer::transactions(const QHttpServerRequest &request)
{
    const QByteArray authorization = header(request, "Authorization");
    const QString token = QString::fromUtf8(authorization.mid(7));
    if (!authorization.startsWith("Bearer ") || !m_issued.contains(token))
        return json({{u"code"_s, u"unauthorized"_s}}, StatusCode::Unauthorized);
    const QStringList scopes = m_issued.value(token);
    const QByteArray onBehalfOf = header(request, "X-On-Behalf-Of");
    if (m_seed == Seed::EnterpriseObo && !onBehalfOf.isEmpty()) {
        if (!scopes.contains(u"core.users:act-on-behalf-of"_s))
            return json({{u"code"_s, u"forbidden"_s}}, StatusCode::Forbidden);
        if (onBehalfOf == "user " + m_blockedUser.toUtf8())
            return json({{u"code"_s, u"operation-not-allowed"_s},
                         {u"message"_s, u"The current status of the user does not allow calling this endpoint"_s},
                         {u"reasons"_s, QJsonArray{u"user-blocked"_s}}},
                        StatusCode::Conflict);
        return json({{u"on_behalf_of"_s, QString::fromUtf8(onBehalfOf.mid(5))}}, StatusCode::Created);
    }
    if (m_seed == Seed::Cyclr) {
        const QString account = QString::fromUtf8(header(request, "X-Cyclr-Account"));
        for (const QString &scope : scopes) {
            if (scope.startsWith(u"account:"_s) && scope.mid(8) != account)
                return json({{u"Message"_s, u"The token is restricted to another account"_s}}, StatusCode::Forbidden);
        }
        return json({{u"account"_s, account}}, StatusCode::Created);
    }
    return json({{u"created"_s, true}}, StatusCode::Created);
}
