#include "AuthorizeDialog.h"
#include "ScopePicker.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/ScriptedHttpServer.h"
#include "workspace/Workspace.h"
#include "support/WidgetTestMain.h"

#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QProgressBar>
#include <QPushButton>
#include <QTest>
#include <QToolButton>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestAuthorizeDialog : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    SecretStore m_secrets{u"Tokenbench-tests"_s};
    DemoServer m_demo;

    Environment local(const QUrl &tokenUrl, GrantType grant = GrantType::ClientCredentials)
    {
        Environment env;
        env.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        env.name = u"Local"_s;
        env.tokenUrl = tokenUrl;
        env.clientId = DemoServer::clientId();
        env.clientAuth = ClientAuthStyle::Body;
        env.grant = grant;
        if (grant == GrantType::Password)
            env.username = DemoServer::username();
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void showsTheSchemeLikeSwaggerUi()
    {
        Authorizer authorizer(&m_secrets, &m_network);
        const Environment env = local(m_demo.tokenUrl());
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {ScopeInfo::classify(u"accounts:read"_s, u"Read accounts"_s)}, {u"accounts:read"_s});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.findChild<QLabel *>(u"tokenUrlLabel"_s)->text(), m_demo.tokenUrl().toDisplayString());
        QVERIFY(dialog.findChild<QLabel *>(u"clientAuthLabel"_s)->text().contains(u"body"_s));
        QCOMPARE(dialog.findChild<QLabel *>(u"clientIdLabel"_s)->text(), DemoServer::clientId());
        QCOMPARE(dialog.selectedScopes(), QStringList{u"accounts:read"_s});
        QVERIFY(!dialog.findChild<QLineEdit *>(u"password"_s)); // client credentials: no user fields

        auto *secret = dialog.findChild<QLineEdit *>(u"clientSecret"_s);
        auto *reveal = dialog.findChild<QToolButton *>(u"revealClientSecret"_s);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(secret->echoMode(), QLineEdit::Normal);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QVERIFY(!dialog.findChild<QPushButton *>(u"logoutButton"_s)->isEnabled());
    }

    void passwordGrantByKeyboard()
    {
        Authorizer authorizer(&m_secrets, &m_network);
        const Environment env = local(m_demo.tokenUrl(), GrantType::Password);
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {u"accounts:read"_s});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *username = dialog.findChild<QLineEdit *>(u"username"_s);
        auto *password = dialog.findChild<QLineEdit *>(u"password"_s);
        QVERIFY(username && password);
        QCOMPARE(username->text(), DemoServer::username());
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), DemoServer::clientSecret());
        QTest::keyClicks(password, DemoServer::password());
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(authorizer.currentToken(env.id).has_value());
        QCOMPARE(authorizer.currentToken(env.id)->jwt().claims().value(u"sub"_s).toString(), DemoServer::username());
        // What was typed is not left lying in the fields.
        QVERIFY(password->text().isEmpty());
        QVERIFY(dialog.findChild<QPushButton *>(u"logoutButton"_s)->isEnabled());
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"logoutButton"_s), Qt::LeftButton);
        QVERIFY(!authorizer.currentToken(env.id).has_value());
    }

    void progressAndCancel()
    {
        ScriptedHttpServer stalled;
        QVERIFY(stalled.listen());
        stalled.setMode(ScriptedHttpServer::Mode::Stall);
        Authorizer authorizer(&m_secrets, &m_network);
        const Environment env = local(stalled.url(u"/token"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QVERIFY(dialog.isAuthorizing());
        QVERIFY(dialog.findChild<QProgressBar *>(u"authorizeProgress"_s)->isVisible());
        auto *cancel = dialog.findChild<QPushButton *>(u"cancelButton"_s);
        QVERIFY(cancel->isVisible());
        QVERIFY(!dialog.findChild<QPushButton *>(u"authorizeButton"_s)->isEnabled());
        QTRY_COMPARE(stalled.requestCount(), 1);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!dialog.isAuthorizing());
        QVERIFY(!dialog.findChild<QProgressBar *>(u"authorizeProgress"_s)->isVisible());
        QCOMPARE(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text(), u"Cancelled."_s);
        QVERIFY(dialog.errorText().isEmpty());
    }

    void htmlErrorPageIsShownInline()
    {
        ScriptedHttpServer proxy;
        QVERIFY(proxy.listen());
        proxy.setResponse(ScriptedHttpServer::response(502, "Bad Gateway", "text/html", "<html><title>502 Bad Gateway</title></html>"));
        Authorizer authorizer(&m_secrets, &m_network);
        AuthorizeDialog dialog(&authorizer, &m_secrets, local(proxy.url(u"/token"_s)), {}, {});
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!dialog.errorText().isEmpty());
        QVERIFY2(dialog.errorText().contains(u"502"_s), qPrintable(dialog.errorText()));
        QVERIFY(dialog.errorText().contains(u"Bad Gateway"_s));
        QVERIFY(!dialog.errorText().contains(u"<title>"_s));
    }

    void notGrantedScopesAreShown()
    {
        // A server that grants less than asked, and says so.
        ScriptedHttpServer stingy;
        QVERIFY(stingy.listen());
        stingy.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"opaque","token_type":"bearer","expires_in":60,"scope":"a:read"})"));
        Authorizer authorizer(&m_secrets, &m_network);
        const Environment env = local(stingy.url(u"/token"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {ScopeInfo::classify(u"a:read"_s), ScopeInfo::classify(u"a:write"_s)},
                               {u"a:read"_s, u"a:write"_s});
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"NOT granted"_s));
        QVERIFY(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"a:write"_s));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestAuthorizeDialog)
#include "tst_authorizedialog.moc"
