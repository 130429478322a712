#include "demo/DemoServer.h"
#include "oauth/TokenRequest.h"
#include "support/CliRunner.h"
#include "support/ScriptedHttpServer.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
// Opaque on purpose: only its value can give it away, not its shape.
const QString kSecret = u"s3cret opaque/+=&value"_s;
const QString kPassword = u"pa55 word/+=&"_s;
// A token of an earlier run: this process never saw it, only its shape tells.
const QString kOldJwt = u"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvbGQtcnVuIn0.c2lnbmF0dXJlLW9sZA"_s;

// Every spelling a leak search looks for: raw, percent- and form-encoded, base64, and the
// Basic credentials that carry it (security checklist items 1, 2 and 29).
QList<QByteArray> spellings(const QString &value)
{
    QByteArray form = QUrl::toPercentEncoding(value, " ");
    form.replace(' ', '+');
    return {value.toUtf8(), QUrl::toPercentEncoding(value), form, value.toUtf8().toBase64(), TokenRequest::formEncode(value).toBase64(),
            TokenRequest::basicCredentials(u"echo-client"_s, value)};
}

QByteArray leakIn(const QByteArray &text, const QStringList &values)
{
    for (const QString &value : values) {
        for (const QByteArray &form : spellings(value)) {
            if (text.contains(form))
                return "found " + form + " in: " + text;
        }
    }
    return {};
}
} // namespace

// Secrets the CLI must not write or print: saved requests are scanned for every known secret and
// token shape and refused with the reason; error texts and excerpts of what a server echoes back
// mask every known secret.
class TestCliSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    ScriptedHttpServer m_api;   // records what reaches it: a refused save sends nothing
    ScriptedHttpServer m_echo;  // a token endpoint behind a proxy whose 502 page prints the request
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, kSecret);
        env.insert(u"TB_PASSWORD"_s, kPassword);
        return env;
    }

    CliRun cli(const QStringList &rest) { return runCli(ws(rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv()); }

    QByteArray workspaceFile() const
    {
        QFile file(m_workspace);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    void expectRefused(const QStringList &sendArgs, const QString &where, const QStringList &values)
    {
        const int before = m_api.requestCount();
        const CliRun run = cli(QStringList{u"send"_s, u"Scripted"_s} + sendArgs + QStringList{u"--save-as"_s, u"Leaky"_s});
        QVERIFY2(run.exitCode == 3, run.err.constData());
        QVERIFY2(run.err.contains(where.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains("keychain"), run.err.constData());
        QVERIFY2(run.err.contains("nothing was sent"), run.err.constData());
        QCOMPARE(m_api.requestCount(), before);
        QVERIFY2(leakIn(workspaceFile(), values).isEmpty(), leakIn(workspaceFile(), values).constData());
        QVERIFY2(leakIn(run.out + run.err, values).isEmpty(), leakIn(run.out + run.err, values).constData());
        const CliRun show = runCli(ws({u"request"_s, u"show"_s, u"Leaky"_s}));
        QCOMPARE(show.exitCode, 3);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        QVERIFY(m_api.listen());
        QVERIFY(m_echo.listen());
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        CliRun run = runCli(ws({u"env"_s, u"add"_s, u"Scripted"_s, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s,
                                m_api.url(u"/api"_s).toString(), u"--client-id"_s, DemoServer::clientId()}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"env"_s, u"add"_s, u"Echo"_s, u"--token-url"_s, m_echo.url(u"/token"_s).toString(), u"--api-url"_s,
                         m_api.url(u"/api"_s).toString(), u"--client-id"_s, u"echo-client"_s, u"--grant"_s, u"password"_s,
                         u"--username"_s, u"tester"_s, u"--client-auth"_s, u"basic"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    void saveAsRefusesAVariableFeedingAuthorization()
    {
        // "the header was not saved" — but the variable holding the token was, and `request show` printed it.
        expectRefused({u"GET"_s, u"/me"_s, u"-H"_s, u"Authorization: Bearer {{t}}"_s, u"--var"_s, u"t=opaque-token-value-123"_s},
                      u"variable t (feeds Authorization)"_s, {u"opaque-token-value-123"_s});
    }

    void saveAsRefusesAnOlderTokenInTheUrl()
    {
        expectRefused({u"GET"_s, u"/me?access_token="_s + kOldJwt}, u"URL query access_token: holds a token-shaped string (a JWT)"_s, {kOldJwt});
    }

    void saveAsRefusesCookieAndApiKeyHeaders()
    {
        expectRefused({u"GET"_s, u"/me"_s, u"-H"_s, u"X-Api-Key: k3y-literal-42"_s}, u"header X-Api-Key: holds a credential"_s, {u"k3y-literal-42"_s});
        expectRefused({u"GET"_s, u"/me"_s, u"-H"_s, u"Cookie: session=c00kie-value"_s}, u"header Cookie: holds a credential"_s, {u"c00kie-value"_s});
    }

    void saveAsRefusesTheClientSecretInTheBody()
    {
        // The client secret is known from --client-secret-env, not from its shape.
        expectRefused({u"POST"_s, u"/notes"_s, u"-d"_s, u"{\"note\":\""_s + kSecret + u"\"}"_s}, u"body: holds the client secret"_s, {kSecret});
        // Form-encoded, as a careless copy from a token request would have it.
        expectRefused({u"POST"_s, u"/notes"_s, u"-d"_s, u"x="_s + QString::fromLatin1(TokenRequest::formEncode(kSecret))},
                      u"body: holds the client secret"_s, {kSecret});
    }

    void saveAsKeepsACleanRequest()
    {
        const CliRun run = cli({u"send"_s, u"Scripted"_s, u"GET"_s, u"/me"_s, u"-H"_s, u"Authorization: Bearer {{t}}"_s, u"--save-as"_s, u"Clean"_s});
        QVERIFY2(run.err.contains("Saved the request as \"Clean\""), run.err.constData());
        QVERIFY(workspaceFile().contains("\"Clean\""));
    }

    void showMasksACredentialFromAWorkspaceWrittenElsewhere()
    {
        // A colleague's workspace (or a hand edit) holds what Tokenbench never saves: an older
        // token in the URL and a variable feeding Authorization.
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonArray requests = root.value(u"requests"_s).toArray();
        requests.append(QJsonObject{{u"id"_s, u"shared-1"_s}, {u"name"_s, u"Shared"_s},
                                    {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/me?access_token="_s + kOldJwt},
                                                               {u"headers"_s, QJsonArray{QJsonObject{{u"name"_s, u"X-Api-Key"_s}, {u"value"_s, u"{{k}}"_s}}}},
                                                               {u"variables"_s, QJsonArray{QJsonObject{{u"name"_s, u"k"_s}, {u"value"_s, u"sm uggled-key-77"_s}}}}}}});
        root.insert(u"requests"_s, requests);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
        file.close();

        for (const QStringList &extra : {QStringList{}, QStringList{u"--json"_s}}) {
            const CliRun run = runCli(ws(QStringList{u"request"_s, u"show"_s, u"Shared"_s} + extra));
            QVERIFY2(run.exitCode == 0, run.err.constData());
            QVERIFY2(leakIn(run.out + run.err, {kOldJwt, u"sm uggled-key-77"_s}).isEmpty(), (run.out + run.err).constData());
            QVERIFY2(run.out.contains("••••"), run.out.constData());
            QVERIFY2(run.err.contains("variable k (feeds X-Api-Key)") && run.err.contains("--reveal"), run.err.constData());
        }
        const CliRun revealed = runCli(ws({u"request"_s, u"show"_s, u"Shared"_s, u"--reveal"_s}));
        QCOMPARE(revealed.exitCode, 0);
        QVERIFY(revealed.out.contains(kOldJwt.toUtf8()));
    }

    void errorPageEchoingTheTokenRequestIsMasked()
    {
        // First the request as the CLI sends it, then a 502 page that prints it back, as a
        // misconfigured proxy does: Authorization: Basic …, and the form body with the password.
        m_echo.setResponse(ScriptedHttpServer::response(502, "Bad Gateway", "text/plain", "upstream down"));
        const QStringList tokenArgs{u"token"_s, u"Echo"_s, u"--password-env"_s, u"TB_PASSWORD"_s};
        CliRun run = cli(tokenArgs);
        QCOMPARE(run.exitCode, 5);
        QVERIFY(!m_echo.requests().isEmpty());
        const QByteArray echoed = m_echo.requests().constLast();
        QVERIFY2(!leakIn(echoed, {kSecret}).isEmpty(), echoed.constData()); // the page really carries them
        QVERIFY2(!leakIn(echoed, {kPassword}).isEmpty(), echoed.constData());
        m_echo.setResponse(ScriptedHttpServer::response(502, "Bad Gateway", "text/html",
                                                        "<html><body><h1>502</h1><pre>" + echoed + "</pre></body></html>"));

        for (const QStringList &args : {tokenArgs, tokenArgs + QStringList{u"--json"_s}, tokenArgs + QStringList{u"--verbose"_s}}) {
            run = cli(args);
            QCOMPARE(run.exitCode, 5);
            QVERIFY2(run.out.contains("502") || run.err.contains("502"), run.err.constData());
            QVERIFY2(leakIn(run.out + run.err, {kSecret, kPassword}).isEmpty(), leakIn(run.out + run.err, {kSecret, kPassword}).constData());
            QVERIFY2((run.out + run.err).contains("••••"), (run.out + run.err).constData());
        }
        // The same page met by `send` fetching its token first: stderr and --json alike.
        for (const QStringList &extra : {QStringList{}, QStringList{u"--json"_s}}) {
            run = cli(QStringList{u"send"_s, u"Echo"_s, u"GET"_s, u"/me"_s, u"--password-env"_s, u"TB_PASSWORD"_s} + extra);
            QVERIFY2(run.exitCode == 5, run.err.constData());
            QVERIFY2(leakIn(run.out + run.err, {kSecret, kPassword}).isEmpty(), leakIn(run.out + run.err, {kSecret, kPassword}).constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliSecrets)
#include "tst_cli_secrets.moc"
