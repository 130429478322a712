#include "oauth/ClientAssertion.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
struct KeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct DigestFree
{
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};
struct SignatureFree
{
    void operator()(ECDSA_SIG *signature) const { ECDSA_SIG_free(signature); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

constexpr int minimumRsaBits = 2048; // RFC 7518 §3.3
constexpr int p256Bytes = 32;

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString openSslReason()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return {};
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

// An encrypted PEM would make OpenSSL ask for a passphrase on the terminal: refused instead.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

Key readKey(const QByteArray &pem, QString *error)
{
    ERR_clear_error();
    if (pem.contains("ENCRYPTED")) {
        *error = u"the private key is encrypted with a passphrase; store it unencrypted (the keychain protects it)"_s;
        return nullptr;
    }
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    if (!bio) {
        *error = u"out of memory reading the private key"_s;
        return nullptr;
    }
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr));
    if (!key) {
        const QString reason = openSslReason();
        *error = u"the private key is not a PEM private key (RSA, P-256 or Ed25519)%1"_s.arg(reason.isEmpty() ? QString() : u": "_s + reason);
    }
    return key;
}

QString algorithmOf(EVP_PKEY *key, QString *error)
{
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        if (EVP_PKEY_get_bits(key) < minimumRsaBits) {
            *error = u"the RSA key has %1 bits; RS256 needs at least %2"_s.arg(EVP_PKEY_get_bits(key)).arg(minimumRsaBits);
            return {};
        }
        return u"RS256"_s;
    case EVP_PKEY_EC: {
        char group[64] = {};
        size_t length = 0;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1 || QByteArrayView(group, static_cast<qsizetype>(length)) != "prime256v1") {
            *error = u"the EC key is on %1; ES256 needs P-256 (prime256v1)"_s.arg(length > 0 ? QString::fromLatin1(group, static_cast<qsizetype>(length)) : u"an unnamed curve"_s);
            return {};
        }
        return u"ES256"_s;
    }
    case EVP_PKEY_ED25519:
        return u"EdDSA"_s;
    default:
        *error = u"the private key is neither RSA, P-256 nor Ed25519, the kinds private_key_jwt signs with here (RS256, ES256, EdDSA)"_s;
        return {};
    }
}

// ECDSA signs as DER (SEQUENCE of r and s); JWS wants r and s as two 32-byte big-endian halves (RFC 7518 §3.4).
QByteArray joseSignature(const QByteArray &der)
{
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<ECDSA_SIG, SignatureFree> signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!signature)
        return {};
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(signature.get(), &r, &s);
    QByteArray out(2 * p256Bytes, '\0');
    auto *bytes = reinterpret_cast<unsigned char *>(out.data());
    if (BN_bn2binpad(r, bytes, p256Bytes) != p256Bytes || BN_bn2binpad(s, bytes + p256Bytes, p256Bytes) != p256Bytes)
        return {};
    return out;
}

QByteArray sign(EVP_PKEY *key, const QString &algorithm, const QByteArray &input, QString *error)
{
    std::unique_ptr<EVP_MD_CTX, DigestFree> context(EVP_MD_CTX_new());
    // EdDSA hashes inside the signature (no digest given); RS256 and ES256 sign a SHA-256 digest.
    const EVP_MD *digest = algorithm == u"EdDSA"_s ? nullptr : EVP_sha256();
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (!context || EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key) != 1
        || EVP_DigestSign(context.get(), nullptr, &length, data, static_cast<size_t>(input.size())) != 1) {
        *error = u"OpenSSL could not sign with the private key: %1"_s.arg(openSslReason());
        return {};
    }
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, data, static_cast<size_t>(input.size())) != 1) {
        *error = u"OpenSSL could not sign with the private key: %1"_s.arg(openSslReason());
        return {};
    }
    signature.resize(static_cast<qsizetype>(length));
    if (algorithm == u"ES256"_s) {
        signature = joseSignature(signature);
        if (signature.isEmpty())
            *error = u"OpenSSL's ECDSA signature could not be read"_s;
    }
    return signature;
}
} // namespace

QString ClientAssertion::assertionType()
{
    return u"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"_s;
}

QString ClientAssertion::algorithmFor(const QByteArray &privateKeyPem, QString *error)
{
    QString ignored;
    QString *why = error ? error : &ignored;
    const Key key = readKey(privateKeyPem, why);
    return key ? algorithmOf(key.get(), why) : QString();
}

ClientAssertion::Result ClientAssertion::create(const QString &clientId, const QUrl &audience, const QString &keyId,
                                                const QByteArray &privateKeyPem, qint64 issuedAt)
{
    Result result;
    const Key key = readKey(privateKeyPem, &result.error);
    if (!key)
        return result;
    const QString algorithm = algorithmOf(key.get(), &result.error);
    if (algorithm.isEmpty())
        return result;

    QByteArray nonce(16, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(nonce.data()), static_cast<int>(nonce.size())) != 1) {
        result.error = u"OpenSSL has no randomness for the assertion's jti: %1"_s.arg(openSslReason());
        return result;
    }
    QJsonObject header{{u"alg"_s, algorithm}, {u"typ"_s, u"JWT"_s}};
    if (!keyId.isEmpty())
        header.insert(u"kid"_s, keyId);
    const QJsonObject claims{{u"iss"_s, clientId},
                             {u"sub"_s, clientId},
                             {u"aud"_s, audience.toString(QUrl::FullyEncoded)},
                             {u"jti"_s, QString::fromLatin1(base64Url(nonce))},
                             {u"iat"_s, issuedAt},
                             {u"exp"_s, issuedAt + lifetimeSeconds}};
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signature = sign(key.get(), algorithm, input, &result.error);
    if (!result.ok())
        return result;
    result.assertion = QString::fromLatin1(input + '.' + base64Url(signature));
    return result;
}
