// Strict workspace reads: only a regular file of at most 16 MB is read, a refused file is copied
// aside once per content (and one refused for what it is, not at all), every field is read with
// its type and refused with its path, unknown members survive a load and a save (and a merge),
// and a schemaVersion that is not one this version reads is refused. The file is never changed.
#include "workspace/EnvironmentListModel.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceMerge.h"
#include "workspace/WorkspaceRevision.h"
#include "workspace/WorkspaceStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
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

// Runs fn on its own thread and gives it `ms`: a read that blocks (a FIFO without a writer) or
// never ends (/dev/zero) fails the test at once instead of hanging it or eating the machine's
// memory. `unblock` is called on a timeout to let a blocked read end.
bool finishesWithin(int ms, const std::function<void()> &fn, const std::function<void()> &unblock = {})
{
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread worker([fn, done] {
        fn();
        done->store(true);
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!done->load() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (done->load()) {
        worker.join();
        return true;
    }
    if (unblock)
        unblock();
    for (int i = 0; i < 200 && !done->load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!done->load())
        qFatal("a workspace read did not end within %d ms (and could not be stopped)", ms);
    worker.join();
    return false;
}

QJsonObject validRoot()
{
    Environment env;
    env.id = u"env-1"_s;
    env.name = u"Staging"_s;
    env.tier = Tier::Staging;
    env.tokenUrl = QUrl(u"https://id.example/oauth/token"_s);
    env.apiBaseUrl = QUrl(u"https://api.example/"_s);
    env.clientId = u"client"_s;
    env.scopes = {u"a"_s, u"b"_s};
    env.params = {{u"audience"_s, u"https://api.example"_s, false}};
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}};
    env.variables = {{u"userId"_s, u"u-1"_s}, {u"tenant"_s, u"acme"_s}};
    Workspace workspace;
    workspace.setId(u"ws-1"_s);
    workspace.upsert(env);
    SavedRequest request;
    request.id = u"req-1"_s;
    request.name = u"Me"_s;
    request.draft.url = u"/me"_s;
    request.draft.headers = {{u"Accept"_s, u"application/json"_s, true}};
    request.draft.formParts = {{u"note"_s, u"hi"_s, false, true}};
    request.draft.injectionSwitches = {{u"X-On-Behalf-Of"_s, true, std::nullopt}};
    request.draft.extraVariables = {{u"x"_s, u"1"_s}};
    QString error;
    if (!workspace.upsertRequest(request, &error))
        qFatal("%s", qPrintable(error));
    return workspace.toJson();
}

QByteArray bytesOf(const QJsonObject &root)
{
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

// Sets a value at a path of objects and array indexes: {"environments", 0, "tokenUrl"}.
QJsonValue withValue(const QJsonValue &node, const QVariantList &path, qsizetype at, const QJsonValue &value)
{
    if (at == path.size())
        return value;
    if (path.at(at).typeId() == QMetaType::Int) {
        QJsonArray array = node.toArray();
        const int index = path.at(at).toInt();
        array[index] = withValue(array.at(index), path, at + 1, value);
        return array;
    }
    QJsonObject object = node.toObject();
    const QString key = path.at(at).toString();
    object.insert(key, withValue(object.value(key), path, at + 1, value));
    return object;
}

QByteArray rootWith(const QVariantList &path, const QJsonValue &value)
{
    return bytesOf(withValue(validRoot(), path, 0, value).toObject());
}
} // namespace

class TestWorkspaceStrictRead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void symlinkToDevZeroIsRefusedQuickly();
    void fifoIsRefusedWithoutBlocking();
    void folderIsRefused();
    void oversizeFileIsRefusedWithoutCopy();
    void corruptFileIsBackedUpOncePerContent();
    void wrongTypeIsRefusedWithItsPath_data();
    void wrongTypeIsRefusedWithItsPath();
    void nullMeansNotSet();
    void schemaVersion_data();
    void schemaVersion();
    void unknownFieldsSurviveLoadAndSave();
    void unknownFieldsSurviveAnEditAndAMerge();
    void guiModelNeverWritesOverARefusedFile();
};

void TestWorkspaceStrictRead::symlinkToDevZeroIsRefusedQuickly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(QFile::link(u"/dev/zero"_s, path));

    WorkspaceStore::LoadResult result;
    QVERIFY2(finishesWithin(5000, [&] { result = WorkspaceStore::load(path); }), "load of a symlink to /dev/zero did not end");
    QCOMPARE(result.status, WorkspaceStore::Status::Unreadable);
    QVERIFY2(result.message.contains(u"character device"_s), qPrintable(result.message));
    QVERIFY2(result.message.contains(u"no copy made"_s), qPrintable(result.message));
    QVERIFY(backupsOf(path).isEmpty());

    QVERIFY(finishesWithin(5000, [&] { result = WorkspaceStore::loadOrCreate(path); }));
    QCOMPARE(result.status, WorkspaceStore::Status::Unreadable);
    WorkspaceStore::SaveResult saved;
    QVERIFY(finishesWithin(5000, [&] { saved = WorkspaceStore::save(Workspace::createDefault(), path); }));
    QCOMPARE(saved.status, WorkspaceStore::Status::WriteFailed);
    QVERIFY(QFileInfo(path).isSymLink());
    QCOMPARE(QFileInfo(path).symLinkTarget(), u"/dev/zero"_s);
    WorkspaceRevision revision;
    QVERIFY(finishesWithin(5000, [&] { revision = WorkspaceRevision::ofFile(path); }));
    QVERIFY(revision.exists);
    QCOMPARE(revision.size, qint64(-1));
    QVERIFY(backupsOf(path).isEmpty());
}

void TestWorkspaceStrictRead::fifoIsRefusedWithoutBlocking()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fifo = dir.filePath(u"pipe"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(QFile::link(fifo, path)); // through a symlink, as in the report
    // On a timeout a writer that opens and closes lets a blocked open() and read() end.
    const auto unblock = [fifo] {
        const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
    };

    for (const QString &target : {fifo, path}) {
        WorkspaceStore::LoadResult result;
        QVERIFY2(finishesWithin(3000, [&] { result = WorkspaceStore::load(target); }, unblock), "load of a FIFO blocked");
        QCOMPARE(result.status, WorkspaceStore::Status::Unreadable);
        QVERIFY2(result.message.contains(u"FIFO"_s), qPrintable(result.message));
        WorkspaceStore::SaveResult saved;
        QVERIFY2(finishesWithin(3000, [&] { saved = WorkspaceStore::save(Workspace::createDefault(), target); }, unblock),
                 "save over a FIFO blocked");
        QCOMPARE(saved.status, WorkspaceStore::Status::WriteFailed);
        QVERIFY(finishesWithin(3000, [&] { WorkspaceRevision::ofFile(target); }, unblock));
    }
    QVERIFY(QFileInfo(fifo).exists() && !QFileInfo(fifo).isFile());
    QVERIFY(backupsOf(path).isEmpty());
}

void TestWorkspaceStrictRead::folderIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(QDir().mkpath(path));
    const auto result = WorkspaceStore::loadOrCreate(path);
    QCOMPARE(result.status, WorkspaceStore::Status::Unreadable);
    QVERIFY2(result.message.contains(u"folder"_s), qPrintable(result.message));
    QVERIFY(QFileInfo(path).isDir());
}

void TestWorkspaceStrictRead::oversizeFileIsRefusedWithoutCopy()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    // A valid workspace padded past the limit with whitespace: refused for its size alone.
    QByteArray bytes = bytesOf(validRoot());
    bytes.append(QByteArray(17 * 1024 * 1024 - bytes.size(), ' '));
    QVERIFY(writeBytes(path, bytes));
    const QByteArray hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);

    for (int run = 0; run < 3; ++run) {
        const auto result = WorkspaceStore::load(path);
        QCOMPARE(result.status, WorkspaceStore::Status::Unreadable);
        QVERIFY2(result.message.contains(u"17 MB"_s) && result.message.contains(u"16 MB"_s), qPrintable(result.message));
        QVERIFY2(result.message.contains(u"no copy made"_s), qPrintable(result.message));
    }
    QCOMPARE(WorkspaceStore::save(Workspace::createDefault(), path).status, WorkspaceStore::Status::WriteFailed);
    QCOMPARE(WorkspaceStore::update(path, [](Workspace &, QString *) { return true; }).status, WorkspaceStore::Status::Unreadable);
    QVERIFY(backupsOf(path).isEmpty());
    QCOMPARE(QCryptographicHash::hash(readBytes(path), QCryptographicHash::Sha256), hash);

    // The limit itself reads.
    QVERIFY(writeBytes(path, bytes.left(16 * 1024 * 1024)));
    QVERIFY2(WorkspaceStore::load(path).ok(), qPrintable(WorkspaceStore::load(path).message));
}

void TestWorkspaceStrictRead::corruptFileIsBackedUpOncePerContent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    // Big enough that a copy per run would show, under the limit so it is read.
    QByteArray bytes = bytesOf(validRoot());
    bytes.chop(3); // the closing brace goes: invalid JSON
    bytes.append(QByteArray(4 * 1024 * 1024, ' '));
    QVERIFY(writeBytes(path, bytes));

    QString message;
    for (int run = 0; run < 3; ++run) {
        const auto result = run == 1 ? WorkspaceStore::loadOrCreate(path) : WorkspaceStore::load(path);
        QCOMPARE(result.status, WorkspaceStore::Status::Corrupt);
        message = result.message;
        QCOMPARE(backupsOf(path).size(), qsizetype(1));
    }
    const QString backup = dir.filePath(backupsOf(path).constFirst());
    QVERIFY2(message.contains(QDir::toNativeSeparators(backup)), qPrintable(message)); // the copy is named, every time
    QCOMPARE(readBytes(backup), bytes);
    QCOMPARE(readBytes(path), bytes);
    QCOMPARE(QFileInfo(backup).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());

    // A copy made under another name (an older version's timestamp) counts too.
    QVERIFY(QFile::rename(backup, path + u".unreadable-20260101T000000Z"_s));
    QCOMPARE(WorkspaceStore::load(path).status, WorkspaceStore::Status::Corrupt);
    QCOMPARE(backupsOf(path), QStringList{u"ws.json.unreadable-20260101T000000Z"_s});

    // Other content: one more copy, once.
    bytes.append('x');
    QVERIFY(writeBytes(path, bytes));
    for (int run = 0; run < 3; ++run)
        QCOMPARE(WorkspaceStore::load(path).status, WorkspaceStore::Status::Corrupt);
    QCOMPARE(backupsOf(path).size(), qsizetype(2));
}

void TestWorkspaceStrictRead::wrongTypeIsRefusedWithItsPath_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    QTest::newRow("tokenUrl: 5") << rootWith({u"environments"_s, 0, u"tokenUrl"_s}, 5)
                                 << u"environments[0].tokenUrl: expected a string, found a number"_s;
    QTest::newRow("scopes: \"a b\"") << rootWith({u"environments"_s, 0, u"scopes"_s}, u"a b"_s)
                                     << u"environments[0].scopes: expected a list of strings, found a string"_s;
    QTest::newRow("scopes: [1]") << rootWith({u"environments"_s, 0, u"scopes"_s}, QJsonArray{u"a"_s, 1})
                                 << u"environments[0].scopes[1]: expected a string, found a number"_s;
    QTest::newRow("clientId: {}") << rootWith({u"environments"_s, 0, u"clientId"_s}, QJsonObject())
                                  << u"environments[0].clientId: expected a string, found an object"_s;
    QTest::newRow("allowInsecureHttp: \"yes\"") << rootWith({u"environments"_s, 0, u"allowInsecureHttp"_s}, u"yes"_s)
                                                << u"environments[0].allowInsecureHttp: expected true or false, found a string"_s;
    QTest::newRow("tier: 2") << rootWith({u"environments"_s, 0, u"tier"_s}, 2)
                             << u"environments[0].tier: expected a string, found a number"_s;
    QTest::newRow("tokenParams[0].secret: \"true\"") << rootWith({u"environments"_s, 0, u"tokenParams"_s, 0, u"secret"_s}, u"true"_s)
                                                     << u"environments[0].tokenParams[0].secret: expected true or false, found a string"_s;
    QTest::newRow("contextHeaders: {}") << rootWith({u"environments"_s, 0, u"contextHeaders"_s}, QJsonObject())
                                        << u"environments[0].contextHeaders: expected a list of objects, found an object"_s;
    QTest::newRow("variables[1].value: 7") << rootWith({u"environments"_s, 0, u"variables"_s, 1, u"value"_s}, 7)
                                           << u"environments[0].variables[1].value: expected a string, found a number"_s;
    QTest::newRow("variables[0]: \"x\"") << rootWith({u"environments"_s, 0, u"variables"_s, 0}, u"x"_s)
                                         << u"environments[0].variables[0]: expected an object, found a string"_s;
    QTest::newRow("environments: \"x\"") << rootWith({u"environments"_s}, u"x"_s)
                                         << u"environments: expected a list of objects, found a string"_s;
    QTest::newRow("id: 5") << rootWith({u"id"_s}, 5) << u"id: expected a string, found a number"_s;
    QTest::newRow("requests: {}") << rootWith({u"requests"_s}, QJsonObject()) << u"requests: expected a list of objects, found an object"_s;
    QTest::newRow("requests[0].folder: 3") << rootWith({u"requests"_s, 0, u"folder"_s}, 3)
                                           << u"requests[0].folder: expected a string, found a number"_s;
    QTest::newRow("requests[0].request: []") << rootWith({u"requests"_s, 0, u"request"_s}, QJsonArray())
                                             << u"requests[0].request: expected an object, found a list"_s;
    QTest::newRow("request.headers[0].value: 5") << rootWith({u"requests"_s, 0, u"request"_s, u"headers"_s, 0, u"value"_s}, 5)
                                                 << u"requests[0].request.headers[0].value: expected a string, found a number"_s;
    QTest::newRow("request.scopes: \"a b\"") << rootWith({u"requests"_s, 0, u"request"_s, u"scopes"_s}, u"a b"_s)
                                             << u"requests[0].request.scopes: expected a list of strings, found a string"_s;
    QTest::newRow("request.multipart[0].file: 1") << rootWith({u"requests"_s, 0, u"request"_s, u"multipart"_s, 0, u"file"_s}, 1)
                                                  << u"requests[0].request.multipart[0].file: expected true or false, found a number"_s;
    QTest::newRow("request.injection[0].disabled: \"no\"")
        << rootWith({u"requests"_s, 0, u"request"_s, u"injection"_s, 0, u"disabled"_s}, u"no"_s)
        << u"requests[0].request.injection[0].disabled: expected true or false, found a string"_s;
    // Not a type, but the same rule: a hand-written Authorization override was ignored, then
    // dropped by the next save.
    QTest::newRow("request.injection[0]: Authorization override")
        << rootWith({u"requests"_s, 0, u"request"_s, u"injection"_s, 0},
                    QJsonObject{{u"header"_s, u"Authorization"_s}, {u"value"_s, u"Bearer {{t}}"_s}})
        << u"requests[0].request.injection[0].value: an override of Authorization is never read from a workspace file"_s;
    QTest::newRow("environments[0].tokenUrl: 5 (named)") << rootWith({u"environments"_s, 0, u"tokenUrl"_s}, 5)
                                                          << u"environment \"Staging\": environments[0].tokenUrl"_s;
}

void TestWorkspaceStrictRead::wrongTypeIsRefusedWithItsPath()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(writeBytes(path, bytes));

    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, WorkspaceStore::Status::Corrupt);
    QVERIFY2(result.message.contains(expected), qPrintable(result.message));
    QCOMPARE(backupsOf(path).size(), qsizetype(1));
    // Nothing writes over it: not a plain save, not a change applied to what is on disk.
    QCOMPARE(WorkspaceStore::save(Workspace::createDefault(), path).status, WorkspaceStore::Status::WriteFailed);
    QCOMPARE(WorkspaceStore::update(path, [](Workspace &, QString *) { return true; }).status, WorkspaceStore::Status::Corrupt);
    QCOMPARE(WorkspaceStore::loadOrCreate(path).status, WorkspaceStore::Status::Corrupt);
    QCOMPARE(readBytes(path), bytes);
    QCOMPARE(backupsOf(path).size(), qsizetype(1));
}

void TestWorkspaceStrictRead::nullMeansNotSet()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QJsonObject root = withValue(validRoot(), {u"environments"_s, 0, u"username"_s}, 0, QJsonValue::Null).toObject();
    root = withValue(root, {u"environments"_s, 0, u"scopes"_s}, 0, QJsonValue::Null).toObject();
    QVERIFY(writeBytes(path, bytesOf(root)));
    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QVERIFY(loaded.workspace->environments().constFirst().username.isEmpty());
    QVERIFY(loaded.workspace->environments().constFirst().scopes.isEmpty());

    // One that must be there may not be null.
    QVERIFY(writeBytes(path, rootWith({u"environments"_s}, QJsonValue::Null)));
    const auto refused = WorkspaceStore::load(path);
    QCOMPARE(refused.status, WorkspaceStore::Status::Corrupt);
    QVERIFY2(refused.message.contains(u"environments: must be set, found null"_s), qPrintable(refused.message));
}

void TestWorkspaceStrictRead::schemaVersion_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<WorkspaceStore::Status>("status");
    QTest::addColumn<QString>("expected");

    const auto future = u"written by a newer Tokenbench (schema 2); this version reads up to schema %1"_s.arg(Workspace::SchemaVersion);
    QTest::newRow("2: a newer Tokenbench") << rootWith({u"schemaVersion"_s}, 2) << WorkspaceStore::Status::FutureSchema << future;
    QTest::newRow("1e300") << rootWith({u"schemaVersion"_s}, 1e300) << WorkspaceStore::Status::Corrupt
                           << u"schemaVersion: expected a whole number from 1 to 2147483647, found 1e+300"_s;
    QTest::newRow("-5") << rootWith({u"schemaVersion"_s}, -5) << WorkspaceStore::Status::Corrupt
                        << u"schemaVersion: expected a whole number from 1 to 2147483647, found -5"_s;
    QTest::newRow("0") << rootWith({u"schemaVersion"_s}, 0) << WorkspaceStore::Status::Corrupt << u"schemaVersion: expected a whole number"_s;
    QTest::newRow("1.5") << rootWith({u"schemaVersion"_s}, 1.5) << WorkspaceStore::Status::Corrupt << u"found 1.5"_s;
    QTest::newRow("\"1\"") << rootWith({u"schemaVersion"_s}, u"1"_s) << WorkspaceStore::Status::Corrupt
                           << u"schemaVersion: expected a whole number from 1 to 2147483647, found a string"_s;
    QTest::newRow("null") << rootWith({u"schemaVersion"_s}, QJsonValue::Null) << WorkspaceStore::Status::Corrupt
                          << u"schemaVersion: must be set, found null"_s;
    QJsonObject missing = validRoot();
    missing.remove(u"schemaVersion"_s);
    QTest::newRow("missing") << bytesOf(missing) << WorkspaceStore::Status::Corrupt << u"schemaVersion: missing"_s;
    QTest::newRow("1.0 reads") << QByteArray(bytesOf(validRoot()).replace("\"schemaVersion\": 1", "\"schemaVersion\": 1.0"))
                               << WorkspaceStore::Status::Ok << QString();
}

void TestWorkspaceStrictRead::schemaVersion()
{
    QFETCH(QByteArray, bytes);
    QFETCH(WorkspaceStore::Status, status);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    QVERIFY(writeBytes(path, bytes));
    const auto result = WorkspaceStore::load(path);
    QCOMPARE(result.status, status);
    QVERIFY2(result.message.contains(expected), qPrintable(result.message));
    if (status == WorkspaceStore::Status::Ok)
        return;
    QCOMPARE(WorkspaceStore::save(Workspace::createDefault(), path).status, WorkspaceStore::Status::WriteFailed);
    QCOMPARE(WorkspaceStore::update(path, [](Workspace &, QString *) { return true; }).status, status);
    QCOMPARE(readBytes(path), bytes);
    QCOMPARE(backupsOf(path).size(), qsizetype(1));
}

namespace {
// A workspace as a later version might write it: members this one does not know everywhere.
QJsonObject rootWithUnknownMembers()
{
    QJsonObject root = validRoot();
    root.insert(u"syncedAt"_s, u"2026-12-01T10:00:00Z"_s);
    const QJsonObject nested{{u"colour"_s, u"teal"_s}, {u"list"_s, QJsonArray{1, u"two"_s, QJsonValue::Null, true}}};
    const QList<QVariantList> places = {
        {u"environments"_s, 0, u"notes"_s},
        {u"environments"_s, 0, u"tokenParams"_s, 0, u"comment"_s},
        {u"environments"_s, 0, u"contextHeaders"_s, 0, u"onlyFor"_s},
        {u"environments"_s, 0, u"variables"_s, 1, u"description"_s},
        {u"requests"_s, 0, u"pinned"_s},
        {u"requests"_s, 0, u"request"_s, u"timeoutMs"_s},
        {u"requests"_s, 0, u"request"_s, u"headers"_s, 0, u"comment"_s},
        {u"requests"_s, 0, u"request"_s, u"multipart"_s, 0, u"contentType"_s},
        {u"requests"_s, 0, u"request"_s, u"variables"_s, 0, u"description"_s},
        {u"requests"_s, 0, u"request"_s, u"injection"_s, 0, u"reason"_s},
    };
    for (const QVariantList &place : places)
        root = withValue(root, place, 0, nested).toObject();
    return root;
}
} // namespace

void TestWorkspaceStrictRead::unknownFieldsSurviveLoadAndSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const QJsonObject root = rootWithUnknownMembers();
    QVERIFY(writeBytes(path, bytesOf(root)));

    const auto loaded = WorkspaceStore::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.message));
    QCOMPARE(loaded.workspace->toJson(), root);
    QVERIFY(WorkspaceStore::save(*loaded.workspace, path, loaded.revision).ok());
    QCOMPARE(QJsonDocument::fromJson(readBytes(path)).object(), root);
}

void TestWorkspaceStrictRead::unknownFieldsSurviveAnEditAndAMerge()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const QJsonObject root = rootWithUnknownMembers();
    QVERIFY(writeBytes(path, bytesOf(root)));

    // A change applied to what is on disk (the CLI's way): the edited environment keeps its
    // unknown members, and so do its rows, also when a row is added before them.
    const auto updated = WorkspaceStore::update(path, [](Workspace &workspace, QString *) {
        Environment env = *workspace.find(u"Staging"_s);
        env.clientId = u"changed"_s;
        env.variables.prepend({u"first"_s, u"1"_s});
        workspace.upsert(env);
        return true;
    });
    QVERIFY2(updated.ok(), qPrintable(updated.message));
    QJsonObject expected = withValue(root, {u"environments"_s, 0, u"clientId"_s}, 0, u"changed"_s).toObject();
    QJsonArray variables = expected.value(u"environments"_s)[0][u"variables"_s].toArray();
    variables.prepend(QJsonObject{{u"name"_s, u"first"_s}, {u"value"_s, u"1"_s}});
    expected = withValue(expected, {u"environments"_s, 0, u"variables"_s}, 0, variables).toObject();
    QCOMPARE(QJsonDocument::fromJson(readBytes(path)).object(), expected);

    // A three-way merge (the GUI's way) keeps them on both sides: ours edits the request, the
    // disk's edits the environment.
    const Workspace base = *WorkspaceStore::load(path).workspace;
    Workspace mine = base;
    SavedRequest request = *mine.findRequest(u"Me"_s);
    request.draft.url = u"/me/again"_s;
    QVERIFY(mine.upsertRequest(request));
    Workspace disk = base;
    Environment env = *disk.find(u"Staging"_s);
    env.clientId = u"disk"_s;
    disk.upsert(env);
    const WorkspaceMerge::Result merged = WorkspaceMerge::merge(base, mine, disk);
    QVERIFY(merged.conflicts.isEmpty());
    QJsonObject mergedExpected = withValue(expected, {u"environments"_s, 0, u"clientId"_s}, 0, u"disk"_s).toObject();
    mergedExpected = withValue(mergedExpected, {u"requests"_s, 0, u"request"_s, u"url"_s}, 0, u"/me/again"_s).toObject();
    QCOMPARE(merged.merged.toJson(), mergedExpected);

    // Replaced by name with a profile built from scratch (`env add --replace`), and a saved
    // request saved again from a fresh draft: what they held that this version does not know stays.
    Workspace replaced = base;
    Environment fresh;
    fresh.name = u"Staging"_s;
    fresh.variables = {{u"tenant"_s, u"other"_s}};
    replaced.upsert(fresh);
    SavedRequest again;
    again.id = u"req-1"_s;
    again.name = u"Me"_s;
    again.draft.url = u"/fresh"_s;
    QVERIFY(replaced.upsertRequest(again));
    const QJsonObject json = replaced.toJson();
    const QJsonObject envJson = json.value(u"environments"_s)[0].toObject();
    QCOMPARE(envJson.value(u"notes"_s), root.value(u"environments"_s)[0][u"notes"_s]);
    QCOMPARE(envJson.value(u"variables"_s)[0][u"description"_s], root.value(u"environments"_s)[0][u"variables"_s][1][u"description"_s]);
    const QJsonObject requestJson = json.value(u"requests"_s)[0].toObject();
    QCOMPARE(requestJson.value(u"pinned"_s), root.value(u"requests"_s)[0][u"pinned"_s]);
    QCOMPARE(requestJson.value(u"request"_s)[u"timeoutMs"_s], root.value(u"requests"_s)[0][u"request"_s][u"timeoutMs"_s]);
    QCOMPARE(requestJson.value(u"request"_s)[u"url"_s].toString(), u"/fresh"_s);
}

void TestWorkspaceStrictRead::guiModelNeverWritesOverARefusedFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ws.json"_s);
    const QByteArray bytes = rootWith({u"environments"_s, 0, u"tokenUrl"_s}, 5);
    QVERIFY(writeBytes(path, bytes));

    EnvironmentListModel model;
    QString message;
    QVERIFY(!model.open(path, &message));
    QVERIFY2(message.contains(u"environments[0].tokenUrl: expected a string, found a number"_s), qPrintable(message));
    QVERIFY(model.isReadOnly());
    Environment env;
    env.name = u"New"_s;
    model.upsert(env);
    model.syncWithDisk();
    QCOMPARE(readBytes(path), bytes);

    // A FIFO: refused at once, not waited on, and not written over either.
    const QString fifo = dir.filePath(u"pipe.json"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    EnvironmentListModel fifoModel;
    bool opened = true;
    QVERIFY(finishesWithin(3000, [&] { opened = fifoModel.open(fifo, &message); }, [fifo] {
        const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
    }));
    QVERIFY(!opened);
    QVERIFY(fifoModel.isReadOnly());
    QVERIFY2(message.contains(u"FIFO"_s), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestWorkspaceStrictRead)
#include "tst_workspacestrictread.moc"
