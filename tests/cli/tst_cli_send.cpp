#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "support/ScriptedHttpServer.h"
#include "support/TlsTestServer.h"
#include "templates/StarterWorkspace.h"
#include "workspace/WorkspaceStore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>


using namespace Qt::StringLiterals;

// `tokenbench-cli send` end to end: the real binary against this process's Demo API and
// scripted servers that record every byte they receive.
class TestCliSend : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    QString m_workspace;
    ScriptedHttpServer m_api;   // stands in for an API whose tokens come from the Demo
    ScriptedHttpServer m_other; // another origin on another port

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        return env;
    }

    CliRun send(const QStringList &rest, const QByteArray &stdinData = {})
    {
        return runCli(ws(QStringList{u"send"_s} + rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv(), stdinData);
    }

    void addProfile(const QString &name, const QUrl &tokenUrl, const QUrl &apiUrl, const QStringList &extra = {})
    {
        const CliRun run = runCli(ws(QStringList{u"env"_s, u"add"_s, name, u"--token-url"_s, tokenUrl.toString(), u"--api-url"_s,
                                                 apiUrl.toString(), u"--client-id"_s, DemoServer::clientId(), u"--header"_s,
                                                 u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=demo-user"_s, u"--replace"_s}
                                     + extra));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    static QByteArray noLeaks(const CliRun &run)
    {
        // A JWT starts with eyJ; nothing of the token may reach the terminal.
        const QByteArray all = run.out + run.err;
        if (all.contains("eyJ"))
            return "a JWT in the output";
        if (all.contains(DemoServer::clientSecret().toUtf8()))
            return "the client secret in the output";
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        QVERIFY(m_api.listen());
        QVERIFY(m_other.listen());
        addProfile(u"Local"_s, m_demo.tokenUrl(), m_demo.apiUrl());
        addProfile(u"Scripted"_s, m_demo.tokenUrl(), m_api.url(u"/api"_s));
    }

    void helpDocumentsSend()
    {
        const CliRun run = runCli({u"send"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *needle : {"send NAME METHOD PATH_OR_URL", "-H, --header 'K: V'", "-d, --data BODY|@file", "--include", "--yes", "  8   the API answered 4xx",
                                   "  9   the API answered 5xx", "  10  a state-changing request"})
            QVERIFY2(run.out.contains(needle), needle);
        const CliRun global = runCli({u"--help"_s});
        for (const char *needle : {"  8  send", "  9  send", "  10 send"})
            QVERIFY2(global.out.contains(needle), needle);
    }

    void builtinDemoWorksOutOfTheBox()
    {
        CliRun run = send({u"Demo"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"demo-user"_s);
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());

        run = send({u"Demo"_s, u"GET"_s, u"/api/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--var"_s, u"userId=alice"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"alice"_s);
    }

    void includeAndJson()
    {
        CliRun run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--include"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("HTTP/1.1 200 OK\n"), run.out.constData());
        QVERIFY(run.out.contains("\nContent-Type: application/json\n"));
        const qsizetype blank = run.out.indexOf("\n\n");
        QVERIFY(blank > 0);
        QCOMPARE(QJsonDocument::fromJson(run.out.mid(blank + 2)).object().value(u"user"_s).toString(), u"demo-user"_s);

        run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 200);
        QCOMPARE(json.value(u"body_encoding"_s).toString(), u"json"_s);
        QCOMPARE(json.value(u"body"_s).toObject().value(u"user"_s).toString(), u"demo-user"_s);
        QCOMPARE(json.value(u"headers"_s).toObject().value(u"content-type"_s).toString(), u"application/json"_s);
        QVERIFY(json.value(u"timing"_s).toObject().contains(u"total_ms"_s));
        QCOMPARE(json.value(u"readout"_s).toObject().value(u"kind"_s).toString(), u"success"_s);
        const QJsonArray injected = json.value(u"injected"_s).toArray();
        QCOMPARE(injected.size(), 2);
        QCOMPARE(injected.at(0).toObject().value(u"name"_s).toString(), u"Authorization"_s);
        QCOMPARE(injected.at(0).toObject().value(u"value"_s).toString(), u"Bearer ••••"_s);
        QCOMPARE(injected.at(0).toObject().value(u"source"_s).toString(), u"token"_s);
        QCOMPARE(injected.at(1).toObject().value(u"value"_s).toString(), u"user demo-user"_s);
        QCOMPARE(injected.at(1).toObject().value(u"source"_s).toString(), u"environment header X-On-Behalf-Of"_s);
        QVERIFY(json.value(u"token"_s).toObject().value(u"authorized_first"_s).toBool());
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());
    }

    void postWithHeadersAndBodies()
    {
        const QStringList scopes{u"--scope"_s, u"trades:execute"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s};
        CliRun run = send(QStringList{u"Local"_s, u"POST"_s, u"/trades"_s, u"-d"_s, uR"({"symbol":"ETH-USD","side":"buy","quantity":"1"})"_s} + scopes);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonObject trade = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(trade.value(u"symbol"_s).toString(), u"ETH-USD"_s);
        QCOMPARE(trade.value(u"on_behalf_of"_s).toString(), u"demo-user"_s);

        const QString file = m_dir.filePath(u"trade.json"_s);
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"symbol":"SOL-USD","side":"sell","quantity":"3","note":"for {{userId}}"})");
        out.close();
        run = send(QStringList{u"Local"_s, u"post"_s, u"/trades"_s, u"-d"_s, u'@' + file, u"--var"_s, u"userId=bob"_s} + scopes);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        trade = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(trade.value(u"symbol"_s).toString(), u"SOL-USD"_s);
        QCOMPARE(trade.value(u"on_behalf_of"_s).toString(), u"bob"_s);
        QCOMPARE(trade.value(u"note"_s).toString(), u"for bob"_s);

        run = send(QStringList{u"Local"_s, u"POST"_s, u"/trades"_s, u"-d"_s, u"@-"_s} + scopes, R"({"symbol":"ADA-USD"})");
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"symbol"_s).toString(), u"ADA-USD"_s);

        // The blocked user of seed 003: 409 with its reasons, exit 8.
        run = send(QStringList{u"Local"_s, u"POST"_s, u"/trades"_s, u"-H"_s, u"X-On-Behalf-Of: user blocked-user"_s, u"-d"_s, u"{}"_s} + scopes);
        QCOMPARE(run.exitCode, 8);
        QVERIFY(run.out.contains("\"reasons\":[\"user-blocked\"]"));
        QVERIFY2(run.err.contains("409 Conflict — user-blocked: The current status of the user does not allow calling this endpoint"), run.err.constData());
        QVERIFY(run.err.contains("Hint:"));

        // Request headers go as given; -H 'Name:' leaves an injected header out.
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        run = send({u"Scripted"_s, u"GET"_s, u"/echo"_s, u"-H"_s, u"X-Request-Id: abc-123"_s, u"-H"_s, u"X-On-Behalf-Of:"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, "fine"_ba);
        const QByteArray seen = m_api.requests().last();
        QVERIFY(seen.startsWith("GET /api/echo HTTP/1.1\r\n"));
        QVERIFY(seen.contains("\r\nX-Request-Id: abc-123\r\n"));
        QVERIFY(seen.contains("\r\nAuthorization: Bearer eyJ"));
        QVERIFY(!seen.contains("X-On-Behalf-Of"));
    }

    void denialsAreExplainedOnStderr()
    {
        CliRun run = send({u"Local"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--scope"_s, u"trades:read"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(run.err.contains("403 Forbidden — insufficient scope: needs core.users:act-on-behalf-of; your token has accounts:read trades:read"),
                 run.err.constData());
        QVERIFY(run.out.contains("insufficient_scope")); // the body is still the body

        run = send({u"Local"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 8);
        const QJsonObject readout = run.json().value(u"readout"_s).toObject();
        QCOMPARE(readout.value(u"kind"_s).toString(), u"insufficient_scope"_s);
        QCOMPARE(readout.value(u"missing_scopes"_s).toArray(), QJsonArray{u"core.users:act-on-behalf-of"_s});

        m_api.setResponse(ScriptedHttpServer::response(429, "Too Many Requests", "application/json", "{}", "Retry-After: 120\r\n"));
        run = send({u"Scripted"_s, u"GET"_s, u"/accounts"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(run.err.contains("429 Too Many Requests — rate limited: too many requests; retry after 120 s"), run.err.constData());
    }

    void exitCodes()
    {
        m_api.setResponse(ScriptedHttpServer::response(503, "Service Unavailable", "text/html", "<h1>down</h1>"));
        QCOMPARE(send({u"Scripted"_s, u"GET"_s, u"/x"_s}).exitCode, 9);
        m_api.setResponse(ScriptedHttpServer::response(404, "Not Found", "application/json", "{}"));
        QCOMPARE(send({u"Scripted"_s, u"GET"_s, u"/x"_s}).exitCode, 8);
        m_api.setResponse(ScriptedHttpServer::response(204, "No Content", "text/plain", {}));
        QCOMPARE(send({u"Scripted"_s, u"DELETE"_s, u"/x"_s}).exitCode, 0);
        m_api.setResponse(ScriptedHttpServer::response(304, "Not Modified", "text/plain", {}));
        QCOMPARE(send({u"Scripted"_s, u"GET"_s, u"/x"_s}).exitCode, 0);
        m_api.setResponse(ScriptedHttpServer::response(302, "Found", "text/plain", "loop", "Location: /api/loop\r\n"));
        CliRun run = send({u"Scripted"_s, u"GET"_s, u"/x"_s});
        QCOMPARE(run.exitCode, 7);
        QVERIFY2(run.err.contains("more than 5 redirects"), run.err.constData());

        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = probe.serverPort();
        probe.close();
        run = send({u"Local"_s, u"GET"_s, u"http://127.0.0.1:%1/x"_s.arg(freePort), u"--json"_s});
        QCOMPARE(run.exitCode, 6);
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"network"_s);

        m_api.setMode(ScriptedHttpServer::Mode::Stall);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(send({u"Scripted"_s, u"GET"_s, u"/slow"_s, u"--timeout"_s, u"0.5"_s}).exitCode, 6);
        QVERIFY(timer.elapsed() < 10000);
        m_api.setMode(ScriptedHttpServer::Mode::Respond);

        // The token could not be had: the token command's codes.
        QProcessEnvironment wrong = QProcessEnvironment::systemEnvironment();
        wrong.insert(u"TB_SECRET"_s, u"wrong"_s);
        run = runCli(ws({u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), wrong);
        QCOMPARE(run.exitCode, 5);
        QVERIFY(run.err.contains("invalid_client"));
        QCOMPARE(runCli(ws({u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--client-secret-env"_s, u"TB_UNSET_VARIABLE"_s})).exitCode, 4);
        QCOMPARE(send({u"Nowhere"_s, u"GET"_s, u"/me"_s}).exitCode, 3);
        QCOMPARE(send({u"Local"_s, u"G(T"_s, u"/me"_s}).exitCode, 2);
        QCOMPARE(send({u"Local"_s, u"GET"_s}).exitCode, 2);
        run = send({u"Local"_s, u"GET"_s, u"/users/{{nobody}}"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("{{nobody}}"));
    }

    void otherOriginsNeverSeeTheToken()
    {
        m_other.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "other"));
        const int before = m_other.requestCount();
        CliRun run = send({u"Local"_s, u"GET"_s, m_other.url(u"/direct"_s).toString()});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, "other"_ba);
        QVERIFY2(run.err.contains("Note: not sent: Authorization, X-On-Behalf-Of"), run.err.constData());

        m_api.setResponse(ScriptedHttpServer::response(307, "Temporary Redirect", "text/plain", "", "Location: " + m_other.url(u"/via-redirect"_s).toEncoded() + "\r\n"));
        run = send({u"Scripted"_s, u"POST"_s, u"/things"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray redirects = run.json().value(u"redirects"_s).toArray();
        QCOMPARE(redirects.size(), 1);
        QCOMPARE(redirects.first().toObject().value(u"stripped_headers"_s).toArray(), (QJsonArray{u"Authorization"_s, u"X-On-Behalf-Of"_s}));
        QVERIFY(m_api.requests().last().contains("\r\nAuthorization: Bearer eyJ"));
        // With a body, a 307 to another origin is not followed at all: the body is the request's own.
        run = send({u"Scripted"_s, u"POST"_s, u"/things"_s, u"-d"_s, u"{\"pin\":\"1234\"}"_s});
        QCOMPARE(run.exitCode, 7);
        QVERIFY2(run.err.contains("resend the request body"), run.err.constData());

        QCOMPARE(m_other.requestCount(), before + 2);
        const QByteArray seen = m_other.received();
        QVERIFY(seen.contains("GET /direct HTTP/1.1"));
        QVERIFY(seen.contains("POST /via-redirect HTTP/1.1"));
        for (const char *forbidden : {"Authorization", "Bearer", "eyJ", "X-On-Behalf-Of", "demo-user"})
            QVERIFY2(!seen.contains(forbidden), forbidden);
        QVERIFY(!seen.contains("1234"));
    }

    void productionNeedsYes()
    {
        // A production profile whose token endpoint and API both record what reaches them.
        ScriptedHttpServer recorder;
        QVERIFY(recorder.listen());
        recorder.setResponse(ScriptedHttpServer::response(500, "Oops", "text/plain", "should not be reached"));
        addProfile(u"Prod scripted"_s, recorder.url(u"/oauth/token"_s), recorder.url(u"/api"_s), {u"--tier"_s, u"production"_s});
        for (const QString &method : {u"POST"_s, u"PUT"_s, u"PATCH"_s, u"DELETE"_s}) {
            const CliRun run = send({u"Prod scripted"_s, method, u"/trades"_s, u"-d"_s, u"{}"_s});
            QCOMPARE(run.exitCode, 10);
            QVERIFY2(run.err.contains(method.toLatin1() + " " + recorder.url(u"/api/trades"_s).toEncoded()), run.err.constData());
            QVERIFY(run.err.contains("PRODUCTION environment \"Prod scripted\""));
            QVERIFY(run.err.contains("--yes"));
        }
        const CliRun json = send({u"Prod scripted"_s, u"DELETE"_s, u"/x"_s, u"--json"_s});
        QCOMPARE(json.exitCode, 10);
        QCOMPARE(json.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"confirmation_required"_s);
        QCOMPARE(recorder.requestCount(), 0); // neither a token request nor the call

        // The same against the Demo API: nothing is created without --yes, and it is with it.
        addProfile(u"Prod demo"_s, m_demo.tokenUrl(), m_demo.apiUrl(), {u"--tier"_s, u"production"_s});
        const QStringList scopes{u"--scope"_s, u"trades:read"_s, u"--scope"_s, u"trades:execute"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s};
        const QString body = uR"({"symbol":"PROD-GUARD-MARKER","side":"buy","quantity":"1"})"_s;
        QCOMPARE(send(QStringList{u"Prod demo"_s, u"POST"_s, u"/trades"_s, u"-d"_s, body} + scopes).exitCode, 10);
        CliRun list = send(QStringList{u"Prod demo"_s, u"GET"_s, u"/trades"_s} + scopes);
        QCOMPARE(list.exitCode, 0); // reading needs no confirmation
        QVERIFY(!list.out.contains("PROD-GUARD-MARKER"));
        QCOMPARE(send(QStringList{u"Prod demo"_s, u"POST"_s, u"/trades"_s, u"-d"_s, body, u"--yes"_s} + scopes).exitCode, 0);
        list = send(QStringList{u"Prod demo"_s, u"GET"_s, u"/trades"_s} + scopes);
        QVERIFY(list.out.contains("PROD-GUARD-MARKER"));
    }

    void secretsAreReadOnlyWhenATokenIsNeeded()
    {
        // No secret anywhere for this profile: a request that carries no token still goes.
        addProfile(u"No secret"_s, m_demo.tokenUrl(), m_demo.apiUrl());
        m_other.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        const QProcessEnvironment noBus = [] {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/tokenbench"_s);
            return env;
        }();
        CliRun run = runCli(ws({u"send"_s, u"No secret"_s, u"GET"_s, m_other.url(u"/public"_s).toString()}), noBus);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"send"_s, u"No secret"_s, u"GET"_s, u"/me"_s, u"-H"_s, u"Authorization:"_s}), noBus);
        QCOMPARE(run.exitCode, 8); // the Demo API wants a token: 401, explained
        QVERIFY2(run.err.contains("401 Unauthorized — no access token went with the request"), run.err.constData());
        run = runCli(ws({u"send"_s, u"No secret"_s, u"GET"_s, u"/me"_s}), noBus);
        QCOMPARE(run.exitCode, 4);
        QVERIFY(run.err.contains("secret set"));
    }

    void secretFromTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("TOKENBENCH_REQUIRE_KEYCHAIN=1 but there is no session bus");
            QSKIP("no session bus: run inside dbus-run-session with gnome-keyring-daemon for this one");
        }
        addProfile(u"Keychain"_s, m_demo.tokenUrl(), m_demo.apiUrl());
        const CliRun set = runCli(ws({u"secret"_s, u"set"_s, u"Keychain"_s, u"client-secret"_s}), QProcessEnvironment::systemEnvironment(),
                                  DemoServer::clientSecret().toUtf8() + '\n');
        QVERIFY2(set.exitCode == 0, set.err.constData());
        const CliRun run = runCli(ws({u"send"_s, u"Keychain"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"demo-user"_s);
        QCOMPARE(runCli(ws({u"secret"_s, u"remove"_s, u"Keychain"_s, u"client-secret"_s})).exitCode, 0);
    }

    void debugLoggingLeaksNothing()
    {
        // The built-in Demo runs inside the CLI here, so its server's own logging is in play too.
        QProcessEnvironment env = secretEnv();
        env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
        const CliRun run = runCli(ws({u"send"_s, u"Demo"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s,
                                      u"--verbose"_s, u"--include"_s}), env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("qt.")); // debug logging really was on
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());
        QVERIFY(!(run.out + run.err).contains(QByteArray(DemoServer::clientId().toUtf8() + ':' + DemoServer::clientSecret().toUtf8()).toBase64()));
    }

    void verboseMasksTheToken()
    {
        const CliRun run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--verbose"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("> Authorization: Bearer ••••"), run.err.constData());
        QVERIFY(run.err.contains("> X-On-Behalf-Of: user demo-user"));
        QVERIFY(run.err.contains("< HTTP/1.1 200 OK"));
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());
    }

    void helpDocumentsSavedAndRepeat()
    {
        const CliRun run = runCli({u"send"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *needle : {"send NAME --saved REQUEST [METHOD PATH_OR_URL]", "--repeat N"})
            QVERIFY2(run.out.contains(needle), needle);
        QVERIFY(runCli({u"--help"_s}).out.contains("request list"));
        QVERIFY(runCli({u"request"_s, u"show"_s, u"--help"_s}).out.contains("request show NAME"));
    }

    void repeatAgainstTheDemo()
    {
        const QStringList scopes{u"--scope"_s, u"accounts:read"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s};
        CliRun run = send(QStringList{u"Local"_s, u"GET"_s, u"/accounts"_s, u"--repeat"_s, u"20"_s, u"--json"_s} + scopes);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        // One JSON object: the last run as a single send prints it, plus the summary.
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 200);
        QVERIFY(json.value(u"body"_s).isArray());
        const QJsonObject repeat = json.value(u"repeat"_s).toObject();
        QCOMPARE(repeat.value(u"requested"_s).toInt(), 20);
        QCOMPARE(repeat.value(u"count"_s).toInt(), 20);
        QCOMPARE(repeat.value(u"statuses"_s).toObject(), (QJsonObject{{u"200"_s, 20}}));
        QCOMPARE(repeat.value(u"token_requests"_s).toInt(), 1); // one token for all twenty
        QCOMPARE(repeat.value(u"exit_code"_s).toInt(), 0);
        const QJsonObject latency = repeat.value(u"latency_ms"_s).toObject();
        QVERIFY(latency.value(u"median"_s).toDouble() > 0);
        QVERIFY(latency.value(u"median"_s).toDouble() <= latency.value(u"p95"_s).toDouble());
        QVERIFY(latency.value(u"p95"_s).toDouble() <= latency.value(u"max"_s).toDouble());
        QVERIFY2(run.err.contains("Repeat: 20 of 20 requests in "), run.err.constData());
        QVERIFY(run.err.contains(", 1 token request\n"));
        QVERIFY(run.err.contains("Statuses: 200 ×20\n"));
        QVERIFY(run.err.contains("Latency: median "));
        QVERIFY(run.err.contains(" ms, p95 "));
        QVERIFY(run.err.contains(" ms, max "));
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());

        // In text, stdout holds the last body, once: twenty bodies would not parse as one document.
        run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--repeat"_s, u"20"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"demo-user"_s);
        QVERIFY(run.err.contains("Statuses: 200 ×20\n"));
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());
    }

    void repeatUsesOneTokenAndExitsWithTheWorstCode()
    {
        // The scripted API records every request: twenty arrive, all with the same bearer.
        m_api.setMode(ScriptedHttpServer::Mode::Respond);
        m_api.queueResponse(ScriptedHttpServer::response(503, "Service Unavailable", "text/plain", "down"));
        m_api.queueResponse(ScriptedHttpServer::response(404, "Not Found", "application/json", "{}"));
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        const int before = m_api.requestCount();
        const CliRun run = send({u"Scripted"_s, u"GET"_s, u"/x"_s, u"--repeat"_s, u"20"_s});
        QCOMPARE(run.exitCode, 9); // the highest of 9 (503), 8 (404) and 0
        QCOMPARE(run.out, "fine"_ba); // the last answer only
        QVERIFY2(run.err.contains("Statuses: 200 ×18, 404 ×1, 503 ×1\n"), run.err.constData());
        QVERIFY(run.err.contains("Repeat: 20 of 20 requests"));
        QVERIFY(run.err.contains(", 1 token request\n"));
        QCOMPARE(m_api.requestCount(), before + 20);
        QSet<QByteArray> bearers;
        for (const QByteArray &request : m_api.requests().mid(before)) {
            QVERIFY(request.startsWith("GET /api/x HTTP/1.1\r\n"));
            for (const QByteArray &line : request.split('\n')) {
                if (line.startsWith("Authorization: "))
                    bearers.insert(line.trimmed());
            }
        }
        QCOMPARE(bearers.size(), 1);
        QVERIFY(bearers.values().first().startsWith("Authorization: Bearer eyJ"));
    }

    void repeatRenewsAnExpiredToken()
    {
        // Tokens of one second, runs of 300 ms: the token runs out mid-way and a new one is fetched.
        DemoServer shortLived;
        shortLived.setTokenLifetime(1);
        QString error;
        QVERIFY2(shortLived.start(0, &error), qPrintable(error));
        addProfile(u"Short lived"_s, shortLived.tokenUrl(), shortLived.apiUrl());
        const CliRun run = send({u"Short lived"_s, u"GET"_s, u"/slow?ms=300"_s, u"--scope"_s, u"accounts:read"_s, u"--scope"_s,
                                 u"core.users:act-on-behalf-of"_s, u"--repeat"_s, u"6"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject repeat = run.json().value(u"repeat"_s).toObject();
        QCOMPARE(repeat.value(u"statuses"_s).toObject(), (QJsonObject{{u"200"_s, 6}}));
        QVERIFY2(repeat.value(u"token_requests"_s).toInt() >= 2, run.err.constData());
        QVERIFY(repeat.value(u"latency_ms"_s).toObject().value(u"median"_s).toDouble() >= 300);
    }

    void repeatStopsWhenNothingCanBeSent()
    {
        // Refused before sending: the next run would be refused the same way.
        CliRun run = send({u"Local"_s, u"GET"_s, u"/users/{{nobody}}"_s, u"--repeat"_s, u"50"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Repeat: 1 of 50 requests"), run.err.constData());
        QVERIFY(run.err.contains("Statuses: not_sent ×1"));
        QVERIFY(run.err.contains("Stopped early: run 1 ended with not_sent; the remaining 49 were not sent"));

        QProcessEnvironment wrong = QProcessEnvironment::systemEnvironment();
        wrong.insert(u"TB_SECRET"_s, u"wrong"_s);
        run = runCli(ws({u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--repeat"_s, u"10"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), wrong);
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(run.err.contains("Repeat: 1 of 10 requests"), run.err.constData());
        QVERIFY(run.err.contains("invalid_client"));

        for (const QString &bad : {u"0"_s, u"100001"_s, u"-3"_s, u"many"_s})
            QCOMPARE(send({u"Local"_s, u"GET"_s, u"/me"_s, u"--repeat"_s, bad}).exitCode, 2);
    }

    void savedRequests()
    {
        // Saved through the core, as the desktop app saves them.
        auto loaded = WorkspaceStore::load(m_workspace);
        QVERIFY2(loaded.ok(), qPrintable(loaded.message));
        Workspace workspace = *loaded.workspace;
        SavedRequest me;
        me.name = u"Me as alice"_s;
        me.folder = u"Users"_s;
        me.draft.url = u"/me"_s;
        me.draft.scopes = {u"core.users:act-on-behalf-of"_s};
        me.draft.extraVariables = {{u"userId"_s, u"alice"_s}};
        SavedRequest echo;
        echo.name = u"Echo"_s;
        echo.draft.method = u"POST"_s;
        echo.draft.url = u"/echo"_s;
        echo.draft.headers = {{u"X-Saved"_s, u"saved"_s, true}, {u"X-Keep"_s, u"kept"_s, true}};
        echo.draft.body = R"({"from":"{{userId}}"})";
        RequestDraft::InjectionSwitch noOnBehalf;
        noOnBehalf.headerName = u"X-On-Behalf-Of"_s;
        noOnBehalf.disabled = true;
        echo.draft.injectionSwitches = {noOnBehalf};
        QString error;
        QVERIFY2(workspace.upsertRequest(me, &error), qPrintable(error));
        QVERIFY2(workspace.upsertRequest(echo, &error), qPrintable(error));
        QVERIFY(WorkspaceStore::save(workspace, m_workspace).ok());

        CliRun run = send({u"Local"_s, u"--saved"_s, u"me as ALICE"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"alice"_s);
        run = send({u"Local"_s, u"--saved"_s, u"Me as alice"_s, u"--var"_s, u"userId=bob"_s}); // the command line wins
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"bob"_s);
        run = send({u"Local"_s, u"--saved"_s, u"Me as alice"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--scope"_s,
                    u"core.users:act-on-behalf-of"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains("acc-1001"));

        // What goes on the wire: the saved rows, switches and body; -H replaces a saved row.
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        run = send({u"Scripted"_s, u"--saved"_s, u"Echo"_s, u"-H"_s, u"X-Saved: cli"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QByteArray seen = m_api.requests().last();
        QVERIFY2(seen.startsWith("POST /api/echo HTTP/1.1\r\n"), seen.constData());
        QVERIFY(seen.contains("\r\nX-Saved: cli\r\n"));
        QVERIFY(!seen.contains("X-Saved: saved"));
        QVERIFY(seen.contains("\r\nX-Keep: kept\r\n"));
        QVERIFY(seen.contains("\r\nAuthorization: Bearer eyJ"));
        QVERIFY(!seen.contains("X-On-Behalf-Of")); // switched off in the saved request
        QVERIFY(seen.endsWith(R"({"from":"demo-user"})"));
        run = send({u"Scripted"_s, u"--saved"_s, u"Echo"_s, u"-H"_s, u"X-Saved:"_s, u"-H"_s, u"X-On-Behalf-Of: user 7"_s, u"-d"_s, u"[]"_s});
        QCOMPARE(run.exitCode, 0);
        seen = m_api.requests().last();
        QVERIFY(!seen.contains("X-Saved"));
        QVERIFY(seen.contains("\r\nX-On-Behalf-Of: user 7\r\n"));
        QVERIFY(seen.endsWith("\r\n\r\n[]"));

        run = send({u"Local"_s, u"--saved"_s, u"Me as alice"_s, u"--repeat"_s, u"5"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("Statuses: 200 ×5\n"));

        run = send({u"Local"_s, u"--saved"_s, u"Nope"_s});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("no saved request named \"Nope\""), run.err.constData());
        QVERIFY(run.err.contains("Me as alice, Echo"));
        QCOMPARE(send({u"Local"_s, u"--saved"_s, u"Echo"_s, u"GET"_s}).exitCode, 2);
        QCOMPARE(send({u"Local"_s}).exitCode, 2);

        // request list / show, in text and JSON.
        CliRun list = runCli(ws({u"request"_s, u"list"_s}));
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("Me as alice"));
        QVERIFY(list.out.contains("Users"));
        QVERIFY(list.out.contains("POST"));
        list = runCli(ws({u"--json"_s, u"request"_s, u"list"_s}));
        QCOMPARE(list.exitCode, 0);
        // After the Demo's example requests a new workspace starts with (StarterWorkspace).
        const QJsonArray requests = list.json().value(u"requests"_s).toArray();
        const qsizetype starter = StarterWorkspace::create().savedRequests().size();
        QCOMPARE(requests.size(), starter + 2);
        QCOMPARE(requests.at(starter + 1).toObject().value(u"name"_s).toString(), u"Echo"_s);
        CliRun show = runCli(ws({u"request"_s, u"show"_s, u"me as alice"_s, u"--json"_s}));
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(show.json().value(u"folder"_s).toString(), u"Users"_s);
        QCOMPARE(show.json().value(u"request"_s).toObject(), me.draft.toJson());
        show = runCli(ws({u"request"_s, u"show"_s, u"Echo"_s}));
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("POST /echo"));
        QVERIFY(show.out.contains("X-On-Behalf-Of: not sent"));
        QCOMPARE(runCli(ws({u"request"_s, u"show"_s, u"Nope"_s})).exitCode, 3);
        QCOMPARE(runCli(ws({u"request"_s})).exitCode, 2);
    }

    void multipartFormFields()
    {
        const QString path = m_dir.filePath(u"evidence.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"dispute":"D-1"})");
        file.close();
        m_api.setResponse(ScriptedHttpServer::response(201, "Created", "application/json", "{}"));
        CliRun run = send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"note=for {{userId}}"_s, u"-F"_s, u"evidence=@"_s + path,
                           u"--form-string"_s, u"raw=@not-a-file"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QByteArray seen = m_api.requests().constLast();
        const QByteArray typeLine = "\r\nContent-Type: multipart/form-data; boundary=";
        const qsizetype typeAt = seen.indexOf(typeLine);
        QVERIFY2(typeAt > 0, seen.constData());
        const qsizetype boundaryAt = typeAt + typeLine.size();
        const QByteArray boundary = seen.mid(boundaryAt, seen.indexOf("\r\n", boundaryAt) - boundaryAt);
        const QByteArray body = seen.mid(seen.indexOf("\r\n\r\n") + 4);
        QCOMPARE(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfor demo-user\r\n--" + boundary
                     + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"evidence.json\"\r\nContent-Type: application/json"
                       "\r\n\r\n{\"dispute\":\"D-1\"}\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"raw\"\r\n\r\n@not-a-file\r\n--"
                     + boundary + "--\r\n");
        QVERIFY(seen.contains("\r\nAuthorization: Bearer eyJ"));

        // Read as curl reads -F: a type after the file is noted and left, a quoted path may hold ';'.
        const QString odd = m_dir.filePath(u"a;b.json"_s);
        QVERIFY(QFile::copy(path, odd));
        run = send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"evidence=@"_s + path + u";type=application/pdf"_s, u"-F"_s,
                    u"odd=@\""_s + odd + u"\""_s, u"-F"_s, u"meta={\"a\":1};type=application/json"_s, u"-F"_s, u"tpl={{nobody}}"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("Note: what follows the file name of “evidence”"), run.err.constData());
        QVERIFY2(run.err.contains("Note: the type=application/json of “meta” is not kept"), run.err.constData());
        QVERIFY2(run.err.contains("{{nobody}} matches no variable"), run.err.constData()); // a warning, as in a body
        const QByteArray again = m_api.requests().constLast();
        QVERIFY(again.contains("filename=\"a;b.json\""));
        QVERIFY(again.contains("name=\"meta\"\r\n\r\n{\"a\":1}\r\n"));
        QVERIFY(again.contains("name=\"tpl\"\r\n\r\n{{nobody}}\r\n"));
        QCOMPARE(send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"f=@-"_s}).exitCode, 2);

        // Saved, it shows its fields.
        QCOMPARE(send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"evidence=@"_s + path, u"--form-string"_s, u"raw=@x"_s,
                       u"--save-as"_s, u"Upload"_s})
                     .exitCode,
                 0);
        const CliRun shown = runCli(ws({u"request"_s, u"show"_s, u"Upload"_s}));
        QVERIFY2(shown.out.contains("evidence=@" + path.toUtf8()), shown.out.constData());
        QVERIFY(shown.out.contains("raw=@x"));
        QCOMPARE(runCli(ws({u"request"_s, u"remove"_s, u"Upload"_s})).exitCode, 0);

        QCOMPARE(send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"a=1"_s, u"-d"_s, u"b=2"_s}).exitCode, 2);
        QCOMPARE(send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"novalue"_s}).exitCode, 2);
        const int before = m_api.requestCount();
        run = send({u"Scripted"_s, u"POST"_s, u"/documents"_s, u"-F"_s, u"evidence=@"_s + m_dir.filePath(u"missing.pdf"_s)});
        QCOMPARE(run.exitCode, 2); // nothing to send: the file cannot be read
        QVERIFY2(run.err.contains("missing.pdf"), run.err.constData());
        QCOMPARE(m_api.requestCount(), before);
    }

    void withoutLibcurlRequestsSayWhy()
    {
        // libcurl is loaded when the first token or API request is made: without it, commands
        // that make none still work, and a request says why it cannot go out.
        QProcessEnvironment env = secretEnv();
        env.insert(u"TOKENBENCH_LIBCURL"_s, m_dir.filePath(u"no-such-libcurl.so"_s));
        CliRun run = runCli(ws({u"env"_s, u"list"_s}), env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = runCli(ws({u"token"_s, u"Local"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), env);
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.err.contains("libcurl could not be loaded"), run.err.constData());
        const int before = m_api.requestCount();
        run = runCli(ws({u"send"_s, u"Scripted"_s, u"GET"_s, u"/me"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), env);
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.err.contains("libcurl could not be loaded"), run.err.constData());
        QCOMPARE(m_api.requestCount(), before);
    }

    void saveAsKeepsTheRequestAndRemoveForgetsIt()
    {
        CliRun run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--var"_s, u"userId=carol"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s,
                           u"--save-as"_s, u"Me as carol"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("Saved the request as \"Me as carol\""), run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"carol"_s);
        auto loaded = WorkspaceStore::load(m_workspace);
        QVERIFY2(loaded.ok(), qPrintable(loaded.message));
        const SavedRequest *saved = loaded.workspace->findRequest(u"me as carol"_s);
        QVERIFY(saved);
        const QString id = saved->id;
        QCOMPARE(saved->draft.method, u"GET"_s);
        QCOMPARE(saved->draft.url, u"/me"_s);
        QCOMPARE(saved->draft.scopes, QStringList{u"core.users:act-on-behalf-of"_s});
        QVERIFY(saved->draft.extraVariables.contains(QPair<QString, QString>(u"userId"_s, u"carol"_s)));

        // Sent again by name, then saved over under the same name (any case): replaced in place.
        run = send({u"Local"_s, u"--saved"_s, u"Me as carol"_s});
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"user"_s).toString(), u"carol"_s);
        run = send({u"Local"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read core.users:act-on-behalf-of"_s, u"--save-as"_s,
                    u"ME AS CAROL"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        loaded = WorkspaceStore::load(m_workspace);
        saved = loaded.workspace->findRequest(u"Me as carol"_s);
        QVERIFY(saved);
        QCOMPARE(saved->id, id);
        QCOMPARE(saved->name, u"ME AS CAROL"_s); // renamed as last typed
        QCOMPARE(saved->draft.url, u"/accounts"_s);
        int named = 0;
        for (const auto &request : loaded.workspace->savedRequests())
            named += request.name.compare(u"me as carol"_s, Qt::CaseInsensitive) == 0;
        QCOMPARE(named, 1);

        // A request carrying a credential is refused, and then nothing is sent either.
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        const int before = m_api.requestCount();
        run = send({u"Scripted"_s, u"GET"_s, u"/me"_s, u"-H"_s, u"Proxy-Authorization: Basic abc.def.ghi"_s, u"--save-as"_s, u"With token"_s});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("not saved") && run.err.contains("credential"), run.err.constData());
        QCOMPARE(m_api.requestCount(), before);
        // An override of the injected token is sent, but saved without it.
        run = send({u"Scripted"_s, u"GET"_s, u"/me"_s, u"-H"_s, u"Authorization: Bearer abc.def.ghi"_s, u"--save-as"_s, u"Overridden"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("was not saved"), run.err.constData());
        QVERIFY(m_api.requests().constLast().contains("\r\nAuthorization: Bearer abc.def.ghi\r\n"));
        loaded = WorkspaceStore::load(m_workspace);
        QVERIFY(loaded.workspace->findRequest(u"Overridden"_s));
        QVERIFY(!loaded.workspace->findRequest(u"Overridden"_s)->draft.switchFor(u"Authorization"_s));
        QCOMPARE(runCli(ws({u"request"_s, u"remove"_s, u"Overridden"_s})).exitCode, 0);
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(!stored.contains("With token"));
        QVERIFY(!stored.contains("abc.def.ghi"));
        QVERIFY(!stored.contains("eyJ"));
        QVERIFY(!stored.contains(DemoServer::clientSecret().toUtf8()));
        QCOMPARE(send({u"Local"_s, u"GET"_s, u"/me"_s, u"--save-as"_s, u" "_s}).exitCode, 2);

        run = runCli(ws({u"request"_s, u"remove"_s, u"me as CAROL"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains("Removed the saved request \"ME AS CAROL\""));
        QVERIFY(!runCli(ws({u"request"_s, u"list"_s})).out.toLower().contains("me as carol"));
        QCOMPARE(runCli(ws({u"request"_s, u"remove"_s, u"Me as carol"_s})).exitCode, 3);
    }

    void privateCertificatesAreTrustedOnlyWhenGiven()
    {
        QString cert;
        const auto server = selfSignedTlsServer(m_dir.path(), nullptr, &cert);
        if (!server)
            QSKIP("openssl could not make a test certificate");
        ScriptedHttpServer &api = *server;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "private fine"));
        addProfile(u"Private CA"_s, m_demo.tokenUrl(), api.url(u"/api"_s, u"https"_s));

        CliRun run = send({u"Private CA"_s, u"GET"_s, u"/me"_s});
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.err.contains("self-signed") || run.err.contains("self signed"), run.err.constData());
        QCOMPARE(api.requestCount(), 0);

        run = send({u"Private CA"_s, u"GET"_s, u"/me"_s, u"--cacert"_s, cert});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("private fine"));
        QCOMPARE(api.requestCount(), 1);
        QVERIFY(api.requests().constFirst().contains("\r\nAuthorization: Bearer eyJ"));

        run = send({u"Private CA"_s, u"GET"_s, u"/me"_s, u"--cacert"_s, m_workspace});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("holds no PEM certificate"), run.err.constData());
        QCOMPARE(runCli(ws({u"token"_s, u"Local"_s, u"--cacert"_s, m_dir.filePath(u"missing.pem"_s)})).exitCode, 2);
        QCOMPARE(api.requestCount(), 1);

        // The token endpoint behind the same kind of private CA: Qt's TLS gets the same trust.
        QTemporaryDir tokenDir;
        QString tokenCert;
        const auto tokenServer = selfSignedTlsServer(tokenDir.path(), nullptr, &tokenCert);
        QVERIFY(tokenServer);
        tokenServer->setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                              R"({"access_token":"opaque-private","token_type":"Bearer","expires_in":300})"));
        addProfile(u"Private token"_s, tokenServer->url(u"/oauth/token"_s, u"https"_s), api.url(u"/api"_s, u"https"_s));
        const QStringList token{u"token"_s, u"Private token"_s, u"--client-secret-env"_s, u"TB_SECRET"_s};
        run = runCli(ws(token), secretEnv());
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.err.contains("self-signed") || run.err.contains("self signed"), run.err.constData());
        QCOMPARE(tokenServer->requestCount(), 0);
        run = runCli(ws(token + QStringList{u"--cacert"_s, tokenCert}), secretEnv());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(tokenServer->requestCount(), 1);
        // Both private CAs at once: the token from one, the call to the other.
        run = send({u"Private token"_s, u"GET"_s, u"/me"_s, u"--cacert"_s, tokenCert, u"--cacert"_s, cert});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(api.requests().constLast().contains("\r\nAuthorization: Bearer opaque-private\r\n"));

        // Kept with the environment: every run trusts them, nothing else does.
        addProfile(u"Private kept"_s, tokenServer->url(u"/oauth/token"_s, u"https"_s), api.url(u"/api"_s, u"https"_s),
                   {u"--cacert"_s, tokenCert, u"--cacert"_s, cert});
        run = send({u"Private kept"_s, u"GET"_s, u"/me"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const CliRun shown = runCli(ws({u"env"_s, u"show"_s, u"Private kept"_s}));
        QCOMPARE(shown.out.count("Trusts"), 2);
        QVERIFY2(shown.out.contains("127.0.0.1 (valid until "), shown.out.constData());
        QCOMPARE(send({u"Private token"_s, u"GET"_s, u"/me"_s}).exitCode, 6);
        QCOMPARE(runCli(ws({u"env"_s, u"add"_s, u"Bad CA"_s, u"--token-url"_s, u"https://x.example/t"_s, u"--api-url"_s,
                            u"https://x.example/api"_s, u"--client-id"_s, u"c"_s, u"--cacert"_s, m_workspace}))
                     .exitCode,
                 2);
    }
    // Issue 9, item 3: `send --scope ''` asks for a token with no scope (as `token --scope ''`
    // does), not the environment's; --scope-match chooses how a held token may serve.
    void emptyScopeMeansNone()
    {
        addProfile(u"Scoped"_s, m_demo.tokenUrl(), m_demo.apiUrl(), {u"--scope"_s, u"accounts:read core.users:act-on-behalf-of"_s});
        CliRun run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scopes"_s).toArray(),
                 (QJsonArray{u"accounts:read"_s, u"core.users:act-on-behalf-of"_s}));
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scope_match"_s).toString(), u"at-least"_s);

        run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u""_s, u"--json"_s});
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scopes"_s).toArray(), QJsonArray());
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scope_match"_s).toString(), u"exact"_s);
        // The Demo gives a token asked for no scope its defaults, without the context header's scope.
        QCOMPARE(run.json().value(u"status"_s).toInt(), 403);
        QCOMPARE(run.exitCode, 8);

        run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--scope-match"_s, u"at-least"_s, u"--json"_s});
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scope_match"_s).toString(), u"at-least"_s);
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scopes"_s).toArray(), QJsonArray{u"accounts:read"_s});

        run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--scope-match"_s, u"at-least"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--scope"), run.err.constData());
        run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--scope-match"_s, u"most"_s});
        QCOMPARE(run.exitCode, 2);

        // Saved with --scope '': kept as "no scope", and sent that way again.
        run = send({u"Scoped"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u""_s, u"--save-as"_s, u"No scope"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 8);
        run = runCli(ws({u"request"_s, u"show"_s, u"No scope"_s, u"--json"_s}));
        QCOMPARE(run.json().value(u"request"_s).toObject().value(u"scopes"_s).toArray(), QJsonArray());
        QVERIFY(run.json().value(u"request"_s).toObject().contains(u"scopes"_s));
        run = send({u"Scoped"_s, u"--saved"_s, u"No scope"_s, u"--json"_s});
        QCOMPARE(run.json().value(u"token"_s).toObject().value(u"scopes"_s).toArray(), QJsonArray());
        run = runCli(ws({u"request"_s, u"remove"_s, u"No scope"_s}));
        QCOMPARE(run.exitCode, 0);
    }
    // Issue 9, item 8: scripts decide what counts as success.
    void expectStatus()
    {
        const QStringList negative{u"Local"_s, u"GET"_s, u"/accounts"_s, u"--scope"_s, u"accounts:read"_s};
        CliRun run = send(negative + QStringList{u"--expect-status"_s, u"403"_s});
        QCOMPARE(run.exitCode, 0); // the 403 a negative test wants
        QVERIFY2(!run.err.contains("expected status"), run.err.constData());

        run = send(QStringList{u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--expect-status"_s, u"403,409"_s});
        QCOMPARE(run.exitCode, 11); // an unexpected 200 fails it
        QVERIFY2(run.err.contains("expected status 403 or 409, got 200 OK"), run.err.constData());
        QVERIFY(run.out.contains("demo-user")); // the body is printed all the same

        run = send(negative + QStringList{u"--expect-status"_s, u"2xx"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 11);
        QCOMPARE(run.json().value(u"status"_s).toInt(), 403);
        QCOMPARE(run.json().value(u"expected_status"_s).toArray(), QJsonArray{u"2xx"_s});
        QCOMPARE(run.json().value(u"status_expected"_s).toBool(true), false);
        run = send(negative + QStringList{u"--expect-status"_s, u"200"_s, u"--expect-status"_s, u"4xx"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.json().value(u"status_expected"_s).toBool(), true);

        // Without an answer the usual codes stay: an expected status does not hide a transport failure.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = probe.serverPort();
        probe.close();
        QCOMPARE(send({u"Local"_s, u"GET"_s, u"http://127.0.0.1:%1/x"_s.arg(freePort), u"--expect-status"_s, u"200"_s}).exitCode, 6);

        for (const QString &bad : {u"20"_s, u"600"_s, u"ok"_s, u"200,"_s, u"6xx"_s}) {
            run = send(QStringList{u"Local"_s, u"GET"_s, u"/me"_s, u"--expect-status"_s, bad});
            QVERIFY2(run.exitCode == 2, qPrintable(bad));
            QVERIFY2(run.err.contains("--expect-status"), run.err.constData());
        }

        // --repeat: every run is judged the same way.
        run = send(negative + QStringList{u"--expect-status"_s, u"403"_s, u"--repeat"_s, u"3"_s});
        QCOMPARE(run.exitCode, 0);
        run = send(negative + QStringList{u"--expect-status"_s, u"200"_s, u"--repeat"_s, u"2"_s});
        QCOMPARE(run.exitCode, 11);

        const CliRun help = runCli({u"send"_s, u"--help"_s});
        QVERIFY(help.out.contains("--expect-status"));
        QVERIFY(runCli({u"--help"_s}).out.contains("  11 send"));
    }

    void jsonAlwaysCarriesTheStatus()
    {
        CliRun run = send({u"Local"_s, u"GET"_s, u"/users/{{nobody}}"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.json().contains(u"status"_s));
        QVERIFY(run.json().value(u"status"_s).isNull());

        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = probe.serverPort();
        probe.close();
        run = send({u"Local"_s, u"GET"_s, u"http://127.0.0.1:%1/x"_s.arg(freePort), u"--json"_s});
        QCOMPARE(run.exitCode, 6);
        QVERIFY(run.json().contains(u"status"_s) && run.json().value(u"status"_s).isNull());

        // Failures before anything is built: an unknown environment, a production write without --yes.
        run = send({u"Nowhere"_s, u"GET"_s, u"/me"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.json().contains(u"status"_s) && run.json().value(u"status"_s).isNull(), run.out.constData());
        addProfile(u"Prod json"_s, m_demo.tokenUrl(), m_demo.apiUrl(), {u"--tier"_s, u"production"_s});
        run = send({u"Prod json"_s, u"DELETE"_s, u"/trades/1"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 10);
        QVERIFY2(run.json().contains(u"status"_s) && run.json().value(u"status"_s).isNull(), run.out.constData());

        m_api.setResponse(ScriptedHttpServer::response(503, "Service Unavailable", "text/html", "<h1>down</h1>"));
        run = send({u"Scripted"_s, u"GET"_s, u"/x"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 9);
        QCOMPARE(run.json().value(u"status"_s).toInt(), 503);
    }

    void verboseShowsTheTokenRequest()
    {
        const CliRun run = send({u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s, u"--verbose"_s});
        QCOMPARE(run.exitCode, 0);
        const QByteArray tokenLine = "> POST " + m_demo.tokenUrl().toString().toUtf8();
        QVERIFY2(run.err.contains(tokenLine), run.err.constData());
        QVERIFY(run.err.contains("* token request, scopes: core.users:act-on-behalf-of"));
        QVERIFY(run.err.contains("> Authorization: Basic ••••"));
        QVERIFY(run.err.contains("grant_type=client_credentials"));
        // The token request comes first, then the API request.
        QVERIFY(run.err.indexOf(tokenLine) < run.err.indexOf("> GET "));
        QVERIFY2(noLeaks(run).isEmpty(), noLeaks(run).constData());
        QVERIFY(!run.err.contains(QByteArray("demo-client:demo-secret").toBase64()));
    }

    void bodyOnATerminalEndsWithALineBreak()
    {
        const QStringList args = ws({u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--scope"_s, u"core.users:act-on-behalf-of"_s,
                                     u"--client-secret-env"_s, u"TB_SECRET"_s});
        // Piped: byte for byte what the API sent, which has no final line break.
        const CliRun piped = runCli(args, secretEnv());
        QCOMPARE(piped.exitCode, 0);
        QVERIFY2(piped.out.endsWith('}'), piped.out.constData());

        // On a terminal: the same body and a line break, so the prompt starts on its own line.
#if !defined(Q_OS_LINUX) && !defined(Q_OS_MACOS)
        QSKIP("needs a pseudo-terminal");
#else
        QByteArray onTerminal;
        QCOMPARE(runCliOnTerminal(args, secretEnv(), STDOUT_FILENO, &onTerminal), 0);
        onTerminal.replace("\r\n", "\n"); // the terminal's own translation of a line break
        QCOMPARE(onTerminal, piped.out + '\n');
#endif
    }

    // "http//host/x" appended to the API base would be a path nobody meant: a hint, nothing sent.
    void urlWithoutSchemeSeparatorIsNotAppended()
    {
        m_api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", "{}"));
        const int before = m_api.requestCount();
        const QList<QPair<QString, QByteArray>> cases{{u"http//127.0.0.1:9/x"_s, "\"http://127.0.0.1:9/x\""},
                                                      {u"https:/api.example.com/v1"_s, "\"https://api.example.com/v1\""},
                                                      {u"HTTPS:api.example.com"_s, "\"https://api.example.com\""},
                                                      {u"localhost:8080/x"_s, "\"http://localhost:8080/x\""},
                                                      {u"api.example.com:8443"_s, "\"https://api.example.com:8443\""},
                                                      {u"10.0.0.7/status"_s, "\"https://10.0.0.7/status\""}};
        for (const auto &[given, suggested] : cases) {
            const CliRun run = send({u"Scripted"_s, u"GET"_s, given});
            QVERIFY2(run.exitCode == 2, qPrintable(given));
            QVERIFY2(run.err.contains("looks like a URL without \"://\""), run.err.constData());
            QVERIFY2(run.err.contains("Did you mean " + suggested), run.err.constData());
        }
        QCOMPARE(m_api.requestCount(), before); // nothing was sent, no token was asked for
        // Paths stay paths.
        for (const QString &path : {u"/me"_s, u"me"_s, u"v1.2/items"_s, u"users/7"_s, u"http/status"_s}) {
            const CliRun run = send({u"Scripted"_s, u"GET"_s, path});
            QVERIFY2(run.exitCode == 0, qPrintable(path + u": "_s + QString::fromUtf8(run.err)));
        }
        QCOMPARE(m_api.requestCount(), before + 5);
    }

    void didYouMean()
    {
        const QList<QPair<QStringList, QByteArray>> cases{
            {{u"sned"_s, u"Local"_s, u"GET"_s, u"/me"_s}, "unknown command \"sned\". Did you mean \"send\"?"},
            {{u"tokne"_s, u"Local"_s}, "Did you mean \"token\"?"},
            {{u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--scop"_s, u"x"_s}, "Did you mean \"--scope\"?"},
            {{u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--incldue"_s}, "Did you mean \"--include\"?"},
            {{u"send"_s, u"Local"_s, u"GET"_s, u"/me"_s, u"--expect"_s, u"200"_s}, "Did you mean \"--expect-status\"?"},
            {{u"--jsno"_s, u"env"_s, u"list"_s}, "Did you mean \"--json\"?"},
            {{u"env"_s, u"lst"_s}, "Did you mean \"list\"?"},
            {{u"request"_s, u"shwo"_s, u"x"_s}, "Did you mean \"show\"?"},
            {{u"token"_s, u"Local"_s, u"--show-tokn"_s}, "Did you mean \"--show-token\"?"},
        };
        for (const auto &[args, hint] : cases) {
            const CliRun run = runCli(ws(args));
            QVERIFY2(run.exitCode == 2, qPrintable(args.join(u' ')));
            QVERIFY2(run.err.contains(hint), run.err.constData());
        }
        // Nothing close: no guess.
        const CliRun run = runCli(ws({u"frobnicate"_s}));
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.err.contains("Did you mean"));
    }
};

QTEST_GUILESS_MAIN(TestCliSend)
#include "tst_cli_send.moc"
