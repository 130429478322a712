// tokenbench-cli on a workspace it must refuse: a FIFO or /dev/zero behind the name, a file past
// 16 MB, a field of the wrong type, a newer schema. Each run ends at once with exit code 3 and
// says why; the file is never written over, and a refused content is copied aside only once.
#include "support/CliRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int WorkspaceExitCode = 3; // README: "workspace or profile problem"

struct BoundedRun
{
    bool finished = false;
    qint64 elapsedMs = 0;
    int exitCode = -1;
    QString err;
};

// A run that blocks (or reads forever) is killed after timeoutMs and reported as not finished,
// so the test fails in seconds instead of hanging.
BoundedRun runBounded(const QStringList &arguments, int timeoutMs = 10000)
{
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    BoundedRun run;
    if (!process.waitForStarted(5000))
        return run;
    process.closeWriteChannel();
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished();
    }
    run.elapsedMs = timer.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList envList(const QString &path)
{
    return {u"--workspace"_s, path, u"env"_s, u"list"_s};
}

QStringList envAdd(const QString &path)
{
    return {u"--workspace"_s, path, u"env"_s, u"add"_s, u"New"_s, u"--token-url"_s, u"https://id.example/token"_s,
            u"--api-url"_s, u"https://api.example/"_s, u"--client-id"_s, u"c"_s};
}

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

QJsonObject workspaceWith(const QJsonObject &environment, int schemaVersion = 1)
{
    return {{u"format"_s, u"tokenbench-workspace"_s},
            {u"schemaVersion"_s, schemaVersion},
            {u"id"_s, u"ws-1"_s},
            {u"environments"_s, QJsonArray{environment}}};
}
} // namespace

class TestCliWorkspaceRead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notARegularFileEndsAtOnce_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("says");
        QTest::newRow("symlink to a FIFO") << u"fifo"_s << u"FIFO"_s;
        QTest::newRow("symlink to /dev/zero") << u"/dev/zero"_s << u"character device"_s;
    }

    void notARegularFileEndsAtOnce()
    {
        QFETCH(QString, target);
        QFETCH(QString, says);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (target == u"fifo"_s) {
            target = dir.filePath(u"pipe"_s);
            QCOMPARE(::mkfifo(QFile::encodeName(target).constData(), 0600), 0);
        }
        const QString path = dir.filePath(u"ws.json"_s);
        QVERIFY(QFile::link(target, path));

        for (const QStringList &arguments : {envList(path), envAdd(path)}) {
            const BoundedRun run = runBounded(arguments);
            QVERIFY2(run.finished, qPrintable(u"tokenbench-cli %1 still ran after %2 ms"_s.arg(arguments.join(u' ')).arg(run.elapsedMs)));
            QCOMPARE(run.exitCode, WorkspaceExitCode);
            QVERIFY2(run.err.contains(says) && run.err.contains(u"not a regular file"_s), qPrintable(run.err));
            QVERIFY2(run.err.contains(QDir::toNativeSeparators(path)), qPrintable(run.err));
        }
        QCOMPARE(QFileInfo(path).symLinkTarget(), target);
        QVERIFY(backupsOf(path).isEmpty());
    }

    void oversizeFileIsRefusedAndNotCopied()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"ws.json"_s);
        QByteArray bytes = QJsonDocument(workspaceWith({{u"name"_s, u"Big"_s}})).toJson();
        bytes.append(QByteArray(17 * 1024 * 1024 - bytes.size(), ' '));
        QVERIFY(writeBytes(path, bytes));

        for (int run = 0; run < 3; ++run) {
            const BoundedRun result = runBounded(run == 2 ? envAdd(path) : envList(path));
            QVERIFY(result.finished);
            QCOMPARE(result.exitCode, WorkspaceExitCode);
            QVERIFY2(result.err.contains(u"it is 17 MB, larger than the 16 MB a workspace may have"_s), qPrintable(result.err));
        }
        QVERIFY(backupsOf(path).isEmpty());
        QCOMPARE(readBytes(path), bytes);
    }

    void wrongTypeIsRefusedAndCopiedOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"ws.json"_s);
        // The reported case, made big (under the limit, so it is read): one copy, not one per run.
        QByteArray bytes = QJsonDocument(workspaceWith({{u"name"_s, u"Sandbox"_s}, {u"tokenUrl"_s, 5}})).toJson();
        bytes.append(QByteArray(8 * 1024 * 1024, '\n'));
        QVERIFY(writeBytes(path, bytes));

        for (int run = 0; run < 3; ++run) {
            const BoundedRun result = runBounded(run == 1 ? envAdd(path) : envList(path));
            QVERIFY(result.finished);
            QCOMPARE(result.exitCode, WorkspaceExitCode);
            QVERIFY2(result.err.contains(u"environments[0].tokenUrl: expected a string, found a number"_s), qPrintable(result.err));
            QCOMPARE(backupsOf(path).size(), qsizetype(1));
            QVERIFY2(result.err.contains(backupsOf(path).constFirst()), qPrintable(result.err));
        }
        QCOMPARE(readBytes(path), bytes);
        QCOMPARE(readBytes(dir.filePath(backupsOf(path).constFirst())), bytes);
    }

    void newerSchemaIsRefusedAndKept()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"ws.json"_s);
        const QByteArray bytes = QJsonDocument(workspaceWith({{u"name"_s, u"Sandbox"_s}}, 2)).toJson();
        QVERIFY(writeBytes(path, bytes));
        for (const QStringList &arguments : {envList(path), envAdd(path)}) {
            const BoundedRun run = runBounded(arguments);
            QCOMPARE(run.exitCode, WorkspaceExitCode);
            QVERIFY2(run.err.contains(u"written by a newer Tokenbench (schema 2); this version reads up to schema 1"_s), qPrintable(run.err));
        }
        QCOMPARE(readBytes(path), bytes);
        QCOMPARE(backupsOf(path).size(), qsizetype(1));

        // --json carries the same refusal.
        const CliRun json = runCli({u"--workspace"_s, path, u"--json"_s, u"env"_s, u"list"_s});
        QCOMPARE(json.exitCode, WorkspaceExitCode);
        QCOMPARE(json.json()[u"error"_s][u"kind"_s].toString(), u"workspace"_s);
        QVERIFY(json.json()[u"error"_s][u"message"_s].toString().contains(u"schema 2"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliWorkspaceRead)
#include "tst_cli_workspaceread.moc"
