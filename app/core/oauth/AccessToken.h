#pragma once

#include "jwt/JwtView.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// An access token as obtained, with everything we know about its life and reach.
// Lives in memory only.
struct AccessToken
{
    enum class ExpirySource { ExpiresIn, JwtExp, Unknown };
    enum class ScopeSource { Response, JwtClaim, NotReported };

    QString value;
    QString tokenType;        // as the server wrote it
    QString refreshToken;
    // When the refresh token was last used: this token came from it (invalid: from the grant).
    QDateTime refreshedAt;
    // The refresh token is also kept in the keychain (Environment::keepRefreshToken), not only in memory.
    bool refreshTokenKept = false;
    // The nonce the authorization request sent (OpenID Connect): the ID token must carry it back.
    // Empty when none was sent (other grants, a refresh).
    QString idTokenNonce;
    QDateTime obtainedAt;     // UTC
    QDateTime expiresAt;      // UTC; invalid when unknown
    ExpirySource expirySource = ExpirySource::Unknown;
    QStringList requestedScopes;
    QStringList grantedScopes;
    ScopeSource scopeSource = ScopeSource::NotReported;
    QJsonObject extraFields;  // everything else the server sent (e.g. Cyclr's clientId)

    // Longer than this and no server takes the token in a request header (most stop at 8–16 KB).
    static constexpr qsizetype maxValueChars = 64 * 1024;

    // Why "Authorization: <tokenType> <value>" cannot be sent as this token stands (a line break
    // or other control character, a character outside ASCII, a token_type that is no scheme
    // name, a value past maxValueChars); empty when it can. Names positions, never the value.
    QString headerProblem() const;
    bool isBearer() const { return tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) == 0; }
    bool hasKnownExpiry() const { return expiresAt.isValid(); }
    qint64 secondsLeft(const QDateTime &now) const;
    qint64 lifetimeSeconds() const;
    // Expired, or inside the renewal margin: min(30 s, a tenth of the lifetime), so a
    // 10-second demo token is still usable for 9 of them.
    bool needsRenewal(const QDateTime &now) const;
    QStringList missingScopes() const;
    JwtView jwt() const { return JwtView::decode(value); }
};
