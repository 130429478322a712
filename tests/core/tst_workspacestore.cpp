#include "support/TlsTestServer.h"
#include "workspace/Environment.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceStore.h"
#include "workspace/WorkspaceWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Tier)
Q_DECLARE_METATYPE(GrantType)
Q_DECLARE_METATYPE(ClientAuthStyle)

namespace {
const QByteArray secretMarker = QByteArrayLiteral("TOPSECRET-PARAM");

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QStringList backupsOf(const QString &path)
{
    const QFileInfo info(path);
    return info.dir().entryList({info.fileName() + u".unreadable-*"_s}, QDir::Files | QDir::Hidden);
}

Environment fullEnvironment(Tier tier, GrantType grant, ClientAuthStyle clientAuth)
{
    Environment env;
    env.id = u"5d1c3c2e-0d7b-4b55-9a51-0c8e7a8c7f11"_s;
    env.name = u"Prod EU – Zürich"_s;
    env.tier = tier;
    env.tokenUrl = QUrl(u"https://auth.example.com/oauth2/token?api-version=2024-01-01&tenant=acme"_s);
    env.apiBaseUrl = QUrl(u"http://127.0.0.1:8080/api/v1/"_s);
    env.grant = grant;
    env.clientAuth = clientAuth;
    env.clientId = u"client-123"_s;
    env.username = u"tester@example.com"_s;
    env.scopes = {u"accounts:read"_s, u"trades:write"_s, u"openid"_s};
    env.params = {{u"audience"_s, u"https://api.example.com"_s, false},
                  {u"api_key"_s, QString::fromLatin1(secretMarker), true},
                  {u"resource"_s, u"urn:example:ä"_s, false}};
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}, {u"X-Tenant"_s, u"{{ tenant }}"_s}};
    env.variables = {{u"userId"_s, u"u-42"_s}, {u"tenant"_s, u"acme"_s}, {u"account.id"_s, QString()}};
    env.allowInsecureHttp = true;
    return env;
}

// What a loaded environment must equal: the secret parameter keeps its name, never its value.
Environment withoutSecretValues(Environment env)
{
    for (auto &param : env.params) {
        if (param.secret)
            param.value.clear();
    }
    return env;
}

QByteArray futureSchemaBytes()
{
    QJsonObject root = Workspace::createDefault().toJson();
    root.insert(u"schemaVersion"_s, 99);
    return QJsonDocument(root).toJson();
}
} // namespace

class TestWorkspaceStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void roundTrip_data();
    void roundTrip();
    void urlsSurviveRoundTrip_data();
    void urlsSurviveRoundTrip();
    void secretParamValueIsNeverWritten();
    void fileHasSchemaVersion();
    void serializeIsStable();
    void loadOrCreateMissingCreatesDemo();
    void loadMissingIsNotFound();
    void corruptJson_data();
    void corruptJson();
    void corruptStructure_data();
    void corruptStructure();
    void futureSchema();
    void saveRefusesToOverwriteUnknownFile_data();
    void saveRefusesToOverwriteUnknownFile();
    void saveOverOwnFileSucceeds();
    void saveToUnwritablePath_data();
    void saveToUnwritablePath();
    void upsertReplacesByNameKeepingId();
    void upsertNewEnvironmentsGetDistinctIds();
    void remove();
    void defaultPath();

    void savedRequestsRoundTrip();
    void writerGivesWhatQtWrites();
    void addRequestsMatchesNamesAsFindRequestDoes_data();
    void addRequestsMatchesNamesAsFindRequestDoes();
    void savedRequestRefusesLiteralCredential_data();
    void savedRequestRefusesLiteralCredential();
    void savedRequestNeverStoresAuthorizationOverride();
    void contractFieldsRoundTrip();
    void grantFieldsRoundTrip();
    void contractFieldsRefuseWrongTypes_data();
    void contractFieldsRefuseWrongTypes();
    void fileWithLiteralCredentialIsRefused();
    void fileWithoutRequestsLoads();
    void savedRequestUpsertAndRemove();
    void trustedCertificatesRoundTrip();

    void saveWithRevisionRefusesAChangedFile();
    void saveWithRevisionOfNoFileRefusesAnExistingOne();
    void updateAppliesTheChangeToWhatIsOnDisk();
    void updateDeclinedWritesNothing();
    void updateKeepsRefusingUnknownFiles();
    void lockedWorkspaceIsNotWritten();
};

void TestWorkspaceStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestWorkspaceStore::roundTrip_data()
{
    QTest::addColumn<Tier>("tier");
    QTest::addColumn<GrantType>("grant");
    QTest::addColumn<ClientAuthStyle>("clientAuth");
    QTest::addColumn<bool>("allowInsecureHttp");

    const QList<Tier> tiers{Tier::Sandbox, Tier::Staging, Tier::Production, Tier::Custom};
    const QList<GrantType> grants{GrantType::ClientCredentials, GrantType::Password};
    const QList<ClientAuthStyle> auths{ClientAuthStyle::Basic, ClientAuthStyle::Body, ClientAuthStyle::Json};
    bool insecure = false;
    for (const Tier tier : tiers) {
        for (const GrantType grant : grants) {
            for (const ClientAuthStyle auth : auths) {
                QTest::addRow("%s/%s/%s", qPrintable(Environment::tierName(tier)), qPrintable(Environment::grantName(grant)),
                              qPrintable(Environment::clientAuthName(auth)))
                    << tier << grant << auth << insecure;
                insecure = !insecure;
            }
        }
    }
}

void TestWorkspaceStore::roundTrip()
{
    QFETCH(Tier, tier);
    QFETCH(GrantType, grant);
    QFETCH(ClientAuthStyle, clientAuth);
    QFETCH(bool, allowInsecureHttp);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.tokenbench.json"_s);

    Environment env = fullEnvironment(tier, grant, clientAuth);
    env.allowInsecureHttp = allowInsecureHttp;
    Environment second;
    second.name = u"Local"_s;
    second.tier = Tier::Custom;
    second.tokenUrl = QUrl(u"http://localhost:9000/token"_s);

    Workspace workspace;
    workspace.setId(u"ws-fixed-id"_s);
    QCOMPARE(workspace.upsert(env).id, env.id);
    const QString secondId = workspace.upsert(second).id;
    QVERIFY(!secondId.isEmpty());

    const auto saved = WorkspaceStore::save(workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    QVERIFY(!readBytes(path).contains(secretMarker));

    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QCOMPARE(loaded.status, WorkspaceStore::Status::Ok);
    QVERIFY(loaded.workspace.has_value());
    QCOMPARE(loaded.workspace->id(), u"ws-fixed-id"_s);
    QCOMPARE(loaded.workspace->environments().size(), qsizetype(2));

    const Environment expected = withoutSecretValues(env);
    const Environment &actual = loaded.workspace->environments().at(0);
    // Field by field first for a readable failure, then the whole thing.
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(static_cast<int>(actual.tier), static_cast<int>(expected.tier));
    QCOMPARE(actual.tokenUrl, expected.tokenUrl);
    QCOMPARE(actual.apiBaseUrl, expected.apiBaseUrl);
    QCOMPARE(static_cast<int>(actual.grant), static_cast<int>(expected.grant));
    QCOMPARE(static_cast<int>(actual.clientAuth), static_cast<int>(expected.clientAuth));
    QCOMPARE(actual.clientId, expected.clientId);
    QCOMPARE(actual.username, expected.username);
    QCOMPARE(actual.scopes, expected.scopes);
    QVERIFY(actual.params == expected.params);
    QVERIFY(actual.headers == expected.headers);
    QVERIFY(actual.variables == expected.variables);
    QCOMPARE(actual.allowInsecureHttp, expected.allowInsecureHttp);
    QCOMPARE(actual.builtin, expected.builtin);
    QVERIFY(actual == expected);
    QCOMPARE(actual.secretParamNames(), QStringList{u"api_key"_s});

    const Environment &actualSecond = loaded.workspace->environments().at(1);
    Environment expectedSecond = second;
    expectedSecond.id = secondId;
    QVERIFY(actualSecond == expectedSecond);

    // The same workspace, serialised again, gives the same bytes as the file.
    QCOMPARE(WorkspaceStore::serialize(*loaded.workspace), readBytes(path));
}

void TestWorkspaceStore::urlsSurviveRoundTrip_data()
{
    QTest::addColumn<QString>("url");

    QTest::newRow("plain") << u"https://auth.example.com/oauth2/token"_s;
    QTest::newRow("query") << u"https://auth.example.com/token?api-version=2024-01-01&tenant=acme"_s;
    QTest::newRow("port and trailing slash") << u"http://127.0.0.1:8080/api/v1/"_s;
    QTest::newRow("ipv6") << u"http://[::1]:9000/token"_s;
    QTest::newRow("encoded space in query") << u"https://auth.example.com/token?tenant=a%20b"_s;
    QTest::newRow("encoded space in path") << u"https://auth.example.com/my%20tenant/token"_s;
    QTest::newRow("encoded url in query") << u"https://login.example.com/token?resource=https%3A%2F%2Fapi.example.com%2F"_s;
    QTest::newRow("encoded percent") << u"https://auth.example.com/token?x=100%25"_s;
    QTest::newRow("non-ascii host") << u"https://b\u00fccher.example/token"_s;
    QTest::newRow("non-ascii path") << u"https://auth.example.com/t\u00f6ken"_s;
}

void TestWorkspaceStore::urlsSurviveRoundTrip()
{
    QFETCH(QString, url);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);

    Environment env;
    env.name = u"Urls"_s;
    env.tokenUrl = QUrl(url);
    env.apiBaseUrl = QUrl(url);
    QVERIFY2(env.tokenUrl.isValid(), qPrintable(env.tokenUrl.errorString()));
    Workspace workspace;
    workspace.upsert(env);

    const auto saved = WorkspaceStore::save(workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    const auto loaded = WorkspaceStore::load(path);
    // A URL the app accepted and wrote must read back: otherwise saving makes the workspace unopenable.
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QCOMPARE(loaded.workspace->environments().at(0).tokenUrl, env.tokenUrl);
    QCOMPARE(loaded.workspace->environments().at(0).apiBaseUrl, env.apiBaseUrl);
}

void TestWorkspaceStore::secretParamValueIsNeverWritten()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);

    Workspace workspace;
    Environment env = fullEnvironment(Tier::Production, GrantType::ClientCredentials, ClientAuthStyle::Basic);
    QCOMPARE(env.params.at(1).value, QString::fromLatin1(secretMarker));
    QVERIFY(env.params.at(1).secret);
    workspace.upsert(env);

    QVERIFY(!WorkspaceStore::serialize(workspace).contains(secretMarker));
    const auto saved = WorkspaceStore::save(workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));

    const QByteArray bytes = readBytes(path);
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains(secretMarker));
    QVERIFY(!bytes.contains("TOPSECRET"));
    // The parameter itself is there, marked secret; non-secret values are written.
    QVERIFY(bytes.contains("\"api_key\""));
    QVERIFY(bytes.contains("https://api.example.com"));

    const QJsonArray params = QJsonDocument::fromJson(bytes).object().value(u"environments"_s).toArray().at(0).toObject().value(
        u"tokenParams"_s).toArray();
    QCOMPARE(params.size(), qsizetype(3));
    const QJsonObject secretParam = params.at(1).toObject();
    QCOMPARE(secretParam.value(u"name"_s).toString(), u"api_key"_s);
    QCOMPARE(secretParam.value(u"secret"_s).toBool(), true);
    QVERIFY(secretParam.value(u"value"_s).toString().isEmpty());

    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    const TokenParam &param = loaded.workspace->environments().at(0).params.at(1);
    QCOMPARE(param.name, u"api_key"_s);
    QVERIFY(param.secret);
    QVERIFY(param.value.isEmpty());
}

void TestWorkspaceStore::fileHasSchemaVersion()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const auto saved = WorkspaceStore::save(Workspace::createDefault(), path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));

    const QByteArray bytes = readBytes(path);
    QVERIFY(bytes.contains("\"schemaVersion\": 1"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
    const QJsonValue version = doc.object().value(u"schemaVersion"_s);
    QVERIFY(version.isDouble());
    QCOMPARE(version.toInt(), 1);
    QCOMPARE(Workspace::SchemaVersion, 1);
    QCOMPARE(doc.object().value(u"format"_s).toString(), u"tokenbench-workspace"_s);

    // Atomic write: nothing but the workspace file is left in the folder.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{u"ws.json"_s});
}

void TestWorkspaceStore::serializeIsStable()
{
    Workspace workspace;
    workspace.upsert(fullEnvironment(Tier::Staging, GrantType::Password, ClientAuthStyle::Json));
    workspace.upsert(Workspace::demoEnvironment());

    const QByteArray first = WorkspaceStore::serialize(workspace);
    const QByteArray second = WorkspaceStore::serialize(workspace);
    QVERIFY(!first.isEmpty());
    QCOMPARE(second, first);

    const Workspace copy = workspace;
    QCOMPARE(WorkspaceStore::serialize(copy), first);

    // Reading the bytes back and writing them again changes nothing.
    QString error;
    const auto reread = Workspace::fromJson(QJsonDocument::fromJson(first).object(), &error);
    QVERIFY2(reread.has_value(), qPrintable(error));
    QCOMPARE(WorkspaceStore::serialize(*reread), first);

    // Keys come out in a fixed (sorted) order; the user's environment order is kept.
    const auto at = [&first](const char *key) { return first.indexOf(key); };
    QVERIFY(at("\"environments\"") >= 0);
    QVERIFY(at("\"environments\"") < at("\"format\""));
    QVERIFY(at("\"format\"") < at("\"schemaVersion\""));
    QVERIFY(first.indexOf("Prod EU") < first.indexOf("\"Demo\""));
}

void TestWorkspaceStore::loadOrCreateMissingCreatesDemo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"nested/folder/workspace.tokenbench.json"_s);
    QVERIFY(!QFile::exists(path));

    const auto created = WorkspaceStore::loadOrCreate(path);
    QVERIFY2(created.ok(), qPrintable(created.message));
    QVERIFY(created.workspace.has_value());
    QVERIFY(QFile::exists(path));
    QCOMPARE(created.workspace->environments().size(), qsizetype(1));
    const Environment &demo = created.workspace->environments().at(0);
    QCOMPARE(demo.name, u"Demo"_s);
    QVERIFY(demo.isBuiltinDemo());
    QVERIFY(!demo.id.isEmpty());
    QVERIFY(created.workspace->find(u"demo"_s) != nullptr);

    const QByteArray bytes = readBytes(path);
    QCOMPARE(bytes, WorkspaceStore::serialize(*created.workspace));

    // The file is a normal workspace now: loading it gives the same Demo environment, and
    // a second loadOrCreate neither recreates nor rewrites it.
    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QCOMPARE(loaded.workspace->id(), created.workspace->id());
    QVERIFY(loaded.workspace->environments().at(0) == demo);

    const auto again = WorkspaceStore::loadOrCreate(path);
    QVERIFY2(again.ok(), qPrintable(again.message));
    QCOMPARE(again.workspace->id(), created.workspace->id());
    QCOMPARE(readBytes(path), bytes);
}

void TestWorkspaceStore::loadMissingIsNotFound()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"missing.json"_s);
    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, WorkspaceStore::Status::NotFound);
    QVERIFY(!result.ok());
    QVERIFY(!result.workspace.has_value());
    QVERIFY(!result.message.isEmpty());
    QVERIFY(!QFile::exists(path));
}

void TestWorkspaceStore::corruptJson_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("truncated") << QByteArray(R"({"format": "tokenbench-workspace", "schemaVersion": 1, "id": "x", "environments": [)");
    QTest::newRow("trailing comma") << QByteArray("{\n  \"format\": \"tokenbench-workspace\",\n  \"schemaVersion\": 1,\n}\n");
    QTest::newRow("merge conflict") << QByteArray("{\n<<<<<<< HEAD\n  \"id\": \"a\"\n=======\n  \"id\": \"b\"\n>>>>>>> branch\n}\n");
    QTest::newRow("not json") << QByteArray("this is not json at all");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\xfe", 5);
    QTest::newRow("empty file") << QByteArray();
}

void TestWorkspaceStore::corruptJson()
{
    QFETCH(QByteArray, bytes);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(writeBytes(path, bytes));

    QJsonParseError parseError;
    QJsonDocument::fromJson(bytes, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);

    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, WorkspaceStore::Status::Corrupt);
    QVERIFY(!result.ok());
    QVERIFY(!result.workspace.has_value());
    QVERIFY2(result.message.contains(QDir::toNativeSeparators(path)), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"byte %1"_s.arg(parseError.offset)), qPrintable(result.message));

    // The file is untouched, and a copy of it is kept next to it.
    QVERIFY(QFile::exists(path));
    QCOMPARE(readBytes(path), bytes);
    const QStringList backups = backupsOf(path);
    QCOMPARE(backups.size(), qsizetype(1));
    QCOMPARE(readBytes(dir.filePath(backups.first())), bytes);

    // loadOrCreate does not "create" over it either.
    const auto again = WorkspaceStore::loadOrCreate(path);
    QCOMPARE(again.status, WorkspaceStore::Status::Corrupt);
    QCOMPARE(readBytes(path), bytes);
}

void TestWorkspaceStore::corruptStructure_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("messageMentions");

    const auto workspaceWith = [](const QJsonArray &environments) {
        return QJsonDocument(QJsonObject{{u"format"_s, u"tokenbench-workspace"_s},
                                         {u"schemaVersion"_s, 1},
                                         {u"id"_s, u"ws-1"_s},
                                         {u"environments"_s, environments}})
            .toJson();
    };
    const auto env = [](const QString &name, const QString &tier = u"sandbox"_s) {
        return QJsonObject{{u"name"_s, name}, {u"tier"_s, tier}, {u"tokenUrl"_s, u"https://auth.example.com/token"_s}};
    };

    QTest::newRow("duplicate names") << workspaceWith({env(u"Prod"_s), env(u"Sandbox"_s), env(u"Prod"_s)}) << QStringList{u"Prod"_s};
    QTest::newRow("duplicate names, other case") << workspaceWith({env(u"Prod"_s), env(u"PROD"_s)}) << QStringList{u"PROD"_s};
    QTest::newRow("duplicate names, surrounding spaces") << workspaceWith({env(u"Prod"_s), env(u" Prod "_s)})
                                                         << QStringList{u"Prod"_s};
    QTest::newRow("unknown tier") << workspaceWith({env(u"Sandbox"_s), env(u"Staging EU"_s, u"galactic"_s)})
                                  << QStringList{u"Staging EU"_s, u"galactic"_s};
    QJsonObject badGrant = env(u"Legacy"_s);
    badGrant.insert(u"grantType"_s, u"implicit"_s);
    QTest::newRow("unknown grant") << workspaceWith({badGrant}) << QStringList{u"Legacy"_s, u"implicit"_s};
    QJsonObject badUrl = env(u"Broken URL"_s);
    badUrl.insert(u"tokenUrl"_s, u"https://exa mple.com/token"_s);
    QTest::newRow("invalid token URL") << workspaceWith({badUrl}) << QStringList{u"Broken URL"_s, u"tokenUrl"_s};
    QTest::newRow("environment without name") << workspaceWith({QJsonObject{{u"tier"_s, u"sandbox"_s}}}) << QStringList();
    QTest::newRow("top level array") << QByteArray("[]") << QStringList();
    QTest::newRow("not a workspace") << QByteArray(R"({"name":"some-package","version":"1.0.0"})") << QStringList();
    QTest::newRow("environments not a list")
        << QByteArray(R"({"format":"tokenbench-workspace","schemaVersion":1,"id":"x","environments":{}})") << QStringList{u"environments"_s};
    QTest::newRow("schemaVersion missing") << QByteArray(R"({"format":"tokenbench-workspace","id":"x","environments":[]})")
                                           << QStringList{u"schemaVersion"_s};
}

void TestWorkspaceStore::corruptStructure()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, messageMentions);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(writeBytes(path, bytes));

    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, WorkspaceStore::Status::Corrupt);
    QVERIFY(!result.workspace.has_value());
    QVERIFY2(result.message.contains(QDir::toNativeSeparators(path)), qPrintable(result.message));
    for (const QString &word : messageMentions)
        QVERIFY2(result.message.contains(word), qPrintable(u"\"%1\" not in: %2"_s.arg(word, result.message)));
    QCOMPARE(readBytes(path), bytes);
    QCOMPARE(backupsOf(path).size(), qsizetype(1));
}

void TestWorkspaceStore::futureSchema()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray bytes = futureSchemaBytes();
    QVERIFY(writeBytes(path, bytes));

    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, WorkspaceStore::Status::FutureSchema);
    QVERIFY(!result.ok());
    QVERIFY(!result.workspace.has_value());
    QVERIFY2(result.message.contains(u"99"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(QDir::toNativeSeparators(path)), qPrintable(result.message));
    QCOMPARE(readBytes(path), bytes);
    const QStringList backups = backupsOf(path);
    QCOMPARE(backups.size(), qsizetype(1));
    QCOMPARE(readBytes(dir.filePath(backups.first())), bytes);

    const auto again = WorkspaceStore::loadOrCreate(path);
    QCOMPARE(again.status, WorkspaceStore::Status::FutureSchema);
    QCOMPARE(readBytes(path), bytes);
}

void TestWorkspaceStore::saveRefusesToOverwriteUnknownFile_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("corrupt json") << QByteArray(R"({"format": "tokenbench-workspace", "schemaVersion": 1, "environments": [)");
    QTest::newRow("future schema") << futureSchemaBytes();
    QTest::newRow("someone else's json") << QByteArray(R"({"name":"some-package","version":"1.0.0"})");
    QTest::newRow("json array") << QByteArray("[1, 2, 3]");
    QTest::newRow("plain text") << QByteArray("my notes, do not delete\n");
}

void TestWorkspaceStore::saveRefusesToOverwriteUnknownFile()
{
    QFETCH(QByteArray, bytes);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(writeBytes(path, bytes));

    const auto saved = WorkspaceStore::save(Workspace::createDefault(), path);
    QCOMPARE(saved.status, WorkspaceStore::Status::WriteFailed);
    QVERIFY(!saved.ok());
    QVERIFY(!saved.message.isEmpty());
    QCOMPARE(readBytes(path), bytes);
}

void TestWorkspaceStore::saveOverOwnFileSucceeds()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);

    Workspace workspace = Workspace::createDefault();
    QVERIFY(WorkspaceStore::save(workspace, path).ok());
    workspace.upsert(fullEnvironment(Tier::Sandbox, GrantType::ClientCredentials, ClientAuthStyle::Body));
    const auto saved = WorkspaceStore::save(workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    QCOMPARE(readBytes(path), WorkspaceStore::serialize(workspace));
    QVERIFY(backupsOf(path).isEmpty());
}

void TestWorkspaceStore::saveToUnwritablePath_data()
{
    QTest::addColumn<QString>("relativePath");

    QTest::newRow("parent is a regular file") << u"blocker/ws.json"_s;
    QTest::newRow("ancestor is a regular file") << u"blocker/sub/dir/ws.json"_s;
    QTest::newRow("target is a directory") << u"adirectory"_s;
}

void TestWorkspaceStore::saveToUnwritablePath()
{
    QFETCH(QString, relativePath);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray blockerBytes = QByteArrayLiteral("a regular file");
    QVERIFY(writeBytes(dir.filePath(u"blocker"_s), blockerBytes));
    QVERIFY(QDir(dir.path()).mkdir(u"adirectory"_s));

    const QString path = dir.filePath(relativePath);
    const auto saved = WorkspaceStore::save(Workspace::createDefault(), path);
    QCOMPARE(saved.status, WorkspaceStore::Status::WriteFailed);
    QVERIFY(!saved.ok());
    QVERIFY(!saved.message.isEmpty());
    QCOMPARE(readBytes(dir.filePath(u"blocker"_s)), blockerBytes);
    QVERIFY(QFileInfo(dir.filePath(u"adirectory"_s)).isDir());

    const auto created = WorkspaceStore::loadOrCreate(path);
    QVERIFY(!created.ok());
    QVERIFY(!created.workspace.has_value());
    QVERIFY(!created.message.isEmpty());
}

void TestWorkspaceStore::upsertReplacesByNameKeepingId()
{
    Workspace workspace;
    Environment prod;
    prod.name = u"Prod"_s;
    prod.clientId = u"old-client"_s;
    const QString id = workspace.upsert(prod).id;
    QVERIFY(!id.isEmpty());
    QCOMPARE(workspace.environments().size(), qsizetype(1));

    // A new value under the same name (other case), without an id: replaces, keeps the id.
    Environment replacement;
    replacement.name = u"pROD"_s;
    replacement.clientId = u"new-client"_s;
    replacement.tier = Tier::Production;
    const Environment &result = workspace.upsert(replacement);
    QCOMPARE(result.id, id);
    QCOMPARE(workspace.environments().size(), qsizetype(1));
    const Environment *found = workspace.find(u"prod"_s);
    QVERIFY(found);
    QCOMPARE(found->id, id);
    QCOMPARE(found->clientId, u"new-client"_s);
    QCOMPARE(static_cast<int>(found->tier), static_cast<int>(Tier::Production));
    QCOMPARE(workspace.findById(id), found);

    // An edited copy of the stored environment also keeps its id.
    Environment edited = *found;
    edited.scopes = {u"a"_s};
    QCOMPARE(workspace.upsert(edited).id, id);
    QCOMPARE(workspace.environments().size(), qsizetype(1));
    QCOMPARE(workspace.find(u"PROD"_s)->scopes, QStringList{u"a"_s});
}

void TestWorkspaceStore::upsertNewEnvironmentsGetDistinctIds()
{
    Workspace workspace;
    Environment a;
    a.name = u"A"_s;
    Environment b;
    b.name = u"B"_s;
    const QString idA = workspace.upsert(a).id;
    const QString idB = workspace.upsert(b).id;
    QVERIFY(!idA.isEmpty());
    QVERIFY(!idB.isEmpty());
    QVERIFY(idA != idB);

    // A new name that brings an id already in use gets a fresh one.
    Environment c;
    c.name = u"C"_s;
    c.id = idA;
    const QString idC = workspace.upsert(c).id;
    QVERIFY(idC != idA);
    QVERIFY(idC != idB);
    QCOMPARE(workspace.environments().size(), qsizetype(3));
    QCOMPARE(workspace.findById(idA)->name, u"A"_s);
}

void TestWorkspaceStore::remove()
{
    Workspace workspace = Workspace::createDefault();
    Environment prod;
    prod.name = u"Prod"_s;
    workspace.upsert(prod);
    QCOMPARE(workspace.environments().size(), qsizetype(2));

    QVERIFY(!workspace.remove(u"Nope"_s));
    QCOMPARE(workspace.environments().size(), qsizetype(2));

    QVERIFY(workspace.remove(u"PROD"_s));
    QCOMPARE(workspace.environments().size(), qsizetype(1));
    QVERIFY(workspace.find(u"Prod"_s) == nullptr);
    QVERIFY(workspace.find(u"Demo"_s) != nullptr);

    QVERIFY(!workspace.remove(u"Prod"_s));
    QVERIFY(workspace.remove(u"demo"_s));
    QVERIFY(workspace.environments().isEmpty());
}

void TestWorkspaceStore::defaultPath()
{
    const QString path = WorkspaceStore::defaultPath();
    QVERIFY(!path.isEmpty());
    QVERIFY2(path.endsWith(u".json"_s), qPrintable(path));
    QVERIFY2(QFileInfo(path).isAbsolute(), qPrintable(path));
    QCOMPARE(WorkspaceStore::defaultPath(), path);
}

namespace {
SavedRequest fullSavedRequest()
{
    SavedRequest saved;
    saved.name = u"Create trade – ünïcode"_s;
    saved.folder = u"Trading/EU"_s;
    RequestDraft &draft = saved.draft;
    draft.method = u"POST"_s;
    draft.url = u"/trades?dry-run=1"_s;
    draft.queryParams = {{u"account"_s, u"{{accountId}}"_s, true}, {u"debug"_s, u"1"_s, false}};
    draft.headers = {{u"Authorization"_s, u"Bearer {{partnerToken}}"_s, true},
                     {u"X-Request-Id"_s, u"abc-123"_s, true},
                     {u"X-Disabled"_s, u"off"_s, false}};
    draft.body = R"({"symbol":"ETH-USD","note":"for {{userId}} – ✓"})";
    draft.contentType = u"application/json; charset=utf-8"_s;
    draft.expandBodyVariables = false;
    draft.scopes = {u"trades:execute"_s, u"core.users:act-on-behalf-of"_s};
    draft.extraVariables = {{u"accountId"_s, u"acc-7"_s}, {u"empty"_s, QString()}};
    RequestDraft::InjectionSwitch onBehalf;
    onBehalf.headerName = u"X-On-Behalf-Of"_s;
    onBehalf.value = u"user {{otherUser}}"_s;
    RequestDraft::InjectionSwitch tenantOff;
    tenantOff.headerName = u"X-Tenant"_s;
    tenantOff.disabled = true;
    draft.injectionSwitches = {onBehalf, tenantOff};
    return saved;
}

QByteArray workspaceBytesWithRequests(const QJsonArray &requests)
{
    QJsonObject root = Workspace::createDefault().toJson();
    root.insert(u"requests"_s, requests);
    return QJsonDocument(root).toJson();
}
} // namespace

void TestWorkspaceStore::savedRequestsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);

    Workspace workspace = Workspace::createDefault();
    QString error;
    const auto full = workspace.upsertRequest(fullSavedRequest(), &error);
    QVERIFY2(full, qPrintable(error));
    QVERIFY(!full->id.isEmpty());

    // Not UTF-8 (a PNG header, a NUL, a lone 0xff): stored as base64 and back byte for byte.
    SavedRequest binary;
    binary.name = u"Upload logo"_s;
    binary.draft.method = u"PUT"_s;
    binary.draft.url = u"https://uploads.example.com/logo"_s;
    binary.draft.body = QByteArray("\x89PNG\r\n\x1a\n\0\xff\xfe{{x}}", 16);
    binary.draft.contentType = u"image/png"_s;
    const auto stored = workspace.upsertRequest(binary, &error);
    QVERIFY2(stored, qPrintable(error));

    const auto saved = WorkspaceStore::save(workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    const QByteArray bytes = readBytes(path);
    QVERIFY(bytes.contains("\"bodyBase64\": true"));
    QVERIFY(bytes.contains(binary.draft.body.toBase64()));
    QVERIFY(bytes.contains(R"(\"symbol\")")); // a UTF-8 body stays readable in the file
    QVERIFY(bytes.contains("\"schemaVersion\": 1"));

    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    const QList<SavedRequest> &requests = loaded.workspace->savedRequests();
    QCOMPARE(requests.size(), qsizetype(2));
    QCOMPARE(requests.at(0).id, full->id);
    QCOMPARE(requests.at(0).name, full->name);
    QCOMPARE(requests.at(0).folder, u"Trading/EU"_s);
    QCOMPARE(requests.at(0).draft.body, full->draft.body);
    QVERIFY(requests.at(0).draft.queryParams == full->draft.queryParams);
    QVERIFY(requests.at(0).draft.headers == full->draft.headers);
    QVERIFY(requests.at(0).draft.injectionSwitches == full->draft.injectionSwitches);
    QVERIFY(requests.at(0) == *full);
    QCOMPARE(requests.at(1).draft.body, binary.draft.body);
    QVERIFY(requests.at(1) == *stored);
    QVERIFY(loaded.workspace->environments() == workspace.environments());

    QCOMPARE(WorkspaceStore::serialize(*loaded.workspace), bytes);
    QCOMPARE(loaded.workspace->findRequest(u"upload LOGO"_s)->id, stored->id);
}

// WorkspaceWriter writes the requests one at a time; the file must still be exactly what Qt writes
// for the whole tree (files written before it was streamed stay byte for byte the same on a save).
void TestWorkspaceStore::writerGivesWhatQtWrites()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const auto qtText = [](const Workspace &workspace) { return QJsonDocument(workspace.toJson()).toJson(QJsonDocument::Indented); };

    // Members this version does not know sort before, between and after the ones it writes.
    QJsonObject root = Workspace::createDefault().toJson();
    root.insert(u"aaa"_s, QJsonObject{{u"nested"_s, QJsonArray{1, u"two"_s, QJsonObject()}}});
    root.insert(u"requestsLater"_s, QJsonArray());
    root.insert(u"zzz"_s, u"last"_s);
    QString error;
    std::optional<Workspace> workspace = Workspace::fromJson(root, &error);
    QVERIFY2(workspace, qPrintable(error));
    workspace->upsert(fullEnvironment(Tier::Production, GrantType::Password, ClientAuthStyle::Json));
    QCOMPARE(WorkspaceStore::serialize(*workspace), qtText(*workspace)); // no requests: no "requests" key

    QVERIFY2(workspace->upsertRequest(fullSavedRequest(), &error), qPrintable(error));
    SavedRequest minimal;
    minimal.name = u"Empty"_s;
    minimal.draft.method = u"GET"_s;
    QVERIFY2(workspace->upsertRequest(minimal, &error), qPrintable(error));
    SavedRequest binary;
    binary.name = u"Binary"_s;
    binary.draft.method = u"PUT"_s;
    binary.draft.body = QByteArray("\x89PNG\r\n\x1a\n\0\xff", 10);
    QVERIFY2(workspace->upsertRequest(binary, &error), qPrintable(error));
    QCOMPARE(WorkspaceStore::serialize(*workspace), qtText(*workspace));

    // Past several chunks: the same text, its size counted without it, and what save() writes and hashes.
    for (int i = 0; i < 300; ++i) {
        SavedRequest request = fullSavedRequest();
        request.name = u"Request %1"_s.arg(i);
        request.draft.body = QByteArray(R"({"text":")") + QByteArray(200 + i, 'x') + R"(\n\t\u00e9"})";
        QVERIFY2(workspace->upsertRequest(request, &error), qPrintable(error));
    }
    const QByteArray expected = qtText(*workspace);
    QVERIFY(expected.size() > 3 * WorkspaceWriter::ChunkBytes);
    QCOMPARE(WorkspaceWriter::bytes(*workspace), expected);
    QCOMPARE(WorkspaceWriter::size(*workspace), qint64(expected.size()));
    const auto saved = WorkspaceStore::save(*workspace, path);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    QCOMPARE(readBytes(path), expected);
    QVERIFY(saved.revision.sameContent(WorkspaceRevision::ofBytes(expected, {})));

    // A sink that refuses (a full disk) stops the write.
    int chunks = 0;
    QVERIFY(!WorkspaceWriter::write(*workspace, [&chunks](QByteArrayView chunk) {
        ++chunks;
        return chunk.size() <= WorkspaceWriter::ChunkBytes + 4096 && chunks < 2;
    }));
    QCOMPARE(chunks, 2);
}

// addRequests checks names through RequestNameIndex; it must call "taken" exactly what findRequest finds.
void TestWorkspaceStore::addRequestsMatchesNamesAsFindRequestDoes_data()
{
    QTest::addColumn<QString>("existing");
    QTest::addColumn<QString>("added");

    QTest::newRow("same") << u"List pets"_s << u"List pets"_s;
    QTest::newRow("case") << u"List pets"_s << u"LIST PETS"_s;
    QTest::newRow("spaces around") << u"List pets"_s << u"  list Pets "_s;
    QTest::newRow("other name") << u"List pets"_s << u"List pet"_s;
    QTest::newRow("accented case") << u"Ärger löschen"_s << u"ärger LÖSCHEN"_s;
    QTest::newRow("kelvin sign") << u"k"_s << QString(QChar(0x212A));
    QTest::newRow("sharp s, not ss") << u"straße"_s << u"STRASSE"_s;
    QTest::newRow("capital sharp s") << u"ß"_s << QString(QChar(0x1E9E));
    QTest::newRow("final sigma") << u"ς"_s << u"Σ"_s;
    QTest::newRow("beyond the BMP") << QString::fromUcs4(U"\U00010428") << QString::fromUcs4(U"\U00010400");
}

void TestWorkspaceStore::addRequestsMatchesNamesAsFindRequestDoes()
{
    QFETCH(QString, existing);
    QFETCH(QString, added);
    Workspace workspace;
    SavedRequest first;
    first.name = existing;
    first.draft.method = u"GET"_s;
    QString error;
    QVERIFY2(workspace.upsertRequest(first, &error), qPrintable(error));
    const bool taken = workspace.findRequest(added) != nullptr;

    SavedRequest second = first;
    second.name = added;
    SavedRequest third = first;
    third.name = u"Unrelated"_s;
    const Workspace before = workspace;
    QCOMPARE(workspace.addRequests({third, second}, &error), !taken);
    if (taken) {
        QVERIFY2(error.contains(u"another saved request is named"_s), qPrintable(error));
        QVERIFY(workspace == before); // all or nothing
        return;
    }
    QCOMPARE(workspace.savedRequests().size(), qsizetype(3));
    QCOMPARE(workspace.savedRequests().at(2).name, added.trimmed());
    QVERIFY(!workspace.savedRequests().at(2).id.isEmpty());
    QVERIFY(workspace.savedRequests().at(2).id != workspace.savedRequests().at(1).id);
    // A name the batch itself took, or two alike in one batch, is refused too.
    QVERIFY(!workspace.addRequests({third}, &error));
    SavedRequest fourth = first;
    fourth.name = u"Fourth"_s;
    QVERIFY(!workspace.addRequests({fourth, fourth}, &error));
    QCOMPARE(workspace.savedRequests().size(), qsizetype(3));
}

void TestWorkspaceStore::savedRequestRefusesLiteralCredential_data()
{
    QTest::addColumn<QString>("headerName");
    QTest::addColumn<QString>("headerValue");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("variable"); // defined by the draft itself when not empty

    QTest::newRow("literal bearer") << u"Authorization"_s << u"Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln"_s << true << QString();
    QTest::newRow("disabled row") << u"Authorization"_s << u"Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln"_s << false << QString();
    QTest::newRow("other case") << u"authorization"_s << u"Bearer abc"_s << true << QString();
    QTest::newRow("basic") << u"Authorization"_s << u"Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="_s << true << QString();
    QTest::newRow("template and literal") << u"Authorization"_s << u"Bearer {{token}}abc"_s << true << QString();
    QTest::newRow("no scheme") << u"Authorization"_s << u"abc123"_s << true << QString();
    QTest::newRow("proxy") << u"Proxy-Authorization"_s << u"Basic Zm9vOmJhcg=="_s << true << QString();
    QTest::newRow("variable defined by the request") << u"Authorization"_s << u"Bearer {{token}}"_s << true << u"token"_s;
}

void TestWorkspaceStore::savedRequestRefusesLiteralCredential()
{
    QFETCH(QString, headerName);
    QFETCH(QString, headerValue);
    QFETCH(bool, enabled);
    QFETCH(QString, variable);

    SavedRequest request;
    request.name = u"Leaky"_s;
    request.draft.url = u"/me"_s;
    request.draft.headers = {{headerName, headerValue, enabled}};
    if (!variable.isEmpty())
        request.draft.extraVariables = {{variable, u"eyJsecret"_s}};

    QVERIFY(!request.draft.formatProblem().isEmpty());
    Workspace workspace = Workspace::createDefault();
    const QByteArray before = WorkspaceStore::serialize(workspace);
    QString error;
    QVERIFY(!workspace.upsertRequest(request, &error));
    QVERIFY2(error.contains(u"put the credential in the environment, not in a saved request"_s), qPrintable(error));
    QVERIFY2(error.contains(u"Leaky"_s), qPrintable(error));
    QVERIFY(workspace.savedRequests().isEmpty());
    QCOMPARE(WorkspaceStore::serialize(workspace), before);

    // Even written directly, the draft's JSON carries no credential.
    const QByteArray json = QJsonDocument(request.draft.toJson()).toJson();
    QVERIFY2(!json.contains(headerValue.toUtf8()) || RequestDraft::isCredentialTemplate(headerValue), json.constData());
    QVERIFY(!json.contains("eyJsecret"));
}

void TestWorkspaceStore::contractFieldsRoundTrip()
{
    Workspace workspace = Workspace::createDefault();
    Environment env;
    env.name = u"Xero production"_s;
    env.tokenUrl = QUrl(u"https://identity.xero.com/connect/token"_s);
    env.apiBaseUrl = QUrl(u"https://api.xero.com/api.xro/2.0"_s);
    env.scopeCatalog = {{u"accounting.transactions"_s, u"Grant read-write access to bank transactions"_s}, {u"openid"_s, QString()}};
    env.origin = {u"openapi:Xero Accounting API"_s, u"clientCredentials@https://api.xero.com/api.xro/2.0"_s, u"2.9.4"_s};
    workspace.upsert(env);

    SavedRequest request;
    request.name = u"getInvoices"_s;
    request.folder = u"Accounting"_s;
    request.summary = u"Retrieves sales invoices or purchase bills"_s;
    request.draft.url = u"/Invoices"_s;
    request.requiredScopes = {{u"OAuth2"_s, {u"accounting.transactions"_s}}, {u"OAuth2"_s, {u"accounting.transactions.read"_s}},
                              {QString(), {}}};
    request.successStatus = 200;
    request.origin = {u"openapi:Xero Accounting API"_s, u"getInvoices"_s, u"2.9.4"_s};
    QVERIFY(workspace.upsertRequest(request));

    const QByteArray bytes = WorkspaceStore::serialize(workspace);
    QString error;
    const auto read = Workspace::fromJson(QJsonDocument::fromJson(bytes).object(), &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->find(u"Xero production"_s)->scopeCatalog, env.scopeCatalog);
    QCOMPARE(read->find(u"Xero production"_s)->origin, env.origin);
    const SavedRequest *back = read->findRequest(u"getInvoices"_s);
    QVERIFY(back);
    QCOMPARE(back->summary, request.summary);
    QCOMPARE(back->requiredScopes, request.requiredScopes);
    QCOMPARE(back->successStatus, 200);
    QCOMPARE(back->origin, request.origin);
    QVERIFY(back->origin.sameItem(request.origin));
    QCOMPARE(WorkspaceStore::serialize(*read), bytes);
}

void TestWorkspaceStore::grantFieldsRoundTrip()
{
    Workspace workspace = Workspace::createDefault();
    Environment env;
    env.name = u"Keycloak"_s;
    env.grant = GrantType::DeviceCode;
    env.clientAuth = ClientAuthStyle::PrivateKeyJwt;
    env.tokenUrl = QUrl(u"https://id.example.test/realms/r/protocol/openid-connect/token"_s);
    env.provider.issuer = QUrl(u"https://id.example.test/realms/r"_s);
    env.provider.authorizationUrl = QUrl(u"https://id.example.test/realms/r/auth"_s);
    env.provider.deviceAuthorizationUrl = QUrl(u"https://id.example.test/realms/r/device"_s);
    env.provider.revocationUrl = QUrl(u"https://id.example.test/realms/r/revoke"_s);
    env.provider.introspectionUrl = QUrl(u"https://id.example.test/realms/r/introspect"_s);
    env.provider.jwksUrl = QUrl(u"https://id.example.test/realms/r/certs"_s);
    env.provider.grantsSupported = {u"authorization_code"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s};
    env.provider.clientAuthMethodsSupported = {u"private_key_jwt"_s, u"none"_s};
    env.redirectPort = 8765;
    env.keepRefreshToken = true;
    env.signingKeyId = u"key-2026"_s;
    env.proxy = {ProxyMode::Manual, QUrl(u"socks5://127.0.0.1:1080"_s), u"qa"_s, {u"localhost"_s, u".internal.test"_s}};
    workspace.upsert(env);

    const QByteArray bytes = WorkspaceStore::serialize(workspace);
    QString error;
    const auto read = Workspace::fromJson(QJsonDocument::fromJson(bytes).object(), &error);
    QVERIFY2(read, qPrintable(error));
    const Environment *back = read->find(u"Keycloak"_s);
    QVERIFY(back);
    QCOMPARE(back->grant, GrantType::DeviceCode);
    QCOMPARE(back->clientAuth, ClientAuthStyle::PrivateKeyJwt);
    QCOMPARE(back->provider, env.provider);
    QCOMPARE(back->redirectPort, 8765);
    QVERIFY(back->keepRefreshToken);
    QCOMPARE(back->signingKeyId, env.signingKeyId);
    QCOMPARE(back->proxy, env.proxy);
    QCOMPARE(WorkspaceStore::serialize(*read), bytes);

    // RFC 8705's two styles by their registered names, and back.
    for (const auto &[style, name] : {std::pair{ClientAuthStyle::TlsClientAuth, "tls_client_auth"},
                                      std::pair{ClientAuthStyle::SelfSignedTlsClientAuth, "self_signed_tls_client_auth"}}) {
        Workspace mtls = Workspace::createDefault();
        Environment certified = env;
        certified.clientAuth = style;
        mtls.upsert(certified);
        const QByteArray mtlsBytes = WorkspaceStore::serialize(mtls);
        QVERIFY2(mtlsBytes.contains(QByteArray("\"clientAuth\": \"") + name + '"'), mtlsBytes.constData());
        const auto mtlsRead = Workspace::fromJson(QJsonDocument::fromJson(mtlsBytes).object(), &error);
        QVERIFY2(mtlsRead, qPrintable(error));
        QCOMPARE(mtlsRead->find(u"Keycloak"_s)->clientAuth, style);
    }

    // An environment without them writes none of these members, as files before them were.
    Workspace plain = Workspace::createDefault();
    Environment basic;
    basic.name = u"Plain"_s;
    plain.upsert(basic);
    const QByteArray plainBytes = WorkspaceStore::serialize(plain);
    for (const char *member : {"\"provider\"", "\"redirectPort\"", "\"keepRefreshToken\"", "\"proxy\"", "\"signingKeyId\""})
        QVERIFY2(!plainBytes.contains(member), member);
}

void TestWorkspaceStore::contractFieldsRefuseWrongTypes_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("path");
    const QString head = u"{\"format\":\"tokenbench-workspace\",\"schemaVersion\":1,\"id\":\"w\",\"environments\":[{\"name\":\"E\"%1}]%2}"_s;
    QTest::newRow("catalog not a list") << head.arg(u",\"scopeCatalog\":\"a b\""_s, QString()) << u"environments[0].scopeCatalog"_s;
    QTest::newRow("catalog scope without name") << head.arg(u",\"scopeCatalog\":[{\"description\":\"x\"}]"_s, QString())
                                                << u"environments[0].scopeCatalog[0].name"_s;
    QTest::newRow("unknown grant") << head.arg(u",\"grantType\":\"implicit\""_s, QString()) << u"environments[0].grantType"_s;
    QTest::newRow("redirect port out of range") << head.arg(u",\"redirectPort\":70000"_s, QString()) << u"environments[0].redirectPort"_s;
    QTest::newRow("issuer not a URL") << head.arg(u",\"provider\":{\"issuer\":\"http://[::1\"}"_s, QString())
                                      << u"environments[0].provider.issuer"_s;
    QTest::newRow("proxy with credentials in URL") << head.arg(u",\"proxy\":{\"mode\":\"manual\",\"url\":\"http://u:p@127.0.0.1:3128\"}"_s, QString())
                                                   << u"environments[0].proxy.url"_s;
    QTest::newRow("manual proxy without URL") << head.arg(u",\"proxy\":{\"mode\":\"manual\"}"_s, QString()) << u"environments[0].proxy.url"_s;
    QTest::newRow("unknown proxy mode") << head.arg(u",\"proxy\":{\"mode\":\"pac\"}"_s, QString()) << u"environments[0].proxy.mode"_s;
    QTest::newRow("client certificate not PEM") << head.arg(u",\"clientCertificate\":\"xyz\""_s, QString())
                                                << u"environments[0].clientCertificate"_s;
    QTest::newRow("origin without document") << head.arg(u",\"origin\":{\"key\":\"k\"}"_s, QString()) << u"environments[0].origin.document"_s;
    const QString request = u",\"requests\":[{\"name\":\"R\",\"request\":{\"url\":\"/x\"}%1}]"_s;
    QTest::newRow("required scopes as strings") << head.arg(QString(), request.arg(u",\"requiredScopes\":[\"a\"]"_s))
                                                << u"requests[0].requiredScopes[0]"_s;
    QTest::newRow("scopes of an alternative as text") << head.arg(QString(), request.arg(u",\"requiredScopes\":[{\"scopes\":\"a b\"}]"_s))
                                                      << u"requests[0].requiredScopes[0].scopes"_s;
    QTest::newRow("status out of range") << head.arg(QString(), request.arg(u",\"successStatus\":700"_s)) << u"requests[0].successStatus"_s;
    QTest::newRow("status as text") << head.arg(QString(), request.arg(u",\"successStatus\":\"200\""_s)) << u"requests[0].successStatus"_s;
}

void TestWorkspaceStore::contractFieldsRefuseWrongTypes()
{
    QFETCH(QString, json);
    QFETCH(QString, path);
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &parse);
    QVERIFY2(document.isObject(), qPrintable(parse.errorString() + u' ' + json));
    QString error;
    QVERIFY(!Workspace::fromJson(document.object(), &error));
    QVERIFY2(error.contains(path + u':'), qPrintable(error));
}

void TestWorkspaceStore::savedRequestNeverStoresAuthorizationOverride()
{
    SavedRequest request;
    request.name = u"Templates are fine"_s;
    request.draft.url = u"/me"_s;
    request.draft.headers = {{u"Authorization"_s, u"Bearer {{ partner.token }}"_s, true}, {u"Proxy-Authorization"_s, QString(), true}};
    RequestDraft::InjectionSwitch override;
    override.headerName = u"Authorization"_s;
    override.value = u"Bearer eyJoverride"_s;
    RequestDraft::InjectionSwitch off;
    off.headerName = u"authorization"_s;
    off.disabled = true;
    off.value = u"Bearer eyJoverride2"_s;
    request.draft.injectionSwitches = {override, off};

    Workspace workspace;
    QString error;
    QVERIFY2(workspace.upsertRequest(request, &error), qPrintable(error));
    const QByteArray bytes = WorkspaceStore::serialize(workspace);
    QVERIFY(!bytes.contains("eyJoverride"));
    QVERIFY(bytes.contains("Bearer {{ partner.token }}"));

    QString readError;
    const auto reread = Workspace::fromJson(QJsonDocument::fromJson(bytes).object(), &readError);
    QVERIFY2(reread, qPrintable(readError));
    const RequestDraft &draft = reread->savedRequests().first().draft;
    // Switched off survives; the value does not, and an override alone is no switch at all.
    QCOMPARE(draft.injectionSwitches.size(), qsizetype(1));
    QVERIFY(draft.injectionSwitches.first().disabled);
    QVERIFY(!draft.injectionSwitches.first().value);
    QVERIFY(draft.headers == request.draft.headers);
}

void TestWorkspaceStore::fileWithLiteralCredentialIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    const QJsonObject leaky{{u"id"_s, u"r-1"_s}, {u"name"_s, u"Hand edited"_s},
                            {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/me"_s},
                                                       {u"headers"_s, QJsonArray{QJsonObject{{u"name"_s, u"Authorization"_s},
                                                                                             {u"value"_s, u"Bearer eyJliteral"_s}}}}}}};
    QVERIFY(writeBytes(path, workspaceBytesWithRequests({leaky})));
    const auto loaded = WorkspaceStore::load(path);
    QCOMPARE(loaded.status, WorkspaceStore::Status::Corrupt);
    QVERIFY2(loaded.message.contains(u"Hand edited"_s), qPrintable(loaded.message));
    QVERIFY2(loaded.message.contains(u"put the credential in the environment"_s), qPrintable(loaded.message));
    QVERIFY(!loaded.message.contains(u"eyJliteral"_s));

    // Malformed entries are reported too, naming what is wrong.
    QVERIFY(writeBytes(path, workspaceBytesWithRequests({QJsonObject{{u"name"_s, u"No draft"_s}}})));
    QVERIFY(WorkspaceStore::load(path).message.contains(u"No draft"_s));
    QJsonObject badBody{{u"name"_s, u"Bad body"_s}, {u"request"_s, QJsonObject{{u"body"_s, u"%%%"_s}, {u"bodyBase64"_s, true}}}};
    QVERIFY(writeBytes(path, workspaceBytesWithRequests({badBody})));
    QVERIFY(WorkspaceStore::load(path).message.contains(u"base64"_s));
    const QJsonObject twin{{u"name"_s, u"Twin"_s}, {u"request"_s, QJsonObject{}}};
    QVERIFY(writeBytes(path, workspaceBytesWithRequests({twin, twin})));
    QVERIFY(WorkspaceStore::load(path).message.contains(u"two saved requests are named \"Twin\""_s));
}

void TestWorkspaceStore::fileWithoutRequestsLoads()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    // A version-1 file as the first Tokenbench wrote it, plus a key some later version added.
    const QByteArray v1 = R"({
    "environments": [{"id": "e-1", "name": "Sandbox", "tier": "sandbox", "tokenUrl": "https://auth.example.com/token"}],
    "format": "tokenbench-workspace",
    "id": "ws-1",
    "schemaVersion": 1,
    "zLaterAddition": {"kept": true}
})";
    QVERIFY(writeBytes(path, v1));
    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QVERIFY(loaded.workspace->savedRequests().isEmpty());
    QCOMPARE(loaded.workspace->environments().size(), qsizetype(1));

    // Saved again without requests, the file gets no "requests" key; the unknown key survives.
    const QByteArray again = WorkspaceStore::serialize(*loaded.workspace);
    QVERIFY(!again.contains("\"requests\""));
    QVERIFY(again.contains("\"zLaterAddition\""));

    Workspace withRequest = *loaded.workspace;
    SavedRequest request;
    request.name = u"Accounts"_s;
    request.draft.url = u"/accounts"_s;
    QVERIFY(withRequest.upsertRequest(request));
    QVERIFY(WorkspaceStore::save(withRequest, path).ok());
    const QJsonObject root = QJsonDocument::fromJson(readBytes(path)).object();
    QCOMPARE(root.value(u"schemaVersion"_s).toInt(), 1);
    QCOMPARE(root.value(u"requests"_s).toArray().size(), qsizetype(1));
    QCOMPARE(root.value(u"zLaterAddition"_s).toObject().value(u"kept"_s).toBool(), true);
}

void TestWorkspaceStore::savedRequestUpsertAndRemove()
{
    Workspace workspace;
    QString error;
    SavedRequest a;
    a.name = u"  Accounts  "_s;
    a.draft.url = u"/accounts"_s;
    const auto first = workspace.upsertRequest(a, &error);
    QVERIFY(first);
    QCOMPARE(first->name, u"Accounts"_s);
    QVERIFY(!first->id.isEmpty());

    // By id: a rename keeps id and place.
    SavedRequest renamed = *first;
    renamed.name = u"All accounts"_s;
    renamed.folder = u"Read"_s;
    QCOMPARE(workspace.upsertRequest(renamed)->id, first->id);
    QCOMPARE(workspace.savedRequests().size(), qsizetype(1));
    QVERIFY(!workspace.findRequest(u"Accounts"_s));
    QCOMPARE(workspace.findRequest(u"ALL ACCOUNTS"_s)->folder, u"Read"_s);

    SavedRequest b;
    b.name = u"all accounts"_s; // taken, whatever the case
    QVERIFY(!workspace.upsertRequest(b, &error));
    QVERIFY2(error.contains(u"All accounts"_s), qPrintable(error));
    b.name = u"   "_s;
    QVERIFY(!workspace.upsertRequest(b, &error));
    b.name = u"Me"_s;
    b.id = u"fixed-id"_s;
    QCOMPARE(workspace.upsertRequest(b)->id, u"fixed-id"_s);
    QCOMPARE(workspace.savedRequests().size(), qsizetype(2));
    QCOMPARE(workspace.savedRequests().last().name, u"Me"_s);
    QVERIFY(workspace.findRequestById(u"fixed-id"_s));

    QVERIFY(!workspace.removeRequest(u"nope"_s));
    QVERIFY(workspace.removeRequest(first->id));
    QCOMPARE(workspace.savedRequests().size(), qsizetype(1));
    QVERIFY(!workspace.findRequest(u"All accounts"_s));
}

void TestWorkspaceStore::trustedCertificatesRoundTrip()
{
    QTemporaryDir dir;
    const auto made = makeSelfSignedCertificate(dir.path());
    if (!made)
        QSKIP("openssl could not make a test certificate");
    const QSslCertificate certificate = made->certificate;
    Workspace workspace = Workspace::createDefault();
    Environment env = fullEnvironment(Tier::Staging, GrantType::ClientCredentials, ClientAuthStyle::Basic);
    env.trustedCertificates = certificate.toPem();
    workspace.upsert(env);
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(WorkspaceStore::save(workspace, path).ok());
    QVERIFY(readBytes(path).contains("-----BEGIN CERTIFICATE-----"));
    QVERIFY(!readBytes(path).contains("PRIVATE KEY")); // only what was given: the certificate
    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QCOMPARE(loaded.workspace->find(env.name)->trustedCertificates, env.trustedCertificates);
    QCOMPARE(Environment::describeCertificates(env.trustedCertificates).size(), 1);
    QVERIFY(Environment::describeCertificates(env.trustedCertificates).constFirst().startsWith(u"127.0.0.1 (valid until "_s));

    // Anything but PEM certificates is refused, with the reason, and the file kept.
    QJsonObject root = QJsonDocument::fromJson(readBytes(path)).object();
    QJsonArray environments = root.value(u"environments"_s).toArray();
    for (qsizetype i = 0; i < environments.size(); ++i) {
        QJsonObject entry = environments.at(i).toObject();
        if (entry.value(u"name"_s).toString() == env.name) {
            entry.insert(u"trustedCertificates"_s, u"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"_s);
            environments.replace(i, entry);
        }
    }
    root.insert(u"environments"_s, environments);
    QVERIFY(writeBytes(path, QJsonDocument(root).toJson()));
    const auto refused = WorkspaceStore::load(path);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.message.contains(u"trustedCertificates"_s), qPrintable(refused.message));
    QString problem;
    QVERIFY(Environment::describeCertificates(readBytes(made->keyPath), &problem).isEmpty());
    QVERIFY(!problem.isEmpty());
}

void TestWorkspaceStore::saveWithRevisionRefusesAChangedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(WorkspaceStore::save(Workspace::createDefault(), path).ok());
    const auto mine = WorkspaceStore::load(path);
    QVERIFY(mine.ok());
    QVERIFY(mine.revision.exists);

    // Another process adds an environment after this one read the file.
    const auto other = WorkspaceStore::update(path, [](Workspace &ws, QString *) {
        Environment env;
        env.name = u"Added elsewhere"_s;
        ws.upsert(env);
        return true;
    });
    QVERIFY2(other.ok(), qPrintable(other.message));
    QVERIFY(!other.revision.sameContent(mine.revision));
    const QByteArray theirs = readBytes(path);

    Workspace stale = *mine.workspace;
    Environment env;
    env.name = u"Mine"_s;
    stale.upsert(env);
    const auto refused = WorkspaceStore::save(stale, path, mine.revision);
    QCOMPARE(refused.status, WorkspaceStore::Status::Changed);
    QVERIFY(refused.message.contains(u"changed by another process"_s));
    QCOMPARE(readBytes(path), theirs); // nothing written over the other process's change
    QVERIFY(refused.revision.sameContent(other.revision));

    // Against the revision it now holds, the write goes through.
    const auto saved = WorkspaceStore::save(stale, path, other.revision);
    QVERIFY2(saved.ok(), qPrintable(saved.message));
    QVERIFY(saved.revision.sameContent(WorkspaceRevision::ofFile(path)));
}

void TestWorkspaceStore::saveWithRevisionOfNoFileRefusesAnExistingOne()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(WorkspaceStore::save(Workspace::createDefault(), path, WorkspaceRevision()).ok());
    const QByteArray first = readBytes(path);
    QCOMPARE(WorkspaceStore::save(Workspace::createDefault(), path, WorkspaceRevision()).status, WorkspaceStore::Status::Changed);
    QCOMPARE(readBytes(path), first);
}

void TestWorkspaceStore::updateAppliesTheChangeToWhatIsOnDisk()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/ws.json"_s);
    // No file yet: created with the Demo, then changed.
    for (const QString &name : {u"One"_s, u"Two"_s}) {
        const auto result = WorkspaceStore::update(path, [&name](Workspace &ws, QString *) {
            Environment env;
            env.name = name;
            ws.upsert(env);
            return true;
        });
        QVERIFY2(result.ok(), qPrintable(result.message));
        QVERIFY(result.workspace->find(name));
        QVERIFY(result.revision.sameContent(WorkspaceRevision::ofFile(path)));
    }
    const auto loaded = WorkspaceStore::load(path);
    QVERIFY(loaded.workspace->find(u"Demo"_s));
    QVERIFY(loaded.workspace->find(u"One"_s));
    QVERIFY(loaded.workspace->find(u"Two"_s));
    QVERIFY(!QFile::exists(WorkspaceStore::lockPath(path))); // the lock is let go
}

void TestWorkspaceStore::updateDeclinedWritesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(WorkspaceStore::save(Workspace::createDefault(), path).ok());
    const QByteArray before = readBytes(path);
    const auto result = WorkspaceStore::update(path, [](Workspace &ws, QString *message) {
        ws.remove(u"Demo"_s);
        *message = u"no thanks"_s;
        return false;
    });
    QCOMPARE(result.status, WorkspaceStore::Status::Declined);
    QCOMPARE(result.message, u"no thanks"_s);
    QCOMPARE(readBytes(path), before);
}

void TestWorkspaceStore::updateKeepsRefusingUnknownFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray notes = QByteArrayLiteral("my notes, do not delete\n");
    QVERIFY(writeBytes(path, notes));
    bool called = false;
    const auto result = WorkspaceStore::update(path, [&called](Workspace &, QString *) {
        called = true;
        return true;
    });
    QCOMPARE(result.status, WorkspaceStore::Status::Corrupt);
    QVERIFY(!called);
    QCOMPARE(readBytes(path), notes);
    QCOMPARE(backupsOf(path).size(), 1); // and a copy is kept, as load() does
    QCOMPARE(WorkspaceStore::save(Workspace::createDefault(), path, WorkspaceRevision::ofFile(path)).status, WorkspaceStore::Status::WriteFailed);
    QCOMPARE(readBytes(path), notes);
}

void TestWorkspaceStore::lockedWorkspaceIsNotWritten()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(WorkspaceStore::save(Workspace::createDefault(), path).ok());
    const auto loaded = WorkspaceStore::load(path);
    const QByteArray before = readBytes(path);

    QLockFile other(WorkspaceStore::lockPath(path)); // another writer in the middle of its write
    QVERIFY(other.tryLock(0));
    Workspace changed = *loaded.workspace;
    Environment env;
    env.name = u"Blocked"_s;
    changed.upsert(env);
    const auto refused = WorkspaceStore::save(changed, path, loaded.revision, 100);
    QCOMPARE(refused.status, WorkspaceStore::Status::Locked);
    QVERIFY(refused.message.contains(u"another process"_s));
    QCOMPARE(readBytes(path), before);
    QCOMPARE(WorkspaceStore::update(path, [](Workspace &, QString *) { return true; }, 100).status, WorkspaceStore::Status::Locked);

    other.unlock();
    QVERIFY(WorkspaceStore::save(changed, path, loaded.revision, 100).ok());
}

QTEST_GUILESS_MAIN(TestWorkspaceStore)
#include "tst_workspacestore.moc"
