#include "demo/DemoScopes.h"
#include "scopes/ScopeInfo.h"
#include "scopes/ScopeModel.h"

#include <QAbstractItemModelTester>
#include <QObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ScopeInfo::Level)

namespace {
ScopeCatalog demoCatalog()
{
    ScopeCatalog catalog;
    for (const auto &scope : DemoScopes::all())
        catalog.append(ScopeInfo::classify(scope.name, scope.description));
    return catalog;
}

ScopeCatalog catalogOf(const QStringList &names)
{
    ScopeCatalog catalog;
    for (const auto &name : names)
        catalog.append(ScopeInfo::classify(name, u"about "_s + name));
    return catalog;
}

QStringList groupTitles(const ScopeModel &model)
{
    QStringList titles;
    for (int row = 0; row < model.rowCount(); ++row)
        titles.append(model.index(row, 0).data().toString());
    return titles;
}

QStringList childNames(const ScopeModel &model, int groupRow)
{
    QStringList names;
    const QModelIndex group = model.index(groupRow, 0);
    for (int row = 0; row < model.rowCount(group); ++row)
        names.append(model.index(row, 0, group).data(ScopeModel::NameRole).toString());
    return names;
}

QModelIndex findScope(const ScopeModel &model, const QString &name, int column = 0)
{
    for (int groupRow = 0; groupRow < model.rowCount(); ++groupRow) {
        const QModelIndex group = model.index(groupRow, 0);
        for (int row = 0; row < model.rowCount(group); ++row) {
            const QModelIndex scope = model.index(row, column, group);
            if (scope.data(ScopeModel::NameRole).toString() == name)
                return scope;
        }
    }
    return {};
}

QModelIndex findGroup(const ScopeModel &model, const QString &title)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data().toString() == title)
            return model.index(row, 0);
    }
    return {};
}

Qt::CheckState checkState(const QModelIndex &index)
{
    return static_cast<Qt::CheckState>(index.data(Qt::CheckStateRole).toInt());
}

ScopeModel::GrantState grantOf(const ScopeModel &model, const QString &name)
{
    return static_cast<ScopeModel::GrantState>(findScope(model, name).data(ScopeModel::GrantStateRole).toInt());
}
} // namespace

class TestScopeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void classify_data();
    void classify();
    void classifyKeepsNameAndDescription();
    void syntaxProblem_data();
    void syntaxProblem();
    void levelNamesDiffer();

    void demoCatalogGroupsByResource();
    void groupsInCatalogOrderWithGeneral();
    void catalogWithoutClassificationIsClassified();
    void duplicateCatalogNamesAreListedOnce();
    void headerAndFlags();
    void checkingScopeUpdatesGroup();
    void checkingGroupChecksItsScopes();
    void partialStateCannotBeSet();
    void selectedScopesInCatalogOrder();
    void selectAllAndScopesChecked();
    void addScopeAddsFreeTextGroup();
    void addScopeRejects_data();
    void addScopeRejects();
    void addScopeOfListedScopeChecksIt();
    void setSelectedScopesAddsAndRemovesFreeText();
    void setSelectedScopesSignalsOnlyOnChange();
    void setCatalogKeepsSelection();
    void grantStates();
    void grantNotReported();
    void toolTipsExplainPrivilegeAndRestriction();
    void testerSurvivesEveryOperation();

private:
    std::unique_ptr<ScopeModel> makeModel(const ScopeCatalog &catalog = demoCatalog());
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

std::unique_ptr<ScopeModel> TestScopeModel::makeModel(const ScopeCatalog &catalog)
{
    m_tester.reset();
    auto model = std::make_unique<ScopeModel>();
    // Fatal: any broken begin/end pairing, bad parent() or stale index aborts the test.
    m_tester = std::make_unique<QAbstractItemModelTester>(model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    model->setCatalog(catalog);
    return model;
}

void TestScopeModel::init()
{
    // The model must not complain (checkIndex) nor the tester warn about anything.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void TestScopeModel::classify_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("resource");
    QTest::addColumn<QString>("action");
    QTest::addColumn<ScopeInfo::Level>("level");
    QTest::addColumn<bool>("privileged");
    QTest::addColumn<bool>("accountRestricted");
    QTest::addColumn<bool>("onBehalf");

    using L = ScopeInfo::Level;
    // Cybrid: resource first.
    QTest::newRow("cybrid trades:read") << u"trades:read"_s << u"trades"_s << u"read"_s << L::Read << false << false << false;
    QTest::newRow("cybrid accounts:execute") << u"accounts:execute"_s << u"accounts"_s << u"execute"_s << L::Execute << true << false << false;
    QTest::newRow("cybrid trades:execute") << u"trades:execute"_s << u"trades"_s << u"execute"_s << L::Execute << true << false << false;
    QTest::newRow("customers:write") << u"customers:write"_s << u"customers"_s << u"write"_s << L::Write << true << false << false;
    QTest::newRow("transfers:execute") << u"transfers:execute"_s << u"transfers"_s << u"execute"_s << L::Execute << true << false << false;
    // Cymbio: action first.
    QTest::newRow("cymbio read:orders") << u"read:orders"_s << u"orders"_s << u"read"_s << L::Read << false << false << false;
    QTest::newRow("cymbio write:fulfillments") << u"write:fulfillments"_s << u"fulfillments"_s << u"write"_s << L::Write << true << false << false;
    QTest::newRow("cymbio write:variants") << u"write:variants"_s << u"variants"_s << u"write"_s << L::Write << true << false << false;
    QTest::newRow("github admin:org") << u"admin:org"_s << u"org"_s << u"admin"_s << L::Write << true << false << false;
    QTest::newRow("delete verb") << u"delete:items"_s << u"items"_s << u"delete"_s << L::Write << true << false << false;
    QTest::newRow("list verb") << u"invoices:list"_s << u"invoices"_s << u"list"_s << L::Read << false << false << false;
    QTest::newRow("run verb") << u"jobs:run"_s << u"jobs"_s << u"run"_s << L::Execute << true << false << false;
    QTest::newRow("unknown action") << u"user:email"_s << u"user"_s << u"email"_s << L::Other << false << false << false;
    // Delegation: privileged, explained separately.
    QTest::newRow("act on behalf") << u"core.users:act-on-behalf-of"_s << u"core.users"_s << u"act-on-behalf-of"_s << L::Execute << true << false << true;
    // Cyclr: restricted to one account.
    QTest::newRow("cyclr account") << u"account:abc123"_s << u"account"_s << QString() << L::Other << false << true << false;
    QTest::newRow("account with verb is no restriction") << u"account:read"_s << u"account"_s << u"read"_s << L::Read << false << false << false;
    // Bare words.
    QTest::newRow("bare read") << u"read"_s << QString() << u"read"_s << L::Read << false << false << false;
    QTest::newRow("bare write") << u"write"_s << QString() << u"write"_s << L::Write << true << false << false;
    QTest::newRow("openid") << u"openid"_s << QString() << QString() << L::Other << false << false << false;
    QTest::newRow("profile") << u"profile"_s << QString() << QString() << L::Other << false << false << false;
    QTest::newRow("offline_access") << u"offline_access"_s << QString() << QString() << L::Other << false << false << false;
    // URL scopes: the API's host and path prefix is the resource.
    QTest::newRow("graph .default") << u"https://graph.microsoft.com/.default"_s << u"graph.microsoft.com"_s << u".default"_s << L::Other << false << false << false;
    QTest::newRow("google drive.readonly") << u"https://www.googleapis.com/auth/drive.readonly"_s << u"www.googleapis.com/auth"_s
                                           << u"drive.readonly"_s << L::Read << false << false << false;
    QTest::newRow("google drive") << u"https://www.googleapis.com/auth/drive"_s << u"www.googleapis.com/auth"_s << u"drive"_s << L::Other << false << false << false;
    QTest::newRow("graph ReadWrite.All") << u"https://graph.microsoft.com/Directory.ReadWrite.All"_s << u"graph.microsoft.com"_s
                                         << u"Directory.ReadWrite.All"_s << L::Write << true << false << false;
    QTest::newRow("azure api://") << u"api://4f1c/access_as_user"_s << u"4f1c"_s << u"access_as_user"_s << L::Other << false << false << false;
    // Microsoft's short form.
    QTest::newRow("User.Read") << u"User.Read"_s << u"User"_s << u"Read"_s << L::Read << false << false << false;
    QTest::newRow("Mail.ReadWrite.All") << u"Mail.ReadWrite.All"_s << u"Mail"_s << u"ReadWrite"_s << L::Write << true << false << false;
    QTest::newRow("dotted non-verb stays whole") << u"com.example.thing"_s << QString() << QString() << L::Other << false << false << false;
}

void TestScopeModel::classify()
{
    QFETCH(QString, name);
    const ScopeInfo info = ScopeInfo::classify(name);
    QCOMPARE(info.name, name);
    QTEST(info.resource, "resource");
    QTEST(info.action, "action");
    QTEST(info.level, "level");
    QTEST(info.isPrivileged(), "privileged");
    QTEST(info.accountRestricted, "accountRestricted");
    QTEST(info.actsOnBehalfOf, "onBehalf");
    QVERIFY(info.known);
}

void TestScopeModel::classifyKeepsNameAndDescription()
{
    const ScopeInfo info = ScopeInfo::classify(u"account:abc123"_s, u"Only account abc123"_s);
    QCOMPARE(info.description, u"Only account abc123"_s);
    QCOMPARE(info.restrictedTo, u"abc123"_s);
    QVERIFY(ScopeInfo::classify(u"trades:read"_s).description.isEmpty());
}

void TestScopeModel::syntaxProblem_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("refused");
    QTest::newRow("plain") << u"trades:read"_s << false;
    QTest::newRow("url") << u"https://graph.microsoft.com/.default"_s << false;
    QTest::newRow("empty") << QString() << true;
    QTest::newRow("space") << u"a b"_s << true;
    QTest::newRow("tab") << u"a\tb"_s << true;
    QTest::newRow("quote") << u"say\"hi"_s << true;
    QTest::newRow("backslash") << u"a\\b"_s << true;
    QTest::newRow("non-ascii") << u"caf\u00e9"_s << true;
}

void TestScopeModel::syntaxProblem()
{
    QFETCH(QString, name);
    QFETCH(bool, refused);
    QCOMPARE(!ScopeInfo::syntaxProblem(name).isEmpty(), refused);
}

void TestScopeModel::levelNamesDiffer()
{
    const QStringList names = {ScopeInfo::levelName(ScopeInfo::Level::Read), ScopeInfo::levelName(ScopeInfo::Level::Write),
                               ScopeInfo::levelName(ScopeInfo::Level::Execute), ScopeInfo::levelName(ScopeInfo::Level::Other)};
    QCOMPARE(names, (QStringList{u"read"_s, u"write"_s, u"execute"_s, u"other"_s}));
}

void TestScopeModel::demoCatalogGroupsByResource()
{
    const auto model = makeModel();
    QCOMPARE(groupTitles(*model), (QStringList{u"accounts"_s, u"trades"_s, u"customers"_s, u"transfers"_s, u"core.users"_s}));
    QCOMPARE(childNames(*model, 0), (QStringList{u"accounts:read"_s, u"accounts:execute"_s}));
    QCOMPARE(childNames(*model, 2), (QStringList{u"customers:read"_s, u"customers:write"_s, u"customers:execute"_s}));
    QCOMPARE(childNames(*model, 4), (QStringList{u"core.users:act-on-behalf-of"_s}));
    QCOMPARE(model->columnCount(), 2);

    const QModelIndex placeTrades = findScope(*model, u"trades:execute"_s, 1);
    QCOMPARE(placeTrades.data().toString(), u"Place trades"_s);
    QCOMPARE(placeTrades.data(ScopeModel::PrivilegedRole).toBool(), true);
    QCOMPARE(findScope(*model, u"trades:read"_s).data(ScopeModel::PrivilegedRole).toBool(), false);
    QCOMPARE(findScope(*model, u"core.users:act-on-behalf-of"_s).data(ScopeModel::ActsOnBehalfOfRole).toBool(), true);
    QCOMPARE(model->index(0, 0).data(ScopeModel::IsGroupRole).toBool(), true);
    QCOMPARE(model->index(0, 0).data(ScopeModel::NameRole).toString(), u"accounts"_s);
    QCOMPARE(placeTrades.data(ScopeModel::IsGroupRole).toBool(), false);
    QCOMPARE(model->catalog().size(), DemoScopes::all().size());
}

void TestScopeModel::groupsInCatalogOrderWithGeneral()
{
    const auto model = makeModel(catalogOf({u"openid"_s, u"trades:read"_s, u"profile"_s, u"read:orders"_s, u"trades:execute"_s,
                                             u"https://www.googleapis.com/auth/drive.readonly"_s, u"https://www.googleapis.com/auth/gmail.send"_s}));
    QCOMPARE(groupTitles(*model), (QStringList{u"General"_s, u"trades"_s, u"orders"_s, u"www.googleapis.com/auth"_s}));
    QCOMPARE(childNames(*model, 0), (QStringList{u"openid"_s, u"profile"_s}));
    QCOMPARE(childNames(*model, 1), (QStringList{u"trades:read"_s, u"trades:execute"_s}));
    QCOMPARE(childNames(*model, 3).size(), 2);
    // General names no resource.
    QVERIFY(model->index(0, 0).data(ScopeModel::NameRole).toString().isEmpty());
    QCOMPARE(model->index(1, 1).data().toString(), u"0 of 2 selected"_s);
}

void TestScopeModel::catalogWithoutClassificationIsClassified()
{
    ScopeInfo bare;
    bare.name = u"read:orders"_s;
    bare.description = u"Read orders"_s;
    const auto model = makeModel({bare});
    QCOMPARE(groupTitles(*model), QStringList{u"orders"_s});
    QCOMPARE(findScope(*model, u"read:orders"_s, 1).data().toString(), u"Read orders"_s);
}

void TestScopeModel::duplicateCatalogNamesAreListedOnce()
{
    const auto model = makeModel(catalogOf({u"trades:read"_s, u"trades:read"_s, QString()}));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(childNames(*model, 0), QStringList{u"trades:read"_s});
}

void TestScopeModel::headerAndFlags()
{
    const auto model = makeModel();
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"Scope"_s);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), u"Description"_s);
    const QModelIndex scope = findScope(*model, u"trades:read"_s);
    QVERIFY(model->flags(scope).testFlag(Qt::ItemIsUserCheckable));
    QVERIFY(!model->flags(scope.siblingAtColumn(1)).testFlag(Qt::ItemIsUserCheckable));
    QVERIFY(model->flags(model->index(0, 0)).testFlag(Qt::ItemIsUserCheckable));
    QVERIFY(!model->flags(scope).testFlag(Qt::ItemIsEditable));
}

void TestScopeModel::checkingScopeUpdatesGroup()
{
    const auto model = makeModel();
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
    const QModelIndex group = findGroup(*model, u"trades"_s);
    const QModelIndex read = findScope(*model, u"trades:read"_s);
    QCOMPARE(checkState(group), Qt::Unchecked);

    QVERIFY(model->setData(read, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(checkState(read), Qt::Checked);
    QCOMPARE(checkState(group), Qt::PartiallyChecked);
    QCOMPARE(group.siblingAtColumn(1).data().toString(), u"1 of 2 selected"_s);
    QCOMPARE(selection.size(), 1);
    QCOMPARE(model->selectedScopes(), QStringList{u"trades:read"_s});
    // The scope and its group both announced the change, so views repaint the group's box.
    bool scopeSignalled = false;
    bool groupSignalled = false;
    for (const auto &args : changed) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        scopeSignalled |= topLeft == read;
        groupSignalled |= topLeft == group;
    }
    QVERIFY(scopeSignalled);
    QVERIFY(groupSignalled);

    QVERIFY(model->setData(findScope(*model, u"trades:execute"_s), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(checkState(group), Qt::Checked);

    // Setting the same state again is no change.
    QVERIFY(model->setData(read, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(selection.size(), 2);

    QVERIFY(model->setData(read, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(checkState(group), Qt::PartiallyChecked);
    QCOMPARE(model->selectedScopes(), QStringList{u"trades:execute"_s});
}

void TestScopeModel::checkingGroupChecksItsScopes()
{
    const auto model = makeModel();
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    const QModelIndex customers = findGroup(*model, u"customers"_s);

    QVERIFY(model->setData(customers, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(model->selectedScopes(), (QStringList{u"customers:read"_s, u"customers:write"_s, u"customers:execute"_s}));
    QCOMPARE(checkState(customers), Qt::Checked);
    QCOMPARE(selection.size(), 1); // one signal for the whole group

    // Other groups are untouched.
    QCOMPARE(checkState(findGroup(*model, u"trades"_s)), Qt::Unchecked);

    model->setData(findScope(*model, u"customers:write"_s), Qt::Unchecked, Qt::CheckStateRole);
    QCOMPARE(checkState(customers), Qt::PartiallyChecked);

    QVERIFY(model->setData(customers, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(model->selectedScopes().isEmpty());
    QCOMPARE(checkState(customers), Qt::Unchecked);

    model->setGroupChecked(findGroup(*model, u"accounts"_s), true);
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"accounts:execute"_s}));
    // A scope row is no group: nothing happens.
    model->setGroupChecked(findScope(*model, u"trades:read"_s), true);
    QCOMPARE(model->selectedScopes().size(), 2);
}

void TestScopeModel::partialStateCannotBeSet()
{
    const auto model = makeModel();
    QVERIFY(!model->setData(findGroup(*model, u"trades"_s), Qt::PartiallyChecked, Qt::CheckStateRole));
    QVERIFY(!model->setData(findScope(*model, u"trades:read"_s), Qt::PartiallyChecked, Qt::CheckStateRole));
    QVERIFY(!model->setData(findScope(*model, u"trades:read"_s), u"x"_s, Qt::EditRole));
    QVERIFY(!model->setData(findScope(*model, u"trades:read"_s, 1), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(model->selectedScopes().isEmpty());
}

void TestScopeModel::selectedScopesInCatalogOrder()
{
    // Groups gather accounts:read and accounts:execute, but the selection keeps the catalog's order.
    const auto model = makeModel(catalogOf({u"accounts:read"_s, u"trades:read"_s, u"accounts:execute"_s, u"openid"_s}));
    QVERIFY(model->addScope(u"zzz:custom"_s));
    model->setData(findScope(*model, u"openid"_s), Qt::Checked, Qt::CheckStateRole);
    model->setData(findScope(*model, u"accounts:execute"_s), Qt::Checked, Qt::CheckStateRole);
    model->setData(findScope(*model, u"trades:read"_s), Qt::Checked, Qt::CheckStateRole);
    model->setData(findScope(*model, u"accounts:read"_s), Qt::Checked, Qt::CheckStateRole);
    QCOMPARE(model->selectedScopes(),
             (QStringList{u"accounts:read"_s, u"trades:read"_s, u"accounts:execute"_s, u"openid"_s, u"zzz:custom"_s}));
    QCOMPARE(model->selectedScopeInfos().size(), 5);
    QCOMPARE(model->selectedScopeInfos().at(2).level, ScopeInfo::Level::Execute);
}

void TestScopeModel::selectAllAndScopesChecked()
{
    const auto model = makeModel();
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    model->selectAll(true);
    QCOMPARE(model->selectedScopes().size(), DemoScopes::all().size());
    QCOMPARE(selection.size(), 1);
    model->selectAll(false);
    QVERIFY(model->selectedScopes().isEmpty());
    model->setScopesChecked({u"trades:read"_s, u"nope"_s, u"accounts:read"_s}, true);
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:read"_s}));
    QCOMPARE(selection.size(), 3);
    model->setScopesChecked({u"trades:read"_s}, false);
    QCOMPARE(model->selectedScopes(), QStringList{u"accounts:read"_s});
}

void TestScopeModel::addScopeAddsFreeTextGroup()
{
    const auto model = makeModel();
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    const int groupsBefore = model->rowCount();

    QVERIFY(model->addScope(u"orders:write"_s));
    QCOMPARE(model->rowCount(), groupsBefore + 1);
    QCOMPARE(inserted.size(), 1);
    QVERIFY(!inserted.first().at(0).value<QModelIndex>().isValid()); // a new top-level group
    const QModelIndex other = model->index(groupsBefore, 0);
    QCOMPARE(other.data().toString(), u"Not in the catalog"_s);
    QCOMPARE(checkState(other), Qt::Checked);
    const QModelIndex added = findScope(*model, u"orders:write"_s);
    QCOMPARE(added.parent(), other);
    QCOMPARE(added.data(ScopeModel::KnownRole).toBool(), false);
    QCOMPARE(added.data(ScopeModel::PrivilegedRole).toBool(), true); // typed scopes are still classified
    QCOMPARE(added.siblingAtColumn(1).data().toString(), u"Not in the catalog"_s);
    QCOMPARE(model->selectedScopes(), QStringList{u"orders:write"_s});
    QCOMPARE(selection.size(), 1);

    // A second one goes into the same group.
    QVERIFY(model->addScope(u"openid"_s));
    QCOMPARE(model->rowCount(), groupsBefore + 1);
    QCOMPARE(model->rowCount(other), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.last().at(0).value<QModelIndex>(), other);

    // Adding it again neither duplicates it nor signals.
    QVERIFY(model->addScope(u"openid"_s));
    QCOMPARE(model->rowCount(other), 2);
    QCOMPARE(selection.size(), 2);
    QCOMPARE(model->catalog().size(), DemoScopes::all().size()); // free text is no catalog entry
}

void TestScopeModel::addScopeRejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("two words") << u"a b"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"   "_s;
    QTest::newRow("quote") << u"\"quoted\""_s;
    QTest::newRow("newline") << u"a\nb"_s;
}

void TestScopeModel::addScopeRejects()
{
    QFETCH(QString, name);
    const auto model = makeModel();
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    const int groups = model->rowCount();
    QVERIFY(!model->addScope(name));
    QCOMPARE(model->rowCount(), groups);
    QVERIFY(model->selectedScopes().isEmpty());
    QCOMPARE(selection.size(), 0);
}

void TestScopeModel::addScopeOfListedScopeChecksIt()
{
    const auto model = makeModel();
    const int groups = model->rowCount();
    QVERIFY(model->addScope(u"trades:execute"_s));
    QCOMPARE(model->rowCount(), groups);
    QCOMPARE(model->selectedScopes(), QStringList{u"trades:execute"_s});
    QCOMPARE(findScope(*model, u"trades:execute"_s).data(ScopeModel::KnownRole).toBool(), true);
}

void TestScopeModel::setSelectedScopesAddsAndRemovesFreeText()
{
    const auto model = makeModel();
    QSignalSpy removed(model.get(), &QAbstractItemModel::rowsRemoved);
    const int groups = model->rowCount();

    // Unknown names become free-text scopes; a space-separated entry is split.
    model->setSelectedScopes({u"trades:read"_s, u"custom:one custom:two"_s, u"account:abc123"_s, u"bad\"name"_s});
    QCOMPARE(model->selectedScopes(), (QStringList{u"trades:read"_s, u"custom:one"_s, u"custom:two"_s, u"account:abc123"_s}));
    QCOMPARE(model->rowCount(), groups + 1);
    const QModelIndex other = model->index(groups, 0);
    QCOMPARE(model->rowCount(other), 3);
    QVERIFY(findScope(*model, u"account:abc123"_s).data(ScopeModel::AccountRestrictedRole).toBool());
    QVERIFY(!findScope(*model, u"bad\"name"_s).isValid());

    // Free-text scopes no longer named go away; the group too once it is empty.
    model->setSelectedScopes({u"custom:two"_s, u"accounts:read"_s});
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"custom:two"_s}));
    QCOMPARE(model->rowCount(model->index(groups, 0)), 1);
    QCOMPARE(childNames(*model, groups), QStringList{u"custom:two"_s});
    QCOMPARE(removed.size(), 2);

    model->setSelectedScopes({});
    QVERIFY(model->selectedScopes().isEmpty());
    QCOMPARE(model->rowCount(), groups);
    QCOMPARE(groupTitles(*model).contains(u"Not in the catalog"_s), false);
}

void TestScopeModel::setSelectedScopesSignalsOnlyOnChange()
{
    const auto model = makeModel();
    QSignalSpy selection(model.get(), &ScopeModel::selectionChanged);
    model->setSelectedScopes({u"trades:read"_s, u"accounts:read"_s});
    QCOMPARE(selection.size(), 1);
    model->setSelectedScopes({u"accounts:read"_s, u"trades:read"_s}); // same set, other order
    QCOMPARE(selection.size(), 1);
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:read"_s}));
}

void TestScopeModel::setCatalogKeepsSelection()
{
    const auto model = makeModel(catalogOf({u"trades:read"_s}));
    model->setSelectedScopes({u"trades:read"_s, u"accounts:read"_s});
    QCOMPARE(findScope(*model, u"accounts:read"_s).data(ScopeModel::KnownRole).toBool(), false);
    model->setGrantResult({u"trades:read"_s}, {u"trades:read"_s}, true);

    QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
    model->setCatalog(demoCatalog());
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:read"_s}));
    // Now the catalog knows it, so it leaves "Not in the catalog".
    QCOMPARE(findScope(*model, u"accounts:read"_s).data(ScopeModel::KnownRole).toBool(), true);
    QVERIFY(!groupTitles(*model).contains(u"Not in the catalog"_s));
    QCOMPARE(grantOf(*model, u"trades:read"_s), ScopeModel::GrantState::NotAuthorized);

    // A name the new catalog lacks stays selected as free text.
    model->setCatalog(catalogOf({u"openid"_s}));
    QCOMPARE(model->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:read"_s}));
    QCOMPARE(groupTitles(*model), (QStringList{u"General"_s, u"Not in the catalog"_s}));
}

void TestScopeModel::grantStates()
{
    const auto model = makeModel();
    model->setSelectedScopes({u"trades:read"_s, u"trades:execute"_s, u"accounts:read"_s});
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);

    model->setGrantResult(model->selectedScopes(), {u"trades:read"_s, u"accounts:read"_s, u"customers:read"_s}, true);
    QCOMPARE(grantOf(*model, u"trades:read"_s), ScopeModel::GrantState::Granted);
    QCOMPARE(grantOf(*model, u"accounts:read"_s), ScopeModel::GrantState::Granted);
    QCOMPARE(grantOf(*model, u"trades:execute"_s), ScopeModel::GrantState::NotGranted);
    // Granted without being asked for: still granted.
    QCOMPARE(grantOf(*model, u"customers:read"_s), ScopeModel::GrantState::Granted);
    QCOMPARE(grantOf(*model, u"transfers:read"_s), ScopeModel::GrantState::NotAuthorized);
    QVERIFY(!changed.isEmpty());
    QVERIFY(findScope(*model, u"trades:execute"_s).data(Qt::ToolTipRole).toString().contains(u"not granted"_s));
    // The selection itself is not touched by a grant result.
    QCOMPARE(model->selectedScopes().size(), 3);

    changed.clear();
    model->clearGrantResult();
    QCOMPARE(grantOf(*model, u"trades:execute"_s), ScopeModel::GrantState::NotAuthorized);
    QCOMPARE(grantOf(*model, u"trades:read"_s), ScopeModel::GrantState::NotAuthorized);
    QVERIFY(!changed.isEmpty());
    changed.clear();
    model->clearGrantResult();
    QVERIFY(changed.isEmpty()); // nothing changed, nothing announced
}

void TestScopeModel::grantNotReported()
{
    const auto model = makeModel();
    model->setSelectedScopes({u"trades:read"_s});
    model->setGrantResult({u"trades:read"_s}, {}, false);
    QCOMPARE(grantOf(*model, u"trades:read"_s), ScopeModel::GrantState::NotReported);
    QCOMPARE(grantOf(*model, u"trades:execute"_s), ScopeModel::GrantState::NotAuthorized);
    QVERIFY(findScope(*model, u"trades:read"_s).data(Qt::ToolTipRole).toString().contains(u"did not say"_s));
}

void TestScopeModel::toolTipsExplainPrivilegeAndRestriction()
{
    const auto model = makeModel();
    model->setSelectedScopes({u"account:abc123"_s});
    const QString write = findScope(*model, u"customers:write"_s).data(Qt::ToolTipRole).toString();
    QVERIFY2(write.contains(u"Changes data"_s), qPrintable(write));
    QVERIFY(write.contains(u"Update customer details"_s));
    const QString execute = findScope(*model, u"trades:execute"_s).data(Qt::ToolTipRole).toString();
    QVERIFY2(execute.contains(u"Changes data"_s), qPrintable(execute));
    const QString onBehalf = findScope(*model, u"core.users:act-on-behalf-of"_s).data(Qt::ToolTipRole).toString();
    QVERIFY2(onBehalf.contains(u"on behalf of a user"_s), qPrintable(onBehalf));
    QVERIFY(!onBehalf.contains(u"Changes data"_s));
    const QString read = findScope(*model, u"trades:read"_s).data(Qt::ToolTipRole).toString();
    QVERIFY(!read.contains(u"Changes data"_s));
    const QString account = findScope(*model, u"account:abc123"_s).data(Qt::ToolTipRole).toString();
    QVERIFY2(account.contains(u"account abc123"_s), qPrintable(account));
    QVERIFY(account.contains(u"Not in the catalog"_s));
}

void TestScopeModel::testerSurvivesEveryOperation()
{
    // Each step is checked by the Fatal tester attached in makeModel.
    const auto model = makeModel(ScopeCatalog{});
    QCOMPARE(model->rowCount(), 0);
    model->setCatalog(demoCatalog());
    QVERIFY(model->addScope(u"x:one"_s));
    QVERIFY(model->addScope(u"x:two"_s));
    QVERIFY(model->addScope(u"x:three"_s));
    model->setSelectedScopes({u"x:two"_s, u"x:four"_s, u"trades:read"_s});
    QCOMPARE(model->selectedScopes(), (QStringList{u"trades:read"_s, u"x:two"_s, u"x:four"_s}));
    model->setGroupChecked(model->index(0, 0), true);
    model->selectAll(true);
    model->setGrantResult(model->selectedScopes(), {u"x:two"_s}, true);
    model->clearGrantResult();
    model->setSelectedScopes({});
    model->setCatalog(catalogOf({u"openid"_s, u"read:orders"_s}));
    model->selectAll(false);
    model->setCatalog({});
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(model->selectedScopes().isEmpty());
}

QTEST_GUILESS_MAIN(TestScopeModel)
#include "tst_scopemodel.moc"
