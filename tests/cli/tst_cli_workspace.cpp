#include "support/CliRunner.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

// Several processes on one workspace file: the desktop app's model and the real tokenbench-cli,
// and CLIs racing each other. Nothing any of them saved may be lost.
class TestCliWorkspace : public QObject
{
    Q_OBJECT

private:
    static QStringList envAdd(const QString &workspace, const QString &name, const QString &clientId = u"cid"_s)
    {
        return {u"--workspace"_s, workspace, u"env"_s, u"add"_s, name, u"--token-url"_s, u"https://id.example/oauth/token"_s,
                u"--api-url"_s, u"https://api.example/"_s, u"--client-id"_s, clientId, u"--replace"_s};
    }

    static std::unique_ptr<QProcess> startCli(const QStringList &arguments)
    {
        auto process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->start(QStringLiteral(TOKENBENCH_CLI), arguments);
        return process;
    }

    static Environment sandbox(const QString &name)
    {
        Environment env;
        env.name = name;
        env.tokenUrl = QUrl(u"https://id.sandbox.example/oauth/token"_s);
        env.apiBaseUrl = QUrl(u"https://api.sandbox.example/"_s);
        env.clientId = u"gui-client"_s;
        return env;
    }

    static std::optional<Workspace> onDisk(const QString &path)
    {
        auto loaded = WorkspaceStore::load(path);
        return loaded.workspace;
    }

private Q_SLOTS:
    void twoClisInParallelLoseNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        constexpr int rounds = 50;
        QElapsedTimer timer;
        timer.start();
        for (int round = 0; round < rounds; ++round) {
            // Both start together, so their read-change-write overlap as often as the OS lets them.
            auto first = startCli(envAdd(path, u"A%1"_s.arg(round)));
            auto second = startCli(envAdd(path, u"B%1"_s.arg(round)));
            QVERIFY(first->waitForFinished(30000));
            QVERIFY(second->waitForFinished(30000));
            QVERIFY2(first->exitCode() == 0, first->readAll().constData());
            QVERIFY2(second->exitCode() == 0, second->readAll().constData());
        }
        qInfo("%d rounds of two parallel env add: %lld ms", rounds, timer.elapsed());
        const auto workspace = onDisk(path);
        QVERIFY(workspace);
        QStringList missing;
        for (int round = 0; round < rounds; ++round) {
            for (const QString &name : {u"A%1"_s.arg(round), u"B%1"_s.arg(round)}) {
                if (!workspace->find(name))
                    missing.append(name);
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(u"lost: "_s + missing.join(u", "_s)));
        QCOMPARE(workspace->environments().size(), 2 * rounds + 1); // and the Demo
        QVERIFY(!QFile::exists(WorkspaceStore::lockPath(path)));
    }

    void guiModelPicksUpTheCliAndKeepsItOnItsNextSave()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QVERIFY(model.open(path, nullptr));
        const int gui = model.upsert(sandbox(u"GUI sandbox"_s));
        QVERIFY(gui >= 0);

        const CliRun add = runCli(envAdd(path, u"From CLI"_s));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        // The model sees the file change and shows the CLI's environment.
        QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(model.workspace().find(u"From CLI"_s) ? model.workspace().find(u"From CLI"_s)->id : QString()) >= 0, 5000);
        QVERIFY(model.conflicts().isEmpty());

        // Its next save (an edit of another environment) keeps it.
        Environment edited = *model.workspace().find(u"GUI sandbox"_s);
        edited.clientId = u"edited-in-gui"_s;
        model.upsert(edited);
        auto workspace = onDisk(path);
        QVERIFY(workspace->find(u"From CLI"_s));
        QCOMPARE(workspace->find(u"GUI sandbox"_s)->clientId, u"edited-in-gui"_s);

        // The CLI removes what the GUI has not touched since: the model follows.
        QCOMPARE(runCli({u"--workspace"_s, path, u"env"_s, u"remove"_s, u"From CLI"_s}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!model.workspace().find(u"From CLI"_s), 5000);
        QCOMPARE(model.rowCount(), 2);
    }

    void guiSaveRightAfterTheCliDoesNotWriteOverIt()
    {
        // No event loop between the CLI's write and the GUI's save: the watcher has not spoken yet,
        // and the revision check alone must keep the CLI's environment.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QVERIFY(model.open(path, nullptr));
        auto cli = startCli(envAdd(path, u"Raced"_s));
        QVERIFY(cli->waitForFinished(30000));
        QCOMPARE(cli->exitCode(), 0);
        model.upsert(sandbox(u"GUI after"_s));
        const auto workspace = onDisk(path);
        QVERIFY(workspace->find(u"Raced"_s));
        QVERIFY(workspace->find(u"GUI after"_s));
        QVERIFY(model.workspace().find(u"Raced"_s));
        QVERIFY(model.conflicts().isEmpty());

        // Saved requests too: one saved in the GUI, another removed by the CLI, neither lost.
        SavedRequest accounts;
        accounts.name = u"Accounts"_s;
        accounts.draft.url = u"/accounts"_s;
        QVERIFY(model.saveRequest(accounts));
        SavedRequest trades;
        trades.name = u"Trades"_s;
        trades.draft.url = u"/trades"_s;
        QVERIFY(model.saveRequest(trades));
        QCOMPARE(runCli({u"--workspace"_s, path, u"request"_s, u"remove"_s, u"Accounts"_s}).exitCode, 0);
        Environment later = sandbox(u"GUI later"_s);
        model.upsert(later);
        const auto after = onDisk(path);
        QVERIFY(!after->findRequest(u"Accounts"_s));
        QVERIFY(after->findRequest(u"Trades"_s));
        QVERIFY(after->find(u"GUI later"_s));
        QVERIFY(!model.workspace().findRequest(u"Accounts"_s));
    }

    void editOfAnEnvironmentTheCliChangedIsAConflict()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_s);
        EnvironmentListModel model;
        QVERIFY(model.open(path, nullptr));
        model.upsert(sandbox(u"Shared"_s));
        const Environment original = *model.workspace().find(u"Shared"_s);

        // The editor is open on "Shared" while the CLI replaces it.
        QCOMPARE(runCli(envAdd(path, u"Shared"_s, u"cli-client"_s)).exitCode, 0);
        Environment mine = original;
        mine.clientId = u"gui-edit"_s;
        QSignalSpy conflicts(&model, &EnvironmentListModel::conflictsFound);
        model.upsertEdited(mine, original);
        QCOMPARE(conflicts.count(), 1);
        QCOMPARE(model.conflicts().size(), 1);
        QCOMPARE(model.conflicts().first().mineEnvironment->clientId, u"gui-edit"_s);
        QCOMPARE(model.conflicts().first().diskEnvironment->clientId, u"cli-client"_s);
        QCOMPARE(onDisk(path)->find(u"Shared"_s)->clientId, u"cli-client"_s); // nothing written over

        model.resolveConflict(0, WorkspaceConflict::Choice::KeepBoth);
        QVERIFY(model.conflicts().isEmpty());
        const auto workspace = onDisk(path);
        QCOMPARE(workspace->find(u"Shared"_s)->clientId, u"cli-client"_s);
        QCOMPARE(workspace->find(u"Shared (mine)"_s)->clientId, u"gui-edit"_s);

        // Deleting in the GUI what the CLI just edited is a conflict too, not a silent loss.
        QCOMPARE(runCli(envAdd(path, u"Shared"_s, u"cli-again"_s)).exitCode, 0);
        model.removeAt(model.rowOf(model.workspace().find(u"Shared"_s)->id));
        QTRY_COMPARE_WITH_TIMEOUT(model.conflicts().size(), 1, 5000);
        QVERIFY(model.conflicts().first().mineDeleted());
        QCOMPARE(onDisk(path)->find(u"Shared"_s)->clientId, u"cli-again"_s);
        model.resolveConflict(0, WorkspaceConflict::Choice::KeepMine);
        QTRY_VERIFY(!onDisk(path)->find(u"Shared"_s));

        // The user confirms deleting "Other" as it was; the CLI changed it before the click.
        model.upsert(sandbox(u"Other"_s));
        const Environment confirmed = *model.workspace().find(u"Other"_s);
        QCOMPARE(runCli(envAdd(path, u"Other"_s, u"cli-changed"_s)).exitCode, 0);
        QVERIFY(!model.removeKnown(confirmed));
        QCOMPARE(model.conflicts().size(), 1);
        QVERIFY(model.conflicts().first().mineDeleted());
        QCOMPARE(onDisk(path)->find(u"Other"_s)->clientId, u"cli-changed"_s);
        model.resolveConflict(0, WorkspaceConflict::Choice::KeepDisk);
        QCOMPARE(onDisk(path)->find(u"Other"_s)->clientId, u"cli-changed"_s);
        // Unchanged since: removed at once.
        QVERIFY(model.removeKnown(*model.workspace().find(u"Other"_s)));
        QVERIFY(!onDisk(path)->find(u"Other"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliWorkspace)
#include "tst_cli_workspace.moc"
