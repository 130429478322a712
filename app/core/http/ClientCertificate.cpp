#include "http/ClientCertificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct CertificateFree
{
    void operator()(X509 *certificate) const { X509_free(certificate); }
};
struct KeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Certificate = std::unique_ptr<X509, CertificateFree>;

int noPassphrase(char *, int, int, void *)
{
    return -1;
}

Certificate readCertificate(const QByteArray &pem)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    return Certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, &noPassphrase, nullptr) : nullptr);
}
} // namespace

QString ClientCertificate::problem(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    ERR_clear_error();
    const Certificate certificate = readCertificate(certificatePem);
    if (!certificate) {
        ERR_clear_error();
        return u"the client certificate is not a PEM certificate"_s;
    }
    if (keyPem.isEmpty())
        return {};
    if (keyPem.contains("ENCRYPTED"))
        return u"the client certificate's key is encrypted with a passphrase; store it unencrypted (the keychain protects it)"_s;
    Bio bio(BIO_new_mem_buf(keyPem.constData(), static_cast<int>(keyPem.size())));
    const std::unique_ptr<EVP_PKEY, KeyFree> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr) : nullptr);
    QString why;
    if (!key)
        why = u"the client certificate's key is not a PEM private key"_s;
    else if (X509_check_private_key(certificate.get(), key.get()) != 1)
        why = u"the private key does not belong to the client certificate (%1)"_s.arg(subject(certificatePem));
    ERR_clear_error();
    return why;
}

QString ClientCertificate::subject(const QByteArray &certificatePem)
{
    const Certificate certificate = readCertificate(certificatePem);
    ERR_clear_error();
    if (!certificate)
        return {};
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || X509_NAME_print_ex(out.get(), X509_get_subject_name(certificate.get()), 0, static_cast<unsigned long>(XN_FLAG_ONELINE)) < 0)
        return {};
    char *data = nullptr;
    const long length = BIO_ctrl(out.get(), BIO_CTRL_INFO, 0, &data);
    return QString::fromUtf8(data, static_cast<qsizetype>(length));
}
