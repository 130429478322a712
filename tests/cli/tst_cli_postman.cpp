// `tokenbench-cli import postman` and `export postman`, run as the real binary on the real
// collections in tests/data/postman/ (see its README for origins and licences).

#include "support/CliRunner.h"
#include "templates/StarterWorkspace.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/postman/"_s + name;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliPostman : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    // A fresh workspace path for each test.
    QString newWorkspace() { return m_dir.filePath(u"ws-%1.json"_s.arg(++m_counter)); }
    static QStringList ws(const QString &workspace, const QStringList &rest) { return QStringList{u"--workspace"_s, workspace} + rest; }

    // A workspace with one environment (secret in the keychain when asked) and saved requests in folders.
    void makeExportWorkspace(const QString &workspace)
    {
        QCOMPARE(runCli(ws(workspace, {u"env"_s, u"add"_s, u"Bank sandbox"_s, u"--token-url"_s, u"https://id.sandbox.bank.example/oauth/token"_s,
                                       u"--api-url"_s, u"https://api.sandbox.bank.example/v1"_s, u"--client-id"_s, u"bank-client"_s,
                                       u"--client-auth"_s, u"body"_s, u"--scope"_s, u"accounts:read"_s, u"--header"_s,
                                       u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=7"_s}))
                     .exitCode,
                 0);
        QJsonObject root = QJsonDocument::fromJson(readAll(workspace)).object();
        root.insert(u"requests"_s, QJsonArray{
            QJsonObject{{u"id"_s, u"a"_s}, {u"name"_s, u"List accounts"_s}, {u"folder"_s, u"Accounts/Read"_s},
                        {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/accounts"_s}}}},
            QJsonObject{{u"id"_s, u"b"_s}, {u"name"_s, u"Create account"_s}, {u"folder"_s, u"Accounts"_s},
                        {u"request"_s, QJsonObject{{u"method"_s, u"POST"_s}, {u"url"_s, u"/accounts"_s},
                                                   {u"body"_s, u"{\"name\": \"x\"}"_s}}}},
        });
        QFile file(workspace);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
    }

    bool storeSecret(const QString &workspace, const QString &secret)
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                qFatal("TOKENBENCH_REQUIRE_KEYCHAIN=1 but there is no session bus");
            return false;
        }
        return runCli(ws(workspace, {u"secret"_s, u"set"_s, u"Bank sandbox"_s, u"client-secret"_s}), QProcessEnvironment::systemEnvironment(),
                      secret.toUtf8() + '\n')
                   .exitCode
            == 0;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void dryRunChangesNothing()
    {
        const QString workspace = newWorkspace();
        const CliRun text = runCli(ws(workspace, {u"import"_s, u"postman"_s, dataPath(u"xero-oauth2.postman-v2.1.json"_s), u"--dry-run"_s}));
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("(dry run: nothing changed)"), text.out.constData());
        QVERIFY(text.out.contains("would add request \"Invoices\""));
        QVERIFY(text.out.contains("pre-request script (38 lines) is not run"));
        QVERIFY(!QFile::exists(workspace));

        const CliRun json = runCli(ws(workspace, {u"--json"_s, u"import"_s, u"postman"_s, dataPath(u"microsoft-graph.postman-v2.1.json"_s), u"--dry-run"_s}));
        QCOMPARE(json.exitCode, 0);
        const QJsonObject out = json.json();
        QCOMPARE(out.value(u"dry_run"_s).toBool(), true);
        QCOMPARE(out.value(u"source"_s).toString(), u"Postman Collection v2.1"_s);
        QCOMPARE(out[u"added"_s][u"requests"_s].toInt(), 137);
        QCOMPARE(out[u"added"_s][u"environments"_s].toInt(), 1);
        QCOMPARE(out.value(u"actions"_s).toArray().size(), 138);
        QVERIFY(!QFile::exists(workspace));
    }

    void secondImportUpdatesOnly()
    {
        const QString workspace = newWorkspace();
        const QString xero = dataPath(u"xero-oauth2.postman-v2.1.json"_s);
        const CliRun first = runCli(ws(workspace, {u"import"_s, u"postman"_s, xero, u"--json"_s}));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(first.json()[u"added"_s][u"requests"_s].toInt(), 4);
        QCOMPARE(first.json()[u"added"_s][u"environments"_s].toInt(), 1);
        QCOMPARE(first.json().value(u"dry_run"_s).toBool(), false);

        const CliRun second = runCli(ws(workspace, {u"import"_s, u"postman"_s, xero, u"--json"_s}));
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.json()[u"added"_s][u"requests"_s].toInt(), 0);
        QCOMPARE(second.json()[u"added"_s][u"environments"_s].toInt(), 0);
        QCOMPARE(second.json()[u"unchanged"_s][u"requests"_s].toInt(), 4);

        // The user's own choice survives a third import of a changed collection.
        QCOMPARE(runCli(ws(workspace, {u"env"_s, u"add"_s, u"Mine"_s, u"--token-url"_s, u"https://x.example/t"_s, u"--api-url"_s,
                                       u"https://x.example/"_s, u"--client-id"_s, u"c"_s}))
                     .exitCode,
                 0);
        QJsonObject collection = QJsonDocument::fromJson(readAll(xero)).object();
        QJsonArray items = collection.value(u"item"_s).toArray();
        QJsonObject connections = items.at(1).toObject();
        QJsonObject request = connections.value(u"request"_s).toObject();
        request.insert(u"method"_s, u"HEAD"_s);
        connections.insert(u"request"_s, request);
        items.replace(1, connections);
        collection.insert(u"item"_s, items);
        const QString changed = m_dir.filePath(u"xero-changed.json"_s);
        QFile file(changed);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(collection).toJson());
        file.close();
        const CliRun third = runCli(ws(workspace, {u"import"_s, u"postman"_s, changed}));
        QCOMPARE(third.exitCode, 0);
        QVERIFY2(third.out.contains("update request \"Connections\""), third.out.constData());
        QVERIFY(third.out.contains("Added 0 environment(s) and 0 request(s), updated 0 and 1"));
        const CliRun list = runCli(ws(workspace, {u"request"_s, u"list"_s}));
        // A header row, the Demo's example requests a new workspace starts with, then the 4 requests.
        QCOMPARE(list.out.count("\n"), 1 + StarterWorkspace::create().savedRequests().size() + 4);
        QVERIFY(list.out.contains("HEAD"));
    }

    void refusedDocumentLeavesTheWorkspaceAlone_data()
    {
        QTest::addColumn<QByteArray>("document");
        QTest::addColumn<QByteArray>("reason");
        const QByteArray graph = readAll(dataPath(u"microsoft-graph.postman-v2.1.json"_s));
        QTest::newRow("truncated") << graph.left(graph.size() / 2) << QByteArray("not valid JSON");
        QTest::newRow("deep nesting") << QByteArray(20000, '[') + QByteArray(20000, ']') << QByteArray("not valid JSON");
        QTest::newRow("openapi") << QByteArray(R"({"openapi": "3.0.0", "info": {"title": "x"}, "paths": {}})") << QByteArray("not a Postman Collection v2.1");
    }

    void refusedDocumentLeavesTheWorkspaceAlone()
    {
        QFETCH(QByteArray, document);
        QFETCH(QByteArray, reason);
        const QString workspace = newWorkspace();
        QCOMPARE(runCli(ws(workspace, {u"import"_s, u"postman"_s, dataPath(u"xero-oauth2.postman-v2.1.json"_s)})).exitCode, 0);
        const QByteArray before = readAll(workspace);
        const QString path = m_dir.filePath(u"bad-%1.json"_s.arg(++m_counter));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(document);
        file.close();
        const CliRun run = runCli(ws(workspace, {u"import"_s, u"postman"_s, path}));
        QCOMPARE(run.exitCode, 14);
        QVERIFY2(run.err.contains(reason) && run.err.contains("Nothing was changed"), run.err.constData());
        QCOMPARE(readAll(workspace), before);
        const CliRun json = runCli(ws(workspace, {u"--json"_s, u"import"_s, u"postman"_s, path, u"--dry-run"_s}));
        QCOMPARE(json.exitCode, 14);
        QVERIFY(json.json().contains(u"error"_s));
    }

    void exportWritesNoSecret()
    {
        const QString workspace = newWorkspace();
        makeExportWorkspace(workspace);
        const QString secret = u"bank-secret-0f9e8d7c6b5a"_s;
        const bool keychain = storeSecret(workspace, secret);

        const QString out = m_dir.filePath(u"export-%1.json"_s.arg(m_counter));
        const CliRun run = runCli(ws(workspace, {u"export"_s, u"postman"_s, out}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("Exported 2 saved request(s)"), run.out.constData());
        QVERIFY(run.err.isEmpty());
        const QByteArray bytes = readAll(out);
        QVERIFY(!bytes.contains(secret.toUtf8()));

        // The fields Postman and newman read (schema v2.1).
        const QJsonObject collection = QJsonDocument::fromJson(bytes).object();
        const QJsonObject info = collection.value(u"info"_s).toObject();
        QCOMPARE(info.value(u"schema"_s).toString(), u"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"_s);
        QVERIFY(!QUuid::fromString(info.value(u"_postman_id"_s).toString()).isNull());
        QCOMPARE(info.value(u"name"_s).toString(), u"Tokenbench — Bank sandbox"_s);
        QCOMPARE(collection[u"auth"_s][u"type"_s].toString(), u"bearer"_s);
        QHash<QString, QString> variables;
        for (const QJsonValue &variable : collection.value(u"variable"_s).toArray())
            variables.insert(variable[u"key"_s].toString(), variable[u"value"_s].toString());
        QCOMPARE(variables.value(u"token_url"_s), u"https://id.sandbox.bank.example/oauth/token"_s);
        QCOMPARE(variables.value(u"base_url"_s), u"https://api.sandbox.bank.example/v1"_s);
        QCOMPARE(variables.value(u"client_id"_s), u"bank-client"_s);
        QVERIFY(variables.contains(u"client_secret"_s));
        QCOMPARE(variables.value(u"client_secret"_s), QString());
        QCOMPARE(variables.value(u"userId"_s), u"7"_s);

        const QJsonArray items = collection.value(u"item"_s).toArray();
        QCOMPARE(items.size(), 2); // "Get token", folder "Accounts"
        const QJsonObject token = items.at(0).toObject();
        QCOMPARE(token.value(u"name"_s).toString(), u"Get token"_s);
        QCOMPARE(token[u"request"_s][u"method"_s].toString(), u"POST"_s);
        QCOMPARE(token[u"request"_s][u"body"_s][u"mode"_s].toString(), u"urlencoded"_s); // --client-auth body
        QVERIFY(bytes.contains("{{client_secret}}"));
        const QJsonObject accounts = items.at(1).toObject();
        QCOMPARE(accounts.value(u"name"_s).toString(), u"Accounts"_s);
        const QJsonArray inAccounts = accounts.value(u"item"_s).toArray();
        QCOMPARE(inAccounts.size(), 2);
        QCOMPARE(inAccounts.at(0)[u"name"_s].toString(), u"Read"_s);
        const QJsonObject list = inAccounts.at(0)[u"item"_s].toArray().at(0).toObject();
        QCOMPARE(list.value(u"name"_s).toString(), u"List accounts"_s);
        QCOMPARE(list[u"request"_s][u"url"_s][u"raw"_s].toString(), u"{{base_url}}/accounts"_s);
        QCOMPARE(list[u"request"_s][u"header"_s].toArray().at(0)[u"value"_s].toString(), u"user {{userId}}"_s);

        // Asked for explicitly: the keychain's secret goes in, with a warning, readable by the owner only.
        if (!keychain)
            QSKIP("no session bus: run inside dbus-run-session with gnome-keyring-daemon for --include-secrets");
        const QString withSecrets = m_dir.filePath(u"export-secret-%1.json"_s.arg(m_counter));
        const CliRun included = runCli(ws(workspace, {u"export"_s, u"postman"_s, withSecrets, u"--include-secrets"_s}));
        QVERIFY2(included.exitCode == 0, included.err.constData());
        QVERIFY2(included.err.contains("Warning") && included.err.contains("secrets"), included.err.constData());
        QVERIFY(readAll(withSecrets).contains(secret.toUtf8()));
        QCOMPARE(QFile::permissions(withSecrets) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    }

    void exportNamesTheEnvironment()
    {
        const QString workspace = newWorkspace();
        makeExportWorkspace(workspace);
        QCOMPARE(runCli(ws(workspace, {u"env"_s, u"add"_s, u"Bank production"_s, u"--token-url"_s, u"https://id.bank.example/oauth/token"_s,
                                       u"--api-url"_s, u"https://api.bank.example/v1"_s, u"--client-id"_s, u"bank-client"_s}))
                     .exitCode,
                 0);
        const QString out = m_dir.filePath(u"export-env-%1.json"_s.arg(m_counter));
        const CliRun ambiguous = runCli(ws(workspace, {u"export"_s, u"postman"_s, out}));
        QCOMPARE(ambiguous.exitCode, 2);
        QVERIFY2(ambiguous.err.contains("--env"), ambiguous.err.constData());
        QVERIFY(!QFile::exists(out));
        const CliRun chosen = runCli(ws(workspace, {u"export"_s, u"postman"_s, out, u"--env"_s, u"Bank production"_s}));
        QCOMPARE(chosen.exitCode, 0);
        QVERIFY(readAll(out).contains("https://id.bank.example/oauth/token"));
        QCOMPARE(runCli(ws(workspace, {u"export"_s, u"postman"_s, out, u"--env"_s, u"Nope"_s})).exitCode, 3);
    }

    void exportedCollectionImportsBack()
    {
        const QString workspace = newWorkspace();
        makeExportWorkspace(workspace);
        const QString out = m_dir.filePath(u"roundtrip-%1.json"_s.arg(m_counter));
        QCOMPARE(runCli(ws(workspace, {u"export"_s, u"postman"_s, out})).exitCode, 0);
        const QString other = newWorkspace();
        const CliRun imported = runCli(ws(other, {u"import"_s, u"postman"_s, out, u"--json"_s}));
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QCOMPARE(imported.json()[u"added"_s][u"requests"_s].toInt(), 3); // with "Get token"
        const CliRun list = runCli(ws(other, {u"--json"_s, u"request"_s, u"list"_s}));
        QVERIFY2(list.out.contains("Accounts/Read"), list.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPostman)
#include "tst_cli_postman.moc"
