#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "support/DemoApproval.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

// `tokenbench-cli token` with the device grant (RFC 8628) against the Demo API (running in this
// test, as `tokenbench-cli demo` would): the user code and URL on stderr while it polls, a person
// approving at the verification page (this test, over HTTP), the token; Ctrl-C; the env options.
class TestCliDevice : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;
    DemoApproval m_browser;
    DemoServer m_demo;

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEMO_SECRET"_s, DemoServer::clientSecret());
        return env;
    }

    void startToken(QProcess &process, const QStringList &extra = {}) const
    {
        process.setProcessEnvironment(secretEnv());
        process.start(QStringLiteral(TOKENBENCH_CLI), ws(QStringList{u"token"_s, u"DemoDevice"_s, u"--client-secret-env"_s, u"DEMO_SECRET"_s} + extra));
    }

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    struct Prompt
    {
        QUrl url;
        QUrl completeUrl;
        QString userCode;
    };

    // Reads the running CLI's stderr until it has shown the code and where to enter it.
    static Prompt waitForPrompt(QProcess &process, QByteArray *err)
    {
        static const QRegularExpression shown(u"To authorize, open (\\S+)\\nand enter the code: (\\S+)\\n\\(or open (\\S+), which carries the code\\)"_s);
        for (int i = 0; i < 150; ++i) {
            *err += process.readAllStandardError();
            const auto match = shown.match(QString::fromUtf8(*err));
            if (match.hasMatch())
                return {QUrl(match.captured(1)), QUrl(match.captured(3)), match.captured(2)};
            if (process.state() == QProcess::NotRunning)
                break;
            QTest::qWait(100);
        }
        return {};
    }

    int decide(const QUrl &page, const QString &userCode, const QString &decision) { return m_browser.decideDevice(page, userCode, decision); }

    static bool finish(QProcess &process)
    {
        QSignalSpy finished(&process, &QProcess::finished);
        return process.state() == QProcess::NotRunning || finished.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        const CliRun added = runCli(ws({u"env"_s, u"add"_s, u"DemoDevice"_s, u"--token-url"_s, m_demo.tokenUrl().toString(),
                                        u"--api-url"_s, m_demo.apiUrl().toString(), u"--client-id"_s, DemoServer::clientId(),
                                        u"--grant"_s, u"device_code"_s, u"--device-authorization-url"_s,
                                        m_demo.deviceAuthorizationUrl().toString()}));
        QVERIFY2(added.exitCode == 0, added.err.constData());
    }

    void tokenShowsTheCodeAndWaitsForApproval()
    {
        QProcess process;
        startToken(process, {u"--json"_s, u"--scope"_s, u"accounts:read"_s});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt prompt = waitForPrompt(process, &err);
        QVERIFY2(!prompt.userCode.isEmpty(), err.constData());
        QCOMPARE(prompt.url.host(), u"127.0.0.1"_s);
        QCOMPARE(prompt.url.path(), u"/device"_s);
        QCOMPARE(prompt.completeUrl.query(), u"user_code="_s + prompt.userCode);
        QVERIFY(err.contains("the code expires at "));

        // Still waiting: nobody approved yet.
        QTest::qWait(1500);
        QCOMPARE(process.state(), QProcess::Running);
        QCOMPARE(decide(prompt.url, prompt.userCode, u"approve"_s), 200);
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QCOMPARE(process.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(json.value(u"granted_scopes"_s).toVariant().toStringList(), QStringList{u"accounts:read"_s});
        // Only the prompt on stderr; never the device code (it is no part of what is shown).
        QVERIFY2(!err.contains("device_code"), err.constData());
        QVERIFY2(!err.contains("rror"), err.constData());
    }

    void aDenialIsTheServersRefusal()
    {
        QProcess process;
        startToken(process);
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt prompt = waitForPrompt(process, &err);
        QVERIFY2(!prompt.userCode.isEmpty(), err.constData());
        QCOMPARE(decide(prompt.url, prompt.userCode, u"deny"_s), 200);
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QCOMPARE(process.exitCode(), 5);
        QVERIFY2(err.contains("access_denied"), err.constData());
        QVERIFY2(err.contains("declined at the verification page"), err.constData());
    }

    void ctrlCStopsWaitingCleanly()
    {
        QProcess process;
        startToken(process);
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt prompt = waitForPrompt(process, &err);
        QVERIFY2(!prompt.userCode.isEmpty(), err.constData());
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        // An exit of its own (not killed by the signal), with the shell's code for Ctrl-C.
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(err.contains("interrupted"), err.constData());
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    void envOptionsForTheDeviceGrant()
    {
        const CliRun added = runCli(ws({u"env"_s, u"add"_s, u"Device"_s, u"--token-url"_s, u"https://id.example.com/token"_s,
                                        u"--api-url"_s, u"https://api.example.com"_s, u"--client-id"_s, u"tv-app"_s,
                                        u"--grant"_s, u"device_code"_s, u"--client-auth"_s, u"none"_s,
                                        u"--device-authorization-url"_s, u"https://id.example.com/device/code"_s}));
        QVERIFY2(added.exitCode == 0, added.err.constData());
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("\"grantType\": \"device_code\""));
        QVERIFY(text.contains("\"deviceAuthorizationUrl\": \"https://id.example.com/device/code\""));

        const CliRun wrong = runCli(ws({u"env"_s, u"set"_s, u"Device"_s, u"--grant"_s, u"device"_s}));
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY(wrong.err.contains("device_code"));
        const CliRun badUrl = runCli(ws({u"env"_s, u"set"_s, u"Device"_s, u"--device-authorization-url"_s, u"ftp://x/y"_s}));
        QCOMPARE(badUrl.exitCode, 2);
        QVERIFY(badUrl.err.contains("--device-authorization-url"));
    }
};

QTEST_GUILESS_MAIN(TestCliDevice)
#include "tst_cli_device.moc"
