#pragma once

#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

#include <optional>

class EndpointCall;

// What an introspection endpoint said about a token (RFC 7662 §2.2).
struct IntrospectionResult
{
    OAuthError error;     // the request failed or the answer is no introspection response
    bool active = false;
    QJsonObject fields;   // the whole answer: active, scope, exp, client_id, sub, and the rest

    bool ok() const { return !error.isError(); }
    QString scope() const { return fields.value(QStringLiteral("scope")).toString(); }
    QString clientId() const { return fields.value(QStringLiteral("client_id")).toString(); }
    QString subject() const { return fields.value(QStringLiteral("sub")).toString(); }
    std::optional<QDateTime> expiresAt() const;
};

// RFC 7662: asks the environment's introspection endpoint what a token is — above all for an
// opaque token, whose meaning only the server knows. The client authenticates as at the token
// endpoint; the answer is bounded like a token response (1 MB).
class TokenIntrospection : public QObject
{
    Q_OBJECT

public:
    explicit TokenIntrospection(QObject *parent = nullptr);

    // hint: "access_token" or "refresh_token" (token_type_hint), or empty.
    void start(const TokenRequest &client, const QUrl &endpoint, const QString &token, const QString &hint = QStringLiteral("access_token"));
    static IntrospectionResult interpret(int status, const QByteArray &body, const QUrl &endpoint);

Q_SIGNALS:
    void finished(const IntrospectionResult &result);

private:
    EndpointCall *m_call;
};
