#include "workspace/WorkspaceMerge.h"

#include <QObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
Environment environment(const QString &id, const QString &name, const QString &clientId = u"client"_s)
{
    Environment env;
    env.id = id;
    env.name = name;
    env.clientId = clientId;
    env.tokenUrl = QUrl(u"https://id.example/oauth/token"_s);
    return env;
}

SavedRequest request(const QString &id, const QString &name, const QString &url)
{
    SavedRequest saved;
    saved.id = id;
    saved.name = name;
    saved.draft.url = url;
    return saved;
}

Workspace workspace(const QList<Environment> &environments, const QList<SavedRequest> &requests = {})
{
    Workspace ws;
    ws.setId(u"ws-1"_s);
    ws.setEnvironments(environments);
    ws.setSavedRequests(requests);
    return ws;
}

QStringList names(const Workspace &ws)
{
    QStringList out;
    for (const auto &env : ws.environments())
        out.append(env.name);
    return out;
}
} // namespace

// The three-way merge that keeps the desktop app from writing over what the CLI (or another
// window) saved, and from silently losing either side of a real conflict.
class TestWorkspaceMerge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyOnDiskIsTaken()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s), environment(u"b"_s, u"B"_s)});
        const Workspace mine = base;
        const Workspace disk = workspace({environment(u"a"_s, u"A"_s, u"changed-by-cli"_s), environment(u"c"_s, u"Added by CLI"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(names(result.merged), (QStringList{u"A"_s, u"Added by CLI"_s}));
        QCOMPARE(result.merged.findById(u"a"_s)->clientId, u"changed-by-cli"_s);
        QVERIFY(!result.merged.findById(u"b"_s)); // deleted on disk, untouched here
    }

    void onlyHereIsKept()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s), environment(u"b"_s, u"B"_s)});
        Workspace mine = workspace({environment(u"a"_s, u"A renamed"_s), environment(u"m"_s, u"Mine"_s)});
        const Workspace disk = workspace({environment(u"a"_s, u"A"_s), environment(u"b"_s, u"B"_s), environment(u"c"_s, u"Theirs"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QVERIFY(result.conflicts.isEmpty());
        // b deleted here and unchanged on disk stays deleted; both additions are kept.
        QCOMPARE(names(result.merged), (QStringList{u"A renamed"_s, u"Mine"_s, u"Theirs"_s}));
    }

    void bothChangedDifferentlyIsAConflict()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s)});
        const Workspace mine = workspace({environment(u"a"_s, u"A"_s, u"mine"_s)});
        const Workspace disk = workspace({environment(u"a"_s, u"A"_s, u"theirs"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QCOMPARE(result.conflicts.size(), 1);
        const WorkspaceConflict &conflict = result.conflicts.first();
        QCOMPARE(conflict.mineEnvironment->clientId, u"mine"_s);
        QCOMPARE(conflict.diskEnvironment->clientId, u"theirs"_s);
        // Until the user chooses, the file's version stays.
        QCOMPARE(result.merged.findById(u"a"_s)->clientId, u"theirs"_s);

        Workspace kept = result.merged;
        WorkspaceMerge::resolve(&kept, conflict, WorkspaceConflict::Choice::KeepMine);
        QCOMPARE(kept.environments().size(), 1);
        QCOMPARE(kept.findById(u"a"_s)->clientId, u"mine"_s);
        // In its place, so a list selecting it by row still shows it.
        Workspace three = workspace({environment(u"a"_s, u"A"_s, u"theirs"_s), environment(u"z"_s, u"Z"_s)});
        WorkspaceMerge::resolve(&three, conflict, WorkspaceConflict::Choice::KeepMine);
        QCOMPARE(names(three), (QStringList{u"A"_s, u"Z"_s}));
        QCOMPARE(three.environments().first().clientId, u"mine"_s);

        Workspace disked = result.merged;
        WorkspaceMerge::resolve(&disked, conflict, WorkspaceConflict::Choice::KeepDisk);
        QCOMPARE(disked.findById(u"a"_s)->clientId, u"theirs"_s);

        Workspace both = result.merged;
        WorkspaceMerge::resolve(&both, conflict, WorkspaceConflict::Choice::KeepBoth);
        QCOMPARE(names(both), (QStringList{u"A"_s, u"A (mine)"_s}));
        QCOMPARE(both.find(u"A (mine)"_s)->clientId, u"mine"_s);
        QVERIFY(both.find(u"A (mine)"_s)->id != u"a"_s);
    }

    void bothChangedTheSameWayIsNoConflict()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s)});
        const Workspace same = workspace({environment(u"a"_s, u"A"_s, u"same"_s)});
        const auto result = WorkspaceMerge::merge(base, same, same);
        QVERIFY(result.conflicts.isEmpty());
        QCOMPARE(result.merged.findById(u"a"_s)->clientId, u"same"_s);
    }

    void deletedHereChangedOnDiskIsAConflict()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s)});
        const Workspace mine = workspace({});
        const Workspace disk = workspace({environment(u"a"_s, u"A"_s, u"edited-by-cli"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QCOMPARE(result.conflicts.size(), 1);
        QVERIFY(result.conflicts.first().mineDeleted());
        QVERIFY(result.conflicts.first().description().contains(u"deleted here"_s));
        QVERIFY(result.merged.findById(u"a"_s)); // not silently lost
        Workspace resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepMine);
        QVERIFY(resolved.environments().isEmpty());
    }

    void changedHereDeletedOnDiskIsAConflict()
    {
        const Workspace base = workspace({environment(u"a"_s, u"A"_s)});
        const Workspace mine = workspace({environment(u"a"_s, u"A"_s, u"edited-here"_s)});
        const Workspace disk = workspace({});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QCOMPARE(result.conflicts.size(), 1);
        QVERIFY(result.conflicts.first().diskDeleted());
        QVERIFY(result.merged.environments().isEmpty());
        Workspace resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepBoth);
        QCOMPARE(names(resolved), (QStringList{u"A (mine)"_s}));
        resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepMine);
        QCOMPARE(resolved.findById(u"a"_s)->clientId, u"edited-here"_s);
    }

    void sameNameAddedOnBothSidesIsAConflict()
    {
        const Workspace base = workspace({});
        const Workspace mine = workspace({environment(u"m"_s, u"Staging"_s, u"mine"_s)});
        const Workspace disk = workspace({environment(u"d"_s, u"staging"_s, u"theirs"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QCOMPARE(result.conflicts.size(), 1);
        QCOMPARE(names(result.merged), (QStringList{u"staging"_s}));
        Workspace resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepMine);
        QCOMPARE(names(resolved), (QStringList{u"Staging"_s}));
        QCOMPARE(resolved.environments().first().clientId, u"mine"_s);
        resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepBoth);
        QCOMPARE(names(resolved), (QStringList{u"staging"_s, u"Staging (mine)"_s}));
    }

    void savedRequestsMergeTheSameWay()
    {
        const Workspace base = workspace({}, {request(u"r1"_s, u"Accounts"_s, u"/accounts"_s), request(u"r2"_s, u"Trades"_s, u"/trades"_s)});
        const Workspace mine = workspace({}, {request(u"r1"_s, u"Accounts"_s, u"/accounts?mine"_s), request(u"r2"_s, u"Trades"_s, u"/trades"_s)});
        const Workspace disk = workspace({}, {request(u"r1"_s, u"Accounts"_s, u"/accounts?theirs"_s), request(u"r2"_s, u"Trades"_s, u"/trades"_s),
                                              request(u"r3"_s, u"Me"_s, u"/me"_s)});
        const auto result = WorkspaceMerge::merge(base, mine, disk);
        QCOMPARE(result.conflicts.size(), 1);
        QCOMPARE(result.conflicts.first().kind, WorkspaceConflict::Kind::SavedRequest);
        QCOMPARE(result.merged.savedRequests().size(), 3);
        Workspace resolved = result.merged;
        WorkspaceMerge::resolve(&resolved, result.conflicts.first(), WorkspaceConflict::Choice::KeepBoth);
        QCOMPARE(resolved.savedRequests().size(), 4);
        QCOMPARE(resolved.findRequest(u"Accounts (mine)"_s)->draft.url, u"/accounts?mine"_s);
        QCOMPARE(resolved.findRequest(u"Accounts"_s)->draft.url, u"/accounts?theirs"_s);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceMerge)
#include "tst_workspacemerge.moc"
