#include "AuthorizeDialog.h"
#include "MainWindow.h"
#include "OidcProviderProcess.h"
#include "ScopePicker.h"
#include "TokenInspector.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"
#include "support/WidgetTestMain.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The GUI flow a user follows, by mouse and keyboard, against panva's oidc-provider.
class TestOidcAuthorizeDialog : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void authorizeByMouse()
    {
        SecretStore secrets(u"Tokenbench-tests"_s);
        EnvironmentListModel model;
        QVERIFY(model.open(m_dir.filePath(u"ws.json"_s), nullptr));
        Authorizer authorizer(&secrets);
        authorizer.setWorkspaceId(model.workspace().id());

        const OidcFixtureClient client = OidcProviderProcess::postClient();
        Environment env;
        env.name = u"oidc-provider"_s;
        env.tier = Tier::Staging;
        env.tokenUrl = m_server.tokenEndpoint();
        env.apiBaseUrl = QUrl(u"http://127.0.0.1/api"_s);
        env.clientId = client.id;
        env.clientAuth = ClientAuthStyle::Body;
        env.scopes = {u"accounts:read"_s, u"trades:execute"_s};
        const int row = model.upsert(env);

        MainWindow window(&model, &authorizer, &secrets);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *list = window.findChild<QListView *>(u"environmentList"_s);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(model.index(row)).center());

        QTest::mouseClick(window.findChild<QPushButton *>(u"startAuthorize"_s), Qt::LeftButton);
        AuthorizeDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<AuthorizeDialog *>()) && dialog->isVisible());
        QCOMPARE(dialog->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:execute"_s}));

        auto *secret = dialog->findChild<QLineEdit *>(u"clientSecret"_s);
        QTest::keyClicks(secret, client.secret + u"-typo"_s);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), 10000);
        QVERIFY2(dialog->errorText().contains(u"invalid_client"_s), qPrintable(dialog->errorText()));

        secret->clear();
        QTest::keyClicks(secret, client.secret);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.inspector()->hasToken(), 10000);
        const auto token = window.inspector()->token();
        QVERIFY(token.jwt().isJwt());
        QCOMPARE(token.jwt().claims().value(u"client_id"_s).toString(), client.id);
        QVERIFY(token.grantedScopes.contains(u"trades:execute"_s));
        QVERIFY(dialog->errorText().isEmpty());
        QVERIFY(dialog->findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"every requested scope"_s));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeDialog)
#include "tst_oidc_authorizedialog.moc"
