#include "EnvironmentEditor.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "NewEnvironmentDialog.h"
#include "TemplateValuesDialog.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/WidgetTestMain.h"
#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// New Environment → API template → the values it asks for → the editor → the workspace, driven
// from the main window's action as a user would.
class TestNewFromTemplate : public QObject, private DesktopFixture
{
    Q_OBJECT

private:

    template<typename T>
    T *shown(int timeoutMs = 5000)
    {
        T *found = nullptr;
        const bool visible = QTest::qWaitFor(
            [&] {
                found = nullptr;
                for (T *candidate : m_window->findChildren<T *>()) {
                    if (candidate->isVisible())
                        found = candidate;
                }
                return found != nullptr;
            },
            timeoutMs);
        return visible ? found : nullptr;
    }

    static void type(QWidget *parent, const QString &name, const QString &text)
    {
        auto *edit = parent->findChild<QLineEdit *>(name);
        QVERIFY2(edit, qPrintable(name));
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

    static QPushButton *okOf(QDialog *dialog)
    {
        return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }

    // Opens New Environment, names it and picks the template; returns the values dialog.
    TemplateValuesDialog *startFrom(const QString &templateId, const QString &name, Tier tier = Tier::Custom)
    {
        m_window->findChild<QAction *>(u"newEnvironmentAction"_s)->trigger();
        auto *ask = shown<NewEnvironmentDialog>();
        if (!ask)
            return nullptr;
        auto *templates = ask->findChild<QComboBox *>(u"templateChoice"_s);
        if (templates->isEnabled()) // only once the radio button is chosen
            return nullptr;
        QTest::mouseClick(ask->findChild<QRadioButton *>(u"startFromTemplate"_s), Qt::LeftButton);
        if (!templates->isEnabled())
            return nullptr;
        templates->setCurrentIndex(templates->findData(templateId));
        auto *tiers = ask->findChild<QComboBox *>(u"newEnvironmentTier"_s);
        tiers->setCurrentIndex(tiers->findData(static_cast<int>(tier)));
        auto *nameEdit = ask->findChild<QLineEdit *>(u"newEnvironmentName"_s);
        nameEdit->selectAll();
        QTest::keyClicks(nameEdit, name);
        QTest::mouseClick(okOf(ask), Qt::LeftButton);
        return shown<TemplateValuesDialog>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_newfromtemplate"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // Cymbio: the tiers its seed documents, the production typo explained, the values asked for.
    void cymbioFromTemplate()
    {
        const int before = m_model->rowCount();
        TemplateValuesDialog *values = startFrom(u"cymbio"_s, u"Cymbio"_s, Tier::Production);
        QVERIFY(values);
        auto *tier = values->findChild<QComboBox *>(u"templateTier"_s);
        QCOMPARE(tier->count(), 2); // staging and production: what the seed documents
        QCOMPARE(tier->currentData().toInt(), static_cast<int>(Tier::Production));
        auto *notes = values->findChild<QLabel *>(u"templateNotes"_s);
        QVERIFY(notes->text().contains(u"htttps://api.cym.bio/oauth/token, a typo"_s));
        // Nothing is invented: OK waits for the client id and the username.
        QVERIFY(!okOf(values)->isEnabled());
        auto *problem = values->findChild<QLabel *>(u"templateProblem"_s);
        QVERIFY(problem->text().contains(u"Client ID"_s));
        QVERIFY(problem->text().contains(u"Username"_s));
        type(values, u"ask_clientId"_s, u"cymbio-client"_s);
        QVERIFY(!okOf(values)->isEnabled());
        type(values, u"ask_username"_s, u"me@example.com"_s);
        QVERIFY(okOf(values)->isEnabled());
        tier->setCurrentIndex(tier->findData(static_cast<int>(Tier::Staging)));
        QVERIFY(!notes->text().contains(u"typo"_s));
        tier->setCurrentIndex(tier->findData(static_cast<int>(Tier::Production)));
        QTest::mouseClick(okOf(values), Qt::LeftButton);

        EnvironmentEditor *editor = shown<EnvironmentEditor>();
        QVERIFY(editor);
        const Environment draft = editor->environment();
        QCOMPARE(draft.name, u"Cymbio"_s);
        QCOMPARE(draft.tokenUrl, QUrl(u"https://api.cym.bio/oauth/token"_s));
        QCOMPARE(draft.clientId, u"cymbio-client"_s);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QTest::mouseClick(editor->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_COMPARE(m_model->rowCount(), before + 1);
        const Environment *created = m_model->workspace().find(u"Cymbio"_s);
        QVERIFY(created);
        QCOMPARE(created->tier, Tier::Production);
        QCOMPARE(created->scopeCatalog.size(), 14);
        QCOMPARE(created->origin.document, u"template:cymbio"_s);
        QCOMPARE(created->params.first().value, u"me@example.com"_s);
        // The template's example requests come with it, each with the scope its resource needs;
        // the retailer id they use was optional, so OK did not wait for it.
        const SavedRequest *variants = m_model->workspace().findRequest(u"Cymbio: Retailer's variants"_s);
        QVERIFY(variants);
        QCOMPARE(variants->requiredScopes.first().scopes, QStringList{u"read:variants"_s});
        QCOMPARE(variants->draft.url, u"/v3/retailers/{{retailerId}}/variants?service_type=ecommerce"_s);
    }

    // A host typed with its scheme is refused as it is typed; Cancel makes nothing.
    void wrongValueAndCancel()
    {
        const int before = m_model->rowCount();
        TemplateValuesDialog *values = startFrom(u"cyclr"_s, u"Cyclr"_s);
        QVERIFY(values);
        QCOMPARE(values->findChild<QComboBox *>(u"templateTier"_s)->count(), 4); // the seed names no tier
        type(values, u"ask_apiDomain"_s, u"https://api.cyclr.test"_s);
        type(values, u"ask_clientId"_s, u"c"_s);
        type(values, u"ask_accountId"_s, u"acc-1"_s);
        QVERIFY(!okOf(values)->isEnabled());
        QVERIFY(values->findChild<QLabel *>(u"templateProblem"_s)->text().contains(u"must be a host name"_s));
        type(values, u"ask_apiDomain"_s, u"api.cyclr.test"_s);
        QVERIFY(okOf(values)->isEnabled());
        values->reject();
        QVERIFY(!shown<EnvironmentEditor>(300));
        QCOMPARE(m_model->rowCount(), before);
    }

    // The Demo template brings its example requests, once however often it is used.
    void demoTemplateRequestsOnce()
    {
        const qsizetype before = m_model->workspace().savedRequests().size();
        qsizetype afterFirst = -1;
        for (const QString &name : {u"My demo"_s, u"My demo 2"_s}) {
            TemplateValuesDialog *values = startFrom(u"demo"_s, name);
            QVERIFY(values);
            type(values, u"ask_demoUrl"_s, m_demo.baseUrl().toString());
            QVERIFY(okOf(values)->isEnabled());
            QTest::mouseClick(okOf(values), Qt::LeftButton);
            EnvironmentEditor *editor = shown<EnvironmentEditor>();
            QVERIFY(editor);
            QCOMPARE(editor->environment().apiBaseUrl, m_demo.apiUrl());
            QTest::mouseClick(editor->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok), Qt::LeftButton);
            QTRY_VERIFY(m_model->workspace().find(name));
            QTRY_VERIFY(!editor->isVisible());
            if (afterFirst < 0)
                afterFirst = m_model->workspace().savedRequests().size();
            QCOMPARE(m_model->workspace().savedRequests().size(), afterFirst); // the second adds nothing
        }
        QVERIFY(afterFirst >= before);
        const qsizetype fromDemo = std::count_if(m_model->workspace().savedRequests().cbegin(), m_model->workspace().savedRequests().cend(),
                                                 [](const SavedRequest &r) { return r.origin.document == u"template:demo"_s; });
        QCOMPARE(fromDemo, TemplateApplication::requests(*TemplateCatalog::builtIn().find(u"demo"_s)).size());
        QCOMPARE(m_model->workspace().findRequest(u"Place a trade"_s)->requiredScopes.first().scopes, QStringList{u"trades:execute"_s});
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestNewFromTemplate)
#include "tst_newfromtemplate.moc"
