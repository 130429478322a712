#include "jwt/IdTokenClaimsCheck.h"

#include "jwt/JwtView.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

using namespace Qt::StringLiterals;

IdTokenClaimsCheck IdTokenClaimsCheck::make(Status status, const QString &reason)
{
    IdTokenClaimsCheck check;
    check.m_status = status;
    check.m_reason = reason;
    return check;
}

IdTokenClaimsCheck IdTokenClaimsCheck::check(const QString &idToken, const Expected &expected, const QDateTime &now)
{
    const JwtView jwt = JwtView::decode(idToken);
    if (!jwt.isJwt())
        return make(Status::Invalid, jwt.problem().isEmpty() ? u"the ID token is not a JWT"_s : u"the ID token cannot be decoded: "_s + jwt.problem());
    const QJsonObject claims = jwt.claims();
    const auto invalid = [](const QString &reason) { return make(Status::Invalid, reason); };

    // iss: exactly the issuer the environment trusts (Core §3.1.3.7 step 2; no normalising, as §16.15 says).
    const QJsonValue iss = claims.value(u"iss"_s);
    if (!iss.isString() || iss.toString().isEmpty())
        return invalid(u"it has no iss claim"_s);
    if (expected.issuer.isEmpty())
        return make(Status::NotChecked, u"the environment has no issuer to compare iss (%1) with: set it (env set NAME --issuer URL)"_s.arg(iss.toString()));
    if (iss.toString() != expected.issuer.toString())
        return invalid(u"iss is %1, not the environment's issuer %2"_s.arg(iss.toString(), expected.issuer.toString()));

    // aud: a string or an array, which must hold this client (step 3).
    const QJsonValue aud = claims.value(u"aud"_s);
    QStringList audiences;
    if (aud.isString()) {
        audiences.append(aud.toString());
    } else if (aud.isArray()) {
        for (const QJsonValue &one : aud.toArray()) {
            if (!one.isString())
                return invalid(u"aud holds a value that is not a string"_s);
            audiences.append(one.toString());
        }
    }
    if (audiences.isEmpty())
        return invalid(u"it has no aud claim"_s);
    if (!audiences.contains(expected.clientId))
        return invalid(u"aud (%1) does not contain the client id %2"_s.arg(audiences.join(u", "_s), expected.clientId));

    // azp: with several audiences it must be there (step 4's SHOULD, kept), and name this client when present (step 5).
    const QJsonValue azp = claims.value(u"azp"_s);
    if (audiences.size() > 1 && !azp.isString())
        return invalid(u"it has several audiences (%1) and no azp claim naming the client"_s.arg(audiences.join(u", "_s)));
    if (!azp.isUndefined() && azp.toString() != expected.clientId)
        return invalid(u"azp is %1, not the client id %2"_s.arg(azp.isString() ? azp.toString() : u"not a string"_s, expected.clientId));

    // exp: in the future, give or take the leeway (step 9).
    const std::optional<QDateTime> exp = jwt.expiresAt();
    if (!exp)
        return invalid(u"it has no exp claim (or not a number)"_s);
    if (exp->addSecs(leewaySeconds) <= now)
        return invalid(u"it expired at %1"_s.arg(exp->toUTC().toString(Qt::ISODate)));

    // iat: required (step 10); how old it may be is the client's own call, so only its presence.
    if (!jwt.issuedAt())
        return invalid(u"it has no iat claim (or not a number)"_s);

    // nonce: the one sent, when one was (step 11); it binds the ID token to this authorization request.
    QStringList checked{u"iss"_s, u"aud"_s};
    if (!azp.isUndefined())
        checked.append(u"azp"_s);
    checked += QStringList{u"exp"_s, u"iat"_s};
    if (!expected.nonce.isEmpty()) {
        const QJsonValue nonce = claims.value(u"nonce"_s);
        if (!nonce.isString())
            return invalid(u"it has no nonce claim, though the authorization request sent one"_s);
        if (nonce.toString() != expected.nonce)
            return invalid(u"its nonce is not the one the authorization request sent"_s);
        checked.append(u"nonce"_s);
    }
    return make(Status::Valid, checked.join(u", "_s));
}

QString IdTokenClaimsCheck::statusName(Status status)
{
    switch (status) {
    case Status::NotChecked: return u"not_checked"_s;
    case Status::Valid: return u"valid"_s;
    case Status::Invalid: return u"invalid"_s;
    }
    return {};
}

QString IdTokenClaimsCheck::summary() const
{
    switch (m_status) {
    case Status::Valid:
        return u"claims valid (%1)"_s.arg(m_reason);
    case Status::NotChecked:
        return u"claims not checked: %1"_s.arg(m_reason);
    case Status::Invalid:
        break;
    }
    return u"claims NOT valid: %1"_s.arg(m_reason);
}
