#include "AuthorizeDialog.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/LoopbackBrowser.h"
#include "support/WidgetTestMain.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// The Authorize dialog with the authorization code grant and PKCE against panva's oidc-provider,
// as an integrator meets it: the environment made from the provider's issuer in the editor, the
// scopes picked in the dialog, the browser — oidc/scripted-browser.mjs, through the dialog's URL
// opener — signing in and consenting at the provider's pages and coming back to the dialog's
// loopback port. The token in the inspector is the provider's (the claims it issued, accepted by
// its resource API), its signature and the ID token's verified with the provider's JWKS. A
// refused consent is the provider's error in the dialog; Cancel while the browser is out closes
// the port.
class TestOidcAuthorizeCode : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QString m_envId;
    QList<QUrl> m_opened;
    QProcess *m_browser = nullptr;

    // The dialog's opener: the URL noted, the scripted browser started on it (or none, for a
    // person who never comes back).
    void useBrowser(AuthorizeDialog *dialog, const QString &log, bool deny, bool run = true)
    {
        m_opened.clear();
        m_browser = nullptr;
        dialog->setUrlOpener([this, log, deny, run](const QUrl &url) {
            m_opened.append(url);
            if (run) {
                QStringList env{u"TB_BROWSER_LOG="_s + log};
                if (deny)
                    env.append(u"TB_BROWSER_DENY=1"_s);
                m_browser = startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {url.toString(QUrl::FullyEncoded)}, env);
            }
            return true;
        });
    }

    QString readLog(const QString &path) const
    {
        QFile file(m_dir.filePath(path));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    QString statusText(AuthorizeDialog *dialog) const { return dialog->findChild<QLabel *>(u"authorizeStatus"_s)->text(); }

    // What the browser and the server said, for a failure's message.
    QByteArray diagnostics(const QString &log) const
    {
        QByteArray text = readLog(log).toUtf8();
        if (m_browser)
            text += m_browser->readAllStandardError();
        return text + m_server.standardErrorOutput().toUtf8();
    }

    int apiStatus(const QString &path, const QString &accessToken)
    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request(QUrl(m_server.apiBase().toString() + path));
        request.setRawHeader("Authorization", "Bearer " + accessToken.toLatin1());
        QNetworkReply *reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString failed = startDesktop(u"tst_oidc_authorizecode"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QString error;
        m_envId = addEnvironmentByIssuer(u"oidc-provider (browser)"_s, u"tb-native"_s, GrantType::AuthorizationCode, ClientAuthStyle::None, &error);
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
        const Environment *env = m_model->environmentAt(m_model->rowOf(m_envId));
        QCOMPARE(env->provider.authorizationUrl, m_server.issuer().resolved(QUrl(u"/auth"_s)));
        QVERIFY(!env->provider.jwksUrl.isEmpty());
    }

    void cleanup()
    {
        closeAuthorizeDialogs();
        finishNodeScripts();
        m_browser = nullptr;
    }

    void signInAndConsentInTheBrowser()
    {
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QLabel *>(u"authorizationUrlLabel"_s)->text(), m_server.issuer().toString() + u"/auth"_s);
        const QStringList picked{u"openid"_s, u"accounts:read"_s, u"trades:read"_s};
        QString error;
        QVERIFY2(pickScopes(dialog, picked, &error), qPrintable(error));
        const QString log = u"consent.log"_s;
        useBrowser(dialog, m_dir.filePath(log), false);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);

        // While the browser is out, the dialog shows where it went.
        QTRY_VERIFY_WITH_TIMEOUT(m_opened.size() == 1, 10000);
        const QUrl opened = m_opened.first();
        QCOMPARE(dialog->findChild<QLineEdit *>(u"authorizationUrl"_s)->text(), opened.toString(QUrl::FullyEncoded));
        QCOMPARE(opened.adjusted(QUrl::RemoveQuery), m_server.issuer().resolved(QUrl(u"/auth"_s)));
        QCOMPARE(LoopbackBrowser::formValue(opened, u"client_id"_s), u"tb-native"_s);
        QCOMPARE(LoopbackBrowser::formValue(opened, u"scope"_s), picked.join(u' '));
        QCOMPARE(LoopbackBrowser::formValue(opened, u"code_challenge_method"_s), u"S256"_s);
        QVERIFY(!QUrlQuery(opened).hasQueryItem(u"code_verifier"_s));
        const QString nonce = LoopbackBrowser::formValue(opened, u"nonce"_s);
        QVERIFY(nonce.size() >= 43);

        QTRY_VERIFY2_WITH_TIMEOUT(m_window->inspector()->hasToken() && !dialog->isAuthorizing(), diagnostics(log).constData(), 30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(statusText(dialog), u"Authorized with every requested scope."_s);
        QVERIFY(dialog->findChild<QWidget *>(u"browserWaitPanel"_s)->isHidden());
        // The browser went the whole way: the provider's login and consent, back to the dialog's port.
        const QString steps = readLog(log);
        QVERIFY2(steps.contains(u"GET /auth"_s) && steps.contains(u"POST /interaction/"_s) && steps.contains(u"GET /callback"_s), qPrintable(steps));
        QVERIFY2(!steps.contains(u"FAIL"_s), qPrintable(steps));

        // The access token is what the provider issued: to the person who signed in, for the
        // public client that asked, for its API, with exactly the API scopes picked.
        const AccessToken token = m_window->inspector()->token();
        QCOMPARE(m_authorizer->currentToken(m_envId)->value, token.value);
        const QJsonObject claims = jwtClaims(token.value);
        QCOMPARE(claims.value(u"iss"_s).toString(), m_server.issuer().toString());
        QCOMPARE(claims.value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(claims.value(u"client_id"_s).toString(), u"tb-native"_s);
        QCOMPARE(claims.value(u"aud"_s).toString(), OidcProviderProcess::apiResource());
        QCOMPARE(words(claims.value(u"scope"_s).toString()), words(u"accounts:read trades:read"_s));
        QCOMPARE(words(token.grantedScopes.join(u' ')), words(picked.join(u' ')));
        // Its resource API takes it: the signature, issuer, audience and lifetime are right.
        QCOMPARE(apiStatus(u"/accounts"_s, token.value), 200);

        // The inspector checked both signatures with the provider's key, and the ID token's claims.
        const QString kid = providerKeyId(&error);
        QVERIFY2(!kid.isEmpty(), qPrintable(error));
        auto *signature = m_window->findChild<QLabel *>(u"signatureCheck"_s);
        QTRY_COMPARE_WITH_TIMEOUT(signature->toolTip(), u"signature verified with key kid="_s + kid + u" (RS256)"_s, 10000);
        auto *idLine = m_window->findChild<QLabel *>(u"idTokenSignatureCheck"_s);
        QTRY_COMPARE_WITH_TIMEOUT(idLine->toolTip(),
                                  u"ID token: signature verified with key kid="_s + kid + u" (RS256); claims valid (iss, aud, exp, iat, nonce)"_s, 10000);
        const QJsonObject idClaims = jwtClaims(token.extraFields.value(u"id_token"_s).toString());
        QCOMPARE(idClaims.value(u"iss"_s).toString(), m_server.issuer().toString());
        QCOMPARE(idClaims.value(u"aud"_s).toString(), u"tb-native"_s);
        QCOMPARE(idClaims.value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(idClaims.value(u"nonce"_s).toString(), nonce);

        // The port the provider sent the browser back to is closed once the code is in.
        const quint16 port = quint16(QUrl(LoopbackBrowser::formValue(opened, u"redirect_uri"_s)).port());
        QVERIFY(port > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!LoopbackBrowser::accepts(port), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_browser->state() == QProcess::NotRunning, 10000);
        QCOMPARE(m_browser->exitCode(), 0);
        dialog->close();
    }

    void aRefusedConsentIsShownInTheDialog()
    {
        m_authorizer->forget(m_envId);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        const QString log = u"deny.log"_s;
        useBrowser(dialog, m_dir.filePath(log), true);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(!dialog->errorText().isEmpty(), diagnostics(log).constData(), 30000);
        QVERIFY2(dialog->errorText().contains(u"access_denied"_s), qPrintable(dialog->errorText()));
        QCOMPARE(statusText(dialog), u"Authorization failed."_s);
        QVERIFY(!dialog->isAuthorizing());
        QVERIFY(dialog->findChild<QWidget *>(u"browserWaitPanel"_s)->isHidden());
        QVERIFY(!m_authorizer->currentToken(m_envId));
        QVERIFY(!m_window->inspector()->hasToken());
        // The browser was sent back with the refusal, and was told so.
        QVERIFY2(readLog(log).contains(u"GET /callback"_s), qPrintable(readLog(log)));
        // Authorize is offered again.
        QVERIFY(dialog->findChild<QPushButton *>(u"authorizeButton"_s)->isEnabled());
        dialog->close();
    }

    void cancelWhileTheBrowserIsOutClosesThePort()
    {
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        useBrowser(dialog, {}, false, false);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_opened.size() == 1, 10000);
        auto *panel = dialog->findChild<QWidget *>(u"browserWaitPanel"_s);
        QTRY_VERIFY(panel->isVisible());
        const QUrl redirect(LoopbackBrowser::formValue(m_opened.first(), u"redirect_uri"_s));
        QCOMPARE(redirect.host(), u"127.0.0.1"_s);
        const quint16 port = quint16(redirect.port());
        QVERIFY(LoopbackBrowser::accepts(port)); // waiting for the browser

        QTest::mouseClick(dialog->findChild<QPushButton *>(u"cancelBrowserWait"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isAuthorizing(), 5000);
        QCOMPARE(statusText(dialog), u"Cancelled."_s);
        QVERIFY(dialog->errorText().isEmpty());
        QVERIFY(panel->isHidden());
        QTRY_VERIFY_WITH_TIMEOUT(!LoopbackBrowser::accepts(port), 5000);
        // A browser coming back late finds nobody: the provider's redirect goes nowhere.
        const QString log = u"late.log"_s;
        QProcess *late = startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {m_opened.first().toString(QUrl::FullyEncoded)},
                                         {u"TB_BROWSER_LOG="_s + m_dir.filePath(log)});
        QTRY_VERIFY_WITH_TIMEOUT(late->state() == QProcess::NotRunning, 30000);
        QVERIFY2(late->exitCode() != 0, late->readAllStandardError().constData());
        QVERIFY2(readLog(log).contains(u"GET /callback"_s), qPrintable(readLog(log)));
        QVERIFY(!m_authorizer->currentToken(m_envId));
        QVERIFY(!m_window->inspector()->hasToken());
        dialog->close();
    }

    void withoutABrowserTheUrlIsCopiedAndOpenedByHand()
    {
        m_authorizer->forget(m_envId);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        // No browser comes up (none installed, or it is another machine's).
        m_opened.clear();
        dialog->setUrlOpener([this](const QUrl &url) {
            m_opened.append(url);
            return false;
        });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        auto *waitStatus = dialog->findChild<QLabel *>(u"browserWaitStatus"_s);
        QTRY_COMPARE_WITH_TIMEOUT(waitStatus->text(), u"No browser could be opened. Open this URL in one and sign in:"_s, 10000);
        QVERIFY(dialog->isAuthorizing());
        // Copy URL, and the person opens it in a browser of their own.
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"copyAuthorizationUrl"_s), Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QCOMPARE(copied, m_opened.first().toString(QUrl::FullyEncoded));
        const QString log = u"by-hand.log"_s;
        m_browser = startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {copied}, {u"TB_BROWSER_LOG="_s + m_dir.filePath(log)});
        QTRY_VERIFY2_WITH_TIMEOUT(m_authorizer->currentToken(m_envId) && !dialog->isAuthorizing(), diagnostics(log).constData(), 30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(jwtClaims(m_authorizer->currentToken(m_envId)->value).value(u"client_id"_s).toString(), u"tb-native"_s);
    }

    void escWhileTheBrowserIsOutGivesUp()
    {
        m_authorizer->forget(m_envId);
        QPointer<AuthorizeDialog> dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        useBrowser(dialog, {}, false, false);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_opened.size() == 1, 10000);
        const quint16 port = quint16(QUrl(LoopbackBrowser::formValue(m_opened.first(), u"redirect_uri"_s)).port());
        QVERIFY(LoopbackBrowser::accepts(port));
        // Nobody would show the wait any more: closing the dialog stops the grant.
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(!dialog); // deleted on close
        QTRY_VERIFY_WITH_TIMEOUT(!m_authorizer->isBusy(m_envId), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!LoopbackBrowser::accepts(port), 5000);
        QVERIFY(!m_authorizer->currentToken(m_envId));
    }

    void aConfidentialClientTypesItsSecret()
    {
        QString error;
        const QString id = addEnvironmentByIssuer(u"oidc-provider (confidential)"_s, u"tb-native-secret"_s, GrantType::AuthorizationCode,
                                                  ClientAuthStyle::Basic, &error, {u"accounts:read"_s});
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->environmentId(), id);
        auto *secret = dialog->findChild<QLineEdit *>(u"clientSecret"_s);
        QVERIFY(secret && secret->isVisible());
        dialog->findChild<QCheckBox *>(u"rememberSecret"_s)->setChecked(false);

        // A wrong secret: the person signs in, then the provider refuses the code exchange.
        QTest::keyClicks(secret, u"native-secret-typo"_s);
        useBrowser(dialog, m_dir.filePath(u"typo.log"_s), false);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(!dialog->errorText().isEmpty(), diagnostics(u"typo.log"_s).constData(), 30000);
        QVERIFY2(dialog->errorText().contains(u"invalid_client"_s), qPrintable(dialog->errorText()));
        QVERIFY(readLog(u"typo.log"_s).contains(u"GET /callback"_s));
        QVERIFY(!m_authorizer->currentToken(id));

        secret->clear();
        QTest::keyClicks(secret, u"native-secret"_s);
        useBrowser(dialog, m_dir.filePath(u"secret.log"_s), false);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(m_authorizer->currentToken(id) && !dialog->isAuthorizing(), diagnostics(u"secret.log"_s).constData(), 30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(statusText(dialog), u"Authorized with every requested scope."_s);
        const QJsonObject claims = jwtClaims(m_authorizer->currentToken(id)->value);
        QCOMPARE(claims.value(u"client_id"_s).toString(), u"tb-native-secret"_s);
        QCOMPARE(claims.value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(claims.value(u"scope"_s).toString(), u"accounts:read"_s);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeCode)
#include "tst_oidc_authorizecode.moc"
