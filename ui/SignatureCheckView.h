#pragma once

#include "http/ProxyPolicy.h"
#include "jwt/IdTokenClaimsCheck.h"
#include "jwt/SignatureCheck.h"
#include "oauth/AccessToken.h"

#include <QByteArray>
#include <QUrl>
#include <QWidget>

class QLabel;
class SignatureCheckRunner;

// The inspector's signature line: the access token (and an ID token the response carried)
// checked against the issuer's JWKS by SignatureCheckRunner, in the background — "Checking…",
// then "signature verified with key kid=…" or why not; an ID token's claims too
// (IdTokenClaimsCheck: iss, aud, exp, iat, nonce). A newer token replaces the check.
class SignatureCheckView : public QWidget
{
    Q_OBJECT

public:
    explicit SignatureCheckView(QWidget *parent = nullptr);

    // What an ID token's iss and aud must say (the environment's issuer and client id).
    void setIdTokenExpectation(const QUrl &issuer, const QString &clientId);
    // The key set is read through this proxy decision (the environment's).
    void setProxy(const ProxyPolicy &proxy);
    void check(const AccessToken &token, const QUrl &jwksUrl, const QByteArray &trustedCertificates);
    // The line as shown: a long kid cut to its ends (the tooltip has it whole).
    static QString shortKeyIds(const QString &line, const SignatureCheck &check);
    void clear();
    const SignatureCheck &accessTokenCheck() const { return m_accessCheck; }
    const IdTokenClaimsCheck &idTokenClaimsCheck() const { return m_idClaims; }

Q_SIGNALS:
    void checked(const SignatureCheck &accessToken);

private:
    void show(QLabel *label, const SignatureCheck &check, const QString &prefix);

    SignatureCheckRunner *m_accessRunner;
    SignatureCheckRunner *m_idRunner;
    QLabel *m_access;
    QLabel *m_idToken;
    SignatureCheck m_accessCheck;
    IdTokenClaimsCheck m_idClaims;
    QUrl m_issuer;
    QString m_clientId;
};
