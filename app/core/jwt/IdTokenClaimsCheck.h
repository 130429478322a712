#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

// What OpenID Connect Core §3.1.3.7 asks a client to check in an ID token's claims, besides its
// signature (SignatureCheck): iss is the environment's issuer, aud contains the client id (and,
// with several audiences, azp names the client), exp is in the future (a small leeway for
// clocks), iat is present, and nonce is the one the authorization request sent. A value to show
// next to the signature check: "claims valid (…)" or the first claim that is not.
class IdTokenClaimsCheck
{
public:
    enum class Status {
        NotChecked, // no issuer known to compare iss with
        Valid,
        Invalid,
    };

    // What the ID token must say: from the environment and the grant that got it.
    struct Expected
    {
        QUrl issuer;      // the environment's issuer (provider.issuer)
        QString clientId; // this client
        QString nonce;    // the authorization request's nonce; empty: none was sent
    };

    // Clocks drift: exp may have passed by this much.
    static constexpr int leewaySeconds = 60;

    static IdTokenClaimsCheck check(const QString &idToken, const Expected &expected, const QDateTime &now);

    Status status() const { return m_status; }
    bool isValid() const { return m_status == Status::Valid; }
    // Which claims were checked ("iss, aud, exp, iat, nonce"), or why the token is refused.
    QString reason() const { return m_reason; }
    // "claims valid (iss, aud, exp, iat, nonce)", "claims NOT valid: <reason>", "claims not checked: <reason>".
    QString summary() const;
    static QString statusName(Status status);

private:
    static IdTokenClaimsCheck make(Status status, const QString &reason);

    Status m_status = Status::NotChecked;
    QString m_reason;
};
