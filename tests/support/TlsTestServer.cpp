#include "support/TlsTestServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>

std::optional<SelfSignedCertificate> makeSelfSignedCertificate(const QString &directory)
{
    const QString key = QDir(directory).filePath(QStringLiteral("tls-key.pem"));
    const QString cert = QDir(directory).filePath(QStringLiteral("tls-cert.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1")});
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0)
        return std::nullopt;
    QFile certFile(cert);
    if (!certFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    SelfSignedCertificate made{QSslCertificate(certFile.readAll()), cert, key};
    if (made.certificate.isNull())
        return std::nullopt;
    return made;
}

std::unique_ptr<ScriptedHttpServer> selfSignedTlsServer(const QString &directory, QSslCertificate *certificate, QString *certificatePath)
{
    const auto made = makeSelfSignedCertificate(directory);
    if (!made)
        return nullptr;
    QFile keyFile(made->keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return nullptr;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    config.setLocalCertificate(made->certificate);
    auto *ssl = new QSslServer;
    ssl->setSslConfiguration(config);
    auto server = std::make_unique<ScriptedHttpServer>(ssl);
    if (!server->listen())
        return nullptr;
    if (certificate)
        *certificate = made->certificate;
    if (certificatePath)
        *certificatePath = made->certificatePath;
    return server;
}
