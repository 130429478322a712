#include "support/TestPki.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslKey>

namespace {
bool openssl(const QStringList &arguments)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral("openssl"), arguments);
    return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A key and a certificate for subject, signed by the CA with the extensions given.
bool issue(const QDir &dir, const QString &name, const QString &subject, const QStringList &keyArguments, const QByteArray &extensions)
{
    const QString key = dir.filePath(name + QStringLiteral("-key.pem"));
    const QString request = dir.filePath(name + QStringLiteral(".csr"));
    const QString extensionFile = dir.filePath(name + QStringLiteral(".ext"));
    return writeFile(extensionFile, extensions)
        && openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-nodes")} + keyArguments
                   + QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), request, QStringLiteral("-subj"), subject})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request, QStringLiteral("-CA"),
                    dir.filePath(QStringLiteral("ca.pem")), QStringLiteral("-CAkey"), dir.filePath(QStringLiteral("ca-key.pem")),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-extfile"), extensionFile,
                    QStringLiteral("-out"), dir.filePath(name + QStringLiteral(".pem"))});
}
} // namespace

std::optional<TestPki> TestPki::make(const QString &directory)
{
    const QDir dir(directory);
    const QStringList rsa{QStringLiteral("-newkey"), QStringLiteral("rsa:2048")};
    const QStringList p256{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256")};
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-nodes")} + rsa
                 + QStringList{QStringLiteral("-keyout"), dir.filePath(QStringLiteral("ca-key.pem")), QStringLiteral("-out"),
                               dir.filePath(QStringLiteral("ca.pem")), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                               QStringLiteral("/CN=Tokenbench Test CA")}))
        return std::nullopt;
    if (!issue(dir, QStringLiteral("server"), QStringLiteral("/CN=127.0.0.1"), rsa, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        || !issue(dir, QStringLiteral("client"), QStringLiteral("/CN=tokenbench-test-client/O=Tokenbench Tests"), p256, "extendedKeyUsage=clientAuth\n")
        || !issue(dir, QStringLiteral("other-client"), QStringLiteral("/CN=tokenbench-other-client/O=Tokenbench Tests"), p256,
                  "extendedKeyUsage=clientAuth\n"))
        return std::nullopt;
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-nodes")} + p256
                 + QStringList{QStringLiteral("-keyout"), dir.filePath(QStringLiteral("stranger-key.pem")), QStringLiteral("-out"),
                               dir.filePath(QStringLiteral("stranger.pem")), QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                               QStringLiteral("/CN=stranger")}))
        return std::nullopt;
    TestPki pki;
    pki.caPath = dir.filePath(QStringLiteral("ca.pem"));
    pki.ca = QSslCertificate(read(pki.caPath));
    pki.serverCertificatePath = dir.filePath(QStringLiteral("server.pem"));
    pki.serverKeyPath = dir.filePath(QStringLiteral("server-key.pem"));
    pki.clientCertificatePath = dir.filePath(QStringLiteral("client.pem"));
    pki.clientKeyPath = dir.filePath(QStringLiteral("client-key.pem"));
    pki.otherClientCertificatePath = dir.filePath(QStringLiteral("other-client.pem"));
    pki.otherClientKeyPath = dir.filePath(QStringLiteral("other-client-key.pem"));
    pki.strangerCertificatePath = dir.filePath(QStringLiteral("stranger.pem"));
    pki.strangerKeyPath = dir.filePath(QStringLiteral("stranger-key.pem"));
    if (pki.ca.isNull())
        return std::nullopt;
    return pki;
}

QByteArray TestPki::read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

std::unique_ptr<ScriptedHttpServer> TestPki::mutualTlsServer() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPrivateKey(QSslKey(read(serverKeyPath), QSsl::Rsa));
    config.setLocalCertificate(QSslCertificate(read(serverCertificatePath)));
    // VerifyPeer on a server: no certificate, or one the CA did not sign, fails the handshake.
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setCaCertificates({ca});
    auto *ssl = new QSslServer;
    ssl->setSslConfiguration(config);
    auto server = std::make_unique<ScriptedHttpServer>(ssl);
    if (!server->listen())
        return nullptr;
    return server;
}
