#include "demo/DemoServer.h"
#include "http/OriginGuard.h"
#include "support/CliRunner.h"
#include "support/ScriptedHttpServer.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#if defined(Q_OS_LINUX)
#include <pty.h>
#include <unistd.h>
#elif defined(Q_OS_MACOS)
#include <unistd.h>
#include <util.h>
#endif

using namespace Qt::StringLiterals;

// What leaves tokenbench-cli for places it does not control: server text on the user's
// terminal (never a control character or escape sequence), and local files to origins other
// than the environment's API (never without consent). The real binary against hostile
// loopback servers that record every byte they receive.
class TestCliEgress : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    QString m_workspace;
    ScriptedHttpServer m_tokens; // a token endpoint that answers with hostile text
    ScriptedHttpServer m_api;    // an API whose tokens come from the Demo

    // ESC ]0;pwned BEL retitles the terminal; CSI colours; ESC ]8 makes a hyperlink; 0x9B is C1 CSI.
    static QString hostileText() { return u"bad \x1b]0;pwned\x07 \x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x1b\\link \u009b2J end"_s; }

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        return env;
    }

    CliRun cli(const QStringList &rest) { return runCli(ws(rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv()); }

    void addProfile(const QString &name, const QUrl &tokenUrl, const QUrl &apiUrl)
    {
        const CliRun run = runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, tokenUrl.toString(), u"--api-url"_s, apiUrl.toString(),
                                      u"--client-id"_s, DemoServer::clientId(), u"--replace"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    // Bytes a terminal would act on: C0 but tab, LF (and the CR of a line end), DEL, and C1 in
    // either its raw byte or its UTF-8 form.
    static QByteArray controlIn(const QByteArray &bytes)
    {
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const auto c = static_cast<unsigned char>(bytes.at(i));
            const bool crlf = c == '\r' && i + 1 < bytes.size() && bytes.at(i + 1) == '\n';
            if ((c < 0x20 && c != '\n' && c != '\t' && !crlf) || c == 0x7f)
                return "byte 0x" + QByteArray::number(c, 16) + " at " + QByteArray::number(i) + ": " + bytes.mid(std::max<qsizetype>(0, i - 20), 40);
            if (c == 0xc2 && i + 1 < bytes.size() && static_cast<unsigned char>(bytes.at(i + 1)) >= 0x80
                && static_cast<unsigned char>(bytes.at(i + 1)) <= 0x9f)
                return "a C1 control at " + QByteArray::number(i);
        }
        return {};
    }

#if defined(Q_OS_LINUX) || defined(Q_OS_MACOS)
    // Runs the CLI with stdout on a pseudo-terminal and returns what the terminal got.
    static QByteArray onTerminal(const QStringList &args, int *exitCode)
    {
        int master = -1;
        int slave = -1;
        if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
            return {};
        QProcess process;
        process.setProcessEnvironment(secretEnv());
        process.setStandardInputFile(QProcess::nullDevice());
        process.setChildProcessModifier([slave] { ::dup2(slave, STDOUT_FILENO); });
        process.start(QStringLiteral(TOKENBENCH_CLI), args);
        process.waitForStarted(10000);
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(30000);
        ::close(slave);
        *exitCode = process.exitCode();
        QByteArray seen;
        char buffer[4096];
        for (;;) {
            const ssize_t got = ::read(master, buffer, sizeof buffer);
            if (got <= 0)
                break;
            seen.append(buffer, got);
        }
        ::close(master);
        return seen;
    }
#endif

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        QVERIFY(m_tokens.listen());
        QVERIFY(m_api.listen());
        addProfile(u"Hostile token"_s, m_tokens.url(u"/oauth/token"_s), m_api.url(u"/api"_s));
        addProfile(u"Hostile API"_s, m_demo.tokenUrl(), m_api.url(u"/api"_s));
    }

    void tokenErrorTextReachesNoTerminal()
    {
        const QJsonObject error{{u"error"_s, u"invalid_client"_s},
                                {u"error_description"_s, hostileText()},
                                {u"error_uri"_s, u"https://id.example/help\x1b[2J"_s}};
        m_tokens.setResponse(ScriptedHttpServer::response(401, "Unauthorized", "application/json", QJsonDocument(error).toJson()));
        CliRun run = cli({u"token"_s, u"Hostile token"_s});
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(controlIn(run.err).isEmpty(), controlIn(run.err).constData());
        QVERIFY2(run.err.contains("invalid_client"), run.err.constData());
        // Something was there, and the reader sees it; the rest of the text stays.
        QVERIFY2(run.err.contains("bad \xEF\xBF\xBD \xEF\xBF\xBDred\xEF\xBF\xBD"), run.err.constData());
        QVERIFY(run.err.contains("end"));
        QVERIFY(!run.err.contains("pwned")); // an OSC's payload is no text

        // --json: the exact text, escaped as JSON escapes it, and not one raw control byte.
        run = cli({u"token"_s, u"Hostile token"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(controlIn(run.out).isEmpty(), controlIn(run.out).constData());
        QVERIFY(!run.out.contains('\x1b'));
        QVERIFY2(run.out.contains("\\u001b]0;pwned\\u0007"), run.out.constData());
        QVERIFY2(run.out.contains("\\u009b2J"), run.out.constData());
        const QJsonObject json = run.json().value(u"error"_s).toObject();
        QCOMPARE(json.value(u"error_description"_s).toString(), hostileText());
        QCOMPARE(json.value(u"error_uri"_s).toString(), u"https://id.example/help\x1b[2J"_s);
        QVERIFY(run.err.isEmpty());

        // An HTML error page: its excerpt is server text too.
        m_tokens.setResponse(ScriptedHttpServer::response(502, "Bad Gateway", "text/html", "<h1>down\x1b]0;pwned\x07</h1>\x1b[5m"));
        run = cli({u"token"_s, u"Hostile token"_s});
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(controlIn(run.err).isEmpty(), controlIn(run.err).constData());
        QVERIFY2(run.err.contains("down"), run.err.constData());
    }

    void deniedAnswerReachesNoTerminal()
    {
        const QByteArray challenge = "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"expired\x1b]0;pwned\x07\x1b[8m\"\r\n";
        const QByteArray body = "{\"message\":\"no \x1b]0;pwned\x07 entry\"}";
        m_api.setResponse(ScriptedHttpServer::response(401, "Unauthorized\x1b[31m", "application/json", body,
                                                       challenge + "X-Trace: a\x1b]0;pwned\x07" "b\r\n"));
        CliRun run = cli({u"send"_s, u"Hostile API"_s, u"GET"_s, u"/me"_s, u"--verbose"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(controlIn(run.err).isEmpty(), controlIn(run.err).constData());
        QVERIFY2(run.err.contains("401"), run.err.constData());
        QVERIFY2(run.err.contains("expired"), run.err.constData());
        // Piped, the body is data: byte for byte what the API sent.
        QCOMPARE(run.out, body);

        // -i to a pipe: the answer as received, escapes and all, for a program to read.
        run = cli({u"send"_s, u"Hostile API"_s, u"GET"_s, u"/me"_s, u"-i"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY(run.out.endsWith(body));
        QVERIFY2(controlIn(run.err).isEmpty(), controlIn(run.err).constData());

        // --json: exact but escaped, headers, body and readout alike.
        run = cli({u"send"_s, u"Hostile API"_s, u"GET"_s, u"/me"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(controlIn(run.out).isEmpty(), controlIn(run.out).constData());
        QCOMPARE(run.json().value(u"body"_s).toObject().value(u"message"_s).toString(), u"no \x1b]0;pwned\x07 entry"_s);
        QCOMPARE(run.json().value(u"headers"_s).toObject().value(u"x-trace"_s).toString(), u"a\x1b]0;pwned\x07" "b"_s);
        QVERIFY(run.err.isEmpty());
    }

    void bodyAndHeadersOnATerminalAreCleaned()
    {
#if !defined(Q_OS_LINUX) && !defined(Q_OS_MACOS)
        QSKIP("needs a pseudo-terminal");
#else
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "hello \x1b]0;pwned\x07\x1b[41mworld\x1b[0m\xc2\x9b" "2J",
                                                       "X-Note: \x1b[2Jcleared\r\n"));
        int exitCode = -1;
        const QByteArray seen = onTerminal(ws({u"send"_s, u"Hostile API"_s, u"GET"_s, u"/me"_s, u"-i"_s, u"--client-secret-env"_s,
                                               u"TB_SECRET"_s}), &exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(controlIn(seen).isEmpty(), controlIn(seen).constData());
        QVERIFY2(seen.contains("X-Note: \xEF\xBF\xBD" "cleared"), seen.constData());
        // The C1 CSI and its "2J" are one sequence, one placeholder.
        QVERIFY2(seen.contains("hello \xEF\xBF\xBD\xEF\xBF\xBDworld\xEF\xBF\xBD\xEF\xBF\xBD\r\n"), seen.constData());
#endif
    }

    void workspaceTextReachesNoTerminal()
    {
        // A shared workspace is someone else's text too: a saved request's name and URL.
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        root.insert(u"requests"_s, QJsonArray{QJsonObject{{u"id"_s, u"r1"_s},
                                                          {u"name"_s, u"Look\x1b]0;pwned\x07"_s},
                                                          {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/x\x1b[2J"_s}}}}});
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
        file.close();
        const CliRun run = runCli(ws({u"request"_s, u"list"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("Look"), run.out.constData());
        QVERIFY2(controlIn(run.out).isEmpty(), controlIn(run.out).constData());
        const CliRun json = runCli(ws({u"--json"_s, u"request"_s, u"list"_s}));
        QVERIFY2(controlIn(json.out).isEmpty(), controlIn(json.out).constData());
        QCOMPARE(json.json().value(u"requests"_s).toArray().first().toObject().value(u"name"_s).toString(), u"Look\x1b]0;pwned\x07"_s);
        root.remove(u"requests"_s);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
    }

    // A saved request from someone else's workspace: ~/id_rsa as a form part, to a host that
    // is not the environment's API.
    void savedFilesGoElsewhereOnlyWithAllowFileUpload()
    {
        const QString key = m_dir.filePath(u"id_rsa"_s);
        QFile file(key);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("PRIVATE-KEY-MATERIAL");
        file.close();
        ScriptedHttpServer collector;
        QVERIFY(collector.listen());
        collector.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "thanks"));
        m_api.setResponse(ScriptedHttpServer::response(201, "Created", "text/plain", "stored"));
        QFile workspaceFile(m_workspace);
        QVERIFY(workspaceFile.open(QIODevice::ReadOnly));
        const QByteArray original = workspaceFile.readAll();
        workspaceFile.close();
        QJsonObject root = QJsonDocument::fromJson(original).object();
        const auto savedRequest = [&](const QString &name, const QString &url) {
            return QJsonObject{{u"id"_s, name}, {u"name"_s, name},
                               {u"request"_s, QJsonObject{{u"method"_s, u"POST"_s}, {u"url"_s, url},
                                                          {u"multipart"_s, QJsonArray{QJsonObject{{u"name"_s, u"key"_s}, {u"value"_s, key},
                                                                                                  {u"file"_s, true}}}}}}};
        };
        root.insert(u"requests"_s, QJsonArray{savedRequest(u"Exfiltrate"_s, collector.url(u"/collect"_s).toString()),
                                             savedRequest(u"Upload"_s, u"/documents"_s)});
        QVERIFY(workspaceFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        workspaceFile.write(QJsonDocument(root).toJson());
        workspaceFile.close();
        const CliRun shown = runCli(ws(QStringList{u"request"_s, u"show"_s, u"Exfiltrate"_s}));
        QVERIFY2(shown.out.contains(key.toUtf8()), (shown.out + shown.err).constData()); // the saved form is read as the app writes it

        // Refused: the file and the host named, exit 13, and nothing read or sent anywhere.
        const int apiBefore = m_api.requestCount();
        CliRun run = cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Exfiltrate"_s});
        QCOMPARE(run.exitCode, 13);
        QVERIFY2(run.err.contains(key.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains(OriginGuard::originOf(collector.url(u"/"_s)).toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains("--allow-file-upload"), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QCOMPARE(collector.requestCount(), 0);
        QCOMPARE(m_api.requestCount(), apiBefore);
        run = cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Exfiltrate"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 13);
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"upload_consent_required"_s);
        QVERIFY(run.json().contains(u"status"_s));
        // --repeat or --yes do not change that; a URL typed over the saved one to another host neither.
        QCOMPARE(cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Exfiltrate"_s, u"--yes"_s, u"--repeat"_s, u"3"_s}).exitCode, 13);
        QCOMPARE(cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Upload"_s, u"POST"_s, collector.url(u"/x"_s).toString()}).exitCode, 13);
        QCOMPARE(collector.requestCount(), 0);
        QVERIFY(!collector.received().contains("PRIVATE-KEY-MATERIAL"));

        // To the environment's own API, the saved file goes as the request says.
        run = cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Upload"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(m_api.requests().constLast().contains("PRIVATE-KEY-MATERIAL"));

        // With --allow-file-upload the user has agreed: it goes.
        run = cli({u"send"_s, u"Hostile API"_s, u"--saved"_s, u"Exfiltrate"_s, u"--allow-file-upload"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(collector.requestCount(), 1);
        QVERIFY(collector.requests().constFirst().contains("PRIVATE-KEY-MATERIAL"));

        // A file typed on this command line is the user's own choice for this send.
        run = cli({u"send"_s, u"Hostile API"_s, u"POST"_s, collector.url(u"/typed"_s).toString(), u"-F"_s, u"key=@"_s + key});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(collector.requestCount(), 2);

        QVERIFY(workspaceFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        workspaceFile.write(original);
    }
};

QTEST_MAIN(TestCliEgress)
#include "tst_cli_egress.moc"
