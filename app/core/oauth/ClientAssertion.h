#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

// A client assertion for private_key_jwt client authentication (RFC 7523 §2.2, OpenID Connect
// Core §9): a JWT with iss = sub = the client id, aud = the token endpoint, a random jti, iat
// and exp 60 s later, signed with the client's private key by OpenSSL — RS256 for an RSA key
// (2048 bits or more), ES256 for a P-256 key, EdDSA for an Ed25519 key. The key is a PEM
// private key (PKCS#8 or the traditional RSA/EC forms), never encrypted: it comes from the
// keychain, which is what protects it.
class ClientAssertion
{
public:
    // The assertion_type that goes with it in the token request (RFC 7523 §2.2).
    static QString assertionType();
    static constexpr qint64 lifetimeSeconds = 60;

    struct Result
    {
        QString assertion; // the compact JWS; empty on failure
        QString error;     // why the key cannot sign, for the user
        bool ok() const { return error.isEmpty(); }
    };

    // Signs a fresh assertion; issuedAt is seconds since the epoch.
    static Result create(const QString &clientId, const QUrl &audience, const QString &keyId, const QByteArray &privateKeyPem,
                         qint64 issuedAt);
    // The JWS alg the key signs with (RS256, ES256, EdDSA), or empty with *error saying why the
    // key is not usable (not a private key, encrypted, too short an RSA key, another curve).
    static QString algorithmFor(const QByteArray &privateKeyPem, QString *error);
};
