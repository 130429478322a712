#include "http/DenialReadout.h"

#include "scopes/ScopeInfo.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DenialReadout", text);
}

constexpr qsizetype maxJsonBody = 1024 * 1024; // larger bodies are not error documents
constexpr qint64 maxRetryAfter = 10LL * 365 * 24 * 3600;

QString printable(const QString &text, int maxChars = 300)
{
    QString out = text.simplified();
    if (out.size() > maxChars)
        out = out.left(maxChars) + u'…';
    return out;
}

QStringList scopeList(const QJsonValue &value)
{
    QStringList out;
    if (value.isString()) {
        out = value.toString().split(u' ', Qt::SkipEmptyParts);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &entry : array) {
            if (entry.isString())
                out.append(entry.toString().split(u' ', Qt::SkipEmptyParts));
        }
    }
    out.removeDuplicates();
    return out;
}

QString stringField(const QJsonObject &object, const QStringList &names)
{
    for (const QString &name : names) {
        const QJsonValue value = object.value(name);
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString().trimmed();
    }
    return {};
}

// The human sentence of an error document: flat (message, error_description, detail, title),
// nested ({"error": {"message": …}}), or the first of a list ({"errors": [{"message": …}]}).
QString messageOf(const QJsonObject &object)
{
    const QStringList names = {u"message"_s, u"error_description"_s, u"detail"_s, u"title"_s, u"error_message"_s, u"description"_s};
    QString message = stringField(object, names);
    if (message.isEmpty() && object.value(u"error"_s).isObject())
        message = stringField(object.value(u"error"_s).toObject(), names);
    if (message.isEmpty() && object.value(u"errors"_s).isArray()) {
        const QJsonValue first = object.value(u"errors"_s).toArray().first();
        if (first.isObject())
            message = stringField(first.toObject(), names);
        else if (first.isString())
            message = first.toString();
    }
    return message;
}

QString codeOf(const QJsonObject &object)
{
    QString code = stringField(object, {u"error"_s, u"code"_s, u"error_code"_s});
    if (code.isEmpty() && object.value(u"error"_s).isObject())
        code = stringField(object.value(u"error"_s).toObject(), {u"code"_s, u"status"_s});
    return code;
}

QStringList reasonsOf(const QJsonObject &object)
{
    QStringList out;
    const QJsonValue reasons = object.value(u"reasons"_s);
    if (reasons.isArray()) {
        const QJsonArray array = reasons.toArray();
        for (const QJsonValue &entry : array) {
            if (entry.isString())
                out.append(entry.toString());
            else if (entry.isObject())
                out.append(stringField(entry.toObject(), {u"code"_s, u"reason"_s, u"message"_s}));
        }
    } else if (reasons.isString()) {
        out.append(reasons.toString());
    }
    const QString single = stringField(object, {u"reason"_s});
    if (!single.isEmpty())
        out.append(single);
    out.removeAll(QString());
    out.removeDuplicates();
    return out;
}

QJsonArray challengesJson(const WwwAuthenticate &www)
{
    QJsonArray out;
    for (const auto &challenge : www.challenges()) {
        QJsonObject params;
        for (const auto &[name, value] : challenge.params)
            params.insert(name, value);
        QJsonObject entry{{u"scheme"_s, challenge.scheme}, {u"params"_s, params}};
        if (!challenge.token68.isEmpty())
            entry.insert(u"token68"_s, challenge.token68);
        out.append(entry);
    }
    return out;
}

QString challengeText(const WwwAuthenticate::Challenge &challenge)
{
    QStringList parts;
    for (const auto &[name, value] : challenge.params)
        parts.append(u"%1=\"%2\""_s.arg(name, printable(value, 200)));
    return challenge.scheme + (parts.isEmpty() ? QString() : u' ' + parts.join(u", "_s));
}

QString joinScopes(const QStringList &scopes)
{
    return scopes.isEmpty() ? tr("no scopes") : scopes.join(u' ');
}
} // namespace

QString DenialReadout::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Success: return u"success"_s;
    case Kind::NotModified: return u"not_modified"_s;
    case Kind::Redirect: return u"redirect"_s;
    case Kind::Informational: return u"informational"_s;
    case Kind::MissingToken: return u"missing_token"_s;
    case Kind::ExpiredToken: return u"expired_token"_s;
    case Kind::InvalidToken: return u"invalid_token"_s;
    case Kind::Unauthorized: return u"unauthorized"_s;
    case Kind::InsufficientScope: return u"insufficient_scope"_s;
    case Kind::Forbidden: return u"forbidden"_s;
    case Kind::Conflict: return u"conflict"_s;
    case Kind::RateLimited: return u"rate_limited"_s;
    case Kind::ClientError: return u"client_error"_s;
    case Kind::ServerError: return u"server_error"_s;
    }
    return {};
}

QString DenialReadout::standardReason(int status)
{
    static const QHash<int, const char *> reasons = {
        {100, "Continue"}, {101, "Switching Protocols"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
        {203, "Non-Authoritative Information"}, {204, "No Content"}, {205, "Reset Content"}, {206, "Partial Content"},
        {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"}, {304, "Not Modified"},
        {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"}, {401, "Unauthorized"},
        {402, "Payment Required"}, {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {406, "Not Acceptable"}, {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {409, "Conflict"},
        {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"}, {413, "Content Too Large"},
        {414, "URI Too Long"}, {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
        {421, "Misdirected Request"}, {422, "Unprocessable Content"}, {423, "Locked"}, {424, "Failed Dependency"},
        {425, "Too Early"}, {426, "Upgrade Required"}, {428, "Precondition Required"}, {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"}, {500, "Internal Server Error"},
        {501, "Not Implemented"}, {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"}, {507, "Insufficient Storage"}, {511, "Network Authentication Required"},
    };
    const auto it = reasons.constFind(status);
    return it == reasons.constEnd() ? QString() : QString::fromLatin1(it.value());
}

QString DenialReadout::statusMeaning(int status)
{
    static const QHash<int, const char *> meanings = {
        {200, QT_TRANSLATE_NOOP("DenialReadout", "success")},
        {201, QT_TRANSLATE_NOOP("DenialReadout", "created")},
        {202, QT_TRANSLATE_NOOP("DenialReadout", "accepted for processing later; the work is not done yet")},
        {204, QT_TRANSLATE_NOOP("DenialReadout", "success, with nothing to return")},
        {206, QT_TRANSLATE_NOOP("DenialReadout", "part of the content, as a range request asked")},
        {300, QT_TRANSLATE_NOOP("DenialReadout", "several representations; the server wants a choice")},
        {304, QT_TRANSLATE_NOOP("DenialReadout", "not modified since the version the request named")},
        {400, QT_TRANSLATE_NOOP("DenialReadout", "the server found the request malformed: a parameter, header or body it cannot accept")},
        {401, QT_TRANSLATE_NOOP("DenialReadout", "not authenticated")},
        {402, QT_TRANSLATE_NOOP("DenialReadout", "payment or a plan upgrade is required")},
        {403, QT_TRANSLATE_NOOP("DenialReadout", "authenticated, but not allowed")},
        {404, QT_TRANSLATE_NOOP("DenialReadout", "nothing at this URL (check the path and the API base URL)")},
        {405, QT_TRANSLATE_NOOP("DenialReadout", "this URL does not answer this method")},
        {406, QT_TRANSLATE_NOOP("DenialReadout", "the server cannot answer in a format the Accept header allows")},
        {407, QT_TRANSLATE_NOOP("DenialReadout", "a proxy between here and the server wants credentials")},
        {408, QT_TRANSLATE_NOOP("DenialReadout", "the server gave up waiting for the request")},
        {409, QT_TRANSLATE_NOOP("DenialReadout", "the request conflicts with the current state of the resource")},
        {410, QT_TRANSLATE_NOOP("DenialReadout", "gone for good")},
        {411, QT_TRANSLATE_NOOP("DenialReadout", "the server wants a Content-Length")},
        {412, QT_TRANSLATE_NOOP("DenialReadout", "a precondition (If-Match, If-Unmodified-Since) did not hold")},
        {413, QT_TRANSLATE_NOOP("DenialReadout", "the body is larger than the server accepts")},
        {414, QT_TRANSLATE_NOOP("DenialReadout", "the URL is longer than the server accepts")},
        {415, QT_TRANSLATE_NOOP("DenialReadout", "the server does not accept this Content-Type")},
        {422, QT_TRANSLATE_NOOP("DenialReadout", "the body is well-formed but its content was refused (validation)")},
        {423, QT_TRANSLATE_NOOP("DenialReadout", "the resource is locked")},
        {428, QT_TRANSLATE_NOOP("DenialReadout", "the server wants a conditional request (If-Match)")},
        {429, QT_TRANSLATE_NOOP("DenialReadout", "rate limited: too many requests")},
        {431, QT_TRANSLATE_NOOP("DenialReadout", "the headers are larger than the server accepts")},
        {451, QT_TRANSLATE_NOOP("DenialReadout", "unavailable for legal reasons")},
        {500, QT_TRANSLATE_NOOP("DenialReadout", "the server failed internally; the request may be fine")},
        {501, QT_TRANSLATE_NOOP("DenialReadout", "the server does not implement this")},
        {502, QT_TRANSLATE_NOOP("DenialReadout", "a gateway or proxy got a bad answer from the server behind it")},
        {503, QT_TRANSLATE_NOOP("DenialReadout", "the server is overloaded or in maintenance; try later")},
        {504, QT_TRANSLATE_NOOP("DenialReadout", "a gateway or proxy gave up waiting for the server behind it")},
    };
    const auto it = meanings.constFind(status);
    if (it != meanings.constEnd())
        return QCoreApplication::translate("DenialReadout", it.value());
    if (status >= 100 && status < 200)
        return tr("informational");
    if (status >= 200 && status < 300)
        return tr("success");
    if (status >= 300 && status < 400)
        return tr("a redirect");
    if (status >= 400 && status < 500)
        return tr("the server refused the request");
    if (status >= 500 && status < 600)
        return tr("the server failed");
    return tr("a status outside HTTP's classes");
}

QDateTime DenialReadout::parseHttpDate(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value).simplified();
    if (text.isEmpty() || text.size() > 64)
        return {};
    const QLocale c = QLocale::c();
    const auto utc = [](QDateTime t) {
        if (!t.isValid())
            return QDateTime();
        t.setTimeZone(QTimeZone::utc());
        return t;
    };
    // The weekday is redundant, and Qt refuses a date whose weekday does not match it (a two-digit
    // year read as 19xx never does), so it is dropped before parsing.
    const qsizetype comma = text.indexOf(u',');
    const QString dated = comma >= 0 ? text.mid(comma + 1).trimmed() : text.mid(text.indexOf(u' ') + 1);
    // IMF-fixdate, the one servers must send: Sun, 06 Nov 1994 08:49:37 GMT
    if (QDateTime t = utc(c.toDateTime(dated, u"dd MMM yyyy HH:mm:ss 'GMT'"_s)); comma >= 0 && t.isValid())
        return t;
    // Obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (a two-digit year more than 50 years ahead is in the past)
    if (QDateTime t = utc(c.toDateTime(dated, u"dd-MMM-yy HH:mm:ss 'GMT'"_s)); comma >= 0 && t.isValid()) {
        const int nowYear = QDateTime::currentDateTimeUtc().date().year();
        while (t.date().year() < nowYear - 50)
            t = t.addYears(100);
        while (t.date().year() > nowYear + 50)
            t = t.addYears(-100);
        return t;
    }
    // Obsolete asctime: Sun Nov  6 08:49:37 1994 (simplified() folded the double space)
    if (QDateTime t = utc(c.toDateTime(dated, u"MMM d HH:mm:ss yyyy"_s)); comma < 0 && t.isValid())
        return t;
    return {};
}

std::optional<qint64> DenialReadout::parseRetryAfter(const QByteArray &value, const QDateTime &now, QDateTime *at)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool digits = true;
    for (const char c : trimmed)
        digits = digits && c >= '0' && c <= '9';
    if (digits) {
        // Far more digits than any sane delay would overflow; cap instead.
        const qint64 seconds = trimmed.size() > 12 ? maxRetryAfter : std::min(trimmed.toLongLong(), maxRetryAfter);
        if (at)
            *at = now.toUTC().addSecs(seconds);
        return seconds;
    }
    const QDateTime date = parseHttpDate(trimmed);
    if (!date.isValid())
        return std::nullopt;
    if (at)
        *at = date;
    return std::clamp<qint64>(now.secsTo(date), 0, maxRetryAfter);
}

DenialReadout DenialReadout::explain(const ExchangeResult &result, const std::optional<AccessToken> &token, bool tokenSent,
                                     const QDateTime &now)
{
    DenialReadout readout = explain(result.status, result.reason, result.headers, result.body, token, tokenSent, now);
    if (readout.kind == Kind::Redirect && !result.redirectNotFollowed.isEmpty()) {
        readout.summary += tr(" — not followed: %1").arg(result.redirectNotFollowed);
        readout.hint = tr("Send the request to the Location yourself if you trust it.");
    }
    return readout;
}

DenialReadout DenialReadout::explain(int status, const QByteArray &reasonPhrase, const HttpHeaders &headers, const QByteArray &body,
                                     const std::optional<AccessToken> &token, bool tokenSent, const QDateTime &now)
{
    DenialReadout r;
    r.status = status;
    QString reason = QString::fromLatin1(reasonPhrase).simplified();
    if (reason.isEmpty())
        reason = standardReason(status);
    const QString head = reason.isEmpty() ? QString::number(status) : u"%1 %2"_s.arg(status).arg(reason);
    const auto say = [&r, &head](const QString &meaning) { r.summary = head + u" — "_s + meaning; };

    QJsonObject json;
    // Only a denial's body explains anything; parsing every success body (send --repeat, large
    // downloads) would be work for nothing.
    if (status >= 400 && !body.isEmpty() && body.size() <= maxJsonBody) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(body, &error);
        if (error.error == QJsonParseError::NoError && document.isObject())
            json = document.object();
    }
    r.challenges = WwwAuthenticate::parse(headers.values("WWW-Authenticate"));
    const WwwAuthenticate::Challenge *bearer = r.challenges.find(u"Bearer"_s);
    if (!bearer)
        bearer = r.challenges.find(u"DPoP"_s);
    const QString challengeError = bearer ? bearer->param(u"error"_s) : QString();
    const QString challengeDescription = bearer ? bearer->param(u"error_description"_s) : QString();
    r.errorCode = challengeError.isEmpty() ? codeOf(json) : challengeError;
    r.serverMessage = printable(messageOf(json).isEmpty() ? challengeDescription : messageOf(json));
    if (!r.serverMessage.isEmpty())
        r.details.append(tr("Server: %1").arg(r.serverMessage));
    for (const auto &challenge : r.challenges.challenges())
        r.details.append(tr("WWW-Authenticate: %1").arg(challengeText(challenge)));

    if (token && token->scopeSource != AccessToken::ScopeSource::NotReported) {
        r.grantedScopes = token->grantedScopes;
        r.grantedKnown = true;
    }

    // The scope the server says is missing, wherever it says so.
    const auto readRequiredScopes = [&] {
        if (bearer && bearer->hasParam(u"scope"_s))
            r.requiredScopes = bearer->param(u"scope"_s).split(u' ', Qt::SkipEmptyParts);
        for (const QString &field : {u"required_scope"_s, u"required_scopes"_s, u"scope"_s, u"scopes"_s, u"missing_scopes"_s}) {
            if (!r.requiredScopes.isEmpty())
                break;
            r.requiredScopes = scopeList(json.value(field));
        }
        r.requiredScopes.removeDuplicates();
    };
    const auto explainScope = [&] {
        r.kind = Kind::InsufficientScope;
        const QString has = r.grantedKnown ? tr("your token has %1").arg(joinScopes(r.grantedScopes))
            : token ? tr("the server did not report your token's scopes (requested: %1)").arg(joinScopes(token->requestedScopes))
                    : tr("no token was sent");
        if (r.requiredScopes.isEmpty()) {
            say(tr("insufficient scope: the server names no scope; %1").arg(has));
            r.hint = tr("Look up which scope this endpoint needs in the API's documentation and authorize with it.");
            return;
        }
        for (const QString &scope : std::as_const(r.requiredScopes)) {
            if (!r.grantedKnown || !r.grantedScopes.contains(scope))
                r.missingScopes.append(scope);
        }
        if (r.grantedKnown && r.missingScopes.isEmpty()) {
            say(tr("insufficient scope: needs %1, which your token has (%2); the server refuses for another reason")
                    .arg(r.requiredScopes.join(u' '), joinScopes(r.grantedScopes)));
            r.hint = tr("The client may lack the right for this resource or user even with the scope; check the server's message.");
            return;
        }
        say(tr("insufficient scope: needs %1; %2").arg(r.requiredScopes.join(u' '), has));
        QString why;
        for (const QString &scope : std::as_const(r.missingScopes)) {
            if (ScopeInfo::classify(scope).actsOnBehalfOf)
                why = tr(" (acting on behalf of a user, e.g. with X-On-Behalf-Of, needs %1)").arg(scope);
        }
        r.hint = tr("Authorize with %1 added to the scopes%2; if the server will not grant it, the client must be given it.")
                     .arg(r.missingScopes.join(u' '), why);
    };

    if (status >= 100 && status < 200) {
        r.kind = Kind::Informational;
        say(statusMeaning(status));
    } else if (status >= 200 && status < 300) {
        r.kind = Kind::Success;
        say(statusMeaning(status));
    } else if (status == 304) {
        r.kind = Kind::NotModified;
        say(statusMeaning(status));
    } else if (status >= 300 && status < 400) {
        r.kind = Kind::Redirect;
        const QByteArray location = headers.value("Location");
        say(location.isEmpty() ? tr("a redirect without a Location") : tr("a redirect to %1").arg(printable(QString::fromLatin1(location), 200)));
    } else if (status == 401) {
        const bool expiredByClock = token && token->hasKnownExpiry() && now.isValid() && now >= token->expiresAt;
        if (challengeError == u"insufficient_scope"_s) {
            readRequiredScopes();
            explainScope();
        } else if (challengeError == u"invalid_token"_s && !tokenSent) {
            // invalid_token means a credential did go: one the user typed, not the environment's token.
            r.kind = Kind::InvalidToken;
            say(tr("the server rejected the bearer credential this request carried (not the environment's token)"));
            r.hint = tr("Remove the request's own Authorization header to send the environment's token instead.");
        } else if (!tokenSent) {
            r.kind = Kind::MissingToken;
            say(tr("no access token went with the request"));
            r.hint = tr("The server wants a bearer token; send the request to the environment's API origin with its token injected.");
        } else if (challengeError == u"invalid_token"_s) {
            const bool expired = expiredByClock || challengeDescription.contains(u"expired"_s, Qt::CaseInsensitive)
                || r.serverMessage.contains(u"expired"_s, Qt::CaseInsensitive);
            r.kind = expired ? Kind::ExpiredToken : Kind::InvalidToken;
            say(expired ? tr("the access token expired") : tr("the server rejected the access token as invalid"));
            r.hint = expired ? tr("Authorize again for a fresh token.")
                             : tr("The token may be revoked, malformed, or from another environment or audience; authorize again.");
        } else if (challengeError == u"invalid_request"_s) {
            r.kind = Kind::Unauthorized;
            say(tr("the server found the authentication part of the request malformed (invalid_request)"));
            r.hint = tr("Check the Authorization header's form: one \"Bearer <token>\", no token in the URL or body as well.");
        } else if (!r.challenges.isEmpty() && !bearer) {
            r.kind = Kind::Unauthorized;
            QStringList schemes;
            for (const auto &challenge : r.challenges.challenges())
                schemes.append(challenge.scheme);
            say(tr("the server asks for %1 authentication, not a bearer token").arg(schemes.join(u", "_s)));
            r.hint = tr("This endpoint is not protected by OAuth bearer tokens, or a proxy in front of it wants its own credentials.");
        } else {
            r.kind = expiredByClock ? Kind::ExpiredToken : Kind::InvalidToken;
            say(expiredByClock ? tr("the access token expired")
                : r.challenges.isEmpty() ? tr("the server did not accept the access token (and sent no WWW-Authenticate challenge)")
                                         : tr("the server did not accept the access token (no error code given)"));
            r.hint = tr("Authorize again; if a fresh token fails too, the token is for another audience or the client lacks access.");
        }
    } else if (status == 403) {
        readRequiredScopes();
        if (challengeError == u"insufficient_scope"_s || r.errorCode == u"insufficient_scope"_s || !r.requiredScopes.isEmpty()) {
            explainScope();
        } else {
            r.kind = Kind::Forbidden;
            say(r.serverMessage.isEmpty() ? tr("authenticated, but not allowed (the server names no missing scope)")
                                          : tr("not allowed: %1").arg(r.serverMessage));
            r.hint = tr("The token is accepted; the client or the user it acts for lacks the right to this resource.");
        }
    } else if (status == 409) {
        r.kind = Kind::Conflict;
        r.reasons = reasonsOf(json);
        QString what = r.reasons.join(u", "_s);
        if (!r.serverMessage.isEmpty())
            what = what.isEmpty() ? r.serverMessage : what + u": "_s + r.serverMessage;
        const QString code = stringField(json, {u"code"_s});
        if (!code.isEmpty() && !r.reasons.contains(code))
            what += tr(" (code %1)").arg(code);
        say(what.isEmpty() ? statusMeaning(status) : what);
        if (r.reasons.contains(u"user-blocked"_s))
            r.hint = tr("The user the request acts for (X-On-Behalf-Of) is blocked: reads still work, changes do not. Unblock the user or act for another one.");
        else
            r.hint = tr("The resource's current state does not allow this; fetch it again and retry with what it says now.");
    } else if (status >= 400 && status < 500) {
        r.kind = status == 429 ? Kind::RateLimited : Kind::ClientError;
        say(statusMeaning(status) + (r.serverMessage.isEmpty() || status == 429 ? QString() : u": "_s + r.serverMessage));
        if (status == 405 && headers.contains("Allow"))
            r.details.append(tr("Allowed methods: %1").arg(QString::fromLatin1(headers.value("Allow"))));
    } else {
        r.kind = Kind::ServerError;
        say(statusMeaning(status) + (r.serverMessage.isEmpty() ? QString() : u": "_s + r.serverMessage));
    }

    // The server's words already in the summary need not be repeated below it.
    if (!r.serverMessage.isEmpty() && r.summary.contains(r.serverMessage))
        r.details.removeAll(tr("Server: %1").arg(r.serverMessage));

    if (status == 429 || status == 503) {
        const QByteArray retryAfter = headers.value("Retry-After");
        QDateTime at;
        r.retryAfterSeconds = parseRetryAfter(retryAfter, now, &at);
        if (r.retryAfterSeconds) {
            r.retryAt = at;
            r.summary += tr("; retry after %1 s (at %2 UTC)").arg(*r.retryAfterSeconds).arg(at.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s));
            r.hint = tr("Wait %1 s before the next request.").arg(*r.retryAfterSeconds);
        } else if (!retryAfter.isEmpty()) {
            r.details.append(tr("Retry-After \"%1\" is neither seconds nor an HTTP date").arg(printable(QString::fromLatin1(retryAfter), 80)));
        } else if (status == 429) {
            r.hint = tr("The server did not say when to retry (no Retry-After); back off and try again later.");
        }
        for (const QByteArray &name : {"RateLimit-Limit"_ba, "RateLimit-Remaining"_ba, "RateLimit-Reset"_ba, "X-RateLimit-Limit"_ba,
                                       "X-RateLimit-Remaining"_ba, "X-RateLimit-Reset"_ba}) {
            if (headers.contains(name))
                r.details.append(u"%1: %2"_s.arg(QString::fromLatin1(name), printable(QString::fromLatin1(headers.value(name)), 80)));
        }
    }
    return r;
}

QString DenialReadout::text() const
{
    QStringList lines{summary};
    for (const QString &detail : details)
        lines.append(u"  "_s + detail);
    if (!hint.isEmpty())
        lines.append(tr("  Hint: %1").arg(hint));
    return lines.join(u'\n');
}

QJsonObject DenialReadout::toJson() const
{
    QJsonObject json{{u"kind"_s, kindName(kind)}, {u"status"_s, status}, {u"summary"_s, summary}};
    if (!details.isEmpty())
        json.insert(u"details"_s, QJsonArray::fromStringList(details));
    if (!hint.isEmpty())
        json.insert(u"hint"_s, hint);
    if (!errorCode.isEmpty())
        json.insert(u"error"_s, errorCode);
    if (!serverMessage.isEmpty())
        json.insert(u"server_message"_s, serverMessage);
    if (kind == Kind::InsufficientScope) {
        json.insert(u"required_scopes"_s, QJsonArray::fromStringList(requiredScopes));
        json.insert(u"granted_scopes"_s, grantedKnown ? QJsonValue(QJsonArray::fromStringList(grantedScopes)) : QJsonValue());
        json.insert(u"missing_scopes"_s, QJsonArray::fromStringList(missingScopes));
    }
    if (!reasons.isEmpty())
        json.insert(u"reasons"_s, QJsonArray::fromStringList(reasons));
    if (retryAfterSeconds) {
        json.insert(u"retry_after_seconds"_s, *retryAfterSeconds);
        json.insert(u"retry_at"_s, retryAt.toUTC().toString(Qt::ISODate));
    }
    if (!challenges.isEmpty())
        json.insert(u"challenges"_s, challengesJson(challenges));
    return json;
}
