#include "EnvironmentEditor.h"
#include "IssuerDiscoveryButton.h"
#include "TokenInspector.h"
#include "jwt/SignatureCheckRunner.h"
#include "secrets/SecretStore.h"
#include "support/JwsTestKeys.h"
#include "support/ScriptedHttpServer.h"
#include "support/WidgetTestMain.h"

#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;

// The editor's "Issuer URL…" and the inspector's signature line, driven as a user would, against
// loopback servers: both run in the background while the window keeps turning.
class tst_IssuerDiscovery : public QObject
{
    Q_OBJECT

    SecretStore m_store{u"Tokenbench-tests"_s};

    static QByteArray metadata(const QString &issuer)
    {
        const QJsonObject object{
            {u"issuer"_s, issuer},
            {u"token_endpoint"_s, issuer + u"/token"_s},
            {u"jwks_uri"_s, issuer + u"/jwks"_s},
            {u"revocation_endpoint"_s, issuer + u"/revoke"_s},
            {u"grant_types_supported"_s, QJsonArray{u"client_credentials"_s}},
            {u"scopes_supported"_s, QJsonArray{u"accounts:read"_s}},
        };
        return ScriptedHttpServer::response(200, "OK", "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

    // Clicks Issuer URL…, types the issuer into the dialog and presses OK.
    static void chooseIssuer(EnvironmentEditor &editor, const QString &issuer)
    {
        auto *button = editor.findChild<QPushButton *>(u"issuerDiscovery"_s);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QInputDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = editor.findChild<QInputDialog *>(u"issuerDialog"_s)) != nullptr);
        auto *edit = dialog->findChild<QLineEdit *>();
        QVERIFY(edit);
        edit->selectAll();
        QTest::keyClicks(edit, issuer);
        QTest::keyClick(edit, Qt::Key_Return);
    }

private Q_SLOTS:
    void fillsTheEditorFromTheIssuer()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        Environment env;
        env.name = u"corp"_s;
        env.apiBaseUrl = QUrl(u"https://api.example.com"_s);
        env.clientId = u"app"_s;
        env.scopeCatalog = {{u"accounts:read"_s, u"Read accounts"_s}};
        editor.setEnvironment(env);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));

        chooseIssuer(editor, issuer);
        auto *discovery = editor.findChild<IssuerDiscoveryButton *>();
        // The fetch runs while the event loop turns: the button says so until it ends.
        QVERIFY(discovery->isRunning());
        QVERIFY(!discovery->button()->isEnabled());
        auto *tokenUrl = editor.findChild<QLineEdit *>(u"tokenUrl"_s);
        QTRY_COMPARE(tokenUrl->text(), issuer + u"/token"_s);
        QVERIFY(discovery->button()->isEnabled());
        const Environment filled = editor.environment();
        QCOMPARE(filled.tokenUrl, QUrl(issuer + u"/token"_s));
        QCOMPARE(filled.provider.issuer, QUrl(issuer));
        QCOMPARE(filled.provider.jwksUrl, QUrl(issuer + u"/jwks"_s));
        QCOMPARE(filled.provider.revocationUrl, QUrl(issuer + u"/revoke"_s));
        QCOMPARE(filled.scopeCatalog, (QList<CatalogScope>{{u"accounts:read"_s, u"Read accounts"_s}}));
        QVERIFY(editor.isValid());
        auto *note = editor.findChild<QLabel *>(u"issuerDiscoveryNote"_s);
        QVERIFY2(note->text().contains(u"client_credentials"_s), qPrintable(note->text()));
    }

    void showsWhyNothingWasFilled()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(metadata(u"https://login.example.org"_s));
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        Environment env;
        env.name = u"corp"_s;
        env.tokenUrl = QUrl(u"https://old.example.com/token"_s);
        editor.setEnvironment(env);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));

        chooseIssuer(editor, server.url({}).toString());
        auto *note = editor.findChild<QLabel *>(u"issuerDiscoveryNote"_s);
        QTRY_VERIFY(note->text().contains(u"Nothing filled"_s));
        QVERIFY2(note->text().contains(u"names the issuer \"https://login.example.org\""_s), qPrintable(note->text()));
        QVERIFY(note->isVisible());
        QCOMPARE(editor.findChild<QLineEdit *>(u"tokenUrl"_s)->text(), u"https://old.example.com/token"_s);
        QVERIFY(editor.environment().provider.isEmpty());
    }

    void inspectorShowsTheSignatureCheck()
    {
        SignatureCheckRunner::clearCache();
        const JwsTestKeys::Key key = JwsTestKeys::generate(u"EdDSA"_s);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        JwsTestKeys::jwks({JwsTestKeys::jwk(key, u"ed-1"_s, u"EdDSA"_s)})));
        TokenInspector inspector;
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.setSignatureKeys(server.url(u"/jwks"_s), {});
        AccessToken token;
        token.value = JwsTestKeys::token(key, u"EdDSA"_s, u"ed-1"_s);
        token.tokenType = u"Bearer"_s;
        token.obtainedAt = QDateTime::currentDateTimeUtc();
        inspector.setToken(token, u"corp"_s);
        auto *line = inspector.findChild<QLabel *>(u"signatureCheck"_s);
        QVERIFY(line);
        QTRY_VERIFY2(line->text().contains(u"signature verified with key kid=ed-1"_s), qPrintable(line->text()));

        // Another key signed this one: said so, on the same line.
        const JwsTestKeys::Key other = JwsTestKeys::generate(u"EdDSA"_s);
        token.value = JwsTestKeys::token(other, u"EdDSA"_s, u"ed-1"_s);
        inspector.setToken(token, u"corp"_s);
        QTRY_VERIFY2(line->text().contains(u"NOT verified"_s), qPrintable(line->text()));

        inspector.clear();
        QVERIFY(line->text().isEmpty());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(tst_IssuerDiscovery)
#include "tst_issuerdiscovery.moc"
