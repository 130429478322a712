#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "support/DemoApproval.h"
#include "support/LoopbackBrowser.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

// `send` and `matrix` on environments whose grant needs a person, the real binary against the
// Demo API's authorization and device endpoints (running in this test): the authorization URL
// (to $BROWSER, or only printed with --no-browser) or the user code on stderr exactly as `token`
// shows them, a person approving (this test: the Demo's consent form, POST /device), one prompt
// per scope set of a matrix naming its scopes, and Ctrl-C (exit 130).
class TestCliInteractive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;
    QString m_plan;
    DemoApproval m_browser;
    DemoServer m_demo;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    // The client secret from the environment; $BROWSER appends each URL it gets to a file.
    QProcessEnvironment processEnvironment(const QString &record = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DEMO_SECRET"_s, DemoServer::clientSecret());
        env.insert(u"BROWSER"_s, u"/bin/sh %1"_s.arg(m_dir.filePath(u"record.sh"_s)));
        env.insert(u"TB_RECORD"_s, record.isEmpty() ? m_dir.filePath(u"unused.txt"_s) : record);
        return env;
    }

    void start(QProcess &process, const QStringList &args, const QString &record = {}) const
    {
        process.setProcessEnvironment(processEnvironment(record));
        process.start(QStringLiteral(TOKENBENCH_CLI), ws(args + QStringList{u"--client-secret-env"_s, u"DEMO_SECRET"_s}));
    }

    static QString readAll(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    static bool finish(QProcess &process)
    {
        QSignalSpy finished(&process, &QProcess::finished);
        return process.state() == QProcess::NotRunning || finished.wait(30000);
    }

    struct Prompt
    {
        QUrl url;
        QString userCode;
        QString purpose; // "A token for …:" before it, when the command said one
    };

    // Reads stderr until the index-th device prompt (0-based) is there, as `token` prints it.
    static Prompt waitForDevicePrompt(QProcess &process, QByteArray *err, int index = 0)
    {
        static const QRegularExpression shown(
            u"(?:A token for ([^\\n]*):\\n)?To authorize, open (\\S+)\\nand enter the code: (\\S+)\\n\\(or open \\S+, which carries the code\\)\\n"
            "Waiting for approval; the code expires at "_s);
        for (int i = 0; i < 200; ++i) {
            *err += process.readAllStandardError();
            auto matches = shown.globalMatch(QString::fromUtf8(*err));
            for (int n = 0; matches.hasNext(); ++n) {
                const auto match = matches.next();
                if (n == index)
                    return {QUrl(match.captured(2)), match.captured(3), match.captured(1)};
            }
            if (process.state() == QProcess::NotRunning)
                break;
            QTest::qWait(100);
        }
        return {};
    }

    bool approveDevice(const Prompt &prompt) { return m_browser.approveDevice(prompt.url, prompt.userCode); }

    // What a person does in the browser: the Demo's consent page, Approve, the redirect to the
    // CLI's loopback callback.
    bool approveInBrowser(const QUrl &authorizationUrl) { return m_browser.approveInBrowser(authorizationUrl); }

    // The index-th URL $BROWSER was started with (one line each, as it got it), waiting for it.
    static QString waitForBrowser(const QString &record, int index)
    {
        for (int i = 0; i < 200; ++i) {
            const QStringList lines = readAll(record).split(u'\n', Qt::SkipEmptyParts);
            if (lines.size() > index)
                return lines.at(index);
            QTest::qWait(100);
        }
        return {};
    }

    void addEnvironment(const QString &name, const QStringList &grantOptions)
    {
        // The Demo's catalog as the environment's scopes: the matrix substitutes an unrelated read
        // scope for an empty set, as it does for the built-in Demo.
        const CliRun added = runCli(ws(QStringList{u"env"_s, u"add"_s, name, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s,
                                                   m_demo.apiUrl().toString(), u"--client-id"_s, DemoServer::clientId(), u"--scope"_s,
                                                   u"accounts:read trades:read"_s}
                                       + grantOptions));
        QVERIFY2(added.exitCode == 0, added.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QFile script(m_dir.filePath(u"record.sh"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("printf '%s\\n' \"$@\" >> \"$TB_RECORD\"\n");
        script.close();
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        addEnvironment(u"Device"_s, {u"--grant"_s, u"device_code"_s, u"--device-authorization-url"_s, m_demo.deviceAuthorizationUrl().toString()});
        addEnvironment(u"Code"_s, {u"--grant"_s, u"authorization_code"_s, u"--authorization-url"_s, m_demo.authorizationUrl().toString()});
        // Two columns that need a token: accounts:read (it must succeed) and, without it, the
        // unrelated trades:read (denied); the third, no token, needs none.
        m_plan = m_dir.filePath(u"plan.json"_s);
        QFile plan(m_plan);
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(R"({"title": "Accounts", "requests": [{"name": "List accounts", "method": "GET", "url": "/accounts",
                       "scopes": ["accounts:read"], "success": 200}]})");
    }

    void sendShowsTheUserCodeAndSendsOnceApproved()
    {
        QProcess process;
        start(process, {u"send"_s, u"Device"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt prompt = waitForDevicePrompt(process, &err);
        QVERIFY2(!prompt.userCode.isEmpty(), err.constData());
        QCOMPARE(prompt.url.path(), u"/device"_s);
        // Nothing is sent while nobody approved.
        QTest::qWait(1000);
        QCOMPARE(process.state(), QProcess::Running);
        QVERIFY(approveDevice(prompt));
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        const QByteArray out = process.readAllStandardOutput();
        QVERIFY2(out.contains("acc-"), out.constData());
        QVERIFY2(!err.contains("device_code"), err.constData());
    }

    void sendOpensTheBrowserAtTheAuthorizationUrl()
    {
        const QString record = m_dir.filePath(u"send-browser.txt"_s);
        QProcess process;
        start(process, {u"send"_s, u"Code"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s}, record);
        QVERIFY(process.waitForStarted(10000));
        const QString opened = waitForBrowser(record, 0);
        const QUrl url(opened);
        QVERIFY(!opened.isEmpty());
        QCOMPARE(url.path(), m_demo.authorizationUrl().path());
        QCOMPARE(LoopbackBrowser::formValue(url, u"scope"_s), u"accounts:read"_s);
        QVERIFY(approveInBrowser(url));
        QVERIFY(finish(process));
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        // The URL on stderr as `token` prints it.
        QVERIFY2(err.contains("Authorize in your browser (waiting for the redirect to the loopback callback):\n" + opened.toUtf8() + "\n"),
                 err.constData());
        QVERIFY(process.readAllStandardOutput().contains("acc-"));
        QCOMPARE(readAll(record).split(u'\n', Qt::SkipEmptyParts).size(), 1);
    }

    void sendWithNoBrowserOnlyPrints()
    {
        const QString record = m_dir.filePath(u"send-no-browser.txt"_s);
        QProcess process;
        start(process, {u"send"_s, u"Code"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--no-browser"_s}, record);
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        static const QRegularExpression printed(u"loopback callback\\):\\n(\\S+)\\n"_s);
        QRegularExpressionMatch match;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError(), match = printed.match(QString::fromUtf8(err))).hasMatch(), 20000);
        // The person opens the printed URL themselves.
        QVERIFY(approveInBrowser(QUrl(match.captured(1))));
        QVERIFY(finish(process));
        QVERIFY2(process.exitCode() == 0, (err + process.readAllStandardError()).constData());
        QVERIFY(!QFile::exists(record));
    }

    void ctrlCStopsASendWaitingForApproval()
    {
        QProcess process;
        start(process, {u"send"_s, u"Device"_s, u"GET"_s, u"/accounts"_s});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt prompt = waitForDevicePrompt(process, &err);
        QVERIFY2(!prompt.userCode.isEmpty(), err.constData());
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(err.contains("interrupted; stopped waiting for the authorization, nothing was sent"), err.constData());
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    void matrixAsksOncePerScopeSetNamingIt()
    {
        QProcess process;
        start(process, {u"matrix"_s, m_plan, u"--env"_s, u"Device"_s, u"--json"_s});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt first = waitForDevicePrompt(process, &err, 0);
        QVERIFY2(!first.userCode.isEmpty(), err.constData());
        QCOMPARE(first.purpose, u"the scopes accounts:read (scope set 1 of 2), used by the column needed: accounts:read"_s);
        // One prompt at a time: the second scope set waits for the first.
        QTest::qWait(1000);
        QVERIFY2(waitForDevicePrompt(process, &err, 1).userCode.isEmpty(), err.constData());
        QVERIFY(approveDevice(first));
        const Prompt second = waitForDevicePrompt(process, &err, 1);
        QVERIFY2(!second.userCode.isEmpty(), err.constData());
        QVERIFY(second.userCode != first.userCode);
        QCOMPARE(second.purpose, u"the scopes trades:read (scope set 2 of 2), used by the column without accounts:read (asking for trades:read instead)"_s);
        QVERIFY(approveDevice(second));
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        const QJsonObject report = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(report.value(u"results"_s).toArray().size(), 3);
        QCOMPARE(report.value(u"tokenRequests"_s).toInt(), 2);
        QVERIFY2(waitForDevicePrompt(process, &err, 2).userCode.isEmpty(), err.constData());
    }

    void matrixOpensTheBrowserPerScopeSet()
    {
        const QString record = m_dir.filePath(u"matrix-browser.txt"_s);
        QProcess process;
        start(process, {u"matrix"_s, m_plan, u"--env"_s, u"Code"_s}, record);
        QVERIFY(process.waitForStarted(10000));
        const QString firstOpened = waitForBrowser(record, 0);
        const QUrl first(firstOpened);
        QCOMPARE(LoopbackBrowser::formValue(first, u"scope"_s), u"accounts:read"_s);
        QVERIFY(approveInBrowser(first));
        const QString secondOpened = waitForBrowser(record, 1);
        const QUrl second(secondOpened);
        QCOMPARE(LoopbackBrowser::formValue(second, u"scope"_s), u"trades:read"_s);
        QVERIFY(approveInBrowser(second));
        QVERIFY(finish(process));
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        QVERIFY2(err.contains("A token for the scopes accounts:read (scope set 1 of 2), used by the column needed: accounts:read:\nAuthorize in your browser"),
                 err.constData());
        QVERIFY2(err.contains("A token for the scopes trades:read (scope set 2 of 2), used by the column without accounts:read (asking for trades:read instead):\n"
                                "Authorize in your browser"),
                 err.constData());
        QVERIFY(err.contains(firstOpened.toUtf8() + "\n"));
        QVERIFY(err.contains(secondOpened.toUtf8() + "\n"));
        QCOMPARE(readAll(record).split(u'\n', Qt::SkipEmptyParts).size(), 2);
    }

    void matrixWithNoBrowserOnlyPrints()
    {
        const QString record = m_dir.filePath(u"matrix-no-browser.txt"_s);
        QProcess process;
        start(process, {u"matrix"_s, m_plan, u"--env"_s, u"Code"_s, u"--no-browser"_s}, record);
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError(), err.contains("loopback callback):\n")), 20000);
        QTest::qWait(300);
        QVERIFY(!QFile::exists(record));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(finish(process));
        QCOMPARE(process.exitCode(), 130);
    }

    void ctrlCStopsAMatrixRun()
    {
        QProcess process;
        start(process, {u"matrix"_s, m_plan, u"--env"_s, u"Device"_s, u"--report"_s, m_dir.filePath(u"stopped.json"_s)});
        QVERIFY(process.waitForStarted(10000));
        QByteArray err;
        const Prompt first = waitForDevicePrompt(process, &err, 0);
        QVERIFY2(!first.userCode.isEmpty(), err.constData());
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(finish(process));
        err += process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const QRegularExpressionMatch stopped =
            QRegularExpression(u"interrupted; the run was stopped after (\\d+) of 3 cells, which the report holds"_s).match(QString::fromUtf8(err));
        QVERIFY2(stopped.hasMatch(), err.constData());
        // The report is still written: the cells finished (those without a token, at most), the run marked as interrupted.
        QFile report(m_dir.filePath(u"stopped.json"_s));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(report.readAll()).object();
        QCOMPARE(json.value(u"interrupted"_s).toBool(), true);
        QCOMPARE(json.value(u"results"_s).toArray().size(), stopped.captured(1).toInt());
        for (const QJsonValue &result : json.value(u"results"_s).toArray())
            QCOMPARE(result.toObject().value(u"column"_s).toString(), u"no token"_s);
    }

    void aClientCredentialsRunShowsNoPrompt()
    {
        // The grant that needs nobody: no prompt, no browser, as before.
        const QString record = m_dir.filePath(u"never.txt"_s);
        const CliRun added = runCli(ws({u"env"_s, u"add"_s, u"Machine"_s, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s,
                                        m_demo.apiUrl().toString(), u"--client-id"_s, DemoServer::clientId()}));
        QVERIFY2(added.exitCode == 0, added.err.constData());
        const CliRun run = runCli(ws({u"send"_s, u"Machine"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--client-secret-env"_s,
                                      u"DEMO_SECRET"_s}),
                                  processEnvironment(record));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(!run.err.contains("authorize"), run.err.constData());
        QVERIFY(!QFile::exists(record));
    }
};

QTEST_GUILESS_MAIN(TestCliInteractive)
#include "tst_cli_interactive.moc"
