#include "AuthorizeDialog.h"
#include "ScopePicker.h"
#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/ScriptedHttpServer.h"
#include "workspace/Workspace.h"
#include "support/WidgetTestMain.h"
#include "util/ManualClock.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestAuthorizeDialog : public QObject
{
    Q_OBJECT

private:
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

    static ScopeCatalog demoCatalog()
    {
        ScopeCatalog catalog;
        for (const DemoScope &scope : DemoScopes::all())
            catalog.append(ScopeInfo::classify(scope.name, scope.description));
        return catalog;
    }

    // The tree row of a scope, in the tree's own model, at the given column.
    static QModelIndex scopeRow(QTreeView *tree, const QString &name, int column)
    {
        const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0), ScopeModel::NameRole, name, 1,
                                                           Qt::MatchExactly | Qt::MatchRecursive);
        return found.isEmpty() ? QModelIndex() : found.first().siblingAtColumn(column);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    // Each grant shows only what it needs: a public client types no secret, only the password
    // grant asks for a password, the authorization code grant shows where the browser goes.
    void fieldsFollowTheGrant()
    {
        Authorizer authorizer(&m_secrets);
        Environment env = local(m_demo.tokenUrl(), GrantType::AuthorizationCode);
        env.clientAuth = ClientAuthStyle::None;
        env.provider.authorizationUrl = QUrl(u"https://login.example.com/authorize"_s);
        env.redirectPort = 8765;
        {
            AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
            QVERIFY(!dialog.findChild<QLineEdit *>(u"clientSecret"_s));
            QVERIFY(!dialog.findChild<QCheckBox *>(u"rememberSecret"_s)); // nothing typed, nothing to remember
            QVERIFY(!dialog.findChild<QLineEdit *>(u"password"_s));
            QCOMPARE(dialog.findChild<QLabel *>(u"authorizationUrlLabel"_s)->text(), u"https://login.example.com/authorize"_s);
            QVERIFY(dialog.findChild<QLabel *>(u"redirectLabel"_s)->text().contains(u"127.0.0.1:8765"_s));
        }
        env.clientAuth = ClientAuthStyle::Basic; // a confidential client: its secret is asked for
        {
            AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
            QVERIFY(dialog.findChild<QLineEdit *>(u"clientSecret"_s));
            QVERIFY(dialog.findChild<QCheckBox *>(u"rememberSecret"_s));
            QVERIFY(!dialog.findChild<QLineEdit *>(u"password"_s));
        }
        env.grant = GrantType::DeviceCode;
        env.clientAuth = ClientAuthStyle::None;
        env.provider.deviceAuthorizationUrl = QUrl(u"https://login.example.com/device"_s);
        {
            AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
            QCOMPARE(dialog.findChild<QLabel *>(u"deviceUrlLabel"_s)->text(), u"https://login.example.com/device"_s);
            QVERIFY(!dialog.findChild<QLabel *>(u"authorizationUrlLabel"_s));
            QVERIFY(!dialog.findChild<QLineEdit *>(u"clientSecret"_s));
        }
        env.clientAuth = ClientAuthStyle::PrivateKeyJwt;
        {
            AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
            QVERIFY(!dialog.findChild<QLineEdit *>(u"clientSecret"_s));
            QVERIFY(dialog.findChild<QLabel *>(u"privateKeyNote"_s));
        }
        env.clientAuth = ClientAuthStyle::TlsClientAuth;
        {
            AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
            QVERIFY(!dialog.findChild<QLineEdit *>(u"clientSecret"_s));
            QVERIFY(!dialog.findChild<QLabel *>(u"privateKeyNote"_s));
            QVERIFY(dialog.findChild<QLabel *>(u"clientCertificateNote"_s));
        }
    }

    // The authorization code grant asks for the browser: the URL goes to the opener (never a real
    // browser here), the dialog says it waits, offers the URL to copy, and Cancel stops the grant.
    void browserInteractionOpensTheUrlAndCancels()
    {
        ScriptedHttpServer stalled;
        QVERIFY(stalled.listen());
        stalled.setMode(ScriptedHttpServer::Mode::Stall);
        Authorizer authorizer(&m_secrets);
        const Environment env = local(stalled.url(u"/token"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
        QList<QUrl> opened;
        dialog.setUrlOpener([&opened](const QUrl &url) {
            opened.append(url);
            return true;
        });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *panel = dialog.findChild<QWidget *>(u"browserWaitPanel"_s);
        QVERIFY(panel && !panel->isVisible());

        // A request in flight, then the grant's driver asks for the browser.
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QVERIFY(dialog.isAuthorizing());
        const QUrl url(u"https://login.example.com/authorize?response_type=code&client_id=demo-client&state=s1&code_challenge=abc"_s);
        Q_EMIT authorizer.interactionRequired(env.id, {GrantInteraction::Kind::OpenBrowser, url, {}, {}, {}});
        QCOMPARE(opened, QList<QUrl>{url});
        QVERIFY(panel->isVisible());
        QVERIFY(dialog.findChild<QLabel *>(u"browserWaitStatus"_s)->text().startsWith(u"Waiting for the browser"_s));
        QCOMPARE(dialog.findChild<QLineEdit *>(u"authorizationUrl"_s)->text(), url.toString(QUrl::FullyEncoded));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"copyAuthorizationUrl"_s), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), url.toString(QUrl::FullyEncoded));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"openAuthorizationUrl"_s), Qt::LeftButton);
        QCOMPARE(opened.size(), 2);

        // Another environment's interaction is not this dialog's.
        Q_EMIT authorizer.interactionRequired(u"other"_s, {GrantInteraction::Kind::OpenBrowser, QUrl(u"https://elsewhere.example/"_s), {}, {}, {}});
        QCOMPARE(opened.size(), 2);

        QTest::mouseClick(dialog.findChild<QPushButton *>(u"cancelBrowserWait"_s), Qt::LeftButton);
        QTRY_VERIFY(!dialog.isAuthorizing());
        QVERIFY(!panel->isVisible());
        QCOMPARE(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text(), u"Cancelled."_s);

        // No browser could be opened: the URL is still there to copy, and the dialog says so.
        dialog.setUrlOpener([](const QUrl &) { return false; });
        Q_EMIT authorizer.interactionRequired(env.id, {GrantInteraction::Kind::OpenBrowser, url, {}, {}, {}});
        QVERIFY(dialog.findChild<QLabel *>(u"browserWaitStatus"_s)->text().startsWith(u"No browser could be opened"_s));
    }

    // The device grant: the user code large and selectable, where to enter it, Copy and Open
    // (the complete URL, the code already in it), the time left counting down, Cancel.
    void deviceInteractionShowsTheCodeAndCountsDown()
    {
        ScriptedHttpServer stalled;
        QVERIFY(stalled.listen());
        stalled.setMode(ScriptedHttpServer::Mode::Stall);
        ManualClock clock(QDateTime(QDate(2026, 12, 3), QTime(10, 0), Qt::UTC));
        Authorizer authorizer(&m_secrets, &clock);
        const Environment env = local(stalled.url(u"/token"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
        QList<QUrl> opened;
        dialog.setUrlOpener([&opened](const QUrl &url) {
            opened.append(url);
            return true;
        });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);

        const QUrl verification(u"https://login.example.com/device"_s);
        const QUrl complete(u"https://login.example.com/device?user_code=WDJB-MJHT"_s);
        Q_EMIT authorizer.interactionRequired(env.id, {GrantInteraction::Kind::EnterCode, verification, complete, u"WDJB-MJHT"_s,
                                                       clock.now().addSecs(300)});
        QVERIFY(opened.isEmpty()); // the device grant never opens a browser by itself
        auto *panel = dialog.findChild<QWidget *>(u"deviceCodePanel"_s);
        QVERIFY(panel->isVisible());
        auto *code = dialog.findChild<QLabel *>(u"userCode"_s);
        QCOMPARE(code->text(), u"WDJB-MJHT"_s);
        QVERIFY(code->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(code->font().pointSizeF() > dialog.font().pointSizeF() * 1.5);
        QCOMPARE(dialog.findChild<QLabel *>(u"verificationUrl"_s)->text(), verification.toString());
        QVERIFY(dialog.findChild<QLabel *>(u"verificationUrlComplete"_s)->isVisible());
        auto *expiry = dialog.findChild<QLabel *>(u"deviceCodeExpiry"_s);
        QCOMPARE(expiry->text(), u"The code expires in 5:00."_s);

        QTest::mouseClick(dialog.findChild<QPushButton *>(u"copyUserCode"_s), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), u"WDJB-MJHT"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"copyVerificationUrl"_s), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), complete.toString(QUrl::FullyEncoded));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"openVerificationUrl"_s), Qt::LeftButton);
        QCOMPARE(opened, QList<QUrl>{complete});

        clock.advance(61);
        QTRY_COMPARE(expiry->text(), u"The code expires in 3:59."_s);
        clock.advance(240);
        QTRY_COMPARE(expiry->text(), u"The code has expired."_s);

        QTest::mouseClick(dialog.findChild<QPushButton *>(u"cancelDeviceCode"_s), Qt::LeftButton);
        QTRY_VERIFY(!dialog.isAuthorizing());
        QVERIFY(!panel->isVisible());
    }

    void showsTheSchemeLikeSwaggerUi()
    {
        Authorizer authorizer(&m_secrets);
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
        Authorizer authorizer(&m_secrets);
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
        Authorizer authorizer(&m_secrets);
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
        Authorizer authorizer(&m_secrets);
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
        Authorizer authorizer(&m_secrets);
        const Environment env = local(stingy.url(u"/token"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {ScopeInfo::classify(u"a:read"_s), ScopeInfo::classify(u"a:write"_s)},
                               {u"a:read"_s, u"a:write"_s});
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"NOT granted"_s));
        QVERIFY(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"a:write"_s));
    }

    void storedPasswordShowsAsStored()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString(QUuid::WithoutBraces));
        const Environment env = local(m_demo.tokenUrl(), GrantType::Password);
        const QString key = SecretStore::keyFor(authorizer.workspaceId(), env.id, SecretStore::passwordName());
        bool written = false;
        m_secrets.write(key, u"stored-password"_s, [&written](const SecretResult &result) { written = result.ok(); });
        QTRY_VERIFY(written);

        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *password = dialog.findChild<QLineEdit *>(u"password"_s);
        auto *status = dialog.findChild<QLabel *>(u"passwordStatus"_s);
        QVERIFY(password && status);
        // Said like the secret's: stored, leave empty to use it; the value itself stays out of the field.
        QTRY_VERIFY2(status->text().contains(u"password is stored"_s) || status->text().contains(u"password is kept"_s),
                     qPrintable(status->text()));
        QVERIFY2(password->placeholderText().contains(u"stored"_s), qPrintable(password->placeholderText()));
        QVERIFY(password->text().isEmpty());
        // The client secret is not stored, and is not said to be.
        QVERIFY(!dialog.findChild<QLineEdit *>(u"clientSecret"_s)->placeholderText().contains(u"stored"_s));

        bool removed = false;
        m_secrets.remove(key, [&removed](const SecretResult &) { removed = true; });
        QTRY_VERIFY(removed);
    }

    void returnAfterAddDoesNotLogOut()
    {
        Authorizer authorizer(&m_secrets);
        const Environment env = local(m_demo.tokenUrl());
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, demoCatalog(), {u"accounts:read"_s});
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), DemoServer::clientSecret());
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(authorizer.currentToken(env.id).has_value());
        auto *logout = dialog.findChild<QPushButton *>(u"logoutButton"_s);
        QVERIFY(logout->isEnabled());

        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"scopeAddEdit"_s), u"trades:read"_s);
        auto *add = dialog.findChild<QPushButton *>(u"scopeAddButton"_s);
        QTest::mouseClick(add, Qt::LeftButton);
        QVERIFY(dialog.selectedScopes().contains(u"trades:read"_s));
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QVERIFY2(focus != logout, "the focus went on to Log out");
        QTest::keyClick(focus, Qt::Key_Return);
        QVERIFY2(authorizer.currentToken(env.id).has_value(), "Return logged the user out");
        QVERIFY(!dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"Logged out"_s));

        // Whichever button holds the focus, Log out never becomes the one Return presses.
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (!button->isVisible() || !button->isEnabled())
                continue;
            button->setFocus(Qt::TabFocusReason);
            QVERIFY2(!logout->isDefault(), qPrintable(button->objectName()));
        }
        logout->setFocus(Qt::TabFocusReason);
        QTest::keyClick(logout, Qt::Key_Return);
        QTRY_VERIFY(!authorizer.isBusy(env.id));
        QVERIFY2(authorizer.currentToken(env.id).has_value(), "Return on a focused Log out logged the user out");
    }

    void scopeNamesAreNotCutWhileDescriptionsHaveRoom()
    {
        Authorizer authorizer(&m_secrets);
        ScopeCatalog catalog = demoCatalog();
        catalog.append(ScopeInfo::classify(u"https://api.example.com/auth/customers.readonly"_s, u"Read customers"_s));
        AuthorizeDialog dialog(&authorizer, &m_secrets, local(m_demo.tokenUrl()), catalog, {u"core.users:act-on-behalf-of"_s});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *tree = dialog.findChild<QTreeView *>(u"scopeTree"_s);
        const int shown = tree->columnWidth(0);
        const int viewport = tree->viewport()->width();
        // What the widest name (with its indentation and badge) needs, measured by the view itself.
        tree->resizeColumnToContents(0);
        const int names = tree->columnWidth(0);
        QVERIFY2(names < viewport * 3 / 4, "the test's names must leave the descriptions room");
        QVERIFY2(shown >= names, qPrintable(u"name column %1 < widest name %2 (viewport %3)"_s.arg(shown).arg(names).arg(viewport)));
    }

    void notGrantedScopeIsMarkedInTheTree()
    {
        ScriptedHttpServer stingy;
        QVERIFY(stingy.listen());
        stingy.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"opaque","token_type":"bearer","expires_in":60,"scope":"a:read"})"));
        Authorizer authorizer(&m_secrets);
        AuthorizeDialog dialog(&authorizer, &m_secrets, local(stingy.url(u"/token"_s)),
                               {ScopeInfo::classify(u"a:read"_s), ScopeInfo::classify(u"a:write"_s)}, {u"a:read"_s, u"a:write"_s});
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), u"secret"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(dialog.findChild<QLabel *>(u"authorizeStatus"_s)->text().contains(u"NOT granted"_s));
        auto *tree = dialog.findChild<QTreeView *>(u"scopeTree"_s);
        const QModelIndex refusedName = scopeRow(tree, u"a:write"_s, 0);
        const QModelIndex grantedName = scopeRow(tree, u"a:read"_s, 0);
        QVERIFY(refusedName.isValid() && grantedName.isValid());
        // Marked at the name itself (an icon and the name's colour), with a tooltip that says why.
        QVERIFY(!refusedName.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(refusedName.data(Qt::ForegroundRole).isValid());
        QVERIFY2(refusedName.data(Qt::ToolTipRole).toString().contains(u"not granted"_s), qPrintable(refusedName.data(Qt::ToolTipRole).toString()));
        QVERIFY(scopeRow(tree, u"a:write"_s, 1).data().toString().contains(u"not granted"_s));
        QVERIFY(!grantedName.data(Qt::DecorationRole).isValid());
        QVERIFY(!grantedName.data(Qt::ForegroundRole).isValid());
    }

    void scopeTheServerRefusesIsMarkedInTheTree()
    {
        // The Demo turns the whole request down (invalid_scope) and names the unknown scope.
        Authorizer authorizer(&m_secrets);
        AuthorizeDialog dialog(&authorizer, &m_secrets, local(m_demo.tokenUrl()), demoCatalog(), {u"accounts:read"_s});
        dialog.show();
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"scopeAddEdit"_s), u"accounts:admin"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"scopeAddButton"_s), Qt::LeftButton);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"clientSecret"_s), DemoServer::clientSecret());
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(dialog.errorText().contains(u"invalid_scope"_s));
        auto *tree = dialog.findChild<QTreeView *>(u"scopeTree"_s);
        const QModelIndex refused = scopeRow(tree, u"accounts:admin"_s, 0);
        QVERIFY(refused.isValid());
        QCOMPARE(refused.data(ScopeModel::GrantStateRole).toInt(), int(ScopeModel::GrantState::Refused));
        QVERIFY(!refused.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY2(refused.data(Qt::ToolTipRole).toString().contains(u"Unknown scope"_s), qPrintable(refused.data(Qt::ToolTipRole).toString()));
        QVERIFY(scopeRow(tree, u"accounts:admin"_s, 1).data().toString().contains(u"refused"_s));
        // The scope the server did not object to is not blamed.
        QCOMPARE(scopeRow(tree, u"accounts:read"_s, 0).data(ScopeModel::GrantStateRole).toInt(), int(ScopeModel::GrantState::NotAuthorized));
        QVERIFY(dialog.findChild<QLabel *>(u"scopeSummary"_s)->text().contains(u"refused"_s));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestAuthorizeDialog)
#include "tst_authorizedialog.moc"
