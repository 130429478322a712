#include "MainWindow.h"
#include "OidcDesktopFixture.h"
#include "matrix/MatrixAuthorizationPrompt.h"
#include "matrix/MatrixModel.h"
#include "matrix/MatrixWindow.h"
#include "support/LoopbackBrowser.h"
#include "support/WidgetTestMain.h"

#include <QAction>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

// The scope matrix in the app on an authorization-code environment against panva's oidc-provider
// and its resource API: one token per scope set, each signed in through the matrix's prompt (the
// authorization URL for exactly that set, opened in the scripted browser), and the real API's
// answers judged — 200 with the scope the request needs, 403 insufficient_scope without it, 401
// with no token — all as expected; the environment's own token is left alone.
class TestOidcAuthorizeMatrix : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QString m_envId;
    QList<QUrl> m_opened;

    MatrixWindow *matrix() const { return m_window->matrixWindow(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString failed = startDesktop(u"tst_oidc_authorizematrix"_s);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        const QList<SavedRequest> examples = m_model->workspace().savedRequests();
        for (const SavedRequest &example : examples)
            QVERIFY(m_model->removeRequest(example.id));
        SavedRequest accounts;
        accounts.name = u"List accounts"_s;
        accounts.draft.method = u"GET"_s;
        accounts.draft.url = u"/accounts"_s;
        accounts.requiredScopes = {{u"oauth"_s, {u"accounts:read"_s}}};
        QVERIFY(m_model->saveRequest(accounts));
        QString error;
        m_envId = addEnvironmentByIssuer(u"oidc-provider (matrix)"_s, u"tb-native"_s, GrantType::AuthorizationCode, ClientAuthStyle::None, &error,
                                         {u"accounts:read"_s});
        QVERIFY2(!m_envId.isEmpty(), qPrintable(error));
    }

    void cleanup() { finishNodeScripts(); }

    void eachScopeSetSignsInAndTheApiIsJudged()
    {
        m_window->findChild<QAction *>(u"scopeMatrixAction"_s)->trigger();
        QVERIFY(matrix());
        matrix()->setEnvironment(m_envId);
        QVERIFY(QTest::qWaitForWindowExposed(matrix()));
        QTRY_VERIFY(!matrix()->isLoading());
        QCOMPARE(matrix()->model()->cells().size(), 3);
        MatrixAuthorizationPrompt *prompt = matrix()->authorizationPrompt();
        prompt->setUrlOpener([this, prompt](const QUrl &url) {
            m_opened.append(url);
            // The prompt shows the URL it opened, for the set it names.
            if (prompt->findChild<QLineEdit *>(u"authorizationUrl"_s)->text() != url.toString(QUrl::FullyEncoded))
                return false;
            startNodeScript(QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER), {url.toString(QUrl::FullyEncoded)});
            return true;
        });

        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        matrix()->run();
        QVERIFY2(finished.wait(60000), qPrintable(m_server.standardErrorOutput()));
        QCOMPARE(finished.first().first().toBool(), false); // not stopped
        QVERIFY(!prompt->isVisible());

        // One sign-in per scope set that needs a token, each asking for exactly that set.
        QCOMPARE(m_opened.size(), 2);
        QList<int> statuses;
        QStringList askedInUrls;
        for (const QUrl &url : std::as_const(m_opened))
            askedInUrls.append(LoopbackBrowser::formValue(url, u"scope"_s));
        for (int cell = 0; cell < 3; ++cell) {
            const auto result = matrix()->model()->result(cell);
            QVERIFY(result.has_value());
            QVERIFY2(result->verdict == MatrixVerdict::AsExpected, qPrintable(result->column + u": "_s + result->detail));
            statuses.append(result->observedStatus);
            if (!result->askedScopes.isEmpty()) {
                QVERIFY2(askedInUrls.contains(result->askedScopes.join(u' ')), qPrintable(askedInUrls.join(u" | "_s)));
                QVERIFY(result->grantedReported);
                QCOMPARE(result->grantedScopes, result->askedScopes);
            }
        }
        std::sort(statuses.begin(), statuses.end());
        QCOMPARE(statuses, (QList<int>{200, 401, 403}));
        QVERIFY(askedInUrls.contains(u"accounts:read"_s));
        // The run's tokens are its own: the environment holds none.
        QVERIFY(!m_authorizer->currentToken(m_envId));
        matrix()->close();
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeMatrix)
#include "tst_oidc_authorizematrix.moc"
