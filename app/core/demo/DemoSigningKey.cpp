#include "demo/DemoSigningKey.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int coordinateSize = 32; // P-256: x, y, r and s are 32 bytes each

struct CtxFree { void operator()(EVP_PKEY_CTX *ctx) const { EVP_PKEY_CTX_free(ctx); } };
struct MdCtxFree { void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); } };
struct BnFree { void operator()(BIGNUM *bn) const { BN_free(bn); } };
struct SigFree { void operator()(ECDSA_SIG *sig) const { ECDSA_SIG_free(sig); } };

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fixedWidth(const BIGNUM *bn)
{
    QByteArray bytes(coordinateSize, '\0');
    if (BN_bn2binpad(bn, reinterpret_cast<unsigned char *>(bytes.data()), coordinateSize) != coordinateSize)
        return {};
    return bytes;
}

QByteArray coordinate(EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        return {};
    const std::unique_ptr<BIGNUM, BnFree> bn(raw);
    return fixedWidth(bn.get());
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

DemoSigningKey DemoSigningKey::generate(QString *error)
{
    DemoSigningKey made;
    const std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY *key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0
        || EVP_PKEY_generate(ctx.get(), &key) <= 0 || !key) {
        if (error)
            *error = u"OpenSSL could not make an EC P-256 key pair"_s;
        return made;
    }
    std::shared_ptr<EVP_PKEY> owned(key, EVP_PKEY_free);
    made.m_x = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X);
    made.m_y = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y);
    if (made.m_x.isEmpty() || made.m_y.isEmpty()) {
        if (error)
            *error = u"OpenSSL did not give the public key's coordinates"_s;
        return made;
    }
    // RFC 7638: the SHA-256 of the required members, in lexicographic order, without whitespace.
    const QByteArray thumbprintInput = R"({"crv":"P-256","kty":"EC","x":")" + base64Url(made.m_x) + R"(","y":")" + base64Url(made.m_y)
                                       + R"("})";
    made.m_keyId = QString::fromLatin1(base64Url(QCryptographicHash::hash(thumbprintInput, QCryptographicHash::Sha256)));
    QString parseError;
    made.m_verificationKeys = JwksKeySet::parse(QJsonDocument(made.keySet()).toJson(QJsonDocument::Compact), &parseError);
    if (!parseError.isEmpty() || made.m_verificationKeys.isEmpty()) {
        if (error)
            *error = u"the Demo's own public key does not import: "_s + parseError;
        return made;
    }
    made.m_key = std::move(owned);
    return made;
}

QJsonObject DemoSigningKey::publicJwk() const
{
    return {{u"kty"_s, u"EC"_s},
            {u"crv"_s, u"P-256"_s},
            {u"x"_s, QString::fromLatin1(base64Url(m_x))},
            {u"y"_s, QString::fromLatin1(base64Url(m_y))},
            {u"kid"_s, m_keyId},
            {u"alg"_s, algorithm()},
            {u"use"_s, u"sig"_s}};
}

QJsonObject DemoSigningKey::keySet() const
{
    return {{u"keys"_s, QJsonArray{publicJwk()}}};
}

QByteArray DemoSigningKey::sign(const QJsonObject &claims, const QString &type) const
{
    if (!m_key)
        return {};
    const QJsonObject header{{u"alg"_s, algorithm()}, {u"typ"_s, type}, {u"kid"_s, m_keyId}};
    const QByteArray input = base64Url(compactJson(header)) + '.' + base64Url(compactJson(claims));
    const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) <= 0
        || EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) <= 0)
        return {};
    QByteArray der(qsizetype(length), '\0');
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    if (EVP_DigestSign(ctx.get(), out, &length, data, size_t(input.size())) <= 0)
        return {};
    der.truncate(qsizetype(length));
    // EVP gives DER; JOSE wants r||s, each the curve's width (RFC 7518 §3.4).
    const auto *cursor = reinterpret_cast<const unsigned char *>(der.constData());
    const std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &cursor, long(der.size())));
    if (!sig)
        return {};
    const QByteArray r = fixedWidth(ECDSA_SIG_get0_r(sig.get()));
    const QByteArray s = fixedWidth(ECDSA_SIG_get0_s(sig.get()));
    if (r.isEmpty() || s.isEmpty())
        return {};
    return input + '.' + base64Url(r + s);
}
