#include "support/CliRunner.h"
#include "templates/StarterWorkspace.h"
#include "workspace/WorkspaceStore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/openapi/"_s + name;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

// `tokenbench-cli import openapi` on the real binary: what --dry-run shows and leaves alone, the
// JSON report, a second import, and hostile documents refused with exit 14.
class TestCliImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dryRunChangesNothingThenImportAddsWhatItShowed()
    {
        QTemporaryDir dir;
        const QString workspace = dir.filePath(u"ws.json"_s);
        const QString document = dataPath(u"xero-app-store.openapi-3.0.yaml"_s);
        // A workspace that exists, to see that --dry-run leaves its bytes alone.
        QVERIFY(runCli({u"--workspace"_s, workspace, u"env"_s, u"add"_s, u"Mine"_s, u"--token-url"_s, u"https://id.example/token"_s,
                        u"--api-url"_s, u"https://api.example/"_s, u"--client-id"_s, u"c"_s})
                    .exitCode
                == 0);
        const QByteArray before = fileBytes(workspace);

        const CliRun dry = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, document, u"--dry-run"_s, u"--json"_s});
        QCOMPARE(dry.exitCode, 0);
        QCOMPARE(fileBytes(workspace), before);
        const QJsonObject preview = dry.json();
        QCOMPARE(preview.value(u"dry_run"_s).toBool(), true);
        QCOMPARE(preview.value(u"added"_s).toObject(), (QJsonObject{{u"environments"_s, 1}, {u"requests"_s, 4}}));
        QCOMPARE(preview.value(u"source"_s).toObject().value(u"kind"_s).toString(), u"OpenAPI 3.0"_s);
        QCOMPARE(preview.value(u"source"_s).toObject().value(u"document"_s).toString(), u"openapi:Xero AppStore API"_s);
        QCOMPARE(preview.value(u"inputs"_s).toArray().first().toObject().value(u"name"_s).toString(), u"clientId"_s);

        const CliRun real = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, document, u"--json"_s});
        QCOMPARE(real.exitCode, 0);
        QCOMPARE(real.json().value(u"actions"_s), preview.value(u"actions"_s));
        const auto loaded = WorkspaceStore::load(workspace);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.workspace->environments().size(), 3); // Demo, Mine and the imported one
        QCOMPARE(loaded.workspace->savedRequests().size(), StarterWorkspace::create().savedRequests().size() + 4); // the Demo's, then these
        const Environment *imported = loaded.workspace->find(u"Xero AppStore API · api.xero.com"_s);
        QVERIFY(imported);
        QCOMPARE(imported->tokenUrl, QUrl(u"https://identity.xero.com/connect/token"_s));
        QCOMPARE(imported->scopeCatalog.size(), 1);
        QCOMPARE(loaded.workspace->findRequest(u"getSubscription"_s)->requiredScopes.first().scopes,
                 QStringList{u"marketplace.billing"_s});

        // Text output names what it did.
        const CliRun text = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, document, u"--dry-run"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("0 environment(s), 0 request(s) added; 0 environment(s), 0 request(s) updated; "
                                   "1 environment(s), 4 request(s) unchanged"),
                 text.out.constData());
    }

    void secondImportOfANewerVersionOnlyUpdates()
    {
        QTemporaryDir dir;
        const QString workspace = dir.filePath(u"ws.json"_s);
        const QString document = dataPath(u"xero-app-store.openapi-3.0.yaml"_s);
        QCOMPARE(runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, document}).exitCode, 0);
        // The user fills in the client id.
        QVERIFY(WorkspaceStore::update(workspace, [](Workspace &ws, QString *) {
                    ws.find(u"Xero AppStore API · api.xero.com"_s)->clientId = u"my-client"_s;
                    return true;
                }).ok());
        const QString newer = dir.filePath(u"newer.yaml"_s);
        QFile out(newer);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(fileBytes(document).replace("version: 16.1.0", "version: 16.2.0"));
        out.close();

        const CliRun second = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, newer, u"--json"_s});
        QCOMPARE(second.exitCode, 0);
        const QJsonObject report = second.json();
        QCOMPARE(report.value(u"added"_s).toObject(), (QJsonObject{{u"environments"_s, 0}, {u"requests"_s, 0}}));
        QCOMPARE(report.value(u"updated"_s).toObject(), (QJsonObject{{u"environments"_s, 1}, {u"requests"_s, 4}}));
        const QJsonArray changes = report.value(u"actions"_s).toArray().first().toObject().value(u"changes"_s).toArray();
        QCOMPARE(changes, QJsonArray{u"version 16.1.0 → 16.2.0"_s});
        const auto loaded = WorkspaceStore::load(workspace);
        QCOMPARE(loaded.workspace->savedRequests().size(), StarterWorkspace::create().savedRequests().size() + 4);
        QCOMPARE(loaded.workspace->find(u"Xero AppStore API · api.xero.com"_s)->clientId, u"my-client"_s);
        QCOMPARE(loaded.workspace->find(u"Xero AppStore API · api.xero.com"_s)->origin.version, u"16.2.0"_s);
    }

    void hostileDocumentsExit14AndChangeNothing_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("says");
        QTest::newRow("billion laughs") << u"bad/billion-laughs.yaml"_s << u"alias bomb"_s;
        QTest::newRow("ref cycle") << u"bad/ref-cycle.json"_s << u"reference cycle"_s;
        QTest::newRow("truncated") << u"bad/truncated.json"_s << u"cut short"_s;
        QTest::newRow("deep nesting") << u"bad/deep-nesting.json"_s << u"nested too deeply"_s;
        QTest::newRow("5000 scopes") << u"bad/5000-scopes.json"_s << u"5,000 scopes"_s;
        QTest::newRow("truncated at scopes") << u"bad/truncated-at-scopes.yaml"_s << u"does not define"_s;
    }

    void hostileDocumentsExit14AndChangeNothing()
    {
        QFETCH(QString, file);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString workspace = dir.filePath(u"ws.json"_s);
        QElapsedTimer timer;
        timer.start();
        const CliRun run = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, dataPath(file)});
        QVERIFY2(timer.elapsed() < 5000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains(says.toUtf8()) && run.err.contains("nothing imported"), run.err.constData());
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFile::exists(workspace));

        const CliRun json = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, dataPath(file), u"--json"_s});
        QCOMPARE(json.exitCode, 14);
        QCOMPARE(json.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"import"_s);
    }

    void usageErrors()
    {
        QTemporaryDir dir;
        const QString workspace = dir.filePath(u"ws.json"_s);
        QCOMPARE(runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s}).exitCode, 2);
        const CliRun missing = runCli({u"--workspace"_s, workspace, u"import"_s, u"openapi"_s, dir.filePath(u"nope.yaml"_s)});
        QCOMPARE(missing.exitCode, 2);
        const CliRun typo = runCli({u"--workspace"_s, workspace, u"import"_s, u"openap"_s, dataPath(u"bad/truncated.json"_s)});
        QCOMPARE(typo.exitCode, 2);
        QVERIFY2(typo.err.contains("openapi"), typo.err.constData());
        QVERIFY(!QFile::exists(workspace));
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
