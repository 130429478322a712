#include "workspace/WorkspaceStore.h"
#include "workspace/WorkspaceWatcher.h"

#include <QObject>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// As every writer of a workspace does: a new file renamed over the old one.
bool replaceAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}
} // namespace

class TestWorkspaceWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void atomicReplacesAreSeenEveryTime()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        QVERIFY(replaceAtomically(path, "version 0"));
        WorkspaceWatcher watcher;
        watcher.watch(path, WorkspaceRevision::ofFile(path));
        QVERIFY(watcher.isWatchingFile());
        QSignalSpy changed(&watcher, &WorkspaceWatcher::changedOnDisk);

        // A rename over the file drops an inotify watch on it: the second and third changes are
        // the ones a watcher that is not re-armed misses.
        for (int change = 1; change <= 3; ++change) {
            const QByteArray bytes = "version " + QByteArray::number(change);
            QVERIFY(replaceAtomically(path, bytes));
            QTRY_COMPARE_WITH_TIMEOUT(changed.count(), change, 5000);
            QCOMPARE(changed.last().first().value<WorkspaceRevision>().size, bytes.size());
            QTRY_VERIFY(watcher.isWatchingFile());
        }
    }

    void ownWritesAreNotReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        Workspace workspace = Workspace::createDefault();
        const auto first = WorkspaceStore::save(workspace, path);
        QVERIFY(first.ok());
        WorkspaceWatcher watcher;
        watcher.watch(path, first.revision);
        QSignalSpy changed(&watcher, &WorkspaceWatcher::changedOnDisk);

        Environment env;
        env.name = u"Mine"_s;
        workspace.upsert(env);
        const auto second = WorkspaceStore::save(workspace, path, first.revision);
        QVERIFY(second.ok());
        watcher.setKnownRevision(second.revision);
        QTest::qWait(500);
        QCOMPARE(changed.count(), 0);

        // The same bytes written again are no change anyone could lose either.
        QVERIFY(replaceAtomically(path, WorkspaceStore::serialize(workspace)));
        QTest::qWait(500);
        QCOMPARE(changed.count(), 0);
    }

    void deletionIsReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        QVERIFY(replaceAtomically(path, "x"));
        WorkspaceWatcher watcher;
        watcher.watch(path, WorkspaceRevision::ofFile(path));
        QSignalSpy changed(&watcher, &WorkspaceWatcher::changedOnDisk);
        QVERIFY(QFile::remove(path));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
        QVERIFY(!changed.first().first().value<WorkspaceRevision>().exists);
        // And when it comes back, that is seen too (through the folder's watch).
        QVERIFY(replaceAtomically(path, "back"));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceWatcher)
#include "tst_workspacewatcher.moc"
