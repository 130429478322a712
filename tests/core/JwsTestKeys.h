#pragma once

#include <QByteArray>
#include <QString>

// Keys made for a test with OpenSSL, and verification of a compact JWS against them: what a
// server does with the client's public key, independent of the code under test.
class JwsTestKeys
{
public:
    // "RSA" (bits), "EC" (curve: P-256, P-384), "ED25519"; the private key as PKCS#8 PEM.
    static QByteArray generate(const QString &type, int rsaBits = 2048, const QString &curve = QStringLiteral("P-256"));
    static QByteArray publicKeyPem(const QByteArray &privateKeyPem);
    // The private key encrypted with a passphrase (PKCS#8, AES-256).
    static QByteArray encrypted(const QByteArray &privateKeyPem);
    // Whether the JWS's signature verifies with the public key for its alg (RS256, ES256 as
    // r||s, EdDSA); the header and payload as signed.
    static bool verifies(const QString &compactJws, const QByteArray &publicKeyPem);
};
