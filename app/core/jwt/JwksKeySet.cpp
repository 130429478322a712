#include "jwt/JwksKeySet.h"

#include "jwt/JwtView.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int maxKeys = 100;
constexpr int minRsaBits = 2048;

struct BnFree { void operator()(BIGNUM *bn) const { BN_free(bn); } };
struct BldFree { void operator()(OSSL_PARAM_BLD *bld) const { OSSL_PARAM_BLD_free(bld); } };
struct ParamFree { void operator()(OSSL_PARAM *params) const { OSSL_PARAM_free(params); } };
struct CtxFree { void operator()(EVP_PKEY_CTX *ctx) const { EVP_PKEY_CTX_free(ctx); } };

std::shared_ptr<EVP_PKEY> own(EVP_PKEY *key)
{
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// A base64url member of the JWK, decoded; empty with *problem when missing or not base64url.
QByteArray member(const QJsonObject &jwk, const QString &name, QString *problem)
{
    const QJsonValue value = jwk.value(name);
    if (!value.isString() || value.toString().isEmpty()) {
        *problem = u"the JWK has no \"%1\""_s.arg(name);
        return {};
    }
    bool ok = false;
    const QByteArray bytes = JwtView::base64UrlDecode(value.toString().toLatin1(), &ok);
    if (!ok || bytes.isEmpty()) {
        *problem = u"the JWK's \"%1\" is not base64url"_s.arg(name);
        return {};
    }
    return bytes;
}

std::shared_ptr<EVP_PKEY> fromData(const char *type, OSSL_PARAM_BLD *bld, QString *problem)
{
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0 || !key) {
        *problem = u"OpenSSL refused the key's parameters"_s;
        return {};
    }
    return own(key);
}

std::shared_ptr<EVP_PKEY> rsaKey(const QJsonObject &jwk, QString *problem)
{
    const QByteArray n = member(jwk, u"n"_s, problem);
    const QByteArray e = n.isEmpty() ? QByteArray() : member(jwk, u"e"_s, problem);
    if (n.isEmpty() || e.isEmpty())
        return {};
    std::unique_ptr<BIGNUM, BnFree> bnN(BN_bin2bn(reinterpret_cast<const unsigned char *>(n.constData()), int(n.size()), nullptr));
    std::unique_ptr<BIGNUM, BnFree> bnE(BN_bin2bn(reinterpret_cast<const unsigned char *>(e.constData()), int(e.size()), nullptr));
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bnN || !bnE || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get())
        || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get())) {
        *problem = u"OpenSSL could not take the RSA parameters"_s;
        return {};
    }
    auto key = fromData("RSA", bld.get(), problem);
    if (key && EVP_PKEY_get_bits(key.get()) < minRsaBits) {
        *problem = u"an RSA key of %1 bits, under %2: too weak to trust"_s.arg(EVP_PKEY_get_bits(key.get())).arg(minRsaBits);
        return {};
    }
    return key;
}

std::shared_ptr<EVP_PKEY> ecKey(const QJsonObject &jwk, const QString &crv, QString *problem)
{
    int size = 0;
    const char *group = nullptr;
    if (crv == u"P-256"_s) {
        size = 32;
        group = "P-256";
    } else if (crv == u"P-384"_s) {
        size = 48;
        group = "P-384";
    } else if (crv == u"P-521"_s) {
        size = 66;
        group = "P-521";
    } else {
        *problem = u"an EC key on the curve \"%1\", which JOSE does not define"_s.arg(crv.left(40));
        return {};
    }
    const QByteArray x = member(jwk, u"x"_s, problem);
    const QByteArray y = x.isEmpty() ? QByteArray() : member(jwk, u"y"_s, problem);
    if (x.isEmpty() || y.isEmpty())
        return {};
    if (x.size() != size || y.size() != size) {
        *problem = u"the EC key's x and y must be %1 bytes each for %2"_s.arg(size).arg(crv);
        return {};
    }
    const QByteArray point = QByteArray(1, '\x04') + x + y; // SEC 1 uncompressed point
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(), size_t(point.size()))) {
        *problem = u"OpenSSL could not take the EC parameters"_s;
        return {};
    }
    auto key = fromData("EC", bld.get(), problem);
    if (!key)
        *problem = u"the EC key's point is not on %1"_s.arg(crv);
    return key;
}

std::shared_ptr<EVP_PKEY> okpKey(const QJsonObject &jwk, const QString &crv, QString *problem)
{
    int type = 0;
    int size = 0;
    if (crv == u"Ed25519"_s) {
        type = EVP_PKEY_ED25519;
        size = 32;
    } else if (crv == u"Ed448"_s) {
        type = EVP_PKEY_ED448;
        size = 57;
    } else {
        *problem = u"an OKP key on \"%1\", not a signature curve (Ed25519, Ed448)"_s.arg(crv.left(40));
        return {};
    }
    const QByteArray x = member(jwk, u"x"_s, problem);
    if (x.isEmpty())
        return {};
    if (x.size() != size) {
        *problem = u"the %1 key's x must be %2 bytes"_s.arg(crv).arg(size);
        return {};
    }
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(type, nullptr, reinterpret_cast<const unsigned char *>(x.constData()), size_t(x.size()));
    if (!key) {
        *problem = u"OpenSSL refused the %1 key"_s.arg(crv);
        return {};
    }
    return own(key);
}

QString stringMember(const QJsonObject &jwk, const QString &name)
{
    return jwk.value(name).toString().left(200);
}
} // namespace

JwksKeySet::Key JwksKeySet::importKey(const QJsonObject &jwk)
{
    Key key;
    key.kid = stringMember(jwk, u"kid"_s);
    key.kty = stringMember(jwk, u"kty"_s);
    key.crv = stringMember(jwk, u"crv"_s);
    key.alg = stringMember(jwk, u"alg"_s);
    key.use = stringMember(jwk, u"use"_s);
    if (jwk.contains(u"d"_s)) {
        // A private key published in a JWKS is a leak; it is not used as a public one either.
        key.problem = u"the JWK holds a private key (\"d\"): a JWKS must publish public keys only"_s;
        return key;
    }
    if (key.kty == u"RSA"_s)
        key.key = rsaKey(jwk, &key.problem);
    else if (key.kty == u"EC"_s)
        key.key = ecKey(jwk, key.crv, &key.problem);
    else if (key.kty == u"OKP"_s)
        key.key = okpKey(jwk, key.crv, &key.problem);
    else
        key.problem = key.kty.isEmpty() ? u"the JWK has no \"kty\""_s : u"a key of type \"%1\", not a public signature key"_s.arg(key.kty);
    return key;
}

JwksKeySet JwksKeySet::parse(const QByteArray &json, QString *error)
{
    JwksKeySet set;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = json.trimmed().startsWith('<') ? u"the JWKS URL answered with an HTML page, not a key set"_s
                                                 : u"the JWKS is not a JSON object"_s;
        return set;
    }
    const QJsonValue keys = document.object().value(u"keys"_s);
    if (!keys.isArray()) {
        *error = u"the JWKS has no \"keys\" array"_s;
        return set;
    }
    const QJsonArray array = keys.toArray();
    if (array.size() > maxKeys) {
        *error = u"the JWKS has %1 keys, more than %2"_s.arg(array.size()).arg(maxKeys);
        return set;
    }
    for (const QJsonValue &entry : array) {
        if (!entry.isObject()) {
            *error = u"an entry of the JWKS's \"keys\" is not an object"_s;
            return JwksKeySet();
        }
        set.m_keys.append(importKey(entry.toObject()));
    }
    if (set.m_keys.isEmpty())
        *error = u"the JWKS has no keys"_s;
    return set;
}

QList<JwksKeySet::Key> JwksKeySet::withKid(const QString &kid) const
{
    QList<Key> found;
    for (const Key &key : m_keys) {
        if (key.kid == kid)
            found.append(key);
    }
    return found;
}
