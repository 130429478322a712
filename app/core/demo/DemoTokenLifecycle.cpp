#include "demo/DemoTokenLifecycle.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

using StatusCode = QHttpServerResponder::StatusCode;

namespace {
QHttpServerResponse noStore(const QJsonObject &object, StatusCode status)
{
    QHttpServerResponse response("application/json"_ba, QJsonDocument(object).toJson(QJsonDocument::Compact), status);
    response.setHeader("Cache-Control"_ba, "no-store"_ba);
    return response;
}

QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    // Opaque, and shaped unlike a JWT: the server alone knows what it means.
    return u"demo-rt-"_s + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

void DemoTokenLifecycle::registerRoutes(QHttpServer &server, const Hooks &hooks)
{
    using Method = QHttpServerRequest::Method;
    server.route(revocationPath(), Method::Post, [this, hooks](const QHttpServerRequest &request) {
        QHash<QString, QString> params;
        QString clientId;
        if (auto refused = hooks.authenticate(request, &params, &clientId))
            return std::move(*refused);
        if (!params.contains(u"token"_s))
            return noStore({{u"error"_s, u"invalid_request"_s}, {u"error_description"_s, u"The token parameter is missing"_s}}, StatusCode::BadRequest);
        revoke(params.value(u"token"_s), clientId, hooks);
        return QHttpServerResponse(StatusCode::Ok);
    });
    server.route(introspectionPath(), Method::Post, [this, hooks](const QHttpServerRequest &request) {
        QHash<QString, QString> params;
        QString clientId;
        if (auto refused = hooks.authenticate(request, &params, &clientId))
            return std::move(*refused);
        if (!params.contains(u"token"_s))
            return noStore({{u"error"_s, u"invalid_request"_s}, {u"error_description"_s, u"The token parameter is missing"_s}}, StatusCode::BadRequest);
        return noStore(introspect(params.value(u"token"_s), clientId, hooks), StatusCode::Ok);
    });
}

QString DemoTokenLifecycle::issueRefreshToken(const Grant &grant)
{
    const QString token = randomToken();
    m_refreshTokens.insert(token, grant);
    return token;
}

std::optional<DemoTokenLifecycle::Grant> DemoTokenLifecycle::redeem(const QString &refreshToken, const QString &clientId)
{
    const auto it = m_refreshTokens.constFind(refreshToken);
    if (it == m_refreshTokens.constEnd() || it->clientId != clientId)
        return std::nullopt;
    // Rotation: each refresh token is good for one use.
    Grant grant = *it;
    m_refreshTokens.erase(it);
    return grant;
}

void DemoTokenLifecycle::revoke(const QString &token, const QString &clientId, const Hooks &hooks)
{
    if (const auto it = m_refreshTokens.constFind(token); it != m_refreshTokens.constEnd()) {
        if (it->clientId == clientId)
            m_refreshTokens.erase(it);
        return;
    }
    // An access token: its jti is refused from now on, by the API and by introspection.
    if (const auto claims = hooks.accessTokenClaims(token.toUtf8()); claims && claims->value(u"client_id"_s).toString() == clientId)
        m_revokedJtis.insert(claims->value(u"jti"_s).toString());
}

QJsonObject DemoTokenLifecycle::introspect(const QString &token, const QString &clientId, const Hooks &hooks) const
{
    // RFC 7662 §2.2: a token this client may not learn about is merely inactive.
    const QJsonObject inactive{{u"active"_s, false}};
    if (const auto it = m_refreshTokens.constFind(token); it != m_refreshTokens.constEnd()) {
        if (it->clientId != clientId)
            return inactive;
        return {{u"active"_s, true}, {u"token_type"_s, u"refresh_token"_s}, {u"client_id"_s, it->clientId},
                {u"sub"_s, it->subject}, {u"scope"_s, it->scopes.join(u' ')}};
    }
    const auto claims = hooks.accessTokenClaims(token.toUtf8());
    if (!claims || claims->value(u"client_id"_s).toString() != clientId)
        return inactive;
    QJsonObject answer = *claims;
    answer.insert(u"active"_s, true);
    answer.insert(u"token_type"_s, u"Bearer"_s);
    return answer;
}
