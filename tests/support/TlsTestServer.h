#pragma once

#include "support/ScriptedHttpServer.h"

#include <QSslCertificate>
#include <QString>

#include <memory>
#include <optional>

// A fresh self-signed certificate for 127.0.0.1 and its key, made by the openssl tool into a
// directory (tls-cert.pem, tls-key.pem).
struct SelfSignedCertificate
{
    QSslCertificate certificate;
    QString certificatePath;
    QString keyPath;
};
// std::nullopt when openssl is missing or fails.
std::optional<SelfSignedCertificate> makeSelfSignedCertificate(const QString &directory);

// A ScriptedHttpServer speaking TLS with a fresh self-signed certificate for 127.0.0.1 (made by
// the openssl tool into directory), listening on loopback. Null when openssl is missing or fails;
// *certificate and *certificatePath (either may be null) say what to trust to reach it.
std::unique_ptr<ScriptedHttpServer> selfSignedTlsServer(const QString &directory, QSslCertificate *certificate,
                                                        QString *certificatePath = nullptr);
