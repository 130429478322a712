#include "support/CliRunner.h"
#include "support/TestPki.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// Mutual TLS with the real tokenbench-cli: a loopback TLS server that demands a client
// certificate signed by the test CA serves the token endpoint and the API. The certificate
// is kept with the environment (public), its key in the keychain (env add --client-key FILE).
class TestCliMtls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<ScriptedHttpServer> m_other; // another origin, which demands a certificate too

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    QStringList environmentOptions(const QString &name) const
    {
        return {u"env"_s, u"add"_s, name, u"--token-url"_s, m_server->url(u"/token"_s, u"https"_s).toString(), u"--api-url"_s,
                m_server->url(u"/api"_s, u"https"_s).toString(), u"--client-id"_s, u"tb-mtls"_s, u"--client-auth"_s, u"none"_s,
                u"--cacert"_s, m_pki->caPath, u"--replace"_s};
    }

    static QByteArray tokenResponse()
    {
        return ScriptedHttpServer::response(200, "OK", "application/json",
                                            R"({"access_token":"mtls-token-1","token_type":"Bearer","expires_in":300})");
    }

    static QByteArray read(const QString &file)
    {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = TestPki::make(m_dir.path());
        QVERIFY2(m_pki, "openssl could not make the test PKI");
        m_server = m_pki->mutualTlsServer();
        m_other = m_pki->mutualTlsServer();
        QVERIFY(m_server && m_other);
        const CliRun add = runCli(ws(environmentOptions(u"mtls"_s)
                                     + QStringList{u"--client-cert"_s, m_pki->clientCertificatePath, u"--client-key"_s, m_pki->clientKeyPath}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const CliRun plain = runCli(ws(environmentOptions(u"no-cert"_s)));
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
    }

    void cleanupTestCase()
    {
        runCli(ws({u"env"_s, u"remove"_s, u"mtls"_s}));
    }

    void theKeyIsKeptInTheKeychainOnly()
    {
        const QByteArray workspace = read(m_dir.filePath(u"ws.json"_s));
        const QByteArray key = read(m_pki->clientKeyPath);
        QVERIFY(!workspace.contains("PRIVATE KEY"));
        QVERIFY(!workspace.contains(key.split('\n').value(1)));
        QVERIFY(!workspace.contains(m_pki->clientKeyPath.toUtf8()));
        const CliRun show = runCli(ws({u"env"_s, u"show"_s, u"mtls"_s}));
        QVERIFY2(show.out.contains("Client certificate") && show.out.contains("tokenbench-test-client"), show.out.constData());
    }

    void tokenAndApiCallPresentTheCertificate()
    {
        const int before = m_server->requestCount();
        m_server->queueResponse(tokenResponse());
        const CliRun token = runCli(ws({u"token"_s, u"mtls"_s, u"--json"_s}));
        QVERIFY2(token.exitCode == 0, token.err.constData());
        QCOMPARE(m_server->requestCount(), before + 1);
        QVERIFY(m_server->requests().constLast().startsWith("POST /token "));

        m_server->queueResponse(tokenResponse());
        m_server->queueResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"accounts":[]})"));
        const CliRun send = runCli(ws({u"send"_s, u"mtls"_s, u"GET"_s, u"/accounts"_s}));
        QVERIFY2(send.exitCode == 0, send.err.constData());
        QVERIFY(send.out.contains("accounts"));
        QVERIFY(m_server->requests().constLast().startsWith("GET /api/accounts "));
        QVERIFY(!(token.out + token.err + send.out + send.err).contains("PRIVATE KEY"));
    }

    void withoutTheCertificateTheHandshakeFails()
    {
        const int before = m_server->requestCount();
        const CliRun token = runCli(ws({u"token"_s, u"no-cert"_s}));
        QCOMPARE(token.exitCode, 6); // TransportFailed (what a real server's alert says: tst_mtls_node)
        const CliRun send = runCli(ws({u"send"_s, u"no-cert"_s, u"GET"_s, u"/accounts"_s}));
        QCOMPARE(send.exitCode, 6);
        QCOMPARE(m_server->requestCount(), before);
    }

    void aRedirectToAnotherOriginGetsNoCertificate()
    {
        const QUrl elsewhere = m_other->url(u"/elsewhere"_s, u"https"_s);
        m_server->queueResponse(tokenResponse());
        m_server->queueResponse(ScriptedHttpServer::response(302, "Found", "text/plain", {}, "Location: " + elsewhere.toEncoded() + "\r\n"));
        m_other->setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"reached":true})"));
        // The other origin is trusted for this run's TLS (same CA), not for the certificate.
        const CliRun send = runCli(ws({u"send"_s, u"mtls"_s, u"GET"_s, u"/accounts"_s, u"--verbose"_s}));
        QCOMPARE(m_other->requestCount(), 0);
        QCOMPARE(send.exitCode, 6);
        QVERIFY2(send.err.contains("client certificate was not presented"), send.err.constData());
    }

    void keysThatDoNotFitAreRefused()
    {
        // From standard input too: the key must be the environment's certificate's.
        CliRun set = runCli(ws({u"secret"_s, u"set"_s, u"mtls"_s, u"client-key"_s}), QProcessEnvironment::systemEnvironment(),
                            read(m_pki->strangerKeyPath));
        QCOMPARE(set.exitCode, 2);
        QVERIFY2(set.err.contains("does not belong"), set.err.constData());
        set = runCli(ws({u"secret"_s, u"set"_s, u"no-cert"_s, u"client-key"_s}), QProcessEnvironment::systemEnvironment(),
                     read(m_pki->clientKeyPath));
        QCOMPARE(set.exitCode, 2);
        QVERIFY2(set.err.contains("no client certificate"), set.err.constData());
        set = runCli(ws({u"secret"_s, u"set"_s, u"mtls"_s, u"client-key"_s}), QProcessEnvironment::systemEnvironment(), read(m_pki->clientKeyPath));
        QVERIFY2(set.exitCode == 0, set.err.constData());

        // A certificate without its key, and a key of another certificate: usage errors, nothing saved.
        CliRun add = runCli(ws(environmentOptions(u"half"_s) + QStringList{u"--client-cert"_s, m_pki->clientCertificatePath}));
        QCOMPARE(add.exitCode, 2);
        QVERIFY2(add.err.contains("--client-key"), add.err.constData());
        add = runCli(ws(environmentOptions(u"mismatch"_s)
                        + QStringList{u"--client-cert"_s, m_pki->clientCertificatePath, u"--client-key"_s, m_pki->strangerKeyPath}));
        QCOMPARE(add.exitCode, 2);
        QVERIFY2(add.err.contains("does not belong"), add.err.constData());
        const QByteArray workspace = read(m_dir.filePath(u"ws.json"_s));
        QVERIFY(!workspace.contains("\"half\"") && !workspace.contains("\"mismatch\""));
    }
};

QTEST_GUILESS_MAIN(TestCliMtls)
#include "tst_cli_mtls.moc"
