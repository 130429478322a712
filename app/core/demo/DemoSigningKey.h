#pragma once

#include "jwt/JwksKeySet.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

struct evp_pkey_st;

// The Demo API's token signing key: an EC P-256 key pair made with OpenSSL's EVP API when the
// server starts (never stored; every start has its own), signing ES256 JWTs (RFC 7518 §3.4) and
// published as a JWK (kid: its RFC 7638 thumbprint) at the Demo's JWKS endpoint. ES256 rather
// than RS256 because the key is made on every start, and a fresh process must stay as fast as
// curl: P-256 takes well under a millisecond, RSA-2048 a few hundred (measured). The Demo checks
// its own tokens with the JwsSignatureCheck the inspector uses, against the same public JWK.
class DemoSigningKey
{
public:
    static QString algorithm() { return QStringLiteral("ES256"); }

    // A new key pair; isValid() false (with *error) only if OpenSSL cannot make one.
    static DemoSigningKey generate(QString *error = nullptr);

    bool isValid() const { return m_key != nullptr; }
    QString keyId() const { return m_keyId; }
    // The public key as a JWK (kty EC, crv P-256, x, y, kid, alg ES256, use sig).
    QJsonObject publicJwk() const;
    // The JWK Set document the JWKS endpoint serves: {"keys":[publicJwk()]}.
    QJsonObject keySet() const;
    // The same set as the verifier's keys.
    const JwksKeySet &verificationKeys() const { return m_verificationKeys; }

    // The compact JWS of the claims: header {alg ES256, typ, kid}; empty if signing failed.
    QByteArray sign(const QJsonObject &claims, const QString &type) const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
    QByteArray m_x;
    QByteArray m_y;
    QString m_keyId;
    JwksKeySet m_verificationKeys;
};
