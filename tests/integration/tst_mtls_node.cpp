#include "cli/support/CliRunner.h"
#include "http/Exchange.h"
#include "support/ExchangeWait.h"
#include "support/TestPki.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// Mutual TLS against a real TLS server that demands a client certificate (Node's https with
// requestCert and rejectUnauthorized, tests/integration/mtls/server.mjs), as an API gateway does:
// without a certificate the refusal is a TLS error that says what the server wants; with the
// environment's certificate, the token request and the API call of the real tokenbench-cli pass.
class TestMtlsNode : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    QProcess m_node;
    quint16 m_port = 0;

    QUrl url(const QString &path) const { return QUrl(u"https://127.0.0.1:%1%2"_s.arg(m_port).arg(path)); }
    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    static ExchangeResult run(const PreparedRequest &request)
    {
        return finishedExchange(request);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = TestPki::make(m_dir.path());
        QVERIFY2(m_pki, "openssl could not make the test PKI");
        m_node.setProgram(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE));
        m_node.setArguments({QStringLiteral(TOKENBENCH_MTLS_SERVER_SCRIPT), u"--key"_s, m_pki->serverKeyPath, u"--cert"_s,
                             m_pki->serverCertificatePath, u"--ca"_s, m_pki->caPath});
        m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_node.start();
        QVERIFY(m_node.waitForStarted(10000));
        QVERIFY(m_node.waitForReadyRead(20000));
        m_port = quint16(QJsonDocument::fromJson(m_node.readLine()).object().value(u"port"_s).toInt());
        QVERIFY(m_port > 0);
    }

    void cleanupTestCase()
    {
        runCli(ws({u"env"_s, u"remove"_s, u"gateway"_s}));
        m_node.closeWriteChannel();
        if (!m_node.waitForFinished(3000))
            m_node.kill();
    }

    void exchangeWithoutAndWithTheCertificate()
    {
        PreparedRequest request;
        request.url = url(u"/api/whoami"_s);
        request.guard = OriginGuard(request.url);
        request.extraCaPem = m_pki->ca.toPem();
        ExchangeResult result = run(request);
        QCOMPARE(result.error, ExchangeResult::Error::Tls);
        QVERIFY2(result.errorDetail.contains(u"demands a client certificate"_s), qPrintable(result.errorDetail));

        request.clientCertificate = TestPki::read(m_pki->clientCertificatePath);
        request.clientKey = TestPki::read(m_pki->clientKeyPath);
        request.clientCertificateGuard = OriginGuard(request.url);
        result = run(request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(QJsonDocument::fromJson(result.body).object().value(u"subject"_s).toString(), u"tokenbench-test-client"_s);

        // A certificate from a CA the server does not trust: Node closes the connection unanswered.
        request.clientCertificate = TestPki::read(m_pki->strangerCertificatePath);
        request.clientKey = TestPki::read(m_pki->strangerKeyPath);
        result = run(request);
        QVERIFY(!result.answered());
    }

    void cliTokenAndSendWithTheEnvironmentsCertificate()
    {
        const QStringList add{u"env"_s, u"add"_s, u"gateway"_s, u"--token-url"_s, url(u"/token"_s).toString(), u"--api-url"_s,
                              url(u"/api"_s).toString(), u"--client-id"_s, u"tb-gateway"_s, u"--client-auth"_s, u"none"_s,
                              u"--cacert"_s, m_pki->caPath, u"--replace"_s};
        CliRun run = runCli(ws(add));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"token"_s, u"gateway"_s}));
        QCOMPARE(run.exitCode, 6); // TransportFailed
        QVERIFY2(run.err.contains("demands a client certificate"), run.err.constData());

        run = runCli(ws({u"env"_s, u"set"_s, u"gateway"_s, u"--client-cert"_s, m_pki->clientCertificatePath, u"--client-key"_s, m_pki->clientKeyPath}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"token"_s, u"gateway"_s, u"--json"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"send"_s, u"gateway"_s, u"GET"_s, u"/whoami"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(answer.value(u"subject"_s).toString(), u"tokenbench-test-client"_s);
        QCOMPARE(answer.value(u"authorization"_s).toString(), u"present"_s);
    }
};

QTEST_GUILESS_MAIN(TestMtlsNode)
#include "tst_mtls_node.moc"
