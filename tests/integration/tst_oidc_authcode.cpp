#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// `tokenbench-cli token` with the authorization code grant and PKCE against oidc-provider,
// the browser played by tests/integration/oidc/scripted-browser.mjs set as $BROWSER: it follows
// the authorization URL, signs in and consents on oidc-provider's development pages and comes
// back to the CLI's loopback callback. oidc-provider requires PKCE (S256) for every client
// here, checks the redirect URI (any loopback port, RFC 8252) and sends RFC 9207's iss.
class TestOidcAuthCode : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    QString browserCommand() const
    {
        return u"%1 %2"_s.arg(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER));
    }

    QProcessEnvironment browserEnv(const QString &log, bool deny = false) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BROWSER"_s, browserCommand());
        env.insert(u"TB_BROWSER_LOG"_s, log);
        env.insert(u"NATIVE_SECRET"_s, u"native-secret"_s);
        if (deny)
            env.insert(u"TB_BROWSER_DENY"_s, u"1"_s);
        return env;
    }

    void addEnvironment(const QString &name, const QString &clientId, const QString &clientAuth, const QString &scope = u"accounts:read"_s)
    {
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, name, u"--issuer"_s, m_server.issuer().toString(), u"--api-url"_s,
                                      m_server.apiBase().toString(), u"--client-id"_s, clientId, u"--grant"_s, u"authorization_code"_s,
                                      u"--client-auth"_s, clientAuth, u"--scope"_s, scope, u"--replace"_s}));
        QVERIFY2(add.exitCode == 0, (add.out + add.err).constData());
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
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        addEnvironment(u"native"_s, u"tb-native"_s, u"none"_s);
        addEnvironment(u"native-secret"_s, u"tb-native-secret"_s, u"basic"_s);
        addEnvironment(u"openid"_s, u"tb-native"_s, u"none"_s, u"openid accounts:read"_s);
    }

    void theIdTokenIsVerified()
    {
        // scope openid: oidc-provider adds an ID token, signed RS256 with a key of its JWKS, for
        // this client, with the nonce the authorization request sent (OpenID Connect Core §3.1.3.7).
        const QString log = m_dir.filePath(u"openid.log"_s);
        const CliRun run = runCli(ws({u"token"_s, u"openid"_s, u"--json"_s}), browserEnv(log));
        QVERIFY2(run.exitCode == 0, (run.err + "\n" + readAll(log).toUtf8() + m_server.standardErrorOutput().toUtf8()).constData());
        const QUrl url(QRegularExpression(u"(http://\\S+/auth\\?\\S+)"_s).match(QString::fromUtf8(run.err)).captured(1));
        const QString nonce = QUrlQuery(url).queryItemValue(u"nonce"_s, QUrl::FullyDecoded);
        QVERIFY2(nonce.size() >= 43, run.err.constData());
        const QJsonObject json = run.json();
        const QJsonObject signature = json.value(u"id_token_signature"_s).toObject();
        QCOMPARE(signature.value(u"status"_s).toString(), u"verified"_s);
        QCOMPARE(signature.value(u"alg"_s).toString(), u"RS256"_s);
        QVERIFY(!signature.value(u"kid"_s).toString().isEmpty());
        const QJsonObject claims = json.value(u"id_token_claims"_s).toObject();
        QCOMPARE(claims.value(u"status"_s).toString(), u"valid"_s);
        QCOMPARE(claims.value(u"summary"_s).toString(), u"claims valid (iss, aud, exp, iat, nonce)"_s);
        // The ID token is a credential: masked in the output, its nonce never printed.
        QVERIFY2(!run.out.contains(nonce.toUtf8()), run.out.constData());
        // openid is granted (the ID token came) although the provider reports the API scopes only.
        QCOMPARE(json.value(u"not_granted_scopes"_s).toArray(), QJsonArray());
        QVERIFY(json.value(u"granted_scopes"_s).toArray().contains(u"openid"_s));
        // The access token (a JWT for the API) is verified as well.
        QCOMPARE(json.value(u"signature"_s).toObject().value(u"status"_s).toString(), u"verified"_s);

        // In words, too.
        const CliRun text = runCli(ws({u"token"_s, u"openid"_s}), browserEnv(m_dir.filePath(u"openid-text.log"_s)));
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("ID token:      signature verified with key kid="), text.out.constData());
        QVERIFY2(text.out.contains("ID claims:     claims valid (iss, aud, exp, iat, nonce)"), text.out.constData());
    }

    void theBrowserSignsInAndTheCliGetsTheToken_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("public client") << u"native"_s << QStringList();
        QTest::newRow("confidential client") << u"native-secret"_s << QStringList{u"--client-secret-env"_s, u"NATIVE_SECRET"_s};
    }

    void theBrowserSignsInAndTheCliGetsTheToken()
    {
        QFETCH(QString, environment);
        QFETCH(QStringList, extra);
        const QString log = m_dir.filePath(environment + u".log"_s);
        const CliRun run = runCli(ws(QStringList{u"token"_s, environment, u"--json"_s, u"--show-token"_s} + extra), browserEnv(log));
        QVERIFY2(run.exitCode == 0, (run.err + "\n" + readAll(log).toUtf8() + m_server.standardErrorOutput().toUtf8()).constData());
        const QJsonObject json = run.json();
        QVERIFY2(json.value(u"access_token"_s).toString().startsWith(u"eyJ"_s), run.out.constData());
        QVERIFY2(run.out.contains("accounts:read"), run.out.constData());
        // The URL went to stderr with the challenge, never the verifier.
        QVERIFY2(run.err.contains(m_server.issuer().toString().toUtf8() + "/auth?"), run.err.constData());
        QVERIFY(run.err.contains("code_challenge_method=S256"));
        QVERIFY(!run.err.contains("code_verifier"));
        QVERIFY(!run.out.contains("code_verifier"));
        // The browser went the whole way: authorization, login and consent, back to the CLI.
        const QString steps = readAll(log);
        QVERIFY2(steps.contains(u"GET /auth"_s) && steps.contains(u"POST /interaction/"_s) && steps.contains(u"GET /callback"_s), qPrintable(steps));
        QVERIFY2(!steps.contains(u"FAIL"_s), qPrintable(steps));
    }

    void aDeniedConsentIsTheServersRefusal()
    {
        const QString log = m_dir.filePath(u"deny.log"_s);
        const CliRun run = runCli(ws({u"token"_s, u"native"_s}), browserEnv(log, true));
        QVERIFY2(run.exitCode == 5, (run.out + run.err + readAll(log).toUtf8()).constData()); // Cli::ServerRefused
        QVERIFY2(run.err.contains("access_denied"), run.err.constData());
        QVERIFY2(readAll(log).contains(u"GET /callback"_s), qPrintable(readAll(log)));
    }

    void noBrowserOnlyPrintsTheUrl()
    {
        // The CLI prints the URL and waits; no $BROWSER runs. The person (here the test, with
        // the same script) opens it, and the CLI finishes.
        const QString log = m_dir.filePath(u"manual.log"_s);
        QProcess cli;
        cli.setProcessEnvironment(browserEnv(log));
        cli.start(QStringLiteral(TOKENBENCH_CLI), ws({u"token"_s, u"native"_s, u"--no-browser"_s, u"--json"_s}));
        QVERIFY(cli.waitForStarted(10000));
        QByteArray err;
        QUrl url;
        QTRY_VERIFY_WITH_TIMEOUT((err += cli.readAllStandardError(),
                                  url = QUrl(QRegularExpression(u"(http://\\S+/auth\\?\\S+)"_s).match(QString::fromUtf8(err)).captured(1)),
                                  url.isValid() && !url.isEmpty()),
                                 15000);
        QTest::qWait(500);
        QVERIFY2(!QFile::exists(log), "--no-browser ran $BROWSER");
        QProcess browser;
        browser.setProcessEnvironment(browserEnv(log));
        browser.start(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), {QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), url.toString(QUrl::FullyEncoded)});
        QVERIFY(browser.waitForFinished(30000));
        QSignalSpy finished(&cli, &QProcess::finished);
        QVERIFY(cli.state() == QProcess::NotRunning || finished.wait(30000));
        QVERIFY2(cli.exitCode() == 0, (err + cli.readAllStandardError() + browser.readAllStandardError()).constData());
        QVERIFY(cli.readAllStandardOutput().contains("accounts:read"));
    }
};

QTEST_GUILESS_MAIN(TestOidcAuthCode)
#include "tst_oidc_authcode.moc"
