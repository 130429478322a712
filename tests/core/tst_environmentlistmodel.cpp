#include "templates/StarterWorkspace.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestEnvironmentListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstOpenCreatesTheDemo()
    {
        QTemporaryDir dir;
        EnvironmentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QString message;
        QVERIFY(model.open(dir.filePath(u"ws.json"_s), &message));
        QVERIFY(message.isEmpty());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0)).toString(), u"Demo"_s);
        QVERIFY(model.data(model.index(0), EnvironmentListModel::BuiltinRole).toBool());
        QVERIFY(QFile::exists(dir.filePath(u"ws.json"_s)));
    }

    // What the app opens with (main.cpp): a missing file is created with the Demo's example
    // requests; a file that exists is read as it is, without them.
    void firstOpenWritesTheStarterWorkspace()
    {
        QTemporaryDir dir;
        const Workspace starter = StarterWorkspace::create();
        QVERIFY(!starter.savedRequests().isEmpty());
        QString message;
        {
            EnvironmentListModel model;
            QVERIFY(model.open(dir.filePath(u"new.json"_s), &message, starter));
            QCOMPARE(model.workspace().savedRequests().size(), starter.savedRequests().size());
        }
        const auto written = WorkspaceStore::load(dir.filePath(u"new.json"_s));
        QVERIFY(written.ok());
        QCOMPARE(written.workspace->savedRequests().size(), starter.savedRequests().size());

        QVERIFY(WorkspaceStore::save(Workspace::createDefault(), dir.filePath(u"old.json"_s)).ok());
        EnvironmentListModel model;
        QVERIFY(model.open(dir.filePath(u"old.json"_s), &message, starter));
        QVERIFY(model.workspace().savedRequests().isEmpty());
        QVERIFY(WorkspaceStore::load(dir.filePath(u"old.json"_s)).workspace->savedRequests().isEmpty());
    }

    void editsAreSavedAndKeepTheirPlace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(model.open(path, nullptr));

        Environment sandbox;
        sandbox.name = u"Sandbox"_s;
        sandbox.tokenUrl = QUrl(u"https://id.sandbox.example/oauth/token"_s);
        const int row = model.upsert(sandbox);
        QCOMPARE(row, 1);
        const QString id = model.environmentAt(row)->id;
        QVERIFY(!id.isEmpty());

        // Rename by id: same row, same id, saved.
        Environment renamed = *model.environmentAt(row);
        renamed.name = u"Sandbox EU"_s;
        renamed.tier = Tier::Staging;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.upsert(renamed), row);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(row), EnvironmentListModel::TierNameRole).toString(), u"staging"_s);

        const auto loaded = WorkspaceStore::load(path);
        QVERIFY(loaded.ok());
        QVERIFY(loaded.workspace->find(u"Sandbox EU"_s));
        QVERIFY(!loaded.workspace->find(u"Sandbox"_s));
        QCOMPARE(loaded.workspace->find(u"Sandbox EU"_s)->id, id);

        const int copy = model.duplicate(row);
        QCOMPARE(copy, 2);
        QCOMPARE(model.environmentAt(copy)->name, u"Sandbox EU copy"_s);
        QVERIFY(model.environmentAt(copy)->id != id);
        QCOMPARE(model.environmentAt(model.duplicate(row))->name, u"Sandbox EU copy 2"_s);

        // A copy of the Demo is an ordinary profile.
        const int demoCopy = model.duplicate(0);
        QVERIFY(!model.environmentAt(demoCopy)->isBuiltinDemo());

        QVERIFY(model.removeAt(row));
        QCOMPARE(model.rowOf(id), -1);
        QVERIFY(!WorkspaceStore::load(path).workspace->find(u"Sandbox EU"_s));
    }

    void unreadableFileIsNeverOverwritten()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();

        EnvironmentListModel model;
        QString message;
        QVERIFY(!model.open(path, &message));
        QVERIFY(message.contains(u"invalid JSON"_s));
        QVERIFY(model.isReadOnly());
        QCOMPARE(model.rowCount(), 1); // a Demo to work with meanwhile

        QSignalSpy failed(&model, &EnvironmentListModel::saveFailed);
        Environment env;
        env.name = u"X"_s;
        model.upsert(env);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(model.rowCount(), 2); // the edit is kept in memory
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{ not json"));
    }

    void savedRequestsAreSavedAndRemoved()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(model.open(path, nullptr));
        QSignalSpy changed(&model, &EnvironmentListModel::requestsChanged);
        QSignalSpy failed(&model, &EnvironmentListModel::saveFailed);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        SavedRequest request;
        request.name = u"Accounts"_s;
        request.folder = u"Read"_s;
        request.draft.url = u"/accounts"_s;
        request.draft.headers = {{u"Authorization"_s, u"Bearer {{partnerToken}}"_s, true}};
        QString error;
        const auto stored = model.saveRequest(request, &error);
        QVERIFY2(stored, qPrintable(error));
        QVERIFY(!stored->id.isEmpty());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowCount(), 1); // the environment list is untouched
        QCOMPARE(reset.count(), 0);
        auto loaded = WorkspaceStore::load(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.workspace->savedRequests().size(), qsizetype(1));
        QVERIFY(loaded.workspace->savedRequests().first() == *stored);

        // Replaced by id.
        SavedRequest edited = *stored;
        edited.draft.method = u"HEAD"_s;
        QCOMPARE(model.saveRequest(edited)->id, stored->id);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(WorkspaceStore::load(path).workspace->findRequest(u"accounts"_s)->draft.method, u"HEAD"_s);

        // A literal token is refused: nothing changes, in memory or on disk, and no signal.
        const QByteArray before = [&] {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        SavedRequest leaky;
        leaky.name = u"Leaky"_s;
        leaky.draft.headers = {{u"Authorization"_s, u"Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"_s, true}};
        QVERIFY(!model.saveRequest(leaky, &error));
        QVERIFY2(error.contains(u"put the credential in the environment, not in a saved request"_s), qPrintable(error));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(model.workspace().savedRequests().size(), qsizetype(1));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        file.close();

        QVERIFY(!model.removeRequest(u"unknown"_s));
        QCOMPARE(changed.count(), 2);
        QVERIFY(model.removeRequest(stored->id));
        QCOMPARE(changed.count(), 3);
        QVERIFY(WorkspaceStore::load(path).workspace->savedRequests().isEmpty());

        // Environment edits keep the saved requests in the file.
        QVERIFY(model.saveRequest(request));
        Environment env;
        env.name = u"Staging"_s;
        model.upsert(env);
        loaded = WorkspaceStore::load(path);
        QCOMPARE(loaded.workspace->savedRequests().size(), qsizetype(1));
        QVERIFY(loaded.workspace->find(u"Staging"_s));
    }

    void savedRequestOnUnreadableFileStaysInMemory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();

        EnvironmentListModel model;
        QVERIFY(!model.open(path, nullptr));
        QSignalSpy failed(&model, &EnvironmentListModel::saveFailed);
        QSignalSpy changed(&model, &EnvironmentListModel::requestsChanged);
        SavedRequest request;
        request.name = u"Me"_s;
        request.draft.url = u"/me"_s;
        QVERIFY(model.saveRequest(request));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.workspace().savedRequests().size(), qsizetype(1));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{ not json"));
    }

    void anotherProcessesChangesKeepTheRowsConsistent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QVERIFY(model.open(path, nullptr));
        for (const QString &name : {u"One"_s, u"Two"_s, u"Three"_s}) {
            Environment env;
            env.name = name;
            model.upsert(env);
        }
        const QString twoId = model.workspace().find(u"Two"_s)->id;
        QSignalSpy elsewhere(&model, &EnvironmentListModel::environmentChangedElsewhere);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        // Another process removes One, edits Two, adds Four, all in one write.
        const auto written = WorkspaceStore::update(path, [](Workspace &workspace, QString *) {
            workspace.remove(u"One"_s);
            workspace.find(u"Two"_s)->clientId = u"elsewhere"_s;
            Environment four;
            four.name = u"Four"_s;
            workspace.upsert(four);
            return true;
        });
        QVERIFY(written.ok());
        QTRY_VERIFY_WITH_TIMEOUT(model.workspace().find(u"Four"_s), 5000);
        QVERIFY(!model.workspace().find(u"One"_s));
        QCOMPARE(model.workspace().find(u"Two"_s)->clientId, u"elsewhere"_s);
        QCOMPARE(model.rowOf(twoId), 1); // Demo, Two, Three, Four: Two kept its id and follows Demo
        QCOMPARE(removed.count(), 1);
        QCOMPARE(reset.count(), 0); // rows, not a reset: the list keeps its selection
        QVERIFY(elsewhere.count() >= 2); // One (gone) and Two (changed)
        QVERIFY(model.revision().sameContent(WorkspaceRevision::ofFile(path)));

        // Both change Three: the file's version shows, ours waits; keeping ours keeps its row.
        const int threeRow = model.rowOf(model.workspace().find(u"Three"_s)->id);
        QVERIFY(WorkspaceStore::update(path, [](Workspace &workspace, QString *) {
                    workspace.find(u"Three"_s)->clientId = u"theirs"_s;
                    return true;
                }).ok());
        Environment mine = *model.workspace().find(u"Three"_s);
        mine.clientId = u"mine"_s;
        model.upsert(mine);
        QCOMPARE(model.conflicts().size(), 1);
        QCOMPARE(model.workspace().find(u"Three"_s)->clientId, u"theirs"_s);
        model.resolveConflict(0, WorkspaceConflict::Choice::KeepMine);
        QCOMPARE(model.rowOf(mine.id), threeRow);
        QCOMPARE(WorkspaceStore::load(path).workspace->find(u"Three"_s)->clientId, u"mine"_s);
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEnvironmentListModel)
#include "tst_environmentlistmodel.moc"
