#pragma once

#include <QByteArray>
#include <QString>

// A mutual-TLS client certificate as a user hands it over (tokenbench-cli env add --client-cert
// FILE --client-key FILE): checked with OpenSSL before it is kept, so a wrong file is a clear
// error here rather than a TLS failure at the first request.
class ClientCertificate
{
public:
    // Empty when certificatePem holds a PEM certificate and, if keyPem is given, keyPem is the
    // unencrypted PEM private key of that certificate; else why not.
    static QString problem(const QByteArray &certificatePem, const QByteArray &keyPem = {});
    // The certificate's subject, one line (CN=…, O=…), for messages; empty if it is not one.
    static QString subject(const QByteArray &certificatePem);
};
