#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/WidgetTestMain.h"

#include <QDesktopServices>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

// What the system browser is to the app, for this test: QDesktopServices hands http URLs here
// (setUrlHandler), and the scripted browser (oidc/scripted-browser.mjs) signs in and consents.
class ScriptedSystemBrowser : public QObject
{
    Q_OBJECT

public:
    std::function<QProcess *(const QUrl &)> run;
    QList<QUrl> opened;
    QProcess *last = nullptr;

public Q_SLOTS:
    void open(const QUrl &url)
    {
        opened.append(url);
        last = run(url);
    }
};

// The composer's send with an expired token on an authorization-code environment, against panva's
// oidc-provider: nobody has an Authorize dialog open, so GrantInteractionPresenter opens one on
// the grant's interaction; the authorization URL goes to the system browser (QDesktopServices,
// the dialog's own opener); the person signs in there; and the request goes out with the new
// token and is answered by the provider's resource API. The app's clock is a manual one, so
// the first token expires for the app when the test says so.
class TestOidcAuthorizeSend : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QString m_envId;
    ScriptedSystemBrowser m_browser;

    QString statusText(AuthorizeDialog *dialog) const { return dialog->findChild<QLabel *>(u"authorizeStatus"_s)->text(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString failed = startDesktop(u"tst_oidc_authorizesend"_s, {}, true);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QString error;
        m_envId = addEnvironmentByIssuer(u"oidc-provider (send)"_s, u"tb-native"_s, GrantType::AuthorizationCode, ClientAuthStyle::None, &error,
                                         {u"accounts:read"_s});
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
        m_browser.run = [this](const QUrl &url) {
            return startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {url.toString(QUrl::FullyEncoded)},
                                   {u"TB_BROWSER_LOG="_s + m_dir.filePath(u"browser.log"_s)});
        };
        QDesktopServices::setUrlHandler(u"http"_s, &m_browser, "open");
    }

    void cleanupTestCase() { QDesktopServices::unsetUrlHandler(u"http"_s); }

    void cleanup()
    {
        closeAuthorizeDialogs();
        finishNodeScripts();
    }

    void anExpiredTokensSendSignsInAgain()
    {
        // A first token, authorized in the dialog the user opened.
        QPointer<AuthorizeDialog> first = openAuthorizeDialog();
        QVERIFY(first);
        QTest::mouseClick(first->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(m_authorizer->currentToken(m_envId) && !first->isAuthorizing(), qPrintable(m_server.standardErrorOutput()),
                                  30000);
        QCOMPARE(m_browser.opened.size(), 1);
        const AccessToken before = *m_authorizer->currentToken(m_envId);
        QVERIFY(before.refreshToken.isEmpty()); // tb-native has no refresh grant: renewing is signing in again
        first->close();
        QTRY_VERIFY(!first); // deleted on close

        // Five minutes on (the provider's tokens live 300 s): expired for the app.
        m_clock.advance(301);
        QVERIFY(before.needsRenewal(m_clock.now()));
        ComposerView *composer = sendGet(u"/accounts"_s);
        QVERIFY(composer);

        // Nobody had a dialog open on it: one opens on the interaction and sends the browser.
        AuthorizeDialog *asked = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((asked = m_window->findChild<AuthorizeDialog *>()) && asked->isVisible(), 10000);
        QCOMPARE(asked->environmentId(), m_envId);
        QTRY_COMPARE_WITH_TIMEOUT(m_browser.opened.size(), 2, 10000);
        QCOMPARE(m_browser.opened.last().adjusted(QUrl::RemoveQuery), m_server.issuer().resolved(QUrl(u"/auth"_s)));
        QVERIFY(composer->isSending());

        QTRY_VERIFY2_WITH_TIMEOUT(!composer->isSending(), qPrintable(m_server.standardErrorOutput()), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(m_browser.last->state() == QProcess::NotRunning, 10000);
        QCOMPARE(m_browser.last->exitCode(), 0);
        const ApiCallResult &result = composer->lastResult();
        QCOMPARE(result.outcome, ApiCallResult::Outcome::Answered);
        QCOMPARE(result.exchange.status, 200);
        QVERIFY(result.authorizedFirst);
        QVERIFY(result.tokenSent);
        // The token that went with it is the new one, which the inspector and the dialog now show.
        const AccessToken after = *m_authorizer->currentToken(m_envId);
        QVERIFY(after.value != before.value);
        QVERIFY(result.token.has_value());
        QCOMPARE(result.token->obtainedAt, after.obtainedAt);
        QCOMPARE(result.token->expiresAt, after.expiresAt);
        QVERIFY(after.obtainedAt > before.obtainedAt);
        QCOMPARE(m_window->inspector()->token().value, after.value);
        QCOMPARE(jwtClaims(after.value).value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(statusText(asked), u"Authorized with every requested scope."_s);
        QVERIFY(asked->findChild<QWidget *>(u"browserWaitPanel"_s)->isHidden());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeSend)
#include "tst_oidc_authorizesend.moc"
