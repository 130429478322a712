#pragma once

#include "http/ExchangeResult.h"
#include "http/HttpHeaders.h"
#include "http/WwwAuthenticate.h"
#include "oauth/AccessToken.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// What an API's answer means here, in words a tester can act on: 401 — token missing, expired
// or invalid (read from WWW-Authenticate); 403 — the scope the server names (WWW-Authenticate
// scope=, or required_scope/scope/scopes in the body) set against the token's granted scopes;
// 409 — the JSON reasons (user-blocked); 429 — Retry-After; a one-line meaning for the rest.
struct DenialReadout
{
    enum class Kind {
        Success,
        NotModified,
        Redirect,          // a 3xx that was not followed
        Informational,
        MissingToken,      // 401 and no token went with the request
        ExpiredToken,      // 401 invalid_token, and the token's life is over
        InvalidToken,      // 401 with a token the server did not accept
        Unauthorized,      // 401 for another reason (another scheme, a malformed request)
        InsufficientScope, // 403 (or 401) naming the scope that was missing
        Forbidden,         // 403 without a scope to blame
        Conflict,          // 409, with its reasons
        RateLimited,       // 429
        ClientError,
        ServerError,
    };

    Kind kind = Kind::Success;
    int status = 0;
    QString summary;              // one line: "403 Forbidden — insufficient scope: needs …; your token has …"
    QStringList details;          // the server's own words, challenges, …
    QString hint;                 // what to try
    QString errorCode;            // WWW-Authenticate error=, or the body's code/error
    QString serverMessage;        // message / error_description / detail from the body or the challenge
    QStringList requiredScopes;
    QStringList grantedScopes;
    bool grantedKnown = false;    // false when the server never reported what it granted
    QStringList missingScopes;
    QStringList reasons;          // 409 reasons
    std::optional<qint64> retryAfterSeconds;
    QDateTime retryAt;            // UTC
    WwwAuthenticate challenges;

    // token is the token that went with the request (or would have); tokenSent says whether it did.
    static DenialReadout explain(int status, const QByteArray &reasonPhrase, const HttpHeaders &headers, const QByteArray &body,
                                 const std::optional<AccessToken> &token, bool tokenSent, const QDateTime &now);
    static DenialReadout explain(const ExchangeResult &result, const std::optional<AccessToken> &token, bool tokenSent,
                                 const QDateTime &now);

    bool isDenial() const { return status >= 400; }
    // A 401 that a fresh token may cure: worth re-authorizing once and retrying.
    bool tokenRejected() const { return kind == Kind::ExpiredToken || kind == Kind::InvalidToken; }
    // summary, then details and hint, one per line.
    QString text() const;
    QJsonObject toJson() const;

    static QString kindName(Kind kind);
    // "Not Found — the server has nothing at this URL", for any status.
    static QString statusMeaning(int status);
    static QString standardReason(int status);
    // RFC 9110 §10.2.3: delay-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime).
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now, QDateTime *at = nullptr);
    static QDateTime parseHttpDate(const QByteArray &value);
};
