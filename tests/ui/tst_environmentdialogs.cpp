#include "EnvironmentEditor.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "NewEnvironmentDialog.h"
#include "WorkspaceConflictDialog.h"
#include "demo/DemoServer.h"
#include "http/HeaderInjector.h"
#include "http/OriginGuard.h"
#include "http/RequestBuilder.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/SecretWait.h"
#include "support/WidgetTestMain.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// New, Duplicate and the conflict dialog, driven from the main window's actions as a user would.
class TestEnvironmentDialogs : public QObject, private DesktopFixture
{
    Q_OBJECT

private:

    template<typename T>
    T *shown(const QString &name)
    {
        T *found = nullptr;
        const bool visible = QTest::qWaitFor([&] {
            found = nullptr;
            for (T *candidate : m_window->findChildren<T *>(name)) {
                if (candidate->isVisible())
                    found = candidate;
            }
            return found != nullptr;
        });
        return visible ? found : nullptr;
    }

    EnvironmentEditor *shownEditor(int timeoutMs = 5000)
    {
        EnvironmentEditor *found = nullptr;
        const bool seen = QTest::qWaitFor(
            [&] {
                for (EnvironmentEditor *candidate : m_window->findChildren<EnvironmentEditor *>()) {
                    if (candidate->isVisible())
                        found = candidate;
                }
                return found != nullptr;
            },
            timeoutMs);
        return seen ? found : nullptr;
    }

    void selectRow(int row)
    {
        auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(m_model->index(row)).center());
    }

    static void setText(QWidget *parent, const QString &name, const QString &text)
    {
        auto *edit = parent->findChild<QLineEdit *>(name);
        QVERIFY2(edit, qPrintable(name));
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

    static QPushButton *okOf(QDialog *dialog, const QString &buttonsName = {})
    {
        auto *box = buttonsName.isEmpty() ? dialog->findChild<QDialogButtonBox *>() : dialog->findChild<QDialogButtonBox *>(buttonsName);
        return box ? box->button(QDialogButtonBox::Ok) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_environmentdialogs"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void newEnvironmentStartsEmpty()
    {
        const int before = m_model->rowCount();
        m_window->findChild<QAction *>(u"newEnvironmentAction"_s)->trigger();
        auto *ask = shown<NewEnvironmentDialog>(u"newEnvironmentDialog"_s);
        QVERIFY(ask);
        // Empty is the default; the Demo is there to pick, not to inherit.
        QVERIFY(ask->findChild<QRadioButton *>(u"startEmpty"_s)->isChecked());
        QVERIFY(!ask->findChild<QRadioButton *>(u"startFromDemo"_s)->isChecked());
        // The tier a new environment gets is the CLI's `env add` default too.
        auto *tier = ask->findChild<QComboBox *>(u"newEnvironmentTier"_s);
        QCOMPARE(tier->currentData().toInt(), static_cast<int>(Environment::NewTier));
        QCOMPARE(Environment::NewTier, Tier::Custom);
        QCOMPARE(ask->findChild<QLineEdit *>(u"newEnvironmentName"_s)->text(), u"New environment"_s);
        setText(ask, u"newEnvironmentName"_s, u"Vendor sandbox"_s);
        QTest::mouseClick(okOf(ask), Qt::LeftButton);

        EnvironmentEditor *editor = shownEditor();
        QVERIFY(editor);
        const Environment draft = editor->environment();
        QCOMPARE(draft.name, u"Vendor sandbox"_s);
        QCOMPARE(draft.tier, Tier::Custom);
        QVERIFY(draft.headers.isEmpty());
        QVERIFY(draft.variables.isEmpty());
        QVERIFY(draft.clientId.isEmpty());
        QVERIFY(draft.tokenUrl.isEmpty());
        QVERIFY(draft.apiBaseUrl.isEmpty());
        QVERIFY(draft.scopes.isEmpty());

        setText(editor, u"tokenUrl"_s, u"https://id.vendor.example/oauth/token"_s);
        setText(editor, u"apiUrl"_s, u"https://api.vendor.example/v1"_s);
        setText(editor, u"clientId"_s, u"vendor-client"_s);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QTest::mouseClick(okOf(editor, u"buttons"_s), Qt::LeftButton);
        QTRY_COMPARE(m_model->rowCount(), before + 1);

        const Environment *created = m_model->workspace().find(u"Vendor sandbox"_s);
        QVERIFY(created);
        QCOMPARE(created->clientId, u"vendor-client"_s);
        QVERIFY(created->clientId != DemoServer::clientId());
        QCOMPARE(created->tokenUrl.host(), u"id.vendor.example"_s);
        QVERIFY(created->variables.isEmpty());
        // A request to it injects nothing but the token: no X-On-Behalf-Of with a demo user.
        RequestDraft request;
        request.url = u"/accounts"_s;
        const BuiltRequest built = RequestBuilder::build(request, *created, RequestBuilder::Files::Describe);
        const auto plan = HeaderInjector::plan(*created, std::nullopt, request, built, OriginGuard(created->apiBaseUrl));
        for (const InjectedHeader &header : plan.headers)
            QCOMPARE(header.name, QByteArray("Authorization"));
    }

    void demoTemplateOnlyWhenChosenAndCancelCreatesNothing()
    {
        const int before = m_model->rowCount();
        m_window->findChild<QAction *>(u"newEnvironmentAction"_s)->trigger();
        auto *ask = shown<NewEnvironmentDialog>(u"newEnvironmentDialog"_s);
        QVERIFY(ask);
        QTest::mouseClick(ask->findChild<QRadioButton *>(u"startFromDemo"_s), Qt::LeftButton);
        QTest::mouseClick(okOf(ask), Qt::LeftButton);
        EnvironmentEditor *editor = shownEditor();
        QVERIFY(editor);
        const Environment draft = editor->environment();
        QCOMPARE(draft.clientId, DemoServer::clientId());
        QCOMPARE(draft.tokenUrl, m_demo.tokenUrl());
        QCOMPARE(draft.headers.size(), 1);
        QVERIFY(!draft.isBuiltinDemo());
        editor->reject();
        QTRY_VERIFY(!editor->isVisible());
        QCOMPARE(m_model->rowCount(), before);

        m_window->findChild<QAction *>(u"newEnvironmentAction"_s)->trigger();
        ask = shown<NewEnvironmentDialog>(u"newEnvironmentDialog"_s);
        QVERIFY(ask);
        ask->reject();
        QVERIFY(!shownEditor(300));
        QCOMPARE(m_model->rowCount(), before);
    }

    void duplicateAsksNameAndTier()
    {
        const int source = m_model->rowOf(m_model->workspace().find(u"Vendor sandbox"_s)->id);
        selectRow(source);
        const int before = m_model->rowCount();
        auto *duplicate = m_window->findChild<QAction *>(u"duplicateEnvironmentAction"_s);

        duplicate->trigger();
        auto *ask = shown<NewEnvironmentDialog>(u"duplicateEnvironmentDialog"_s);
        QVERIFY(ask);
        QCOMPARE(ask->findChild<QLineEdit *>(u"newEnvironmentName"_s)->text(), u"Vendor sandbox copy"_s);
        QCOMPARE(ask->findChild<QComboBox *>(u"newEnvironmentTier"_s)->currentData().toInt(), static_cast<int>(Tier::Custom));
        ask->reject(); // cancel creates nothing
        QTest::qWait(50);
        QCOMPARE(m_model->rowCount(), before);

        duplicate->trigger();
        ask = shown<NewEnvironmentDialog>(u"duplicateEnvironmentDialog"_s);
        QVERIFY(ask);
        setText(ask, u"newEnvironmentName"_s, u"vendor SANDBOX"_s);
        QVERIFY(!okOf(ask)->isEnabled()); // a name taken (case-insensitively) is refused
        setText(ask, u"newEnvironmentName"_s, u"Vendor production"_s);
        QVERIFY(okOf(ask)->isEnabled());
        auto *tier = ask->findChild<QComboBox *>(u"newEnvironmentTier"_s);
        tier->setCurrentIndex(tier->findData(static_cast<int>(Tier::Production)));
        QTest::mouseClick(okOf(ask), Qt::LeftButton);
        QTRY_COMPARE(m_model->rowCount(), before + 1);
        const Environment *copy = m_model->workspace().find(u"Vendor production"_s);
        QVERIFY(copy);
        QCOMPARE(copy->tier, Tier::Production);
        QCOMPARE(copy->clientId, u"vendor-client"_s);
        QVERIFY(copy->id != m_model->workspace().find(u"Vendor sandbox"_s)->id);
        QCOMPARE(m_window->currentEnvironmentId(), copy->id);
        QVERIFY(WorkspaceStore::load(m_model->path()).workspace->find(u"Vendor production"_s));
    }

    void anotherProgramsChangeIsShownAndAConflictAsks()
    {
        // Another program (as tokenbench-cli does) adds an environment: the list shows it.
        const int before = m_model->rowCount();
        const auto added = WorkspaceStore::update(m_model->path(), [](Workspace &workspace, QString *) {
            Environment env;
            env.name = u"Added elsewhere"_s;
            env.tokenUrl = QUrl(u"https://id.other.example/token"_s);
            workspace.upsert(env);
            return true;
        });
        QVERIFY(added.ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), before + 1, 5000);

        // The user edits "Vendor production" while the other program changes it too.
        selectRow(m_model->rowOf(m_model->workspace().find(u"Vendor production"_s)->id));
        m_window->findChild<QAction *>(u"editEnvironmentAction"_s)->trigger();
        EnvironmentEditor *editor = shownEditor();
        QVERIFY(editor);
        const auto changed = WorkspaceStore::update(m_model->path(), [](Workspace &workspace, QString *) {
            workspace.find(u"Vendor production"_s)->clientId = u"changed-elsewhere"_s;
            return true;
        });
        QVERIFY(changed.ok());
        setText(editor, u"clientId"_s, u"changed-here"_s);
        QTest::mouseClick(okOf(editor, u"buttons"_s), Qt::LeftButton);

        auto *conflict = shown<WorkspaceConflictDialog>(u"workspaceConflictDialog"_s);
        QVERIFY(conflict);
        QVERIFY(conflict->findChild<QPlainTextEdit *>(u"diskVersion"_s)->toPlainText().contains(u"changed-elsewhere"_s));
        QVERIFY(conflict->findChild<QPlainTextEdit *>(u"mineVersion"_s)->toPlainText().contains(u"changed-here"_s));
        // Nothing was written over the other program's change while the user decides.
        QCOMPARE(WorkspaceStore::load(m_model->path()).workspace->find(u"Vendor production"_s)->clientId, u"changed-elsewhere"_s);
        QTest::mouseClick(conflict->findChild<QPushButton *>(u"keepBoth"_s), Qt::LeftButton);
        QTRY_VERIFY(m_model->conflicts().isEmpty());
        const auto onDisk = WorkspaceStore::load(m_model->path());
        QCOMPARE(onDisk.workspace->find(u"Vendor production"_s)->clientId, u"changed-elsewhere"_s);
        QCOMPARE(onDisk.workspace->find(u"Vendor production (mine)"_s)->clientId, u"changed-here"_s);
        QVERIFY(onDisk.workspace->find(u"Added elsewhere"_s));
    }

    void deletingWhatAnotherProgramEditedAsksAndThenForgetsTheSecret()
    {
        const Environment doomed = *m_model->workspace().find(u"Added elsewhere"_s);
        const QString key = SecretStore::keyFor(m_model->workspace().id(), doomed.id, SecretStore::clientSecretName());
        const SecretResult stored = waitForSecret([&](SecretStore::Callback done) { m_secrets.write(key, u"s3cret"_s, done); });
        QVERIFY2(stored.ok(), qPrintable(stored.message));

        selectRow(m_model->rowOf(doomed.id));
        m_window->findChild<QAction *>(u"deleteEnvironmentAction"_s)->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s)) && box->isVisible());
        // Before the click, another program edits it.
        QVERIFY(WorkspaceStore::update(m_model->path(), [](Workspace &workspace, QString *) {
                    workspace.find(u"Added elsewhere"_s)->clientId = u"edited-elsewhere"_s;
                    return true;
                }).ok());
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                QTest::mouseClick(button, Qt::LeftButton);
        }
        auto *conflict = shown<WorkspaceConflictDialog>(u"workspaceConflictDialog"_s);
        QVERIFY(conflict);
        QVERIFY(conflict->findChild<QPlainTextEdit *>(u"diskVersion"_s)->toPlainText().contains(u"edited-elsewhere"_s));
        QVERIFY(!conflict->findChild<QPushButton *>(u"keepBoth"_s)->isVisible());
        // Not deleted yet, secret kept, while the user decides.
        QVERIFY(WorkspaceStore::load(m_model->path()).workspace->find(u"Added elsewhere"_s));
        QCOMPARE(waitForSecret([&](SecretStore::Callback done) { m_secrets.read(key, done); }).status, SecretResult::Status::Found);

        QTest::mouseClick(conflict->findChild<QPushButton *>(u"keepMine"_s), Qt::LeftButton); // "Delete it"
        QTRY_VERIFY(!WorkspaceStore::load(m_model->path()).workspace->find(u"Added elsewhere"_s));
        QTRY_COMPARE(waitForSecret([&](SecretStore::Callback done) { m_secrets.read(key, done); }).status, SecretResult::Status::NotFound);
    }

    void deletingLeavesNothingInTheKeychain()
    {
        Environment env;
        env.name = u"Every secret"_s;
        env.tokenUrl = QUrl(u"https://id.every.example/token"_s);
        env.apiBaseUrl = QUrl(u"https://api.every.example/"_s);
        const int row = m_model->upsert(env);
        const Environment doomed = *m_model->environmentAt(row);
        // Every kind of entry an environment can have: its secrets, its keys, its proxy password
        // and a kept refresh token (the old list forgot the last four).
        const QStringList names{SecretStore::clientSecretName(), SecretStore::passwordName(), SecretStore::refreshTokenName(),
                                SecretStore::clientKeyName(), SecretStore::privateKeyName(), SecretStore::proxyPasswordName()};
        const auto keyOf = [&](const QString &name) { return SecretStore::keyFor(m_model->workspace().id(), doomed.id, name); };
        for (const QString &name : names) {
            const SecretResult stored = waitForSecret([&](SecretStore::Callback done) { m_secrets.write(keyOf(name), u"value"_s, done); });
            QVERIFY2(stored.ok(), qPrintable(stored.message));
        }

        selectRow(row);
        m_window->findChild<QAction *>(u"deleteEnvironmentAction"_s)->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s)) && box->isVisible());
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                QTest::mouseClick(button, Qt::LeftButton);
        }
        QTRY_VERIFY(!m_model->findById(doomed.id));
        for (const QString &name : names)
            QTRY_COMPARE(waitForSecret([&](SecretStore::Callback done) { m_secrets.read(keyOf(name), done); }).status, SecretResult::Status::NotFound);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestEnvironmentDialogs)
#include "tst_environmentdialogs.moc"
