#include "support/CliRunner.h"

#include <QFile>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The built-in environment "Demo" with every grant, the real binary and nothing typed but the
// grant: `env set Demo --grant …` (what the Demo provides refused), `token Demo` running the
// in-process Demo — client credentials and password directly, the authorization code through a
// scripted $BROWSER that approves on the Demo's page, the device grant approved on its /device
// page — each token's signature verified against the Demo's JWKS; and `env add --issuer` on a
// `tokenbench-cli demo`'s issuer URL.
class TestCliDemoGrants : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_browser;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    QString workspaceText() const
    {
        QFile file(m_dir.filePath(u"ws.json"_s));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    void setDemo(const QStringList &options)
    {
        const CliRun set = runCli(ws(QStringList{u"env"_s, u"set"_s, u"Demo"_s} + options));
        QVERIFY2(set.exitCode == 0, set.err.constData());
    }

    // A person in the system browser, scripted: loads the Demo's authorization page, presses
    // Approve (the page's form, posted), and follows the redirect to the CLI's loopback callback.
    QProcessEnvironment approvingBrowser(const QString &opened) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BROWSER"_s, u"/bin/sh %1"_s.arg(m_dir.filePath(u"approve.sh"_s)));
        env.insert(u"TB_OPENED"_s, opened);
        return env;
    }

    static void verifiedByTheDemosKey(const CliRun &run)
    {
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject signature = run.json().value(u"signature"_s).toObject();
        QCOMPARE(signature.value(u"status"_s).toString(), u"verified"_s);
        QCOMPARE(signature.value(u"alg"_s).toString(), u"ES256"_s);
        QVERIFY(!signature.value(u"kid"_s).toString().isEmpty());
        QCOMPARE(signature.value(u"summary"_s).toString(), u"signature verified with key kid=%1 (ES256)"_s.arg(signature.value(u"kid"_s).toString()));
        QCOMPARE(run.json().value(u"jwt"_s).toObject().value(u"signature_verified"_s).toBool(), true);
    }

    static bool finish(QProcess &process)
    {
        QSignalSpy finished(&process, &QProcess::finished);
        return process.state() == QProcess::NotRunning || finished.wait(30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_browser.setProxy(QNetworkProxy::NoProxy);
        QFile script(m_dir.filePath(u"approve.sh"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("printf '%s\\n' \"$1\" > \"$TB_OPENED\"\n"
                     "page=$(curl -sf --noproxy '*' \"$1\") || exit 1\n"
                     "case \"$page\" in *Approve*) ;; *) exit 1 ;; esac\n"
                     "action=${1%%\\?*}\n"
                     "callback=$(curl -s --noproxy '*' -o /dev/null -w '%{redirect_url}' --data \"${1#*\\?}&decision=approve\" \"$action\")\n"
                     "curl -sf --noproxy '*' -o /dev/null \"$callback\"\n");
        script.close();
        // The first run makes the workspace, with the Demo in it.
        const CliRun list = runCli(ws({u"env"_s, u"list"_s}));
        QVERIFY2(list.exitCode == 0, list.err.constData());
        QVERIFY(list.out.contains("Demo"));
    }

    void theDemoKeepsOnlyWhatIsTheUsers()
    {
        for (const QStringList &refused : {QStringList{u"--token-url"_s, u"http://127.0.0.1:9/token"_s}, QStringList{u"--client-id"_s, u"mine"_s},
                                           QStringList{u"--authorization-url"_s, u"http://127.0.0.1:9/authorize"_s},
                                           QStringList{u"--issuer"_s, u"http://127.0.0.1:9"_s}}) {
            const CliRun run = runCli(ws(QStringList{u"env"_s, u"set"_s, u"Demo"_s} + refused));
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(refused.first().toUtf8()) && run.err.contains("provides"), run.err.constData());
        }
        const CliRun keyless = runCli(ws({u"env"_s, u"set"_s, u"Demo"_s, u"--client-auth"_s, u"private_key_jwt"_s}));
        QCOMPARE(keyless.exitCode, 2);
        QVERIFY2(keyless.err.contains("private_key_jwt"), keyless.err.constData());

        setDemo({u"--grant"_s, u"device_code"_s, u"--redirect-port"_s, u"0"_s});
        const CliRun shown = runCli(QStringList{u"--json"_s} + ws({u"env"_s, u"show"_s, u"Demo"_s}));
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QCOMPARE(shown.json().value(u"grantType"_s).toString(), u"device_code"_s);
        // The Demo's port changes with every start: none of its URLs is ever written.
        QVERIFY2(!workspaceText().contains(u"127.0.0.1"_s), qPrintable(workspaceText()));
        setDemo({u"--grant"_s, u"client_credentials"_s});
    }

    void clientCredentialsAndPassword_data()
    {
        QTest::addColumn<QString>("grant");
        QTest::addColumn<bool>("refreshToken");
        QTest::newRow("client_credentials") << u"client_credentials"_s << false;
        QTest::newRow("password") << u"password"_s << true;
    }

    void clientCredentialsAndPassword()
    {
        QFETCH(QString, grant);
        QFETCH(bool, refreshToken);
        setDemo({u"--grant"_s, grant, u"--client-auth"_s, u"basic"_s});
        const CliRun run = runCli(ws({u"token"_s, u"Demo"_s, u"--json"_s}));
        verifiedByTheDemosKey(run);
        QCOMPARE(run.json().value(u"refresh_token_held"_s).toBool(), refreshToken);
        // The same line in words.
        const CliRun text = runCli(ws({u"token"_s, u"Demo"_s}));
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("signature verified with key kid="), text.out.constData());
        QVERIFY(!text.out.contains("NOT verified"));
    }

    void authorizationCodeApprovedInTheBrowser_data()
    {
        QTest::addColumn<QString>("clientAuth");
        QTest::addColumn<QString>("clientId");
        QTest::newRow("confidential") << u"basic"_s << u"demo-client"_s;
        QTest::newRow("public") << u"none"_s << u"demo-public-client"_s;
    }

    void authorizationCodeApprovedInTheBrowser()
    {
        QFETCH(QString, clientAuth);
        QFETCH(QString, clientId);
        setDemo({u"--grant"_s, u"authorization_code"_s, u"--client-auth"_s, clientAuth});
        const QString opened = m_dir.filePath(u"opened-%1.txt"_s.arg(clientAuth));
        const CliRun run = runCli(ws({u"token"_s, u"Demo"_s, u"--json"_s}), approvingBrowser(opened));
        verifiedByTheDemosKey(run);
        QVERIFY(run.json().value(u"refresh_token_held"_s).toBool());
        QFile file(opened);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QUrl url(QString::fromUtf8(file.readAll()).trimmed());
        QCOMPARE(url.host(), u"127.0.0.1"_s);
        QCOMPARE(url.path(), u"/oauth/authorize"_s);
        QVERIFY2(url.query().contains(u"code_challenge_method=S256"_s), qPrintable(url.toString()));
        QVERIFY2(url.query().contains(u"client_id="_s + clientId), qPrintable(url.toString()));
        QVERIFY2(run.err.contains(url.toEncoded()), run.err.constData());
    }

    void deviceCodeApprovedOnTheDevicePage()
    {
        setDemo({u"--grant"_s, u"device_code"_s, u"--client-auth"_s, u"none"_s});
        QProcess cli;
        cli.start(QStringLiteral(TOKENBENCH_CLI), ws({u"token"_s, u"Demo"_s, u"--json"_s}));
        QVERIFY(cli.waitForStarted(10000));
        static const QRegularExpression shown(u"To authorize, open (\\S+)\\nand enter the code: (\\S+)\\n"_s);
        QByteArray err;
        QRegularExpressionMatch prompt;
        QTRY_VERIFY_WITH_TIMEOUT((err += cli.readAllStandardError(), prompt = shown.match(QString::fromUtf8(err)), prompt.hasMatch()), 20000);
        const QUrl page(prompt.captured(1));
        QCOMPARE(page.host(), u"127.0.0.1"_s);
        QCOMPARE(page.path(), u"/device"_s);
        QNetworkRequest request(page);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
        QNetworkReply *reply = m_browser.post(request, "user_code=" + QUrl::toPercentEncoding(prompt.captured(2)) + "&decision=approve");
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || done.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
        QVERIFY(finish(cli));
        CliRun run;
        run.exitCode = cli.exitCode();
        run.out = cli.readAllStandardOutput();
        run.err = err + cli.readAllStandardError();
        verifiedByTheDemosKey(run);
        QVERIFY(run.json().value(u"refresh_token_held"_s).toBool());
        setDemo({u"--grant"_s, u"client_credentials"_s, u"--client-auth"_s, u"basic"_s});
    }

    void anEnvironmentFromTheDemosIssuer()
    {
        QProcess demo;
        demo.start(QStringLiteral(TOKENBENCH_CLI), {u"--json"_s, u"demo"_s});
        QVERIFY(demo.waitForStarted(10000));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += demo.readAllStandardOutput(), out.contains('\n')), 20000);
        const QJsonObject started = QJsonDocument::fromJson(out).object();
        const QString issuer = started.value(u"issuer"_s).toString();
        QVERIFY2(issuer.startsWith(u"http://127.0.0.1:"_s), out.constData());
        QCOMPARE(started.value(u"jwks_url"_s).toString(), issuer + u"/.well-known/jwks.json"_s);

        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"FromIssuer"_s, u"--issuer"_s, issuer, u"--api-url"_s,
                                      started.value(u"api_url"_s).toString(), u"--client-id"_s, u"demo-client"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        QVERIFY2(add.out.contains("/oauth/authorize") && add.out.contains("/.well-known/jwks.json"), add.out.constData());
        QProcessEnvironment secret = QProcessEnvironment::systemEnvironment();
        secret.insert(u"DEMO_SECRET"_s, started.value(u"client_secret"_s).toString());
        const CliRun run = runCli(ws({u"token"_s, u"FromIssuer"_s, u"--client-secret-env"_s, u"DEMO_SECRET"_s, u"--json"_s}), secret);
        verifiedByTheDemosKey(run);
        demo.kill();
        demo.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestCliDemoGrants)
#include "tst_cli_demogrants.moc"
