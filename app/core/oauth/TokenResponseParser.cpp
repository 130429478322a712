#include "oauth/TokenResponseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// Longer than this and "expires_in" is no lifetime we can count down honestly (10^12 s is 31 000 years).
constexpr qint64 maxLifetimeSeconds = qint64(100) * 365 * 24 * 3600;

std::optional<qint64> readSeconds(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d > 0 && d <= double(maxLifetimeSeconds))
            return static_cast<qint64>(d);
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok && n > 0 && n <= maxLifetimeSeconds)
            return n;
    }
    return std::nullopt;
}

std::optional<QStringList> readScopes(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().split(u' ', Qt::SkipEmptyParts);
    if (value.isArray()) {
        QStringList scopes;
        for (const auto &item : value.toArray())
            scopes.append(item.toString());
        return scopes;
    }
    return std::nullopt;
}

OAuthError protocolError(const QJsonObject &json, int status, const QUrl &endpoint)
{
    OAuthError error;
    error.kind = OAuthError::Kind::Protocol;
    error.endpoint = endpoint;
    error.httpStatus = status;
    error.code = json.value(u"error"_s).toString();
    error.description = json.value(u"error_description"_s).toString();
    error.uri = json.value(u"error_uri"_s).toString();
    return error;
}
} // namespace

QString TokenResponseParser::excerpt(const QByteArray &body, int maxChars)
{
    QString text = QString::fromUtf8(body.left(64 * 1024));
    // For an HTML page the title is the most telling line ("502 Bad Gateway", "Sign in").
    static const QRegularExpression title(u"<title[^>]*>(.*?)</title>"_s, QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression scripts(u"<(script|style)[^>]*>.*?</\\1>"_s, QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(u"<[^>]*>"_s);
    static const QRegularExpression spaces(u"\\s+"_s);
    if (text.contains(u'<')) {
        const auto match = title.match(text);
        QString stripped = text;
        stripped.remove(scripts).replace(tags, u" "_s);
        text = match.hasMatch() ? match.captured(1) + u" — "_s + stripped : stripped;
    }
    QString printable;
    printable.reserve(text.size());
    for (const QChar c : std::as_const(text))
        printable.append(c.isPrint() ? c : u' ');
    printable = printable.replace(spaces, u" "_s).trimmed();
    if (printable.size() > maxChars) {
        const qsizetype cut = maxChars - 1;
        // A mask (••••) is kept whole: a part of one would not read as a secret withheld.
        static const QString mask = u"••••"_s;
        qsizetype start = cut;
        while (start > 0 && printable.at(start - 1) == u'•')
            --start;
        if (start < cut && printable.at(cut) == u'•' && maxChars > mask.size() + 1)
            printable = printable.left(std::min(start, maxChars - 1 - mask.size())) + mask + u'…';
        else
            printable = printable.left(cut) + u'…';
    }
    return printable;
}

TokenResult TokenResponseParser::parse(int httpStatus, const QByteArray &contentType, const QByteArray &body, const QUrl &endpoint,
                                       const QStringList &requestedScopes, const QDateTime &now)
{
    Q_UNUSED(contentType) // servers label JSON as text/plain or text/html often enough that the body decides
    TokenResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool isJsonObject = parseError.error == QJsonParseError::NoError && doc.isObject();
    const QJsonObject json = doc.object();
    const bool success = httpStatus >= 200 && httpStatus < 300;

    if (isJsonObject && json.value(u"error"_s).isString()) {
        // Some servers answer errors with 200; the body is what counts.
        result.error = protocolError(json, httpStatus, endpoint);
        return result;
    }
    if (!success || !isJsonObject) {
        OAuthError &error = result.error;
        error.kind = success ? OAuthError::Kind::InvalidResponse : OAuthError::Kind::Http;
        error.endpoint = endpoint;
        error.httpStatus = httpStatus;
        error.excerpt = excerpt(body);
        if (body.trimmed().isEmpty())
            error.detail = u"the body is empty"_s;
        else if (!isJsonObject)
            error.detail = u"the body is not a JSON object (\"%1\")"_s.arg(error.excerpt);
        else
            error.detail = u"the body is JSON but has no \"error\" field"_s;
        return result;
    }

    const QJsonValue accessToken = json.value(u"access_token"_s);
    if (!accessToken.isString() || accessToken.toString().isEmpty()) {
        result.error.kind = OAuthError::Kind::InvalidResponse;
        result.error.endpoint = endpoint;
        result.error.httpStatus = httpStatus;
        result.error.detail = u"the JSON body has no \"access_token\""_s;
        result.error.excerpt = excerpt(body);
        return result;
    }

    AccessToken token;
    token.value = accessToken.toString();
    token.tokenType = json.value(u"token_type"_s).toString();
    if (token.tokenType.isEmpty())
        token.tokenType = u"Bearer"_s; // RFC 6749 requires it; a missing one is almost always bearer
    token.refreshToken = json.value(u"refresh_token"_s).toString();
    token.obtainedAt = now.toUTC();
    token.requestedScopes = requestedScopes;

    // Refused here, at token time, rather than when a request would carry it: a token that
    // cannot be a header value is no token this client can use (and is never mangled into one).
    if (const QString problem = token.headerProblem(); !problem.isEmpty()) {
        result.error.kind = OAuthError::Kind::InvalidResponse;
        result.error.endpoint = endpoint;
        result.error.httpStatus = httpStatus;
        result.error.detail = problem;
        return result;
    }

    const JwtView jwt = JwtView::decode(token.value);
    if (const auto seconds = readSeconds(json.value(u"expires_in"_s))) {
        token.expiresAt = token.obtainedAt.addSecs(*seconds);
        token.expirySource = AccessToken::ExpirySource::ExpiresIn;
    } else if (const auto exp = jwt.expiresAt(); jwt.isJwt() && exp) {
        token.expiresAt = *exp;
        token.expirySource = AccessToken::ExpirySource::JwtExp;
    }

    if (const auto scopes = readScopes(json.value(u"scope"_s))) {
        token.grantedScopes = *scopes;
        token.scopeSource = AccessToken::ScopeSource::Response;
    } else if (const auto claimed = jwt.isJwt() ? jwt.scopes() : std::nullopt) {
        token.grantedScopes = *claimed;
        token.scopeSource = AccessToken::ScopeSource::JwtClaim;
    }
    // OpenID Connect's own scopes ask for something beside the access token: openid for an ID
    // token (Core §3.1.2.1), offline_access for a refresh token (§11). A provider that reports
    // the access token's scope for its resource server (RFC 8707; oidc-provider does) leaves
    // them out although it granted them: the ID token or refresh token in the answer is the grant.
    if (token.scopeSource != AccessToken::ScopeSource::NotReported) {
        const auto grantedBy = [&](const QString &scope, bool answered) {
            if (answered && requestedScopes.contains(scope) && !token.grantedScopes.contains(scope))
                token.grantedScopes.append(scope);
        };
        grantedBy(u"openid"_s, json.value(u"id_token"_s).isString());
        grantedBy(u"offline_access"_s, !token.refreshToken.isEmpty());
    }

    static const QStringList known = {u"access_token"_s, u"token_type"_s, u"expires_in"_s, u"scope"_s, u"refresh_token"_s};
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key()))
            token.extraFields.insert(it.key(), it.value());
    }
    result.token = std::move(token);
    return result;
}
