#pragma once

// Test-only JWS making and checking, with OpenSSL on the test's side, independent of the code
// under test: keys generated at test time, tokens signed with them (RS256, PS256, ES256, EdDSA)
// and their public halves as JWKs (the product only verifies); keys as PEM and a compact JWS
// verified against a public key, as a server does with a client's private_key_jwt assertion.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

namespace JwsTestKeys {
using Key = std::shared_ptr<EVP_PKEY>;

inline Key generate(const QString &alg)
{
    EVP_PKEY *key = nullptr;
    if (alg.startsWith(QStringLiteral("RS")) || alg.startsWith(QStringLiteral("PS")))
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    else if (alg == QStringLiteral("ES256"))
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    else
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    return Key(key, EVP_PKEY_free);
}

inline QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

inline QByteArray bn(const EVP_PKEY *key, const char *name)
{
    BIGNUM *value = nullptr;
    EVP_PKEY_get_bn_param(key, name, &value);
    QByteArray out(BN_num_bytes(value), '\0');
    BN_bn2bin(value, reinterpret_cast<unsigned char *>(out.data()));
    BN_free(value);
    return out;
}

inline QJsonObject jwk(const Key &key, const QString &kid, const QString &alg)
{
    QJsonObject object{{QStringLiteral("kid"), kid}, {QStringLiteral("use"), QStringLiteral("sig")}, {QStringLiteral("alg"), alg}};
    if (alg.startsWith(QStringLiteral("RS")) || alg.startsWith(QStringLiteral("PS"))) {
        object.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        object.insert(QStringLiteral("n"), b64(bn(key.get(), OSSL_PKEY_PARAM_RSA_N)));
        object.insert(QStringLiteral("e"), b64(bn(key.get(), OSSL_PKEY_PARAM_RSA_E)));
    } else if (alg == QStringLiteral("ES256")) {
        unsigned char point[65];
        size_t length = 0;
        EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
        const QByteArray raw(reinterpret_cast<const char *>(point), qsizetype(length));
        object.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        object.insert(QStringLiteral("crv"), QStringLiteral("P-256"));
        object.insert(QStringLiteral("x"), b64(raw.mid(1, 32)));
        object.insert(QStringLiteral("y"), b64(raw.mid(33, 32)));
    } else {
        unsigned char raw[32];
        size_t length = sizeof raw;
        EVP_PKEY_get_raw_public_key(key.get(), raw, &length);
        object.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        object.insert(QStringLiteral("crv"), QStringLiteral("Ed25519"));
        object.insert(QStringLiteral("x"), b64(QByteArray(reinterpret_cast<const char *>(raw), qsizetype(length))));
    }
    return object;
}

inline QByteArray sign(const Key &key, const QString &alg, const QByteArray &input)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX *pctx = nullptr;
    const EVP_MD *md = alg == QStringLiteral("EdDSA") ? nullptr : EVP_sha256();
    EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.get());
    if (alg.startsWith(QStringLiteral("PS"))) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
    QByteArray signature(qsizetype(length), '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                   reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
    signature.resize(qsizetype(length));
    if (alg == QStringLiteral("ES256")) {
        // EVP signs DER; JOSE wants r||s (RFC 7518 §3.4).
        const unsigned char *der = reinterpret_cast<const unsigned char *>(signature.constData());
        ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &der, long(signature.size()));
        QByteArray raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        ECDSA_SIG_free(sig);
        return raw;
    }
    return signature;
}

inline QByteArray segment(const QJsonObject &object)
{
    return b64(QJsonDocument(object).toJson(QJsonDocument::Compact)).toLatin1();
}

inline QString token(const Key &key, const QString &alg, const QString &kid, const QJsonObject &claims = {{QStringLiteral("sub"), QStringLiteral("ana")}})
{
    QJsonObject header{{QStringLiteral("alg"), alg}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
    if (!kid.isEmpty())
        header.insert(QStringLiteral("kid"), kid);
    const QByteArray input = segment(header) + '.' + segment(claims);
    return QString::fromLatin1(input + '.' + b64(sign(key, alg, input)).toLatin1());
}

inline QByteArray jwks(const QList<QJsonObject> &keys)
{
    QJsonArray array;
    for (const QJsonObject &key : keys)
        array.append(key);
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), array}}).toJson(QJsonDocument::Compact);
}

// As PEM (JwsTestKeys.cpp). "RSA" (bits), "EC" (curve: P-256, P-384), "ED25519"; the private key as PKCS#8 PEM.
QByteArray generatePem(const QString &type, int rsaBits = 2048, const QString &curve = QStringLiteral("P-256"));
QByteArray publicKeyPem(const QByteArray &privateKeyPem);
// The private key encrypted with a passphrase (PKCS#8, AES-256).
QByteArray encrypted(const QByteArray &privateKeyPem);
// Whether the JWS's signature verifies with the public key for its alg (RS256, ES256 as
// r||s, EdDSA); the header and payload as signed.
bool verifies(const QString &compactJws, const QByteArray &publicKeyPem);

} // namespace JwsTestKeys
