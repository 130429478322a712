#include "support/CliRunner.h"
#include "support/LoopbackBrowser.h"
#include "support/ScriptedHttpServer.h"

#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// `token` with the authorization code grant, the real binary: --authorization-url and
// --redirect-port on env add/set, the URL on stderr and in $BROWSER's argv (one argument, no
// shell), --no-browser, and the redirect (played here) turning into the token.
class TestCliAuthCode : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ScriptedHttpServer m_tokens;
    quint16 m_port = 0;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    // A $BROWSER that writes each argument it gets on a line of file and does nothing else.
    QProcessEnvironment recordingBrowser(const QString &file) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BROWSER"_s, u"/bin/sh %1"_s.arg(m_dir.filePath(u"record.sh"_s)));
        env.insert(u"TB_RECORD"_s, file);
        return env;
    }

    static QString readAll(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile script(m_dir.filePath(u"record.sh"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("printf '%s\\n' \"$@\" > \"$TB_RECORD\"\n");
        script.close();
        QVERIFY(m_tokens.listen());
        m_tokens.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                          R"({"access_token":"code-token","token_type":"Bearer","expires_in":300,"scope":"accounts:read"})"));
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
        probe.close();
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"loop"_s, u"--token-url"_s, m_tokens.url(u"/token"_s).toString(), u"--api-url"_s,
                                      m_tokens.url(u"/api"_s).toString(), u"--client-id"_s, u"native-app"_s, u"--grant"_s,
                                      u"authorization_code"_s, u"--client-auth"_s, u"none"_s, u"--authorization-url"_s,
                                      u"https://login.example.test/authorize"_s, u"--redirect-port"_s, QString::number(m_port),
                                      u"--scope"_s, u"accounts:read"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
    }

    void theOptionsAreKept()
    {
        const QString workspace = readAll(m_dir.filePath(u"ws.json"_s));
        QVERIFY2(workspace.contains(u"\"redirectPort\": %1"_s.arg(m_port)), qPrintable(workspace));
        QVERIFY(workspace.contains(u"https://login.example.test/authorize"_s));
        const CliRun bad = runCli(ws({u"env"_s, u"set"_s, u"loop"_s, u"--redirect-port"_s, u"70000"_s}));
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--redirect-port"), bad.err.constData());
        const CliRun badUrl = runCli(ws({u"env"_s, u"set"_s, u"loop"_s, u"--authorization-url"_s, u"ftp://x/"_s}));
        QCOMPARE(badUrl.exitCode, 2);
    }

    void theBrowserGetsTheUrlAndTheRedirectGivesTheToken()
    {
        const QString record = m_dir.filePath(u"opened.txt"_s);
        QProcess cli;
        cli.setProcessEnvironment(recordingBrowser(record));
        cli.start(QStringLiteral(TOKENBENCH_CLI), ws({u"token"_s, u"loop"_s, u"--json"_s}));
        QVERIFY(cli.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(readAll(record).contains(u"\n"_s), 20000);
        const QStringList args = readAll(record).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(args.size(), 1); // the URL, one argument, however many '&' it holds
        const QUrl url(args.first());
        QCOMPARE(url.host(), u"login.example.test"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"redirect_uri"_s), u"http://127.0.0.1:%1/callback"_s.arg(m_port));
        QCOMPARE(LoopbackBrowser::formValue(url, u"code_challenge_method"_s), u"S256"_s);

        QUrl redirect(LoopbackBrowser::formValue(url, u"redirect_uri"_s));
        redirect.setQuery(u"code=the-secret-code&state="_s + LoopbackBrowser::formValue(url, u"state"_s));
        QVERIFY(LoopbackBrowser::get(redirect).contains("You can close this page"));
        QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 20000);
        const QByteArray err = cli.readAllStandardError();
        const QByteArray out = cli.readAllStandardOutput();
        QVERIFY2(cli.exitCode() == 0, err.constData());
        QVERIFY2(out.contains("accounts:read"), out.constData());
        QVERIFY2(err.contains(url.toEncoded()), err.constData());
        QVERIFY(!(out + err).contains("the-secret-code"));
        QVERIFY(m_tokens.requests().constLast().contains("code=the-secret-code"));
        QVERIFY(m_tokens.requests().constLast().contains("code_verifier="));
    }

    void noBrowserOnlyPrints()
    {
        const QString record = m_dir.filePath(u"not-opened.txt"_s);
        QProcess cli;
        cli.setProcessEnvironment(recordingBrowser(record));
        cli.start(QStringLiteral(TOKENBENCH_CLI), ws({u"token"_s, u"loop"_s, u"--no-browser"_s}));
        QVERIFY(cli.waitForStarted(10000));
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += cli.readAllStandardError(), err.contains("https://login.example.test/authorize?")), 20000);
        QTest::qWait(300);
        QVERIFY(!QFile::exists(record));
        cli.kill();
        cli.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestCliAuthCode)
#include "tst_cli_authcode.moc"
