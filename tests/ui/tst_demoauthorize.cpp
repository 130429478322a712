#include "AuthorizeDialog.h"
#include "DesktopFixture.h"
#include "EnvironmentEditor.h"
#include "MainWindow.h"
#include "demo/DemoDeviceEndpoint.h"
#include "demo/DemoServer.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"
#include "support/LoopbackBrowser.h"
#include "support/WidgetTestMain.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPointer>
#include <QLabel>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

// The built-in Demo in the main window as a new user meets it: the first token's signature line
// says it is verified with the Demo's key (its JWKS resolved to the running server), and the
// Authorize dialog works with the Demo set to each grant a person takes part in — the
// authorization code approved on the Demo's page opened "in the browser", the device code
// approved on its /device page from the code the dialog shows.
class TestDemoAuthorize : public QObject, private DesktopFixture
{
    Q_OBJECT

private:
    QNetworkAccessManager m_browser;
    bool m_approved = false;

    int demoRow() const
    {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->environmentAt(row)->isBuiltinDemo())
                return row;
        }
        return -1;
    }

    Environment demo() const { return *m_model->environmentAt(demoRow()); }

    void selectDemo()
    {
        auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(m_model->index(demoRow())).center());
    }

    // As the editor would store it: the Demo keeps everything but its grant.
    void setGrant(GrantType grant)
    {
        Environment env = demo();
        m_authorizer->logout(env.id);
        QTRY_VERIFY(!m_authorizer->currentToken(env.id).has_value());
        env.grant = grant;
        m_model->upsert(env);
    }

    QNetworkReply *sendAsync(const QUrl &url, const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (body.isNull())
            return m_browser.get(request);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
        return m_browser.post(request, body);
    }

    // The system browser, scripted: the Demo's page is loaded, Approve pressed, the redirect followed.
    void approveInBrowser(const QUrl &authorizationUrl)
    {
        QNetworkReply *page = sendAsync(authorizationUrl);
        connect(page, &QNetworkReply::finished, this, [this, page, authorizationUrl] {
            page->deleteLater();
            if (!page->readAll().contains("Approve"))
                return;
            QUrl form = authorizationUrl;
            form.setQuery(QString());
            QNetworkReply *decided = sendAsync(form, authorizationUrl.query(QUrl::FullyEncoded).toUtf8() + "&decision=approve");
            connect(decided, &QNetworkReply::finished, this, [this, decided] {
                decided->deleteLater();
                const QUrl callback = QUrl::fromEncoded(decided->rawHeader("Location"));
                m_approved = LoopbackBrowser::get(callback).contains("You can close");
            });
        });
    }

    AuthorizeDialog *openAuthorizeDialog()
    {
        m_window->findChild<QAction *>(u"authorizeAction"_s)->trigger();
        AuthorizeDialog *dialog = nullptr;
        const bool shown = QTest::qWaitFor([&] {
            dialog = m_window->findChild<AuthorizeDialog *>();
            return dialog && dialog->isVisible();
        });
        return shown ? dialog : nullptr;
    }

    // The whole line (the row shows a long kid cut to its ends; its tooltip has all of it).
    QString signatureLine() const { return m_window->findChild<QLabel *>(u"signatureCheck"_s)->toolTip(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_demoauthorize"_s, {.manualClock = false});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_browser.setProxy(QNetworkProxy::NoProxy);
        QVERIFY(demoRow() >= 0);
        selectDemo();
    }

    void theFirstTokensSignatureIsVerified()
    {
        const Environment env = demo();
        QCOMPARE(env.grant, GrantType::ClientCredentials);
        QVERIFY(env.provider.jwksUrl.isEmpty()); // never stored: the running Demo's
        m_authorizer->authorize(env, env.scopes);
        QTRY_VERIFY_WITH_TIMEOUT(m_authorizer->currentToken(env.id).has_value(), 10000);
        const QString expected = u"signature verified with key kid="_s + m_demo.signingKey().keyId();
        QTRY_VERIFY2_WITH_TIMEOUT(signatureLine().contains(expected), qPrintable(signatureLine()), 10000);
        QVERIFY(!signatureLine().contains(u"NOT"_s));
        // The 43-character thumbprint would widen the inspector past the window: its ends are shown.
        const QString kid = m_demo.signingKey().keyId();
        QVERIFY(kid.size() > 20);
        const QString shown = m_window->findChild<QLabel *>(u"signatureCheck"_s)->text();
        QVERIFY2(shown.contains(u"kid="_s + kid.left(8) + u'…' + kid.right(6)) && !shown.contains(kid), qPrintable(shown));
    }

    void theEditorChangesOnlyTheDemosGrant()
    {
        m_window->findChild<QAction *>(u"editEnvironmentAction"_s)->trigger();
        EnvironmentEditor *editor = nullptr;
        QTRY_VERIFY((editor = m_window->findChild<EnvironmentEditor *>()) && editor->isVisible());
        QPointer<EnvironmentEditor> guard(editor);
        auto *grant = editor->findChild<QComboBox *>(u"grantType"_s);
        auto *clientAuth = editor->findChild<QComboBox *>(u"clientAuth"_s);
        QPushButton *ok = editor->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok);
        // The Demo's clients have no key for private_key_jwt: not savable.
        clientAuth->setCurrentIndex(clientAuth->findData(static_cast<int>(ClientAuthStyle::PrivateKeyJwt)));
        QTRY_VERIFY(!ok->isEnabled());
        clientAuth->setCurrentIndex(clientAuth->findData(static_cast<int>(ClientAuthStyle::None)));
        grant->setCurrentIndex(grant->findData(static_cast<int>(GrantType::DeviceCode)));
        QTRY_VERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!guard || !guard->isVisible());
        QCOMPARE(demo().grant, GrantType::DeviceCode);
        QCOMPARE(demo().clientAuth, ClientAuthStyle::None);
        QVERIFY(demo().tokenUrl.isEmpty() && demo().provider.deviceAuthorizationUrl.isEmpty()); // still the running Demo's
        Environment back = demo();
        back.clientAuth = ClientAuthStyle::Basic;
        m_model->upsert(back);
    }

    void authorizationCodeInTheDialog()
    {
        setGrant(GrantType::AuthorizationCode);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        // The dialog names the running Demo's authorization endpoint.
        QCOMPARE(dialog->findChild<QLabel *>(u"authorizationUrlLabel"_s)->text(), m_demo.authorizationUrl().toDisplayString());
        QUrl opened;
        m_approved = false;
        dialog->setUrlOpener([this, &opened](const QUrl &url) {
            opened = url;
            QTimer::singleShot(0, this, [this, url] { approveInBrowser(url); });
            return true;
        });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_authorizer->currentToken(demo().id).has_value(), 15000);
        QVERIFY(m_approved);
        QCOMPARE(opened.adjusted(QUrl::RemoveQuery), m_demo.authorizationUrl());
        QVERIFY(!m_authorizer->currentToken(demo().id)->refreshToken.isEmpty());
        QTRY_VERIFY2_WITH_TIMEOUT(signatureLine().contains(u"signature verified with key kid="_s + m_demo.signingKey().keyId()),
                                  qPrintable(signatureLine()), 10000);
        dialog->close();
    }

    void deviceCodeInTheDialog()
    {
        setGrant(GrantType::DeviceCode);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QLabel *>(u"deviceUrlLabel"_s)->text(), m_demo.deviceAuthorizationUrl().toDisplayString());
        dialog->setUrlOpener([](const QUrl &) { return true; });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        auto *code = dialog->findChild<QLabel *>(u"userCode"_s);
        QVERIFY(code);
        QTRY_VERIFY_WITH_TIMEOUT(code->isVisible() && !code->text().isEmpty(), 10000);
        QVERIFY(m_demo.deviceEndpoint()->approve(code->text()));
        QTRY_VERIFY_WITH_TIMEOUT(m_authorizer->currentToken(demo().id).has_value(), 15000);
        QTRY_VERIFY2_WITH_TIMEOUT(signatureLine().contains(u"signature verified with key kid="_s + m_demo.signingKey().keyId()),
                                  qPrintable(signatureLine()), 10000);
        dialog->close();
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestDemoAuthorize)
#include "tst_demoauthorize.moc"
