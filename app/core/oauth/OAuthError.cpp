#include "oauth/OAuthError.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

QString OAuthError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return u"none"_s;
    case Kind::Configuration: return u"configuration"_s;
    case Kind::InsecureUrl: return u"insecure_url"_s;
    case Kind::Network: return u"network"_s;
    case Kind::Tls: return u"tls"_s;
    case Kind::Timeout: return u"timeout"_s;
    case Kind::Cancelled: return u"cancelled"_s;
    case Kind::Redirect: return u"redirect"_s;
    case Kind::Protocol: return u"oauth_error"_s;
    case Kind::Http: return u"http_error"_s;
    case Kind::InvalidResponse: return u"invalid_response"_s;
    case Kind::TooLarge: return u"response_too_large"_s;
    }
    return {};
}

QString OAuthError::hintForCode(const QString &code)
{
    // RFC 6749 §5.2 codes, plus the ones RFC 6750 and RFC 8707 add, in words a tester can act on.
    static const QHash<QString, const char *> hints = {
        {u"invalid_request"_s, QT_TRANSLATE_NOOP("OAuthError", "The server found the request malformed: a parameter is missing, repeated or not allowed. Check the grant type, the client authentication style and any extra parameters the server expects.")},
        {u"invalid_client"_s, QT_TRANSLATE_NOOP("OAuthError", "The server did not accept the client credentials. Check the client ID and secret for this environment (sandbox and production credentials differ) and the client authentication style (HTTP Basic or in the body); for mutual TLS (tls_client_auth), the client certificate and key the server expects.")},
        {u"invalid_grant"_s, QT_TRANSLATE_NOOP("OAuthError", "The grant was refused: for the password grant, the username or password is wrong or the account is locked.")},
        {u"unauthorized_client"_s, QT_TRANSLATE_NOOP("OAuthError", "This client is not allowed to use this grant type. Ask the API provider to enable it, or switch the environment's grant type.")},
        {u"unsupported_grant_type"_s, QT_TRANSLATE_NOOP("OAuthError", "The server does not support this grant type at this token URL.")},
        {u"invalid_scope"_s, QT_TRANSLATE_NOOP("OAuthError", "One of the requested scopes is unknown to the server or not granted to this client. Remove scopes until the request succeeds, or ask for them to be assigned to the client.")},
        {u"invalid_target"_s, QT_TRANSLATE_NOOP("OAuthError", "The requested resource or audience is unknown or not allowed for this client.")},
        {u"access_denied"_s, QT_TRANSLATE_NOOP("OAuthError", "The server denied the request. For the device grant: the person declined at the verification page.")},
        // RFC 8628 §3.5: the device grant's answers while it polls; only the last two end it.
        {u"authorization_pending"_s, QT_TRANSLATE_NOOP("OAuthError", "The person has not entered and approved the user code yet.")},
        {u"slow_down"_s, QT_TRANSLATE_NOOP("OAuthError", "The server asked for slower polling.")},
        {u"expired_token"_s, QT_TRANSLATE_NOOP("OAuthError", "The device code expired before the person approved it. Get a token again for a new user code, and enter it at the verification page in time.")},
        {u"server_error"_s, QT_TRANSLATE_NOOP("OAuthError", "The authorization server failed internally. Try again later; if it persists, report it to the API provider.")},
        {u"temporarily_unavailable"_s, QT_TRANSLATE_NOOP("OAuthError", "The authorization server is overloaded or in maintenance. Try again later.")},
    };
    const auto it = hints.constFind(code);
    if (it == hints.constEnd())
        return {};
    return QCoreApplication::translate("OAuthError", it.value());
}

QString OAuthError::hint() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Protocol: {
        const QString known = hintForCode(code);
        return known.isEmpty() ? QCoreApplication::translate("OAuthError", "The server returned a non-standard error code; see its description.") : known;
    }
    case Kind::Configuration:
        return QCoreApplication::translate("OAuthError", "Complete the environment profile and try again.");
    case Kind::InsecureUrl:
        return QCoreApplication::translate("OAuthError", "Use an https:// token URL, or allow plain http for this environment if it really is a trusted test server: the client secret would cross the network unencrypted.");
    case Kind::Network:
        return QCoreApplication::translate("OAuthError", "Check the token URL's host and port, your network connection and any proxy.");
    case Kind::Tls:
        return QCoreApplication::translate("OAuthError", "The server's certificate could not be trusted, so nothing was sent. Check the host name and the certificate chain; Tokenbench never skips verification.");
    case Kind::Timeout:
        return QCoreApplication::translate("OAuthError", "The server did not answer in time. It may be down or overloaded, or a firewall may drop the connection.");
    case Kind::Cancelled:
        return {};
    case Kind::Redirect:
        return QCoreApplication::translate("OAuthError", "Token endpoints should not redirect; the request was not repeated at the new address so your credentials stay where you sent them. Use the final URL as the token URL if you trust it.");
    case Kind::Http:
        if (httpStatus == 404 || httpStatus == 405)
            return QCoreApplication::translate("OAuthError", "This URL does not look like a token endpoint. Check the environment's token URL.");
        if (httpStatus == 401 || httpStatus == 403)
            return QCoreApplication::translate("OAuthError", "The server refused the client; check the credentials and the client authentication style.");
        if (httpStatus == 429)
            return QCoreApplication::translate("OAuthError", "The server is rate limiting this client. Wait before trying again.");
        if (httpStatus >= 500)
            return QCoreApplication::translate("OAuthError", "The server or a proxy in front of it failed. Try again later.");
        return QCoreApplication::translate("OAuthError", "The answer is not an OAuth 2 error response; the excerpt may say more.");
    case Kind::InvalidResponse:
        return QCoreApplication::translate("OAuthError", "The server answered with success but not with a usable token response (RFC 6749 §5.1). Check that the token URL is the OAuth token endpoint.");
    case Kind::TooLarge:
        return QCoreApplication::translate("OAuthError", "A token response is a small JSON object; this one never ended or unpacked to far more. Check that the token URL is the OAuth token endpoint and not a file or a stream.");
    }
    return {};
}

QStringList OAuthError::refusedScopes(const QStringList &requested) const
{
    if (kind != Kind::Protocol || code != u"invalid_scope"_s)
        return {};
    QStringList named;
    for (const QString &scope : requested) {
        // A whole scope token, not part of a longer one ("a:read" is not in "a:read-all"); prose
        // punctuation around it (quotes, commas, a full stop) is not part of it.
        const QString before = uR"((?:^|[\s"'“”‘’,;(\[{<]))"_s;
        const QString after = uR"((?=$|[\s"'“”‘’,;)\]}>]|[.:](?:\s|$)))"_s;
        const QRegularExpression whole(before + QRegularExpression::escape(scope) + after);
        if (whole.match(description).hasMatch())
            named.append(scope);
    }
    if (named.isEmpty() && requested.size() == 1)
        return requested;
    return named;
}

QString OAuthError::summary() const
{
    const QString where = endpoint.isEmpty() ? QString() : endpoint.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Protocol: {
        // No status: decided here, as the server would have (a device code that ran out).
        QString text = httpStatus > 0 ? u"%1 (HTTP %2)"_s.arg(code).arg(httpStatus) : code;
        if (!description.isEmpty())
            text += u": "_s + description;
        if (!uri.isEmpty())
            text += u" [%1]"_s.arg(uri);
        return text;
    }
    case Kind::Http:
        return u"HTTP %1 from %2 without an OAuth error body%3"_s.arg(httpStatus).arg(where, excerpt.isEmpty() ? QString() : u": \""_s + excerpt + u'"');
    case Kind::InvalidResponse:
        return u"unusable token response from %1 (HTTP %2): %3"_s.arg(where).arg(httpStatus).arg(detail);
    case Kind::TooLarge:
        return u"the answer from %1 (HTTP %2) is larger than %3, the limit for a token response; it was stopped there"_s.arg(where).arg(httpStatus).arg(detail);
    case Kind::Network:
        return u"network error reaching %1: %2"_s.arg(where, detail);
    case Kind::Tls:
        return u"TLS error with %1: %2"_s.arg(where, detail);
    case Kind::Timeout:
        return u"no answer from %1 within %2"_s.arg(where, detail);
    case Kind::Cancelled:
        return u"cancelled"_s;
    case Kind::Redirect:
        return u"the token endpoint %1 redirected (HTTP %2) to %3"_s.arg(where).arg(httpStatus).arg(detail);
    case Kind::Configuration:
    case Kind::InsecureUrl:
        return detail;
    }
    return {};
}
