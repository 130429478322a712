#include "ComposerView.h"
#include "ScopePicker.h"
#include "contract/TryItDraft.h"
#include "demo/DemoServer.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/SavedRequest.h"
#include "workspace/Workspace.h"
#include "support/WidgetTestMain.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;

// The composer's Scopes tab: the environment's catalog as the Authorize dialog's picker shows it,
// two-way with the draft, driven with the mouse and the keyboard.
class TestRequestScopes : public QObject
{
    Q_OBJECT

private:
    SecretStore m_secrets{u"Tokenbench-tests"_s};
    DemoServer m_demo;

    static Environment demo()
    {
        Environment env = Workspace::demoEnvironment();
        env.id = u"demo"_s;
        return env;
    }

    // An environment an OpenAPI import made: its document's scopes, in its words.
    static Environment shop()
    {
        Environment env;
        env.id = u"shop"_s;
        env.name = u"Shop sandbox"_s;
        env.tier = Tier::Sandbox;
        env.tokenUrl = QUrl(u"https://id.shop.test/token"_s);
        env.apiBaseUrl = QUrl(u"https://api.shop.test"_s);
        env.clientId = u"me"_s;
        env.scopes = {u"orders:read"_s};
        env.scopeCatalog = {{u"orders:read"_s, u"Read the orders"_s}, {u"orders:write"_s, u"Change or cancel orders"_s},
                            {u"refunds:execute"_s, u"Refund a payment"_s}};
        return env;
    }

    static ScopePicker *picker(const ComposerView &composer) { return composer.findChild<ScopePicker *>(u"requestScopes"_s); }
    static QTreeView *tree(const ComposerView &composer) { return picker(composer)->findChild<QTreeView *>(u"scopeTree"_s); }

    static void showScopesTab(ComposerView &composer)
    {
        auto *tabs = composer.findChild<QTabWidget *>(u"requestParts"_s);
        tabs->setCurrentWidget(picker(composer)->parentWidget());
    }

    static QModelIndex row(const ComposerView &composer, const QString &name, int column = 0)
    {
        const QAbstractItemModel *model = tree(composer)->model();
        const QModelIndexList found = model->match(model->index(0, 0), ScopeModel::NameRole, name, 1, Qt::MatchExactly | Qt::MatchRecursive);
        return found.isEmpty() ? QModelIndex() : found.first().siblingAtColumn(column);
    }

    // What the tree shows: every scope row's name.
    static QStringList shown(const ComposerView &composer)
    {
        QStringList names;
        const QAbstractItemModel *model = tree(composer)->model();
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex group = model->index(g, 0);
            for (int r = 0; r < model->rowCount(group); ++r)
                names.append(model->index(r, 0, group).data(ScopeModel::NameRole).toString());
        }
        return names;
    }

    static QStringList checked(const ComposerView &composer)
    {
        QStringList names;
        const QAbstractItemModel *model = tree(composer)->model();
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex group = model->index(g, 0);
            for (int r = 0; r < model->rowCount(group); ++r) {
                const QModelIndex scope = model->index(r, 0, group);
                if (scope.data(Qt::CheckStateRole).toInt() == Qt::Checked)
                    names.append(scope.data(ScopeModel::NameRole).toString());
            }
        }
        names.sort();
        return names;
    }

    static void clickCheckbox(const ComposerView &composer, const QString &name)
    {
        QTreeView *view = tree(composer);
        const QModelIndex index = row(composer, name);
        QVERIFY2(index.isValid(), qPrintable(name));
        view->scrollTo(index);
        QStyleOptionViewItem option;
        option.initFrom(view->viewport());
        option.rect = view->visualRect(index);
        option.features = QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDisplay;
        option.text = index.data().toString();
        const QRect box = view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view);
        QVERIFY(box.isValid());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, box.center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    // The catalog with its descriptions; a check is the draft's scope, and the draft's scopes are
    // the checks; the filter narrows the list; a scope the catalog lacks can still be typed.
    void checksAreTheDraftsScopes()
    {
        Authorizer authorizer(&m_secrets);
        ComposerView composer(&authorizer);
        composer.setEnvironment(shop());
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        showScopesTab(composer);

        QCOMPARE(shown(composer), (QStringList{u"orders:read"_s, u"orders:write"_s, u"refunds:execute"_s}));
        QCOMPARE(row(composer, u"orders:write"_s, 1).data().toString(), u"Change or cancel orders"_s);
        QVERIFY(composer.draft().scopes.isEmpty()); // nothing checked: the environment's
        auto *summary = picker(composer)->findChild<QLabel *>(u"scopeSummary"_s);
        QVERIFY2(summary->text().contains(u"the environment's, orders:read"_s), qPrintable(summary->text()));
        auto *match = composer.findChild<QComboBox *>(u"requestScopeMatch"_s);
        QVERIFY(!match->isEnabled());

        clickCheckbox(composer, u"orders:write"_s);
        QCOMPARE(composer.draft().scopes, QStringList{u"orders:write"_s});
        QCOMPARE(composer.draft().scopeMatch, ScopeMatch::Exact);
        QVERIFY(match->isEnabled());
        clickCheckbox(composer, u"refunds:execute"_s);
        QCOMPARE(composer.draft().scopes, (QStringList{u"orders:write"_s, u"refunds:execute"_s}));
        clickCheckbox(composer, u"refunds:execute"_s);
        QCOMPARE(composer.draft().scopes, QStringList{u"orders:write"_s});

        // The filter: by name or description.
        auto *filter = picker(composer)->findChild<QLineEdit *>(u"scopeFilter"_s);
        QTest::keyClicks(filter, u"refund"_s);
        QCOMPARE(shown(composer), QStringList{u"refunds:execute"_s});
        filter->clear();
        QTest::keyClicks(filter, u"cancel"_s);
        QCOMPARE(shown(composer), QStringList{u"orders:write"_s});
        QTest::keyClick(filter, Qt::Key_Escape);
        QCOMPARE(shown(composer).size(), 3);

        // Typed by hand, marked as not in the catalog, and in the draft.
        auto *add = picker(composer)->findChild<QLineEdit *>(u"scopeAddEdit"_s);
        QTest::keyClicks(add, u"orders:admin"_s);
        QTest::keyClick(add, Qt::Key_Return);
        QCOMPARE(composer.draft().scopes, (QStringList{u"orders:write"_s, u"orders:admin"_s})); // the catalog's order, then the others
        const QModelIndex typed = row(composer, u"orders:admin"_s);
        QCOMPARE(typed.parent().data().toString(), u"Not in the catalog"_s);
        QCOMPARE(typed.siblingAtColumn(1).data().toString(), u"Not in the catalog"_s);
        QVERIFY(!typed.data(ScopeModel::KnownRole).toBool());
        QVERIFY(row(composer, u"orders:write"_s).data(ScopeModel::KnownRole).toBool());

        // "At least" and "no scope at all" as before.
        match->setCurrentIndex(match->findData(int(ScopeMatch::AtLeast)));
        QCOMPARE(composer.draft().scopeMatch, ScopeMatch::AtLeast);
        auto *none = composer.findChild<QCheckBox *>(u"requestNoScope"_s);
        QTest::mouseClick(none, Qt::LeftButton);
        QVERIFY(composer.draft().noScopes);
        QVERIFY(composer.draft().scopes.isEmpty());
        QVERIFY(!picker(composer)->isEnabled());
        QTest::mouseClick(none, Qt::LeftButton);
        QVERIFY(picker(composer)->isEnabled());
        QCOMPARE(composer.draft().scopes, (QStringList{u"orders:write"_s, u"orders:admin"_s})); // the catalog's order, then the others

        // A draft (a saved request opened) shows its scopes checked, those the catalog lacks too.
        RequestDraft saved = composer.draft();
        ComposerView reopened(&authorizer);
        reopened.setEnvironment(shop());
        reopened.setDraft(saved);
        QCOMPARE(checked(reopened), (QStringList{u"orders:admin"_s, u"orders:write"_s}));
        QCOMPARE(reopened.draft().scopes, saved.scopes);
        QCOMPARE(reopened.draft().scopeMatch, ScopeMatch::AtLeast);
        saved.scopes = {u"orders:read"_s};
        reopened.setDraft(saved);
        QCOMPARE(checked(reopened), QStringList{u"orders:read"_s});
        QVERIFY(!row(reopened, u"orders:admin"_s).isValid()); // no longer named, no longer listed
    }

    // "Try it" of an operation: its first alternative's scopes are checked in the catalog.
    void tryItChecksTheOperationsScopes()
    {
        SavedRequest refund;
        refund.name = u"refundOrder"_s;
        refund.draft.method = u"POST"_s;
        refund.draft.url = u"/orders/{{orderId}}/refund"_s;
        refund.requiredScopes = {{u"oauth"_s, {u"refunds:execute"_s, u"orders:read"_s}}, {u"oauth"_s, {u"orders:write"_s}}};
        Authorizer authorizer(&m_secrets);
        ComposerView composer(&authorizer);
        const Environment environment = shop();
        composer.setEnvironment(environment);
        composer.setDraft(TryItDraft::of(refund, &environment));
        composer.show();
        showScopesTab(composer);
        QCOMPARE(checked(composer), (QStringList{u"orders:read"_s, u"refunds:execute"_s}));
        QCOMPARE(composer.draft().scopes, (QStringList{u"orders:read"_s, u"refunds:execute"_s}));
        QCOMPARE(composer.draft().scopeMatch, ScopeMatch::Exact);
    }

    // Another environment, another catalog, and its own checks; back again, the first one's.
    void anEnvironmentChangeChangesTheCatalog()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setBuiltinResolver(m_demo.environmentResolver());
        ComposerView composer(&authorizer);
        composer.setEnvironment(shop());
        composer.show();
        showScopesTab(composer);
        clickCheckbox(composer, u"orders:write"_s);
        QCOMPARE(composer.draft().scopes, QStringList{u"orders:write"_s});

        composer.setEnvironment(demo());
        QVERIFY(shown(composer).contains(u"accounts:read"_s));
        QVERIFY(shown(composer).contains(u"core.users:act-on-behalf-of"_s));
        QVERIFY(!shown(composer).contains(u"orders:write"_s));
        QVERIFY(checked(composer).isEmpty());
        QVERIFY(composer.draft().scopes.isEmpty());
        QCOMPARE(row(composer, u"trades:execute"_s, 1).data().toString(), u"Place trades"_s);
        clickCheckbox(composer, u"trades:execute"_s);
        QCOMPARE(composer.draft().scopes, QStringList{u"trades:execute"_s});

        composer.setEnvironment(shop());
        QCOMPARE(shown(composer), (QStringList{u"orders:read"_s, u"orders:write"_s, u"refunds:execute"_s}));
        QCOMPARE(checked(composer), QStringList{u"orders:write"_s});
        composer.setEnvironment(demo());
        QCOMPARE(checked(composer), QStringList{u"trades:execute"_s});

        // The same environment edited: its new catalog, the checks kept (one it no longer lists
        // stays checked, as not in the catalog).
        composer.setEnvironment(shop());
        Environment edited = shop();
        edited.scopeCatalog = {{u"orders:read"_s, u"Read the orders"_s}};
        composer.setEnvironment(edited);
        QCOMPARE(checked(composer), QStringList{u"orders:write"_s});
        QCOMPARE(row(composer, u"orders:write"_s).parent().data().toString(), u"Not in the catalog"_s);
        QCOMPARE(composer.draft().scopes, QStringList{u"orders:write"_s});
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestRequestScopes)
#include "tst_requestscopes.moc"
