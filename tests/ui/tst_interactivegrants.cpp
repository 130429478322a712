#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "DesktopFixture.h"
#include "DeviceCodePanel.h"
#include "MainWindow.h"
#include "TokenInspector.h"
#include "demo/DemoServer.h"
#include "matrix/MatrixAuthorizationPrompt.h"
#include "matrix/MatrixModel.h"
#include "matrix/MatrixWindow.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/DemoApproval.h"
#include "support/LoopbackBrowser.h"
#include "support/SecretWait.h"
#include "support/WidgetTestMain.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

using namespace Qt::StringLiterals;

// Grants that need a person, where nobody used to ask: the scope matrix (one token per scope set,
// minted by an Authorizer of the run's own) shows each user code or browser consent in its
// MatrixAuthorizationPrompt, naming the scopes, and Cancel stops the run; the composer's send
// without a usable token opens the Authorize dialog on the interaction, and closing it gives up;
// auto-renew uses a held refresh token and otherwise says so rather than open a browser.
// Against the in-process Demo's device and authorization endpoints, approved as a person would.
class TestInteractiveGrants : public QObject, private DesktopFixture
{
    Q_OBJECT

private:
    DemoApproval m_browser;
    QList<QUrl> m_opened; // what the panels opened instead of a browser
    QString m_deviceId;
    QString m_codeId;

    MatrixWindow *matrix() const { return m_window->matrixWindow(); }
    MatrixAuthorizationPrompt *prompt() const { return matrix()->authorizationPrompt(); }

    QString addEnvironment(const QString &name, GrantType grant)
    {
        Environment env;
        env.name = name;
        env.tier = Tier::Sandbox;
        env.tokenUrl = m_demo.tokenUrl();
        env.apiBaseUrl = m_demo.apiUrl();
        env.clientId = DemoServer::clientId();
        env.clientAuth = ClientAuthStyle::Body;
        env.grant = grant;
        env.provider.deviceAuthorizationUrl = m_demo.deviceAuthorizationUrl();
        env.provider.authorizationUrl = m_demo.authorizationUrl();
        // The catalog the planner takes an unrelated read scope from for an empty set.
        env.scopes = {u"accounts:read"_s, u"trades:read"_s};
        const int row = m_model->upsert(env);
        const QString id = m_model->environmentAt(row)->id;
        const SecretResult stored = waitForSecret([&](SecretStore::Callback done) {
            m_secrets.write(SecretStore::keyFor(m_model->workspace().id(), id, SecretStore::clientSecretName()), DemoServer::clientSecret(),
                            std::move(done));
        });
        return stored.ok() ? id : QString();
    }

    void selectEnvironment(const QString &id)
    {
        auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
        const QRect rect = list->visualRect(m_model->index(m_model->rowOf(id)));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    }

    QString shownUserCode(QWidget *in) const
    {
        auto *code = in->findChild<QLabel *>(u"userCode"_s);
        return code && code->isVisible() ? code->text() : QString();
    }

    bool approveDevice(const QString &userCode)
    {
        return m_browser.approveDevice(m_demo.deviceAuthorizationUrl().resolved(QUrl(u"/device"_s)), userCode);
    }

    // The Demo's consent page, Approve, and the redirect back to the app's loopback listener.
    bool approveInBrowser(const QUrl &authorizationUrl) { return m_browser.approveInBrowser(authorizationUrl); }

    void openMatrixOn(const QString &environmentId)
    {
        selectEnvironment(environmentId);
        m_window->findChild<QAction *>(u"scopeMatrixAction"_s)->trigger();
        QVERIFY(matrix());
        matrix()->setEnvironment(environmentId);
        QVERIFY(QTest::qWaitForWindowExposed(matrix()));
        QTRY_VERIFY(!matrix()->isLoading());
        QCOMPARE(matrix()->model()->cells().size(), 3);
        prompt()->setUrlOpener([this](const QUrl &url) {
            m_opened.append(url);
            return true;
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Real time: the device grant polls at the Demo's interval.
        const QString failed = startDesktop(u"tst_interactivegrants"_s, {.manualClock = false});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QList<SavedRequest> examples = m_model->workspace().savedRequests();
        for (const SavedRequest &example : examples)
            QVERIFY(m_model->removeRequest(example.id));
        // Three cells: needed (accounts:read), without it (trades:read instead), no token.
        SavedRequest accounts;
        accounts.name = u"List accounts"_s;
        accounts.draft.method = u"GET"_s;
        accounts.draft.url = u"/accounts"_s;
        accounts.requiredScopes = {{u"oauth"_s, {u"accounts:read"_s}}};
        QVERIFY(m_model->saveRequest(accounts));
        m_deviceId = addEnvironment(u"Device sandbox"_s, GrantType::DeviceCode);
        QVERIFY(!m_deviceId.isEmpty());
        m_codeId = addEnvironment(u"Browser sandbox"_s, GrantType::AuthorizationCode);
        QVERIFY(!m_codeId.isEmpty());
    }

    void theMatrixShowsEachUserCodeWithItsScopes()
    {
        openMatrixOn(m_deviceId);
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        matrix()->run();
        QTRY_VERIFY_WITH_TIMEOUT(prompt()->isVisible() && !shownUserCode(prompt()).isEmpty(), 10000);
        QVERIFY2(prompt()->purposeText().contains(u"the scopes accounts:read (scope set 1 of 2), used by the column needed: accounts:read"_s),
                 qPrintable(prompt()->purposeText()));
        QCOMPARE(prompt()->scopes(), QStringList{u"accounts:read"_s});
        const QString first = shownUserCode(prompt());
        QVERIFY(approveDevice(first));
        // The next scope set's code replaces it once the first token came.
        QTRY_VERIFY_WITH_TIMEOUT(prompt()->isVisible() && !shownUserCode(prompt()).isEmpty() && shownUserCode(prompt()) != first, 15000);
        QVERIFY2(prompt()->purposeText().contains(u"the scopes trades:read (scope set 2 of 2), used by the column without accounts:read"_s),
                 qPrintable(prompt()->purposeText()));
        QVERIFY(approveDevice(shownUserCode(prompt())));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!prompt()->isVisible());
        for (int cell = 0; cell < 3; ++cell)
            QVERIFY(matrix()->model()->result(cell).has_value());
        // The user's own environment token stays what it was: the run's Authorizer is its own.
        QVERIFY(!m_authorizer->currentToken(m_deviceId));
    }

    void cancelInThePromptStopsTheRun()
    {
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        matrix()->run();
        QTRY_VERIFY_WITH_TIMEOUT(prompt()->isVisible() && !shownUserCode(prompt()).isEmpty(), 10000);
        auto *cancel = prompt()->findChild<QPushButton *>(u"cancelDeviceCode"_s);
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!matrix()->isRunning());
        QVERIFY(!prompt()->isVisible());
        // Nothing waits any more: no prompt comes back.
        QTest::qWait(1500);
        QVERIFY(!prompt()->isVisible());
    }

    void theMatrixOpensTheBrowserPerScopeSetAndEscStops()
    {
        matrix()->close();
        openMatrixOn(m_codeId);
        m_opened.clear();
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        matrix()->run();
        QTRY_VERIFY_WITH_TIMEOUT(m_opened.size() == 1, 10000);
        QVERIFY(prompt()->isVisible());
        QCOMPARE(prompt()->findChild<QLineEdit *>(u"authorizationUrl"_s)->text(), m_opened.first().toString(QUrl::FullyEncoded));
        QCOMPARE(LoopbackBrowser::formValue(m_opened.first(), u"scope"_s), u"accounts:read"_s);
        QVERIFY(approveInBrowser(m_opened.first()));
        QTRY_VERIFY_WITH_TIMEOUT(m_opened.size() == 2, 15000);
        QCOMPARE(LoopbackBrowser::formValue(m_opened.at(1), u"scope"_s), u"trades:read"_s);
        QVERIFY(prompt()->purposeText().contains(u"scope set 2 of 2"_s));
        // Esc on the prompt: the run stops, the loopback listener with it.
        QTest::keyClick(prompt(), Qt::Key_Escape);
        QVERIFY(finished.count() == 1 || finished.wait(5000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!prompt()->isVisible());
        const QString redirect = LoopbackBrowser::formValue(m_opened.at(1), u"redirect_uri"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!LoopbackBrowser::accepts(quint16(QUrl(redirect).port())), 5000);
        matrix()->close();
    }

    void theComposersSendAsksInTheAuthorizeDialog()
    {
        selectEnvironment(m_deviceId);
        QCOMPARE(m_window->currentEnvironmentId(), m_deviceId);
        ComposerView *composer = m_window->currentComposer();
        RequestDraft draft;
        draft.method = u"GET"_s;
        draft.url = u"/accounts"_s;
        composer->setDraft(draft);
        composer->send();
        // No token: the send authorizes first, and the person is asked where they can answer.
        AuthorizeDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<AuthorizeDialog *>()) && dialog->isVisible() && !shownUserCode(dialog).isEmpty(),
                                 10000);
        QCOMPARE(dialog->environmentId(), m_deviceId);
        QVERIFY(composer->isSending());
        QVERIFY(approveDevice(shownUserCode(dialog)));
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending(), 15000);
        QCOMPARE(composer->lastResult().exchange.status, 200);
        QVERIFY(composer->lastResult().authorizedFirst);
        dialog->close();
        QTRY_VERIFY(!m_window->findChild<AuthorizeDialog *>() || !m_window->findChild<AuthorizeDialog *>()->isVisible());
    }

    void autoRenewAsksNobody()
    {
        // Held refresh token: renewed without a dialog or a browser.
        const auto before = m_authorizer->currentToken(m_deviceId);
        QVERIFY(before && !before->refreshToken.isEmpty());
        QSignalSpy finished(m_authorizer.get(), &Authorizer::finished);
        Q_EMIT m_window->inspector()->renewDue();
        QVERIFY(finished.wait(10000));
        const TokenResult renewed = finished.first().at(1).value<TokenResult>();
        QVERIFY2(renewed.ok(), qPrintable(renewed.error.summary() + u" / "_s + renewed.error.detail));
        QVERIFY(m_authorizer->currentToken(m_deviceId)->value != before->value);
        QVERIFY(!m_window->findChild<AuthorizeDialog *>() || !m_window->findChild<AuthorizeDialog *>()->isVisible());

        // None held: the grant would need the person, so the status bar says so; nothing opens.
        m_authorizer->forget(m_deviceId);
        Q_EMIT m_window->inspector()->renewDue();
        QTest::qWait(1000);
        QVERIFY(!m_authorizer->isBusy(m_deviceId));
        QVERIFY(!m_window->findChild<AuthorizeDialog *>() || !m_window->findChild<AuthorizeDialog *>()->isVisible());
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"no refresh token is held"_s),
                 qPrintable(m_window->statusBar()->currentMessage()));
    }

    void closingThatDialogGivesUpTheSend()
    {
        m_authorizer->forget(m_deviceId);
        QTRY_VERIFY(!m_window->findChild<AuthorizeDialog *>()); // the last one deleted itself on close
        ComposerView *composer = m_window->currentComposer();
        composer->send();
        AuthorizeDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<AuthorizeDialog *>()) && dialog->isVisible() && !shownUserCode(dialog).isEmpty(),
                                 10000);
        dialog->reject(); // Close, Esc or the title bar's button
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending(), 5000);
        QCOMPARE(composer->lastResult().outcome, ApiCallResult::Outcome::Cancelled);
        QVERIFY(!m_authorizer->isBusy(m_deviceId));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestInteractiveGrants)
#include "tst_interactivegrants.moc"
