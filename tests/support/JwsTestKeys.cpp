#include "support/JwsTestKeys.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

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
using OwnedKey = std::unique_ptr<EVP_PKEY, KeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

QByteArray drain(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
    return QByteArray(data, static_cast<qsizetype>(length));
}

OwnedKey readPrivate(const QByteArray &pem)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    return OwnedKey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

QByteArray JwsTestKeys::generatePem(const QString &type, int rsaBits, const QString &curve)
{
    OwnedKey key;
    if (type == u"RSA"_s)
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsaBits)));
    else if (type == u"EC"_s)
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.toLatin1().constData()));
    else
        key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key)
        return {};
    Bio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return drain(bio.get());
}

QByteArray JwsTestKeys::publicKeyPem(const QByteArray &privateKeyPem)
{
    const OwnedKey key = readPrivate(privateKeyPem);
    Bio bio(BIO_new(BIO_s_mem()));
    if (!key || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1)
        return {};
    return drain(bio.get());
}

QByteArray JwsTestKeys::encrypted(const QByteArray &privateKeyPem)
{
    const OwnedKey key = readPrivate(privateKeyPem);
    Bio bio(BIO_new(BIO_s_mem()));
    char passphrase[] = "correct horse";
    if (!key || PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(), passphrase, static_cast<int>(sizeof passphrase - 1), nullptr, nullptr) != 1)
        return {};
    return drain(bio.get());
}

bool JwsTestKeys::verifies(const QString &compactJws, const QByteArray &publicKeyPem)
{
    const QList<QByteArray> parts = compactJws.toLatin1().split('.');
    if (parts.size() != 3)
        return false;
    const QByteArray input = parts.at(0) + '.' + parts.at(1);
    QByteArray signature = fromBase64Url(parts.at(2));
    const QString alg = QJsonDocument::fromJson(fromBase64Url(parts.at(0))).object().value(u"alg"_s).toString();

    Bio bio(BIO_new_mem_buf(publicKeyPem.constData(), static_cast<int>(publicKeyPem.size())));
    const OwnedKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        return false;
    if (alg == u"ES256"_s) {
        // JOSE's r||s back into the DER OpenSSL verifies.
        if (signature.size() != 64)
            return false;
        ECDSA_SIG *ecdsa = ECDSA_SIG_new();
        const auto *bytes = reinterpret_cast<const unsigned char *>(signature.constData());
        ECDSA_SIG_set0(ecdsa, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
        unsigned char *der = nullptr;
        const int length = i2d_ECDSA_SIG(ecdsa, &der);
        signature = QByteArray(reinterpret_cast<const char *>(der), length);
        OPENSSL_free(der);
        ECDSA_SIG_free(ecdsa);
    }
    const EVP_MD *digest = alg == u"EdDSA"_s ? nullptr : EVP_sha256();
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(context, nullptr, digest, nullptr, key.get()) == 1
        && EVP_DigestVerify(context, reinterpret_cast<const unsigned char *>(signature.constData()), static_cast<size_t>(signature.size()),
                            reinterpret_cast<const unsigned char *>(input.constData()), static_cast<size_t>(input.size())) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}
