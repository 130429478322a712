#include "oauth/DeviceAuthorization.h"

#include "oauth/TokenResponseParser.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// A device code that lives longer than a day is no code a person is typing in.
constexpr double maxExpiresSeconds = 24.0 * 3600;
constexpr double maxIntervalSeconds = 3600;

// Seconds as a JSON number or a numeric string (servers send both); nullopt when neither.
std::optional<double> readSeconds(const QJsonValue &value)
{
    double seconds = 0;
    if (value.isDouble()) {
        seconds = value.toDouble();
    } else if (value.isString()) {
        bool ok = false;
        seconds = value.toString().trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(seconds))
        return std::nullopt;
    return seconds;
}

bool isWebUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid() && !url.host().isEmpty() && (scheme == u"https"_s || scheme == u"http"_s);
}
} // namespace

DeviceAuthorization DeviceAuthorization::parse(int status, const QByteArray &contentType, const QByteArray &body, const QUrl &endpoint,
                                               const QDateTime &now)
{
    DeviceAuthorization result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const bool isObject = parseError.error == QJsonParseError::NoError && doc.isObject();
    const QJsonObject json = doc.object();
    if (status < 200 || status >= 300 || !isObject || json.value(u"error"_s).isString()) {
        // The same reading as a token endpoint's error: RFC 6749 §5.2 body, or status and excerpt.
        result.error = TokenResponseParser::parse(status, contentType, body, endpoint, {}, now).error;
        if (!result.error.isError()) {
            // A success status and a JSON object can only get here as a token response, which
            // is no answer to a device authorization request.
            result.error.kind = OAuthError::Kind::InvalidResponse;
            result.error.endpoint = endpoint;
            result.error.httpStatus = status;
            result.error.detail = u"the body is not a device authorization response"_s;
        }
        return result;
    }

    const auto invalid = [&result, &endpoint, status](const QString &detail) {
        result.error.kind = OAuthError::Kind::InvalidResponse;
        result.error.endpoint = endpoint;
        result.error.httpStatus = status;
        result.error.detail = detail;
        return result;
    };
    const auto text = [&json](const QString &name) {
        const QJsonValue value = json.value(name);
        return value.isString() ? value.toString() : QString();
    };

    // The names, never the values: the device code is a secret and the rest may be anything.
    result.deviceCode = text(u"device_code"_s);
    if (result.deviceCode.isEmpty())
        return invalid(u"the device authorization response has no \"device_code\""_s);
    result.userCode = text(u"user_code"_s);
    if (result.userCode.isEmpty())
        return invalid(u"the device authorization response has no \"user_code\""_s);
    // A user code is read aloud and typed: a control character in it is an attack on a terminal.
    for (const QChar c : std::as_const(result.userCode)) {
        if (!c.isPrint())
            return invalid(u"the device authorization response's \"user_code\" holds a control character"_s);
    }
    if (result.userCode.size() > 64)
        return invalid(u"the device authorization response's \"user_code\" is %1 characters long; a code a person types is short"_s.arg(result.userCode.size()));

    // Some servers (Google's, early drafts) say verification_url.
    QString uri = text(u"verification_uri"_s);
    if (uri.isEmpty())
        uri = text(u"verification_url"_s);
    if (uri.isEmpty())
        return invalid(u"the device authorization response has no \"verification_uri\""_s);
    result.verificationUri = QUrl(uri, QUrl::StrictMode);
    if (!isWebUrl(result.verificationUri) || !result.verificationUri.userInfo().isEmpty())
        return invalid(u"the device authorization response's \"verification_uri\" is not an http(s) URL"_s);
    const QString complete = text(u"verification_uri_complete"_s);
    if (!complete.isEmpty()) {
        const QUrl url(complete, QUrl::StrictMode);
        // Optional: an unusable one is left out rather than failing the grant.
        if (isWebUrl(url) && url.userInfo().isEmpty())
            result.verificationUriComplete = url;
    }

    const auto expires = readSeconds(json.value(u"expires_in"_s));
    if (!expires || *expires <= 0 || *expires > maxExpiresSeconds)
        return invalid(u"the device authorization response has no usable \"expires_in\" (seconds, up to a day)"_s);
    result.expiresAt = now.toUTC().addMSecs(static_cast<qint64>(std::llround(*expires * 1000)));

    const QJsonValue interval = json.value(u"interval"_s);
    if (!interval.isUndefined() && !interval.isNull()) {
        const auto seconds = readSeconds(interval);
        if (!seconds || *seconds < 0 || *seconds > maxIntervalSeconds)
            return invalid(u"the device authorization response's \"interval\" is not a number of seconds up to an hour"_s);
        result.intervalMs = std::max(minimumIntervalMs, static_cast<int>(std::llround(*seconds * 1000)));
    }
    return result;
}
