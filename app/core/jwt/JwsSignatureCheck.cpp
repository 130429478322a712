#include "jwt/JwsSignatureCheck.h"

#include "jwt/JwtView.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace {
struct Algorithm
{
    QString kty;
    const EVP_MD *(*digest)() = nullptr; // null for EdDSA
    bool pss = false;
    int ecSize = 0; // bytes of r and of s
    QString crv;    // EC: the curve the alg requires
};

std::optional<Algorithm> algorithmFor(const QString &alg)
{
    if (alg == u"RS256"_s) return Algorithm{u"RSA"_s, EVP_sha256, false, 0, {}};
    if (alg == u"RS384"_s) return Algorithm{u"RSA"_s, EVP_sha384, false, 0, {}};
    if (alg == u"RS512"_s) return Algorithm{u"RSA"_s, EVP_sha512, false, 0, {}};
    if (alg == u"PS256"_s) return Algorithm{u"RSA"_s, EVP_sha256, true, 0, {}};
    if (alg == u"PS384"_s) return Algorithm{u"RSA"_s, EVP_sha384, true, 0, {}};
    if (alg == u"PS512"_s) return Algorithm{u"RSA"_s, EVP_sha512, true, 0, {}};
    if (alg == u"ES256"_s) return Algorithm{u"EC"_s, EVP_sha256, false, 32, u"P-256"_s};
    if (alg == u"ES384"_s) return Algorithm{u"EC"_s, EVP_sha384, false, 48, u"P-384"_s};
    if (alg == u"ES512"_s) return Algorithm{u"EC"_s, EVP_sha512, false, 66, u"P-521"_s};
    if (alg == u"EdDSA"_s || alg == u"Ed25519"_s) return Algorithm{u"OKP"_s, nullptr, false, 0, {}};
    return std::nullopt;
}

struct MdCtxFree { void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); } };
struct SigFree { void operator()(ECDSA_SIG *sig) const { ECDSA_SIG_free(sig); } };

// JOSE's ECDSA signature is r||s, fixed width (RFC 7518 §3.4); EVP takes DER.
QByteArray ecdsaDer(const QByteArray &raw, int size)
{
    if (raw.size() != 2 * size)
        return {};
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()), size, nullptr);
    BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()) + size, size, nullptr);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    if (length <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

bool keyFits(const JwksKeySet::Key &key, const Algorithm &algorithm, const QString &alg)
{
    if (key.kty != algorithm.kty || key.use == u"enc"_s)
        return false;
    if (!key.alg.isEmpty() && key.alg != alg)
        return false;
    if (algorithm.kty == u"EC"_s && key.crv != algorithm.crv)
        return false;
    return true;
}

bool verifyWith(EVP_PKEY *key, const Algorithm &algorithm, const QByteArray &input, const QByteArray &signature)
{
    QByteArray sig = signature;
    if (algorithm.ecSize > 0) {
        sig = ecdsaDer(signature, algorithm.ecSize);
        if (sig.isEmpty())
            return false;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, algorithm.digest ? algorithm.digest() : nullptr, nullptr, key) <= 0)
        return false;
    if (algorithm.pss
        && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0))
        return false;
    if (!algorithm.pss && algorithm.kty == u"RSA"_s && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
        return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.constData()), size_t(sig.size()),
                            reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()))
           == 1;
}
} // namespace

SignatureCheck JwsSignatureCheck::precheck(const QString &token)
{
    SignatureCheck check;
    const JwtView jwt = JwtView::decode(token);
    if (jwt.kind() == JwtView::Kind::Opaque) {
        check.reason = u"an opaque token, not a JWT: only its issuer can say what it is"_s;
        return check;
    }
    if (jwt.kind() == JwtView::Kind::Malformed) {
        check.status = SignatureCheck::Status::Invalid;
        check.reason = u"a malformed JWT: "_s + jwt.problem();
        return check;
    }
    check.algorithm = jwt.algorithm();
    check.keyId = jwt.header().value(u"kid"_s).toString().left(200);
    if (jwt.isUnsigned() || check.algorithm.compare(u"none"_s, Qt::CaseInsensitive) == 0) {
        check.status = SignatureCheck::Status::Refused;
        check.reason = u"alg \"none\": the token is unsigned, anyone could have written it"_s;
        return check;
    }
    if (check.algorithm.startsWith(u"HS"_s)) {
        check.status = SignatureCheck::Status::Refused;
        check.reason = u"%1 is an HMAC, keyed with a secret shared with the issuer; a JWKS's public key is never used as that secret "
                       "(the algorithm-confusion attack, RFC 8725 §2.1)"_s.arg(check.algorithm);
        return check;
    }
    if (!algorithmFor(check.algorithm)) {
        check.status = SignatureCheck::Status::Refused;
        check.reason = u"alg \"%1\" is not a signature algorithm this checks (RS256, PS256, ES256, EdDSA and their larger sizes)"_s.arg(
            check.algorithm.left(40));
        return check;
    }
    return check;
}

SignatureCheck JwsSignatureCheck::verify(const QString &token, const JwksKeySet &keys)
{
    SignatureCheck check = precheck(token);
    if (check.status != SignatureCheck::Status::NotChecked || check.algorithm.isEmpty())
        return check;
    const Algorithm algorithm = *algorithmFor(check.algorithm);
    const QList<QStringView> parts = QStringView(token).split(u'.');
    const QByteArray input = parts.at(0).toLatin1() + '.' + parts.at(1).toLatin1();
    bool ok = false;
    const QByteArray signature = JwtView::base64UrlDecode(parts.at(2).toLatin1(), &ok);
    if (!ok || signature.isEmpty()) {
        check.status = SignatureCheck::Status::Invalid;
        check.reason = u"the signature part is not base64url"_s;
        return check;
    }

    const bool named = !check.keyId.isEmpty();
    const QList<JwksKeySet::Key> candidates = named ? keys.withKid(check.keyId) : keys.keys();
    if (named && candidates.isEmpty()) {
        check.status = SignatureCheck::Status::NoKey;
        check.reason = u"the JWKS has no key kid=%1"_s.arg(check.keyId);
        return check;
    }
    QStringList unusable;
    bool tried = false;
    for (const JwksKeySet::Key &key : candidates) {
        if (!keyFits(key, algorithm, check.algorithm)) {
            if (named)
                unusable.append(u"key kid=%1 is %2%3%4, not for %5"_s.arg(key.kid, key.kty, key.crv.isEmpty() ? QString() : u' ' + key.crv,
                                                                            key.alg.isEmpty() ? QString() : u" alg "_s + key.alg, check.algorithm));
            continue;
        }
        if (!key.key) {
            unusable.append(u"key kid=%1: %2"_s.arg(key.kid, key.problem));
            continue;
        }
        tried = true;
        if (verifyWith(key.key.get(), algorithm, input, signature)) {
            check.status = SignatureCheck::Status::Verified;
            check.keyId = key.kid;
            check.reason.clear();
            return check;
        }
    }
    if (tried) {
        check.status = SignatureCheck::Status::Invalid;
        check.reason = named ? u"the signature does not verify with key kid=%1: the token was altered or not signed by it"_s.arg(check.keyId)
                             : u"the signature verifies with none of the JWKS's %1 keys"_s.arg(check.algorithm);
        return check;
    }
    check.status = SignatureCheck::Status::NoKey;
    check.reason = unusable.isEmpty() ? u"the JWKS has no %1 key"_s.arg(check.algorithm) : unusable.join(u"; "_s);
    return check;
}
