#include "AuthorizeDialog.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/WidgetTestMain.h"

#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// The Authorize dialog with the device authorization grant (RFC 8628) against panva's
// oidc-provider (features.deviceFlow, the public client tb-device), the environment made from
// the provider's issuer in the editor: the dialog shows the user code the provider issued, a
// person (oidc/device-approve.mjs) reads it off the dialog and enters it at the verification
// page shown there, signs in and consents, and the dialog ends authorized with the provider's
// token. Cancel while the dialog polls stops the polling: the provider's log (--verbose: one
// "grant." line per token request) gets no further token request, even once the code is approved.
class TestOidcAuthorizeDevice : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QString m_envId;
    QList<QUrl> m_opened;

    // Every request to the token endpoint (grant.success or grant.error, each logged once).
    QStringList tokenRequests() const
    {
        static const QRegularExpression line(u"^server\\.mjs: (grant\\.(success|error)\\b.*)$"_s, QRegularExpression::MultilineOption);
        QStringList found;
        for (const auto &match : line.globalMatch(m_server.standardErrorOutput()))
            found.append(match.captured(1));
        return found;
    }

    static QString shownText(AuthorizeDialog *dialog, const QString &name)
    {
        auto *label = dialog->findChild<QLabel *>(name);
        return label && label->isVisible() ? label->text() : QString();
    }

    QString statusText(AuthorizeDialog *dialog) const { return dialog->findChild<QLabel *>(u"authorizeStatus"_s)->text(); }

    // Authorize pressed; the code the dialog then shows (empty when none came).
    QString startAndReadCode(AuthorizeDialog *dialog)
    {
        m_opened.clear();
        dialog->setUrlOpener([this](const QUrl &url) {
            m_opened.append(url);
            return true;
        });
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        [[maybe_unused]] const bool shown = QTest::qWaitFor([&] { return !shownText(dialog, u"userCode"_s).isEmpty(); }, 15000);
        return shownText(dialog, u"userCode"_s);
    }

    // The person (device-approve.mjs): at the verification page the dialog showed, the code it showed.
    int approve(const QString &verificationUrl, const QString &userCode, QByteArray *err)
    {
        QProcess *person = startNodeScript(QStringLiteral(TOKENBENCH_DEVICE_APPROVE_SCRIPT), {verificationUrl, userCode});
        if (!QTest::qWaitFor([person] { return person->state() == QProcess::NotRunning; }, 30000))
            return -1;
        *err = person->readAllStandardError();
        return person->exitStatus() == QProcess::NormalExit ? person->exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // --verbose: the provider logs each token request, which is how polling is counted.
        const QString failed = startDesktop(u"tst_oidc_authorizedevice"_s, {u"--verbose"_s});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QString error;
        m_envId = addEnvironmentByIssuer(u"oidc-provider (device)"_s, u"tb-device"_s, GrantType::DeviceCode, ClientAuthStyle::None, &error);
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
        QCOMPARE(m_model->environmentAt(m_model->rowOf(m_envId))->provider.deviceAuthorizationUrl,
                 m_server.issuer().resolved(QUrl(u"/device/auth"_s)));
    }

    void cleanup()
    {
        closeAuthorizeDialogs();
        finishNodeScripts();
    }

    void theCodeShownIsEnteredAtTheProvider()
    {
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QLabel *>(u"deviceUrlLabel"_s)->text(), m_server.issuer().toString() + u"/device/auth"_s);
        const QStringList picked{u"accounts:read"_s, u"trades:execute"_s};
        QString error;
        QVERIFY2(pickScopes(dialog, picked, &error), qPrintable(error));
        const QString userCode = startAndReadCode(dialog);
        QVERIFY2(!userCode.isEmpty(), qPrintable(m_server.standardErrorOutput()));
        QVERIFY(dialog->isAuthorizing());
        QCOMPARE(statusText(dialog), u"Waiting for the code to be entered at 127.0.0.1…"_s);

        // Where to enter it, as the provider said: its verification page, and the one with the code in it.
        const QUrl verification(shownText(dialog, u"verificationUrl"_s));
        QCOMPARE(verification, m_server.issuer().resolved(QUrl(u"/device"_s)));
        const QUrl complete(shownText(dialog, u"verificationUrlComplete"_s));
        QCOMPARE(complete.adjusted(QUrl::RemoveQuery), verification);
        QCOMPARE(QUrlQuery(complete).queryItemValue(u"user_code"_s), userCode);
        // oidc-provider's device codes live 600 s (server.mjs' ttl.DeviceCode).
        QVERIFY2(shownText(dialog, u"deviceCodeExpiry"_s).contains(QRegularExpression(u"^The code expires in (10:00|9:[0-5][0-9])\\.$"_s)),
                 qPrintable(shownText(dialog, u"deviceCodeExpiry"_s)));
        // Open in Browser goes to the page with the code filled in.
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"openVerificationUrl"_s), Qt::LeftButton);
        QCOMPARE(m_opened, QList<QUrl>{complete});

        QByteArray personSaid;
        QVERIFY2(approve(verification.toString(), userCode, &personSaid) == 0, personSaid.constData());
        // The dialog polls at the provider's interval (5 s) and ends authorized.
        QTRY_VERIFY2_WITH_TIMEOUT(m_window->inspector()->hasToken() && !dialog->isAuthorizing(),
                                  qPrintable(QString::fromUtf8(personSaid) + m_server.standardErrorOutput()), 30000);
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(statusText(dialog), u"Authorized with every requested scope."_s);
        QVERIFY(dialog->findChild<QWidget *>(u"deviceCodePanel"_s)->isHidden());

        // The provider's token: for the person who entered the code, the public client, the picked scopes.
        const AccessToken token = m_window->inspector()->token();
        QCOMPARE(m_authorizer->currentToken(m_envId)->value, token.value);
        const QJsonObject claims = jwtClaims(token.value);
        QCOMPARE(claims.value(u"iss"_s).toString(), m_server.issuer().toString());
        QCOMPARE(claims.value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(claims.value(u"client_id"_s).toString(), u"tb-device"_s);
        QCOMPARE(claims.value(u"aud"_s).toString(), OidcProviderProcess::apiResource());
        QCOMPARE(words(claims.value(u"scope"_s).toString()), words(picked.join(u' ')));
        QVERIFY2(tokenRequests().contains(u"grant.success grant_type=urn:ietf:params:oauth:grant-type:device_code client=\"tb-device\" "
                                          u"account=\"acct-ana-0001\""_s),
                 qPrintable(tokenRequests().join(u'\n')));
        const QString kid = providerKeyId(&error);
        QVERIFY2(!kid.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->findChild<QLabel *>(u"signatureCheck"_s)->toolTip(),
                                  u"signature verified with key kid="_s + kid + u" (RS256)"_s, 10000);
    }

    void aDeniedCodeIsShownInTheDialog()
    {
        m_authorizer->forget(m_envId);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        const QString userCode = startAndReadCode(dialog);
        QVERIFY2(!userCode.isEmpty(), qPrintable(m_server.standardErrorOutput()));
        QProcess *person = startNodeScript(QStringLiteral(TOKENBENCH_DEVICE_APPROVE_SCRIPT),
                                           {shownText(dialog, u"verificationUrl"_s), userCode, u"--deny"_s});
        QTRY_VERIFY_WITH_TIMEOUT(person->state() == QProcess::NotRunning, 30000);
        QVERIFY2(person->exitCode() == 0, person->readAllStandardError().constData());
        // The next poll gets the provider's access_denied, shown where the code was.
        QTRY_VERIFY2_WITH_TIMEOUT(!dialog->errorText().isEmpty(), qPrintable(m_server.standardErrorOutput()), 30000);
        QVERIFY2(dialog->errorText().contains(u"access_denied"_s), qPrintable(dialog->errorText()));
        QCOMPARE(statusText(dialog), u"Authorization failed."_s);
        QVERIFY(!dialog->isAuthorizing());
        QVERIFY(dialog->findChild<QWidget *>(u"deviceCodePanel"_s)->isHidden());
        QVERIFY(!m_authorizer->currentToken(m_envId));
        QVERIFY(tokenRequests().constLast().startsWith(u"grant.error: access_denied"_s));
    }

    void cancelWhilePollingStopsThePolling()
    {
        m_authorizer->forget(m_envId);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        QVERIFY(dialog);
        const int before = int(tokenRequests().size());
        const QString userCode = startAndReadCode(dialog);
        QVERIFY2(!userCode.isEmpty(), qPrintable(m_server.standardErrorOutput()));
        // Polling: the provider answers authorization_pending until the code is entered.
        QTRY_VERIFY_WITH_TIMEOUT(tokenRequests().size() > before, 15000);
        QVERIFY2(tokenRequests().constLast().startsWith(u"grant.error: authorization_pending"_s), qPrintable(tokenRequests().constLast()));
        const QString verification = shownText(dialog, u"verificationUrl"_s);

        QTest::mouseClick(dialog->findChild<QPushButton *>(u"cancelDeviceCode"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isAuthorizing(), 5000);
        QCOMPARE(statusText(dialog), u"Cancelled."_s);
        QVERIFY(dialog->errorText().isEmpty());
        QVERIFY(dialog->findChild<QWidget *>(u"deviceCodePanel"_s)->isHidden());
        const QStringList atCancel = tokenRequests();

        // The person enters the code after all: a client still polling would now get a token.
        QByteArray personSaid;
        QVERIFY2(approve(verification, userCode, &personSaid) == 0, personSaid.constData());
        // Nothing can signal a request that never comes: watch for more than two poll intervals.
        QTest::qWait(12000);
        QCOMPARE(tokenRequests(), atCancel);
        QVERIFY(!m_authorizer->currentToken(m_envId));
        QVERIFY(!m_window->inspector()->hasToken());
        QVERIFY(dialog->findChild<QPushButton *>(u"authorizeButton"_s)->isEnabled());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeDevice)
#include "tst_oidc_authorizedevice.moc"
