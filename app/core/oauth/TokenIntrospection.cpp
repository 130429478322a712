#include "oauth/TokenIntrospection.h"

#include "oauth/EndpointCall.h"
#include "oauth/TokenResponseParser.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

std::optional<QDateTime> IntrospectionResult::expiresAt() const
{
    const QJsonValue exp = fields.value(u"exp"_s);
    if (!exp.isDouble())
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(exp.toInteger(), Qt::UTC);
}

TokenIntrospection::TokenIntrospection(QObject *parent)
    : QObject(parent)
    , m_call(new EndpointCall(this))
{
}

void TokenIntrospection::start(const TokenRequest &client, const QUrl &endpoint, const QString &token, const QString &hint)
{
    connect(m_call, &EndpointCall::finished, this, [this, endpoint](const EndpointCall::Answer &answer) {
        if (answer.error.isError()) {
            Q_EMIT finished({answer.error, false, {}});
            return;
        }
        Q_EMIT finished(interpret(answer.status, answer.body, endpoint));
    }, Qt::SingleShotConnection);
    QList<QPair<QString, QString>> fields{{u"token"_s, token}};
    if (!hint.isEmpty())
        fields.append({u"token_type_hint"_s, hint});
    m_call->start(client, endpoint, u"introspection URL"_s, fields);
}

IntrospectionResult TokenIntrospection::interpret(int status, const QByteArray &body, const QUrl &endpoint)
{
    IntrospectionResult result;
    if (status != 200) {
        result.error = EndpointCall::errorFrom({{}, status, body}, endpoint);
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    // §2.2: a JSON object whose "active" is a boolean; anything else is no answer to trust.
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || !document.object().value(u"active"_s).isBool()) {
        result.error.kind = OAuthError::Kind::InvalidResponse;
        result.error.endpoint = endpoint;
        result.error.httpStatus = status;
        result.error.detail = u"the answer is not an introspection response (a JSON object with a boolean \"active\")"_s;
        result.error.excerpt = TokenResponseParser::excerpt(body);
        return result;
    }
    result.fields = document.object();
    result.active = result.fields.value(u"active"_s).toBool();
    return result;
}
