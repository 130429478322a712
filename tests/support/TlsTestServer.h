#pragma once

#include "support/ScriptedHttpServer.h"

#include <QSslCertificate>
#include <QString>

#include <memory>

// A fresh self-signed certificate for 127.0.0.1 and its key, made by the openssl tool into
// directory (tls-cert.pem, tls-key.pem). False when openssl is missing or fails.
bool makeSelfSignedCertificate(const QString &directory, QSslCertificate *certificate, QString *certificatePath, QString *keyPath);

// A ScriptedHttpServer speaking TLS with a fresh self-signed certificate for 127.0.0.1 (made by
// the openssl tool into directory), listening on loopback. Null when openssl is missing or fails;
// *certificate and *certificatePath (either may be null) say what to trust to reach it.
std::unique_ptr<ScriptedHttpServer> selfSignedTlsServer(const QString &directory, QSslCertificate *certificate,
                                                        QString *certificatePath = nullptr);
