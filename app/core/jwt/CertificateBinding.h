#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Whether an access token is bound to a client certificate (RFC 8705 §3: its "cnf" claim holds
// "x5t#S256", the base64url SHA-256 of the certificate's DER) and whether that certificate is
// the environment's: a resource server accepts a bound token only over a TLS connection that
// presents the very certificate, so a mismatch means the API call will be refused.
class CertificateBinding
{
public:
    enum class Status {
        NotBound,      // no cnf x5t#S256: a plain bearer token
        Matches,       // bound to the environment's client certificate
        Differs,       // bound to another certificate
        NoCertificate, // bound, and the environment has no client certificate
        Unreadable,    // cnf x5t#S256 is not a thumbprint, or the environment's certificate is not PEM
    };

    // claims: the access token's JWT claims; clientCertificate: the environment's PEM (may be empty).
    static CertificateBinding check(const QJsonObject &claims, const QByteArray &clientCertificate);
    // The RFC 8705 §3.1 thumbprint of the first certificate of a PEM; empty when there is none.
    static QString thumbprint(const QByteArray &pem);

    Status status() const { return m_status; }
    bool isBound() const { return m_status != Status::NotBound; }
    QString tokenThumbprint() const { return m_tokenThumbprint; }
    QString certificateThumbprint() const { return m_certificateThumbprint; }
    // One line for the inspector and the CLI.
    QString summary() const;
    // "not_bound", "matches", "differs", "no_certificate", "unreadable" (token --json).
    static QString statusName(Status status);

private:
    Status m_status = Status::NotBound;
    QString m_tokenThumbprint;
    QString m_certificateThumbprint;
    bool m_certificateUnreadable = false; // Unreadable because of the environment's certificate, not the claim
};
