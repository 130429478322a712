#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/ForwardProxyProcess.h"
#include "support/WidgetTestMain.h"

#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;

// Issue 14's done-when from the app, through a corporate proxy: an environment whose proxy is a
// real tinyproxy on loopback, made from oidc-provider's issuer in the editor (discovery through
// the proxy), signed in with the authorization code grant in the Authorize dialog (the person's
// browser goes to the provider itself; the app's code exchange goes through the proxy), the
// signature checked with the JWKS read through the proxy, and the composer's request sent through
// it. tinyproxy's own log says what went through it.
class TestOidcAuthorizeProxy : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    std::unique_ptr<ForwardProxyProcess> m_proxy;
    QString m_envId;

private Q_SLOTS:
    void initTestCase()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        QString error;
        m_proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(m_proxy, qPrintable(error));
        const QString failed = startDesktop(u"tst_oidc_authorizeproxy"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        ProxySetting proxy;
        proxy.mode = ProxyMode::Manual;
        proxy.url = m_proxy->url();
        m_envId = addEnvironmentByIssuer(u"oidc-provider (proxy)"_s, u"tb-native"_s, GrantType::AuthorizationCode, ClientAuthStyle::None, &error,
                                         {u"accounts:read"_s}, {}, proxy);
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
    }

    void cleanup()
    {
        closeAuthorizeDialogs();
        finishNodeScripts();
    }

    void signInAndSendThroughTheProxy()
    {
        const QByteArray issuer = m_server.issuer().toEncoded();
        QVERIFY2(m_proxy->log().contains("GET " + issuer + "/.well-known/openid-configuration"), m_proxy->log().constData());

        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QList<QUrl> opened;
        dialog->setUrlOpener([this, &opened](const QUrl &url) {
            opened.append(url);
            startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {url.toString(QUrl::FullyEncoded)});
            return true;
        });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->inspector()->hasToken() && !dialog->isAuthorizing(),
                                  qPrintable(dialog->errorText() + m_server.standardErrorOutput()), 30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(opened.size(), 1);
        // The code exchange went through the proxy; the authorization page is the browser's business.
        QVERIFY2(m_proxy->log().contains("POST " + m_server.tokenEndpoint().toEncoded() + " HTTP/1.1"), m_proxy->log().constData());
        QVERIFY2(!m_proxy->log().contains(issuer + "/auth"), m_proxy->log().constData());

        dialog->close();

        // The inspector verified the signature with the key set read through the proxy.
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->findChild<QLabel *>(u"signatureCheck"_s)->toolTip().startsWith(u"signature verified with key kid="_s),
                                  qPrintable(m_window->findChild<QLabel *>(u"signatureCheck"_s)->toolTip()), 10000);
        QVERIFY2(m_proxy->log().contains("GET " + issuer + "/jwks"), m_proxy->log().constData());

        // The composer's request, with that token, through the proxy too.
        ComposerView *composer = sendGet(u"/accounts"_s);
        QVERIFY(composer);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending(), 15000);
        QCOMPARE(composer->lastResult().outcome, ApiCallResult::Outcome::Answered);
        QCOMPARE(composer->lastResult().exchange.status, 200);
        QVERIFY(!composer->lastResult().authorizedFirst);
        QVERIFY2(m_proxy->log().contains("GET " + m_server.apiBase().toEncoded() + "/accounts HTTP/1.1"), m_proxy->log().constData());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeProxy)
#include "tst_oidc_authorizeproxy.moc"
