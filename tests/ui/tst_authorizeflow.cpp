#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "EnvironmentEditor.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "ScopePicker.h"
#include "demo/DemoServer.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"
#include "support/WidgetTestMain.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;

// The main window's part in authorizing: which environment edits cost the token, and a 403's
// one-click way to a token with the scope it named. Driven as a user would, against the Demo API.
class TestAuthorizeFlow : public QObject, private DesktopFixture
{
    Q_OBJECT

private:

    void selectRow(int row)
    {
        auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(m_model->index(row)).center());
    }

    // A profile of the user's own (not the built-in Demo) on the Demo server, its secret in the keychain.
    int addLocalEnvironment(const QString &name, const QStringList &scopes)
    {
        Environment local;
        local.name = name;
        local.tier = Tier::Sandbox;
        local.tokenUrl = m_demo.tokenUrl();
        local.apiBaseUrl = m_demo.apiUrl();
        local.clientId = DemoServer::clientId();
        local.scopes = scopes;
        local.headers = {{u"X-Request-Source"_s, u"tokenbench {{run}}"_s}};
        local.variables = {{u"run"_s, u"1"_s}};
        const int row = m_model->upsert(local);
        const QString id = m_model->environmentAt(row)->id;
        bool stored = false;
        m_secrets.write(SecretStore::keyFor(m_model->workspace().id(), id, SecretStore::clientSecretName()), DemoServer::clientSecret(),
                        [&stored](const SecretResult &result) { stored = result.ok(); });
        if (!QTest::qWaitFor([&stored] { return stored; }))
            return -1;
        return row;
    }

    bool authorizeCurrent()
    {
        const Environment *env = m_model->findById(m_window->currentEnvironmentId());
        m_authorizer->authorize(*env, env->scopes);
        return QTest::qWaitFor([&] { return m_authorizer->currentToken(env->id).has_value(); }, 10000);
    }

    EnvironmentEditor *openEditor()
    {
        m_window->findChild<QAction *>(u"editEnvironmentAction"_s)->trigger();
        EnvironmentEditor *editor = nullptr;
        const bool shown = QTest::qWaitFor([&] {
            editor = m_window->findChild<EnvironmentEditor *>();
            return editor && editor->isVisible();
        });
        return shown ? editor : nullptr;
    }

    bool pressOk(EnvironmentEditor *editor)
    {
        QPointer<EnvironmentEditor> guard(editor);
        QPushButton *ok = editor->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        if (!ok->isEnabled())
            return false;
        QTest::mouseClick(ok, Qt::LeftButton);
        return QTest::qWaitFor([&guard] { return !guard || !guard->isVisible(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_authorizeflow"_s, {.manualClock = false});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void editingAVariableOrAHeaderKeepsTheToken()
    {
        const int row = addLocalEnvironment(u"Keeps its token"_s, {u"accounts:read"_s});
        QVERIFY(row >= 0);
        selectRow(row);
        QVERIFY(authorizeCurrent());
        const QString id = m_window->currentEnvironmentId();
        const QString tokenBefore = m_authorizer->currentToken(id)->value;

        // A variable's value: API requests change, the token does not.
        EnvironmentEditor *editor = openEditor();
        QVERIFY(editor);
        editor->findChild<QTableWidget *>(u"variablesTable"_s)->item(0, 1)->setText(u"2"_s);
        QVERIFY(pressOk(editor));
        QCOMPARE(m_model->findById(id)->variables.value(0).second, u"2"_s);
        QVERIFY2(m_authorizer->currentToken(id).has_value(), "editing a variable dropped the token");
        QCOMPARE(m_authorizer->currentToken(id)->value, tokenBefore);

        // A context header's template, likewise.
        editor = openEditor();
        QVERIFY(editor);
        editor->findChild<QTableWidget *>(u"headersTable"_s)->item(0, 1)->setText(u"tokenbench run {{run}}"_s);
        QVERIFY(pressOk(editor));
        QCOMPARE(m_model->findById(id)->headers.value(0).valueTemplate, u"tokenbench run {{run}}"_s);
        QVERIFY2(m_authorizer->currentToken(id).has_value(), "editing a context header dropped the token");

        // The scopes are what the token was fetched with: changing them drops it.
        editor = openEditor();
        QVERIFY(editor);
        auto *scopes = editor->findChild<QLineEdit *>(u"scopes"_s);
        scopes->setText(u"accounts:read trades:read"_s);
        QVERIFY(pressOk(editor));
        QVERIFY2(!m_authorizer->currentToken(id).has_value(), "a token asked for other scopes was kept");

        // So does a new client secret, though the profile itself is unchanged.
        QVERIFY(authorizeCurrent());
        editor = openEditor();
        QVERIFY(editor);
        QTest::keyClicks(editor->findChild<QLineEdit *>(u"clientSecret"_s), DemoServer::clientSecret());
        QVERIFY(pressOk(editor));
        QVERIFY2(!m_authorizer->currentToken(id).has_value(), "a token made with the old secret was kept");
    }

    void aDenialNamingTheScopeOffersToAuthorizeWithIt()
    {
        const int row = addLocalEnvironment(u"Reads accounts only"_s, {u"accounts:read"_s});
        QVERIFY(row >= 0);
        selectRow(row);
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.method = u"GET"_s;
        draft.url = u"/trades"_s;
        composer->setDraft(draft);
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending() && composer->lastResult().answered(), 15000);
        QCOMPARE(composer->lastResult().exchange.status, 403);

        auto *offer = composer->findChild<QPushButton *>(u"authorizeMissingScopes"_s);
        QVERIFY(offer);
        QTRY_VERIFY(offer->isVisible());
        QVERIFY2(offer->text().contains(u"trades:read"_s), qPrintable(offer->text()));
        QTest::mouseClick(offer, Qt::LeftButton);

        AuthorizeDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<AuthorizeDialog *>()) && dialog->isVisible());
        // What the request used, and the scope it lacked, preselected.
        QStringList selected = dialog->selectedScopes();
        selected.sort();
        QCOMPARE(selected, (QStringList{u"accounts:read"_s, u"trades:read"_s}));
        // Listed with its resource, not among scopes typed by hand.
        auto *tree = dialog->findChild<QTreeView *>(u"scopeTree"_s);
        const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0), ScopeModel::NameRole, u"trades:read"_s, 1,
                                                           Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().parent().data().toString(), u"trades"_s);
        QVERIFY(found.first().data(ScopeModel::KnownRole).toBool());

        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        const QString id = m_window->currentEnvironmentId();
        QTRY_VERIFY(m_authorizer->currentToken(id).has_value() && m_authorizer->currentToken(id)->grantedScopes.contains(u"trades:read"_s));
        dialog->reject();

        // A success offers nothing.
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending() && composer->lastResult().answered(), 15000);
        QCOMPARE(composer->lastResult().exchange.status, 200);
        QVERIFY(!offer->isVisible());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestAuthorizeFlow)
#include "tst_authorizeflow.moc"
