#pragma once

#include "support/ScriptedHttpServer.h"

#include <QSslCertificate>
#include <QString>

#include <memory>
#include <optional>

// A throwaway PKI for mutual-TLS tests, made by the openssl tool into a directory: a CA, a server
// certificate for 127.0.0.1 and two client certificates (P-256 keys, two subjects), signed by the
// CA, and a client certificate from another CA that the servers do not trust.
struct TestPki
{
    QString caPath;
    QSslCertificate ca;
    QString serverCertificatePath;
    QString serverKeyPath;
    QString clientCertificatePath;
    QString clientKeyPath;
    // The same CA's, for another subject (CN=tokenbench-other-client): trusted, but not the registered client.
    QString otherClientCertificatePath;
    QString otherClientKeyPath;
    QString strangerCertificatePath; // self-signed: no server here trusts it
    QString strangerKeyPath;

    // std::nullopt when openssl is missing or fails.
    static std::optional<TestPki> make(const QString &directory);
    static QByteArray read(const QString &path);

    // A ScriptedHttpServer speaking TLS with the server certificate that demands a client
    // certificate signed by the CA (the handshake fails without one). Null if it cannot listen.
    std::unique_ptr<ScriptedHttpServer> mutualTlsServer() const;
};
