#include "jwt/CertificateBinding.h"

#include <QCryptographicHash>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

CertificateBinding CertificateBinding::check(const QJsonObject &claims, const QByteArray &clientCertificate)
{
    CertificateBinding binding;
    const QJsonValue confirmation = claims.value(u"cnf"_s).toObject().value(u"x5t#S256"_s);
    if (confirmation.isUndefined())
        return binding;
    binding.m_tokenThumbprint = confirmation.toString();
    // A SHA-256 digest is 32 bytes, 43 base64url characters without padding.
    const QByteArray digest = QByteArray::fromBase64(binding.m_tokenThumbprint.toLatin1(),
                                                     QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    const bool decoded = !binding.m_tokenThumbprint.isEmpty() && digest.size() == 32;
    if (!confirmation.isString() || !decoded) {
        binding.m_status = Status::Unreadable;
        return binding;
    }
    if (clientCertificate.trimmed().isEmpty()) {
        binding.m_status = Status::NoCertificate;
        return binding;
    }
    binding.m_certificateThumbprint = thumbprint(clientCertificate);
    binding.m_certificateUnreadable = binding.m_certificateThumbprint.isEmpty();
    if (binding.m_certificateUnreadable)
        binding.m_status = Status::Unreadable;
    else
        binding.m_status = binding.m_certificateThumbprint == binding.m_tokenThumbprint ? Status::Matches : Status::Differs;
    return binding;
}

QString CertificateBinding::thumbprint(const QByteArray &pem)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty() || certificates.first().isNull())
        return {};
    const QByteArray digest = QCryptographicHash::hash(certificates.first().toDer(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString CertificateBinding::summary() const
{
    switch (m_status) {
    case Status::NotBound:
        return u"not bound to a certificate (a bearer token: no cnf x5t#S256)"_s;
    case Status::Matches:
        return u"bound to the environment's client certificate (cnf x5t#S256 %1)"_s.arg(m_tokenThumbprint);
    case Status::Differs:
        return u"bound to ANOTHER certificate (cnf x5t#S256 %1; the environment's client certificate is %2): the API will refuse it"_s.arg(
            m_tokenThumbprint, m_certificateThumbprint);
    case Status::NoCertificate:
        return u"bound to a client certificate (cnf x5t#S256 %1), and the environment has none: the API will refuse it"_s.arg(m_tokenThumbprint);
    case Status::Unreadable:
        return m_certificateUnreadable
            ? u"bound to a client certificate (cnf x5t#S256 %1), but the environment's certificate cannot be read"_s.arg(m_tokenThumbprint)
            : u"the cnf claim's x5t#S256 is not a SHA-256 thumbprint: the binding cannot be checked"_s;
    }
    return {};
}

QString CertificateBinding::statusName(Status status)
{
    switch (status) {
    case Status::NotBound: return u"not_bound"_s;
    case Status::Matches: return u"matches"_s;
    case Status::Differs: return u"differs"_s;
    case Status::NoCertificate: return u"no_certificate"_s;
    case Status::Unreadable: return u"unreadable"_s;
    }
    return {};
}
