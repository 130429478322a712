#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

struct evp_pkey_st;

// An issuer's JSON Web Key Set (RFC 7517) as OpenSSL public keys: RSA (n, e), EC P-256/384/521
// (x, y) and OKP Ed25519/Ed448 (x), each imported with OpenSSL's EVP API (EVP_PKEY_fromdata,
// EVP_PKEY_new_raw_public_key), which checks what it is given (an EC point on its curve). A key
// that cannot be imported stays in the set with its problem, so a token naming it is told why.
class JwksKeySet
{
public:
    struct Key
    {
        QString kid;
        QString kty;
        QString crv;
        QString alg; // empty when the JWK does not restrict it
        QString use; // "sig", "enc" or empty
        std::shared_ptr<evp_pkey_st> key; // null when problem says why
        QString problem;
    };

    // A JWK Set document; an empty optional-like set with *error for one that is not.
    static JwksKeySet parse(const QByteArray &json, QString *error);

    bool isEmpty() const { return m_keys.isEmpty(); }
    const QList<Key> &keys() const { return m_keys; }
    QList<Key> withKid(const QString &kid) const;

    // A JWK's public key (used by parse; one key object's members).
    static Key importKey(const QJsonObject &jwk);

private:
    QList<Key> m_keys;
};
