#include "AuthorizeDialog.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/LoopbackBrowser.h"
#include "support/WidgetTestMain.h"

#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// A token's life in the app against panva's oidc-provider (client tb-lifecycle: authorization code,
// refresh tokens rotated on every use, opaque access tokens), from the issuer alone: signed in
// through the Authorize dialog (secret typed there, the browser scripted), the inspector's
// Introspect asks the provider, auto-renew uses the refresh token without a browser and the
// provider rotates it, and Log out revokes — each checked against what the provider itself says
// of the tokens (its introspection endpoint, asked by the test as the client).
class TestOidcAuthorizeLifecycle : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QString m_envId;
    QList<QUrl> m_opened;

    // What the provider says of a token, asked outside the app.
    QJsonObject introspectAtProvider(const QString &token, const QString &hint)
    {
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkRequest request(m_server.issuer().resolved(QUrl(u"/token/introspection"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
        request.setRawHeader("Authorization", "Basic " + QByteArray("tb-lifecycle:lifecycle-secret").toBase64());
        QUrlQuery form;
        form.addQueryItem(u"token"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
        form.addQueryItem(u"token_type_hint"_s, hint);
        QNetworkReply *reply = network.post(request, form.toString(QUrl::FullyEncoded).toUtf8());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        reply->deleteLater();
        return QJsonDocument::fromJson(reply->readAll()).object();
    }

    bool activeAtProvider(const QString &token, const QString &hint) { return introspectAtProvider(token, hint).value(u"active"_s).toBool(); }

    QString introspectionField(const QString &name) const
    {
        auto *table = m_window->findChild<QTableWidget *>(u"introspectionFields"_s);
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0)->text() == name)
                return table->item(row, 1)->text();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString failed = startDesktop(u"tst_oidc_authorizelifecycle"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QString error;
        // offline_access (a refresh token) needs prompt=consent in the authorization request.
        m_envId = addEnvironmentByIssuer(u"oidc-provider (lifecycle)"_s, u"tb-lifecycle"_s, GrantType::AuthorizationCode, ClientAuthStyle::Basic,
                                         &error, {u"openid"_s, u"offline_access"_s}, {{u"prompt"_s, u"consent"_s, false}});
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
        const Environment *env = m_model->environmentAt(m_model->rowOf(m_envId));
        QCOMPARE(env->provider.revocationUrl, m_server.issuer().resolved(QUrl(u"/token/revocation"_s)));
        QCOMPARE(env->provider.introspectionUrl, m_server.issuer().resolved(QUrl(u"/token/introspection"_s)));
    }

    void cleanup()
    {
        closeAuthorizeDialogs();
        finishNodeScripts();
    }

    void signInIntrospectRenewAndLogOut()
    {
        // Signed in in the browser, the client secret typed in the dialog (and remembered).
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"clientSecret"_s), u"lifecycle-secret"_s);
        dialog->setUrlOpener([this](const QUrl &url) {
            m_opened.append(url);
            startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {url.toString(QUrl::FullyEncoded)});
            return true;
        });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->inspector()->hasToken() && !dialog->isAuthorizing(), qPrintable(m_server.standardErrorOutput()),
                                  30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(dialog->findChild<QLabel *>(u"authorizeStatus"_s)->text(), u"Authorized with every requested scope."_s);
        QCOMPARE(m_opened.size(), 1);
        QCOMPARE(LoopbackBrowser::formValue(m_opened.first(), u"prompt"_s), u"consent"_s);
        dialog->close();
        const AccessToken first = *m_authorizer->currentToken(m_envId);
        QVERIFY(!first.refreshToken.isEmpty());
        QVERIFY(first.jwt().kind() == JwtView::Kind::Opaque);
        auto *refreshLine = m_window->findChild<QLabel *>(u"refreshToken"_s);
        QCOMPARE(refreshLine->text(), u"held in memory for this session\nnot used yet; renewal uses it before the grant"_s);
        QVERIFY(activeAtProvider(first.value, u"access_token"_s));
        QVERIFY(activeAtProvider(first.refreshToken, u"refresh_token"_s));

        // Introspect in the inspector: the provider's answer about the opaque token.
        auto *introspect = m_window->findChild<QPushButton *>(u"introspectButton"_s);
        QTRY_VERIFY(introspect->isVisible() && introspect->isEnabled() && !introspect->rect().isEmpty());
        QTest::mouseClick(introspect, Qt::LeftButton);
        auto *introspection = m_window->findChild<QLabel *>(u"introspectionStatus"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(introspection->text().startsWith(u"Active, expires "_s), qPrintable(introspection->text()), 10000);
        QCOMPARE(introspectionField(u"client_id"_s), u"tb-lifecycle"_s);
        QCOMPARE(introspectionField(u"sub"_s), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(words(introspectionField(u"scope"_s)), words(u"openid offline_access"_s));

        // Auto-renew: the refresh token, no browser; the provider rotates it.
        QSignalSpy finished(m_authorizer.get(), &Authorizer::finished);
        Q_EMIT m_window->inspector()->renewDue();
        QVERIFY(finished.wait(10000));
        const TokenResult renewed = finished.first().at(1).value<TokenResult>();
        QVERIFY2(renewed.ok(), qPrintable(renewed.error.summary() + u" / "_s + renewed.error.detail));
        QCOMPARE(m_opened.size(), 1);
        const AccessToken second = *m_authorizer->currentToken(m_envId);
        QVERIFY(second.value != first.value);
        QVERIFY(!second.refreshToken.isEmpty() && second.refreshToken != first.refreshToken);
        QVERIFY(second.refreshedAt.isValid());
        QVERIFY2(refreshLine->text().startsWith(u"held in memory for this session\nlast used "_s), qPrintable(refreshLine->text()));
        QCOMPARE(m_window->inspector()->token().value, second.value);
        QVERIFY(!activeAtProvider(first.refreshToken, u"refresh_token"_s)); // rotated: the old one is spent
        QVERIFY(activeAtProvider(second.refreshToken, u"refresh_token"_s));
        QVERIFY(activeAtProvider(second.value, u"access_token"_s));

        // Log out in the dialog: revoked at the provider, forgotten here.
        dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QSignalSpy loggedOut(m_authorizer.get(), &Authorizer::loggedOut);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"logoutButton"_s), Qt::LeftButton);
        QVERIFY(loggedOut.wait(10000));
        QVERIFY2(loggedOut.first().at(1).toBool(), qPrintable(loggedOut.first().at(2).toString()));
        QVERIFY2(m_window->statusBar()->currentMessage().startsWith(u"Logged out: "_s), qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY(!m_authorizer->currentToken(m_envId));
        QVERIFY(!m_window->inspector()->hasToken());
        QVERIFY(!activeAtProvider(second.refreshToken, u"refresh_token"_s));
        QVERIFY(!activeAtProvider(second.value, u"access_token"_s));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeLifecycle)
#include "tst_oidc_authorizelifecycle.moc"
