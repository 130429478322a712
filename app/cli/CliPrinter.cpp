#include "CliPrinter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
QString scopeSourceName(AccessToken::ScopeSource source)
{
    switch (source) {
    case AccessToken::ScopeSource::Response: return u"response"_s;
    case AccessToken::ScopeSource::JwtClaim: return u"jwt"_s;
    case AccessToken::ScopeSource::NotReported: return u"not_reported"_s;
    }
    return {};
}

QString expirySourceName(AccessToken::ExpirySource source)
{
    switch (source) {
    case AccessToken::ExpirySource::ExpiresIn: return u"expires_in"_s;
    case AccessToken::ExpirySource::JwtExp: return u"jwt_exp"_s;
    case AccessToken::ExpirySource::Unknown: return u"unknown"_s;
    }
    return {};
}

QString jwtKindName(JwtView::Kind kind)
{
    switch (kind) {
    case JwtView::Kind::Jwt: return u"jwt"_s;
    case JwtView::Kind::Opaque: return u"opaque"_s;
    case JwtView::Kind::Malformed: return u"malformed"_s;
    }
    return {};
}

// Extra response fields that are themselves credentials (id_token, …) are never printed in clear.
QJsonObject maskedExtraFields(const QJsonObject &fields, bool showToken)
{
    QJsonObject shown;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const bool sensitive = it.key().contains(u"token"_s, Qt::CaseInsensitive) || it.key().contains(u"secret"_s, Qt::CaseInsensitive);
        shown.insert(it.key(), sensitive && !showToken ? QJsonValue(u"••••"_s) : it.value());
    }
    return shown;
}

QString indentJson(const QJsonObject &object, const QString &indent)
{
    QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
    text.replace(u'\n', u'\n' + indent);
    return text;
}
} // namespace

CliPrinter::CliPrinter()
    : m_out(stdout)
    , m_err(stderr)
{
}

QString CliPrinter::formatTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    return u"%1 %2 (%3 UTC)"_s.arg(local.toString(u"yyyy-MM-dd HH:mm:ss"_s), local.timeZoneAbbreviation(),
                                    utc.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s));
}

QString CliPrinter::formatDuration(qint64 seconds)
{
    const bool past = seconds < 0;
    qint64 s = past ? -seconds : seconds;
    const qint64 days = s / 86400;
    s %= 86400;
    const qint64 hours = s / 3600;
    s %= 3600;
    const qint64 minutes = s / 60;
    s %= 60;
    QString text;
    if (days > 0)
        text = u"%1d %2h %3m"_s.arg(days).arg(hours).arg(minutes);
    else if (hours > 0)
        text = u"%1h %2m %3s"_s.arg(hours).arg(minutes).arg(s);
    else if (minutes > 0)
        text = u"%1m %2s"_s.arg(minutes).arg(s);
    else
        text = u"%1s"_s.arg(s);
    return past ? u"expired %1 ago"_s.arg(text) : u"in %1"_s.arg(text);
}

void CliPrinter::printJson(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    m_out.flush();
}

void CliPrinter::message(const QString &text)
{
    if (m_json)
        printJson({{u"message"_s, text}});
    else
        m_out << text << Qt::endl;
}

void CliPrinter::failure(const QString &kind, const QString &message)
{
    if (m_json) {
        printJson({{u"error"_s, QJsonObject{{u"kind"_s, kind}, {u"message"_s, message}}}});
        return;
    }
    m_err << "tokenbench-cli: " << message << Qt::endl;
}

void CliPrinter::environmentList(const QList<Environment> &environments)
{
    if (m_json) {
        QJsonArray list;
        for (const auto &env : environments)
            list.append(env.toJson());
        printJson({{u"environments"_s, list}});
        return;
    }
    if (environments.isEmpty()) {
        m_out << "No environments. Add one with: tokenbench-cli env add NAME --token-url URL --api-url URL --client-id ID" << Qt::endl;
        return;
    }
    for (const auto &env : environments) {
        const QString tokenUrl = env.isBuiltinDemo() ? u"(built-in Demo API)"_s : env.tokenUrl.toString();
        m_out << qSetFieldWidth(20) << Qt::left << env.name << qSetFieldWidth(12) << Environment::tierName(env.tier)
              << qSetFieldWidth(0) << tokenUrl << Qt::endl;
    }
}

void CliPrinter::environment(const Environment &env)
{
    if (m_json) {
        printJson(env.toJson());
        return;
    }
    const auto row = [this](const QString &label, const QString &value) {
        m_out << qSetFieldWidth(16) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Name"_s, env.name);
    row(u"Tier"_s, Environment::tierName(env.tier));
    if (env.isBuiltinDemo())
        row(u"Server"_s, u"built-in Demo API (started on demand)"_s);
    row(u"Token URL"_s, env.tokenUrl.toString());
    row(u"API base URL"_s, env.apiBaseUrl.toString());
    row(u"Grant"_s, Environment::grantName(env.grant));
    row(u"Client auth"_s, Environment::clientAuthName(env.clientAuth));
    row(u"Client ID"_s, env.clientId);
    if (!env.username.isEmpty())
        row(u"Username"_s, env.username);
    row(u"Scopes"_s, env.scopes.join(u' '));
    for (const auto &param : env.params)
        row(u"Parameter"_s, param.name + u'=' + (param.secret ? u"•••• (keychain)"_s : param.value));
    for (const auto &header : env.headers)
        row(u"Header"_s, header.name + u": "_s + header.valueTemplate);
    for (const auto &[name, value] : env.variables)
        row(u"Variable"_s, name + u'=' + value);
    if (env.allowInsecureHttp)
        row(u"Insecure http"_s, u"allowed"_s);
}

QJsonObject CliPrinter::tokenJson(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken)
{
    QJsonObject json;
    json.insert(u"environment"_s, environment.name);
    json.insert(u"token_type"_s, token.tokenType);
    json.insert(u"requested_scopes"_s, QJsonArray::fromStringList(token.requestedScopes));
    json.insert(u"scope_source"_s, scopeSourceName(token.scopeSource));
    if (token.scopeSource == AccessToken::ScopeSource::NotReported)
        json.insert(u"granted_scopes"_s, QJsonValue::Null);
    else
        json.insert(u"granted_scopes"_s, QJsonArray::fromStringList(token.grantedScopes));
    json.insert(u"not_granted_scopes"_s, QJsonArray::fromStringList(token.missingScopes()));
    json.insert(u"obtained_at"_s, token.obtainedAt.toString(Qt::ISODate));
    json.insert(u"expiry_source"_s, expirySourceName(token.expirySource));
    if (token.hasKnownExpiry()) {
        json.insert(u"expires_at"_s, token.expiresAt.toString(Qt::ISODate));
        json.insert(u"expires_in"_s, token.secondsLeft(now));
    } else {
        json.insert(u"expires_at"_s, QJsonValue::Null);
        json.insert(u"expires_in"_s, QJsonValue::Null);
    }
    json.insert(u"extra_fields"_s, maskedExtraFields(token.extraFields, showToken));
    const JwtView jwt = token.jwt();
    QJsonObject jwtJson{{u"kind"_s, jwtKindName(jwt.kind())}};
    if (jwt.isJwt()) {
        jwtJson.insert(u"header"_s, jwt.header());
        jwtJson.insert(u"claims"_s, jwt.claims());
        jwtJson.insert(u"signature_verified"_s, false);
    } else if (!jwt.problem().isEmpty()) {
        jwtJson.insert(u"problem"_s, jwt.problem());
    }
    json.insert(u"jwt"_s, jwtJson);
    if (showToken) {
        json.insert(u"access_token"_s, token.value);
        if (!token.refreshToken.isEmpty())
            json.insert(u"refresh_token"_s, token.refreshToken);
    }
    return json;
}

void CliPrinter::token(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken)
{
    if (m_json) {
        printJson(tokenJson(environment, token, now, showToken));
        return;
    }
    const auto row = [this](const QString &label, const QString &value) {
        m_out << qSetFieldWidth(15) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Environment"_s, u"%1 (%2)"_s.arg(environment.name, Environment::tierName(environment.tier)));
    row(u"Token type"_s, token.tokenType);
    row(u"Requested"_s, token.requestedScopes.isEmpty() ? u"(server default)"_s : token.requestedScopes.join(u' '));
    if (token.scopeSource == AccessToken::ScopeSource::NotReported) {
        row(u"Granted"_s, u"not reported by the server"_s);
    } else {
        row(u"Granted"_s, (token.grantedScopes.isEmpty() ? u"(none)"_s : token.grantedScopes.join(u' '))
                              + (token.scopeSource == AccessToken::ScopeSource::JwtClaim ? u"  (from the JWT)"_s : QString()));
        const QStringList missing = token.missingScopes();
        if (!missing.isEmpty())
            row(u"NOT granted"_s, missing.join(u' '));
    }
    if (token.hasKnownExpiry()) {
        row(u"Expires"_s, u"%1, %2%3"_s.arg(formatTime(token.expiresAt), formatDuration(token.secondsLeft(now)),
                                           token.expirySource == AccessToken::ExpirySource::JwtExp ? u" (from the JWT's exp)"_s : QString()));
    } else {
        row(u"Expires"_s, u"unknown (the server sent no usable expires_in)"_s);
    }
    const QJsonObject extra = maskedExtraFields(token.extraFields, showToken);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        const QJsonValue v = it.value();
        const QString text = v.isString() ? v.toString()
            : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
            : v.isArray() ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                          : v.toVariant().toString();
        row(u"Field"_s, it.key() + u": "_s + text);
    }
    const JwtView jwt = token.jwt();
    const QString indent(15, u' ');
    switch (jwt.kind()) {
    case JwtView::Kind::Opaque:
        row(u"Format"_s, u"opaque (not a JWT; the server keeps its meaning)"_s);
        break;
    case JwtView::Kind::Malformed:
        row(u"Format"_s, u"looks like a JWT but cannot be decoded: "_s + jwt.problem());
        break;
    case JwtView::Kind::Jwt:
        row(u"Format"_s, jwt.isUnsigned() ? u"JWT, UNSIGNED (alg none)"_s : u"JWT (%1), signature not verified"_s.arg(jwt.algorithm()));
        row(u"JWT header"_s, indentJson(jwt.header(), indent));
        row(u"JWT claims"_s, indentJson(jwt.claims(), indent));
        for (const QString &claim : {u"iat"_s, u"nbf"_s, u"exp"_s}) {
            if (const auto t = jwt.timeClaim(claim))
                row(claim, formatTime(*t));
        }
        break;
    }
    row(u"Access token"_s, showToken ? token.value : u"(hidden; add --show-token to print it)"_s);
}

QJsonObject CliPrinter::errorJson(const OAuthError &error)
{
    QJsonObject json{{u"kind"_s, OAuthError::kindName(error.kind)}, {u"message"_s, error.summary()}};
    if (!error.endpoint.isEmpty())
        json.insert(u"endpoint"_s, error.endpoint.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    if (error.httpStatus)
        json.insert(u"status"_s, error.httpStatus);
    if (!error.code.isEmpty())
        json.insert(u"error"_s, error.code);
    if (!error.description.isEmpty())
        json.insert(u"error_description"_s, error.description);
    if (!error.uri.isEmpty())
        json.insert(u"error_uri"_s, error.uri);
    if (!error.excerpt.isEmpty())
        json.insert(u"excerpt"_s, error.excerpt);
    if (!error.detail.isEmpty())
        json.insert(u"detail"_s, error.detail);
    const QString hint = error.hint();
    if (!hint.isEmpty())
        json.insert(u"hint"_s, hint);
    return json;
}

void CliPrinter::error(const OAuthError &error)
{
    if (m_json) {
        printJson({{u"error"_s, errorJson(error)}});
        return;
    }
    m_err << "tokenbench-cli: " << error.summary() << Qt::endl;
    const QString hint = error.hint();
    if (!hint.isEmpty())
        m_err << "Hint: " << hint << Qt::endl;
}
