#include "contract/YamlToJson.h"
#include "demo/DemoServer.h"
#include "matrix/MatrixReport.h"
#include "support/CliRunner.h"
#include "support/ScriptedHttpServer.h"
#include "workspace/WorkspaceStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

#include <csignal>


using namespace Qt::StringLiterals;

// `tokenbench-cli matrix` and `matrix merge` end to end: the real binary against Demo APIs in
// this process — a sound one, and one started with the test-only flaw that lets GET
// /api/customers through without its scope — and a server that records any connection at all.
class TestCliMatrix : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    DemoServer m_flawed;
    ScriptedHttpServer m_trap; // must never hear from a dry run or a refused production run
    QString m_workspace;
    QString m_plan;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        return env;
    }

    CliRun matrix(const QStringList &rest)
    {
        return runCli(ws(QStringList{u"matrix"_s} + rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv());
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void addProfile(const QString &name, const QUrl &tokenUrl, const QUrl &apiUrl, const QStringList &extra = {})
    {
        // The Demo's scopes as the environment's, so the planner knows the catalog (the unrelated
        // read scope, the on-behalf-of scope) as it does for the built-in Demo.
        const CliRun run = runCli(ws(QStringList{u"env"_s, u"add"_s, name, u"--token-url"_s, tokenUrl.toString(), u"--api-url"_s,
                                                 apiUrl.toString(), u"--client-id"_s, DemoServer::clientId(), u"--header"_s,
                                                 u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=demo-user"_s, u"--scope"_s,
                                                 u"accounts:read trades:read trades:execute customers:read customers:write core.users:act-on-behalf-of"_s,
                                                 u"--replace"_s}
                                     + extra));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    static QByteArray leaks(const CliRun &run, const QStringList &files = {})
    {
        QByteArray all = run.out + run.err;
        for (const QString &file : files) {
            QFile f(file);
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        if (all.contains("eyJ"))
            return "a JWT in the output or a report";
        if (all.contains(DemoServer::clientSecret().toUtf8()))
            return "the client secret in the output or a report";
        return {};
    }

    static QStringList cellIds(const QJsonObject &report)
    {
        QStringList ids;
        for (const QJsonValue &result : report.value(u"results"_s).toArray())
            ids.append(result.toObject().value(u"cellId"_s).toString());
        return ids;
    }

    static QJsonObject readJson(const QString &file)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    // The JUnit file as a CI reader takes it: the test cases, and the type of each failure.
    static QMap<QString, QString> junitCases(const QString &file, QString *error)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = u"cannot open "_s + file;
            return {};
        }
        QMap<QString, QString> cases;
        QXmlStreamReader xml(&f);
        QString current;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == u"testcase"_s) {
                current = xml.attributes().value(u"name"_s).toString();
                cases.insert(current, u"passed"_s);
            } else if (xml.name() == u"failure"_s || xml.name() == u"error"_s) {
                cases.insert(current, xml.attributes().value(u"type"_s).toString());
            } else if (xml.name() == u"skipped"_s) {
                cases.insert(current, u"skipped"_s);
            }
        }
        if (xml.hasError())
            *error = xml.errorString();
        return cases;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = path(u"workspace.json"_s);
        m_plan = QDir(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR")).filePath(u"resources/plans/demo.json"_s);
        QVERIFY2(QFile::exists(m_plan), qPrintable(m_plan));
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        m_flawed.setOverPermissiveForTests(true);
        QVERIFY2(m_flawed.start(0, &error), qPrintable(error));
        QVERIFY(m_trap.listen());
        m_trap.setResponse(ScriptedHttpServer::response(500, "Trap", "text/plain", "this server must not be reached"));
        addProfile(u"Local"_s, m_demo.tokenUrl(), m_demo.apiUrl());
        addProfile(u"Flawed"_s, m_flawed.tokenUrl(), m_flawed.apiUrl());
        addProfile(u"Trap"_s, m_trap.url(u"/oauth/token"_s), m_trap.url(u"/api"_s));
        addProfile(u"Prod trap"_s, m_trap.url(u"/oauth/token"_s), m_trap.url(u"/api"_s), {u"--tier"_s, u"production"_s});
        addProfile(u"Prod demo"_s, m_demo.tokenUrl(), m_demo.apiUrl(), {u"--tier"_s, u"production"_s});
    }

    void helpDocumentsMatrix()
    {
        CliRun run = runCli({u"matrix"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *needle : {"matrix [PLAN] --env NAME", "--openapi FILE", "--shard K/N", "--concurrency N", "--junit FILE", "--html FILE",
                                   "--report FILE", "--dry-run", "--read-only", "--allow-production", "--client-secret-env VAR",
                                   "  15  an expectation failed", "  10  a production environment"})
            QVERIFY2(run.out.contains(needle), needle);
        run = runCli({u"matrix"_s, u"merge"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("matrix merge REPORT.json..."));
        run = runCli({u"--help"_s});
        QVERIFY(run.out.contains("  15 matrix: an expectation failed"));
        QVERIFY(run.out.contains("  matrix merge"));
    }

    void everyExpectationHoldsOnTheDemo()
    {
        const QString junit = path(u"sound.xml"_s);
        const QString html = path(u"sound.html"_s);
        const QString report = path(u"sound.json"_s);
        const CliRun run = matrix({m_plan, u"--env"_s, u"Local"_s, u"--junit"_s, junit, u"--html"_s, html, u"--report"_s, report});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        // The summary table: a row per request, statuses under their kind of scope set.
        QVERIFY2(run.out.contains("REQUEST"), run.out.constData());
        QVERIFY(run.out.contains("GET List customers"));
        QVERIFY(run.out.contains("Every expectation holds: 23 cells: 23 as expected."));
        QVERIFY(!run.out.contains("Over-permissive"));
        // One token per distinct scope set, reused by every cell that asks for the same scopes.
        QVERIFY2(run.out.contains("11 tokens minted"), run.out.constData());
        QVERIFY2(leaks(run, {junit, html, report}).isEmpty(), leaks(run, {junit, html, report}).constData());
        const QJsonObject json = readJson(report);
        QCOMPARE(json.value(u"totalCells"_s).toInt(), 23);
        QCOMPARE(json.value(u"results"_s).toArray().size(), 23);
        QCOMPARE(json.value(u"summary"_s).toObject().value(u"passed"_s).toBool(), true);
        QString error;
        const auto cases = junitCases(junit, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(cases.size(), 23);
        QCOMPARE(QSet<QString>(cases.cbegin(), cases.cend()), QSet<QString>{u"passed"_s});
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        QVERIFY(page.readAll().contains("Every expectation holds"));
    }

    void progressLinesOnlyOnATerminal()
    {
        const QStringList args = ws({u"matrix"_s, m_plan, u"--env"_s, u"Local"_s, u"--client-secret-env"_s, u"TB_SECRET"_s});
        const CliRun piped = runCli(args, secretEnv());
        QCOMPARE(piped.exitCode, 0);
        QVERIFY2(!piped.err.contains("/23]"), piped.err.constData());
#if !defined(Q_OS_LINUX) && !defined(Q_OS_MACOS)
        QSKIP("needs a pseudo-terminal");
#else
        QByteArray onTerminal;
        QCOMPARE(runCliOnTerminal(args, secretEnv(), STDERR_FILENO, &onTerminal), 0);
        // A line per finished cell, counted up to the shard's cells.
        const QList<QByteArray> lines = onTerminal.replace("\r\n", "\n").trimmed().split('\n');
        QCOMPARE(lines.size(), 23);
        QVERIFY2(lines.last().startsWith("[23/23] as expected"), lines.last().constData());
        QVERIFY2(lines.first().startsWith("[ 1/23] "), lines.first().constData());
        QVERIFY(onTerminal.contains("List customers — without customers:read: 403"));
#endif
    }

    void overPermissiveEndpointFailsTheRun()
    {
        const QString junit = path(u"flawed.xml"_s);
        const QString html = path(u"flawed.html"_s);
        const CliRun run = matrix({m_plan, u"--env"_s, u"Flawed"_s, u"--junit"_s, junit, u"--html"_s, html, u"--concurrency"_s, u"8"_s});
        QVERIFY2(run.exitCode == 15, run.out + run.err);
        // The finding, with the exchange that proves it: a 200 to a token without customers:read.
        const qsizetype finding = run.out.indexOf("Over-permissive (1):");
        QVERIFY2(finding >= 0, run.out.constData());
        const QByteArray section = run.out.mid(finding);
        QVERIFY2(section.contains("GET List customers — without customers:read"), section.constData());
        QVERIFY(section.contains("expected 403, got 200"));
        QVERIFY(section.contains("/api/customers"));
        QVERIFY(section.contains("HTTP/1.1 200"));
        QVERIFY(section.contains("Authorization: Bearer ••••"));
        QVERIFY(run.out.contains("Expectations failed: 23 cells: 22 as expected, 1 over-permissive."));
        QVERIFY2(leaks(run, {junit, html}).isEmpty(), leaks(run, {junit, html}).constData());

        QString error;
        const auto cases = junitCases(junit, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(cases.value(u"List customers — without customers:read"_s), u"over-permissive"_s);
        QCOMPARE(cases.values().count(u"passed"_s), 22);
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QByteArray text = page.readAll();
        QVERIFY(text.contains("class=\"cell v-over-permissive\""));
        QVERIFY(text.contains("Expectations failed"));

        // --json prints the report itself for scripts.
        const CliRun json = matrix({m_plan, u"--env"_s, u"Flawed"_s, u"--json"_s});
        QCOMPARE(json.exitCode, 15);
        QCOMPARE(json.json().value(u"summary"_s).toObject().value(u"over-permissive"_s).toInt(), 1);
    }

    void shardsCoverEveryCellOnceAndMerge()
    {
        const CliRun whole = matrix({m_plan, u"--env"_s, u"Local"_s, u"--json"_s});
        QCOMPARE(whole.exitCode, 0);
        const QStringList all = cellIds(whole.json());
        QCOMPARE(all.size(), 23);

        QStringList reports;
        QStringList seen;
        for (int k = 1; k <= 3; ++k) {
            const QString report = path(u"shard-%1.json"_s.arg(k));
            const CliRun run = matrix({m_plan, u"--env"_s, u"Local"_s, u"--shard"_s, u"%1/3"_s.arg(k), u"--report"_s, report});
            QVERIFY2(run.exitCode == 0, run.out + run.err);
            QVERIFY2(run.out.contains(QByteArray("shard ") + QByteArray::number(k) + "/3"), run.out.constData());
            const QJsonObject json = readJson(report);
            QCOMPARE(json.value(u"shard"_s).toString(), u"%1/3"_s.arg(k));
            QCOMPARE(json.value(u"totalCells"_s).toInt(), 23);
            seen += cellIds(json);
            reports.append(report);
        }
        // Together exactly once each: nothing twice, nothing left out.
        QCOMPARE(seen.size(), all.size());
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()), QSet<QString>(all.cbegin(), all.cend()));

        const QString junit = path(u"merged.xml"_s);
        const QString merged = path(u"merged.json"_s);
        CliRun run = runCli(ws(QStringList{u"matrix"_s, u"merge"_s} + reports + QStringList{u"--junit"_s, junit, u"--report"_s, merged}));
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QVERIFY2(run.out.contains("merged from 3 shards (1/3, 2/3, 3/3)"), run.out.constData());
        QVERIFY(run.out.contains("Every expectation holds: 23 cells: 23 as expected."));
        const QJsonObject json = readJson(merged);
        QCOMPARE(json.value(u"results"_s).toArray().size(), 23);
        QString error;
        QCOMPARE(junitCases(junit, &error).size(), 23);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        // A shard missing: the merge says which and fails, in its exit code and its JUnit.
        run = runCli(ws({u"matrix"_s, u"merge"_s, reports.at(0), reports.at(2), u"--junit"_s, junit}));
        QVERIFY2(run.exitCode == 15, run.out + run.err);
        QVERIFY2(run.out.contains("not merged: shard 2/3"), run.out.constData());
        QCOMPARE(junitCases(junit, &error).value(u"every cell of the plan ran"_s), u"missing"_s);

        // The same shard twice is refused.
        run = runCli(ws({u"matrix"_s, u"merge"_s, reports.at(0), reports.at(0)}));
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains("shard 1/3 is in both"), run.err.constData());
    }

    void mergeRefusesShardsOfAnotherRun()
    {
        const QString sound = path(u"other-sound.json"_s);
        const QString flawed = path(u"other-flawed.json"_s);
        QCOMPARE(matrix({m_plan, u"--env"_s, u"Local"_s, u"--shard"_s, u"1/2"_s, u"--report"_s, sound}).exitCode, 0);
        QCOMPARE(matrix({m_plan, u"--env"_s, u"Flawed"_s, u"--shard"_s, u"2/2"_s, u"--report"_s, flawed}).exitCode, 15);
        CliRun run = runCli(ws({u"matrix"_s, u"merge"_s, sound, flawed}));
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains("other-flawed.json for \"Flawed\""), run.err.constData());

        QFile junk(path(u"junk.json"_s));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{\"format\": \"something\"}");
        junk.close();
        run = runCli(ws({u"matrix"_s, u"merge"_s, sound, junk.fileName()}));
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains("junk.json: format: not a Tokenbench matrix report"), run.err.constData());
        QCOMPARE(runCli(ws({u"matrix"_s, u"merge"_s})).exitCode, 2);
    }

    void dryRunSendsNothing()
    {
        // No secret given and none in the keychain: a dry run needs none, as it asks for no token.
        CliRun run = runCli(ws({u"matrix"_s, m_plan, u"--env"_s, u"Trap"_s, u"--dry-run"_s}));
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QVERIFY2(run.out.contains("Dry run: nothing was sent."), run.out.constData());
        QVERIFY(run.out.contains("GET List customers  /customers"));
        QVERIFY(run.out.contains("  without customers:read"));
        QVERIFY(run.out.contains("Tokens it would mint (11)"));
        QVERIFY(run.out.contains("  core.users:act-on-behalf-of customers:read"));
        QVERIFY(run.out.contains("Sent without a token: 6 cells."));
        run = runCli(ws({u"matrix"_s, m_plan, u"--env"_s, u"Trap"_s, u"--dry-run"_s, u"--json"_s, u"--shard"_s, u"2/3"_s, u"--read-only"_s}));
        QCOMPARE(run.exitCode, 0);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"dryRun"_s).toBool(), true);
        QCOMPARE(json.value(u"totalCells"_s).toInt(), 23);
        QVERIFY(json.value(u"cells"_s).toArray().size() < 23);
        for (const QJsonValue &cell : json.value(u"cells"_s).toArray()) {
            const QString method = cell.toObject().value(u"method"_s).toString();
            QCOMPARE(cell.toObject().value(u"sent"_s).toBool(), method == u"GET"_s);
        }
        QTest::qWait(100);
        QCOMPARE(m_trap.connectionCount(), 0);
    }

    void productionIsRefusedWithoutTheFlag()
    {
        CliRun run = matrix({m_plan, u"--env"_s, u"Prod trap"_s});
        QVERIFY2(run.exitCode == 10, run.out + run.err);
        QVERIFY2(run.err.contains("--allow-production"), run.err.constData());
        QVERIFY(run.err.contains("Nothing was sent"));
        QTest::qWait(100);
        QCOMPARE(m_trap.connectionCount(), 0);

        // With it, the run goes (read-only here: a production run of a QA team usually is).
        run = matrix({m_plan, u"--env"_s, u"Prod demo"_s, u"--allow-production"_s, u"--read-only"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QCOMPARE(run.json().value(u"summary"_s).toObject().value(u"skipped"_s).toInt(), 8); // POST and PATCH × 4
    }

    void planFromOpenApiAndFromTheWorkspace()
    {
        QFile document(path(u"openapi.json"_s));
        QVERIFY(document.open(QIODevice::WriteOnly));
        document.write(R"({"openapi": "3.0.3", "info": {"title": "Demo subset", "version": "1"},
            "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "/oauth/token", "scopes": {"accounts:read": "read accounts", "trades:read": "read trades"}}}}}},
            "paths": {"/accounts": {"get": {"operationId": "listAccounts", "security": [{"oauth": ["accounts:read"]}],
                                             "responses": {"200": {"description": "ok"}}}}}})");
        document.close();
        CliRun run = matrix({u"--openapi"_s, document.fileName(), u"--env"_s, u"Local"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QCOMPARE(run.json().value(u"source"_s).toString().startsWith(u"openapi"_s), true);
        QCOMPARE(run.json().value(u"totalCells"_s).toInt(), 4);

        // No plan and no --openapi: the workspace's saved requests that document their scopes.
        const auto saved = WorkspaceStore::update(m_workspace, [](Workspace &workspace, QString *) {
            SavedRequest request;
            request.id = u"saved-trades"_s;
            request.name = u"Trades"_s;
            request.draft.url = u"/trades"_s;
            request.requiredScopes = {ScopeRequirement{u"oauth"_s, {u"trades:read"_s}}};
            request.successStatus = 200;
            QList<SavedRequest> requests = workspace.savedRequests();
            requests.append(request);
            workspace.setSavedRequests(requests);
            return true;
        });
        QVERIFY2(saved.ok(), qPrintable(saved.message));
        run = matrix({u"--env"_s, u"Local"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QCOMPARE(run.json().value(u"source"_s).toString(), u"workspace"_s);
        int tradesCells = 0;
        for (const QJsonValue &result : run.json().value(u"results"_s).toArray())
            tradesCells += result.toObject().value(u"requestId"_s).toString() == u"saved-trades"_s ? 1 : 0;
        QCOMPARE(tradesCells, 4); // needed, without trades:read, on behalf, no token

        // The built-in Demo with no plan at all: its example requests document their scopes.
        run = matrix({u"--env"_s, u"Demo"_s});
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QVERIFY2(run.out.contains("Every expectation holds"), run.out.constData());
    }

    // The example workflow runs what this binary accepts: every option it gives `matrix` and
    // `matrix merge` is one their --help documents, and the shards' reports are what merge reads.
    void exampleWorkflowUsesRealOptions()
    {
        QFile file(QDir(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR")).filePath(u"docs/examples/scope-matrix.yml"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        const auto workflow = YamlToJson::convert(file.readAll(), &error);
        QVERIFY2(workflow && workflow->isObject(), qPrintable(error));
        const QJsonObject jobs = workflow->toObject().value(u"jobs"_s).toObject();
        QCOMPARE(jobs.keys(), (QStringList{u"merge"_s, u"shard"_s}));
        QCOMPARE(jobs.value(u"merge"_s).toObject().value(u"needs"_s).toString(), u"shard"_s);
        const QJsonArray shards = jobs.value(u"shard"_s).toObject().value(u"strategy"_s).toObject().value(u"matrix"_s).toObject().value(u"shard"_s).toArray();
        QVERIFY(shards.size() >= 2);

        const QByteArray runHelp = runCli({u"matrix"_s, u"--help"_s}).out;
        const QByteArray mergeHelp = runCli({u"matrix"_s, u"merge"_s, u"--help"_s}).out;
        const QRegularExpression option(u"(--[a-z-]+)"_s);
        int commands = 0;
        for (const QString &jobName : jobs.keys()) {
            for (const QJsonValue &step : jobs.value(jobName).toObject().value(u"steps"_s).toArray()) {
                const QString run = step.toObject().value(u"run"_s).toString();
                const qsizetype at = run.indexOf(u"tokenbench-cli matrix"_s);
                if (at < 0)
                    continue;
                ++commands;
                const bool merge = run.mid(at).startsWith(u"tokenbench-cli matrix merge"_s);
                QCOMPARE(merge, jobName == u"merge"_s);
                for (auto it = option.globalMatch(run.mid(at)); it.hasNext();) {
                    const QString name = it.next().captured(1);
                    QVERIFY2((merge ? mergeHelp : runHelp).contains(name.toUtf8() + ' '), qPrintable(jobName + u": "_s + name));
                }
                if (!merge) {
                    QVERIFY(run.contains(u"--shard ${{ matrix.shard }}/${{ strategy.job-total }}"_s));
                    QVERIFY(run.contains(u"--report shard-${{ matrix.shard }}.json"_s));
                } else {
                    QVERIFY(run.contains(u"shards/shard-*.json"_s));
                    QVERIFY(run.contains(u"--junit"_s));
                }
            }
        }
        QCOMPARE(commands, 2);
    }

    // Ctrl-C in the middle of a run: the cells finished so far are printed and written — JSON,
    // JUnit and HTML — marked as interrupted, and the exit code is 130. The API answers the
    // first five requests and then stops answering, so the interrupt lands with exactly five
    // cells finished and the sixth waiting.
    void ctrlCReportsTheCellsFinished()
    {
#if !defined(Q_OS_UNIX)
        QSKIP("needs POSIX signals");
#else
        const CliRun whole = matrix({m_plan, u"--env"_s, u"Local"_s, u"--json"_s, u"--concurrency"_s, u"1"_s});
        QCOMPARE(whole.exitCode, 0);
        const QStringList order = cellIds(whole.json());
        QCOMPARE(order.size(), 23);

        ScriptedHttpServer slow;
        QVERIFY(slow.listen());
        slow.setResponse(ScriptedHttpServer::response(403, "Forbidden", "application/json", "{\"error\":\"insufficient_scope\"}"));
        slow.setStallAfter(5);
        addProfile(u"Slow"_s, m_demo.tokenUrl(), slow.url(u"/api"_s));
        const QString report = path(u"interrupted.json"_s);
        const QString junit = path(u"interrupted.xml"_s);
        const QString html = path(u"interrupted.html"_s);
        QProcess process;
        process.setProcessEnvironment(secretEnv());
        process.start(QStringLiteral(TOKENBENCH_CLI),
                      ws({u"matrix"_s, m_plan, u"--env"_s, u"Slow"_s, u"--concurrency"_s, u"1"_s, u"--report"_s, report, u"--junit"_s, junit,
                          u"--html"_s, html, u"--client-secret-env"_s, u"TB_SECRET"_s}));
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(slow.requestCount() == 6, 20000); // the sixth cell's request, never answered
        QTest::qWait(100);
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, 20000);
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 130, out + err);
        QVERIFY2(err.contains("interrupted; the run was stopped after 5 of 23 cells, which the report holds"), err.constData());
        QVERIFY2(out.contains("5 cells: ") && out.contains("18 missing; interrupted."), out.constData());

        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        const auto read = MatrixReport::fromBytes(file.readAll(), &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(read->interrupted);
        QCOMPARE(read->totalCells, 23);
        QCOMPARE(read->missingCells(), 18);
        QStringList ids;
        for (const MatrixCellResult &result : read->results)
            ids.append(result.cellId);
        QCOMPARE(ids, order.mid(0, 5)); // exactly the cells that finished, in order
        QCOMPARE(readJson(report).value(u"interrupted"_s).toBool(), true);
        QVERIFY2(read->notes.join(u'\n').contains(u"interrupted (Ctrl-C) after 5 of 23 cells"_s), qPrintable(read->notes.join(u'\n')));

        const auto cases = junitCases(junit, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(cases.size(), 6); // the five cells, and the completeness case
        QCOMPARE(cases.value(u"every cell of the plan ran"_s), u"interrupted"_s);
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        QVERIFY(page.readAll().contains("18 missing; interrupted"));
        QVERIFY2(leaks({0, out, err, {}}, {report, junit, html}).isEmpty(), "a secret in the output or a report");
#endif
    }

    void usageErrors()
    {
        QCOMPARE(matrix({m_plan}).exitCode, 2); // no --env
        CliRun run = matrix({m_plan, u"--env"_s, u"Local"_s, u"--shard"_s, u"4/3"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--shard"), run.err.constData());
        QCOMPARE(matrix({m_plan, u"--env"_s, u"Local"_s, u"--concurrency"_s, u"0"_s}).exitCode, 2);
        QCOMPARE(matrix({m_plan, u"--env"_s, u"Nowhere"_s}).exitCode, 3);
        QCOMPARE(matrix({path(u"no-such-plan.json"_s), u"--env"_s, u"Local"_s}).exitCode, 2);
        QFile bad(path(u"bad-plan.yaml"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("requests:\n  - name: x\n    url: /x\n    scope: [a]\n");
        bad.close();
        run = matrix({bad.fileName(), u"--env"_s, u"Local"_s});
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains("requests[0].scope"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliMatrix)
#include "tst_cli_matrix.moc"
