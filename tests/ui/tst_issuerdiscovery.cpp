#include "EnvironmentEditor.h"
#include "IssuerDiscoveryButton.h"
#include "TokenInspector.h"
#include "jwt/SignatureCheckRunner.h"
#include "secrets/SecretStore.h"
#include "settings/Preferences.h"
#include "support/ForwardProxyProcess.h"
#include "support/JwsTestKeys.h"
#include "support/SecretWait.h"
#include "support/ScriptedHttpServer.h"
#include "support/WidgetTestMain.h"

#include <QComboBox>
#include <QInputDialog>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

// The editor's "Issuer URL…" and the inspector's signature line, driven as a user would, against
// loopback servers: both run in the background while the window keeps turning.
class tst_IssuerDiscovery : public QObject
{
    Q_OBJECT

    SecretStore m_store{u"Tokenbench-tests"_s};

    static QByteArray metadata(const QString &issuer, const QStringList &grants, const QStringList &clientAuth)
    {
        const QJsonObject object{
            {u"issuer"_s, issuer},
            {u"token_endpoint"_s, issuer + u"/token"_s},
            {u"authorization_endpoint"_s, issuer + u"/auth"_s},
            {u"device_authorization_endpoint"_s, issuer + u"/device"_s},
            {u"grant_types_supported"_s, QJsonArray::fromStringList(grants)},
            {u"token_endpoint_auth_methods_supported"_s, QJsonArray::fromStringList(clientAuth)},
        };
        return ScriptedHttpServer::response(200, "OK", "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

    static Environment corp()
    {
        Environment env;
        env.name = u"corp"_s;
        env.apiBaseUrl = QUrl(u"https://api.example.com"_s);
        env.clientId = u"app"_s;
        return env;
    }

    static int comboValue(EnvironmentEditor &editor, const QString &name)
    {
        return editor.findChild<QComboBox *>(name)->currentData().toInt();
    }

    static QByteArray wellKnownGet(const QString &issuer)
    {
        return "GET " + issuer.toUtf8() + "/.well-known/openid-configuration HTTP/1.1";
    }

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

    // As the CLI's --issuer: a grant and client authentication the server does not list are
    // replaced by ones it does (never the password grant), and the page shows that grant's fields.
    void theEditorPicksTheGrantLikeTheCli()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer, {u"password"_s, u"authorization_code"_s, u"refresh_token"_s}, {u"none"_s}));
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        editor.setEnvironment(corp()); // client credentials with HTTP Basic, as a new environment is
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        auto *tabs = editor.findChild<QTabWidget *>(u"tabs"_s);
        auto *clientSecret = editor.findChild<QLineEdit *>(u"clientSecret"_s);
        auto *redirectPort = editor.findChild<QSpinBox *>(u"redirectPort"_s);
        tabs->setCurrentIndex(1);
        QVERIFY(clientSecret->isVisible());
        QVERIFY(!redirectPort->isVisible());
        tabs->setCurrentIndex(0);

        chooseIssuer(editor, issuer);
        QTRY_COMPARE(comboValue(editor, u"grantType"_s), static_cast<int>(GrantType::AuthorizationCode));
        QCOMPARE(comboValue(editor, u"clientAuth"_s), static_cast<int>(ClientAuthStyle::None));
        const Environment filled = editor.environment();
        QCOMPARE(filled.grant, GrantType::AuthorizationCode);
        QCOMPARE(filled.clientAuth, ClientAuthStyle::None);
        QCOMPARE(filled.provider.authorizationUrl, QUrl(issuer + u"/auth"_s));
        auto *note = editor.findChild<QLabel *>(u"issuerDiscoveryNote"_s);
        QVERIFY2(note->text().contains(u"grant authorization_code"_s) && note->text().contains(u"client authentication none"_s),
                 qPrintable(note->text()));
        // The fields of that grant: its redirect port; no client secret for a public client.
        tabs->setCurrentIndex(1);
        QVERIFY(redirectPort->isVisible());
        QVERIFY(!clientSecret->isVisible());
        QVERIFY(editor.isValid());
    }

    void aGrantTheUserChoseStays()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer, {u"urn:ietf:params:oauth:grant-type:device_code"_s}, {u"client_secret_basic"_s}));
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        Environment env = corp();
        env.clientAuth = ClientAuthStyle::Json;
        editor.setEnvironment(env);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        // The user picks the password grant from the keyboard: theirs, whatever the server lists.
        editor.findChild<QTabWidget *>(u"tabs"_s)->setCurrentIndex(1);
        auto *grant = editor.findChild<QComboBox *>(u"grantType"_s);
        grant->setFocus();
        QTest::keyClick(grant, Qt::Key_Down);
        QCOMPARE(grant->currentData().toInt(), static_cast<int>(GrantType::Password));
        editor.findChild<QTabWidget *>(u"tabs"_s)->setCurrentIndex(0);

        chooseIssuer(editor, issuer);
        QTRY_COMPARE(editor.environment().tokenUrl, QUrl(issuer + u"/token"_s));
        QCOMPARE(comboValue(editor, u"grantType"_s), static_cast<int>(GrantType::Password));
        // The client authentication was not the user's pick this time: the server's.
        QCOMPARE(comboValue(editor, u"clientAuth"_s), static_cast<int>(ClientAuthStyle::Basic));

        // Never the password grant from the metadata: a server listing only it and the device
        // grant gets the device grant for an environment whose grant it does not list.
        server.setResponse(metadata(issuer, {u"password"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s}, {u"client_secret_basic"_s}));
        editor.setEnvironment(corp());
        chooseIssuer(editor, issuer);
        QTRY_COMPARE(comboValue(editor, u"grantType"_s), static_cast<int>(GrantType::DeviceCode));
    }

    // "Issuer URL…" reads the metadata through the environment's proxy as the form says it (its
    // password from the keychain, or typed and not saved yet), else through the app's: a real
    // tinyproxy's log shows the well-known GET.
    void discoveryGoesThroughTheEnvironmentsProxy()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"editor-proxy"_s;
        const QString password = u"Ed1tor-Pr0xy-9182"_s;
        QString error;
        const auto guarded = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error, user, password);
        QVERIFY2(guarded, qPrintable(error));
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));

        Environment env = corp();
        env.id = u"env-proxied"_s;
        env.proxy.mode = ProxyMode::Manual;
        env.proxy.url = guarded->url();
        env.proxy.username = user;
        const SecretResult stored = waitForSecret([&](SecretStore::Callback done) {
            m_store.write(SecretStore::keyFor(u"ws-discovery"_s, env.id, SecretStore::proxyPasswordName()), password, done);
        });
        QVERIFY2(stored.ok(), qPrintable(stored.message));
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        editor.setEnvironment(env);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        chooseIssuer(editor, issuer);
        auto *tokenUrl = editor.findChild<QLineEdit *>(u"tokenUrl"_s);
        QTRY_COMPARE(tokenUrl->text(), issuer + u"/token"_s);
        QVERIFY2(guarded->log().contains(wellKnownGet(issuer)), guarded->log().constData());
        waitForSecret([&](SecretStore::Callback done) {
            m_store.remove(SecretStore::keyFor(u"ws-discovery"_s, env.id, SecretStore::proxyPasswordName()), done);
        });

        // Typed in the Network page and not saved yet: used as it is.
        const qsizetype before = guarded->log().count(wellKnownGet(issuer));
        editor.setEnvironment(env);
        auto *typed = editor.findChild<QLineEdit *>(u"proxyPassword"_s);
        QTest::keyClicks(typed, password);
        tokenUrl->clear();
        chooseIssuer(editor, issuer);
        QTRY_COMPARE(tokenUrl->text(), issuer + u"/token"_s);
        QCOMPARE(guarded->log().count(wellKnownGet(issuer)), before + 1);

        // "As the app's settings": the app's proxy.
        const auto open = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(open, qPrintable(error));
        ProxyPolicy::setApplication(ProxyPolicy::manual(ProxyRoute::fromUrl(open->url(), &error), {}));
        editor.setEnvironment(corp());
        tokenUrl->clear();
        chooseIssuer(editor, issuer);
        QTRY_COMPARE(tokenUrl->text(), issuer + u"/token"_s);
        ProxyPolicy::setApplication(ProxyPolicy());
        QVERIFY2(open->log().contains(wellKnownGet(issuer)), open->log().constData());
        QCOMPARE(guarded->log().count(wellKnownGet(issuer)), before + 1);
    }

    // The Network page says what "the app's" proxy is, as Preferences has it now.
    void theNetworkPageSaysWhatTheAppsProxyIs()
    {
        QStandardPaths::setTestModeEnabled(true);
        AppProxySetting setting;
        setting.mode = AppProxySetting::Mode::Manual;
        setting.url = QUrl(u"http://proxy.corp.example:3128"_s);
        setting.username = u"alice"_s;
        setting.noProxy = {u".internal"_s};
        Preferences::setProxy(setting);
        EnvironmentEditor editor(&m_store, u"ws-discovery"_s);
        editor.setEnvironment(corp());
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        auto *tabs = editor.findChild<QTabWidget *>(u"tabs"_s);
        tabs->setCurrentIndex(tabs->count() - 1);
        auto *note = editor.findChild<QLabel *>(u"appProxyNote"_s);
        QVERIFY(note);
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(u"http://proxy.corp.example:3128 as alice, except .internal"_s), qPrintable(note->text()));

        // Its own proxy: the note has nothing to say.
        auto *mode = editor.findChild<QComboBox *>(u"proxyMode"_s);
        mode->setCurrentIndex(mode->findData(static_cast<int>(ProxyMode::Direct)));
        QVERIFY(!note->isVisible());
        mode->setCurrentIndex(mode->findData(static_cast<int>(ProxyMode::App)));
        QVERIFY(note->isVisible());

        Preferences::setProxy({});
        editor.setEnvironment(corp());
        QVERIFY2(note->text().contains(u"the system's proxy settings"_s), qPrintable(note->text()));
        QSettings().clear();
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

    void inspectorShowsTheIdTokensClaimsCheck()
    {
        SignatureCheckRunner::clearCache();
        const JwsTestKeys::Key key = JwsTestKeys::generate(u"RS256"_s);
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        JwsTestKeys::jwks({JwsTestKeys::jwk(key, u"rs-1"_s, u"RS256"_s)})));
        TokenInspector inspector;
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.setSignatureKeys(server.url(u"/jwks"_s), {}, QUrl(u"https://login.example.org"_s), u"tb-app"_s);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject claims{{u"iss"_s, u"https://login.example.org"_s}, {u"sub"_s, u"ana"_s}, {u"aud"_s, u"tb-app"_s},
                           {u"exp"_s, now + 300}, {u"iat"_s, now}, {u"nonce"_s, u"n1"_s}};
        AccessToken token;
        token.value = u"opaque-access-token"_s;
        token.tokenType = u"Bearer"_s;
        token.obtainedAt = QDateTime::currentDateTimeUtc();
        token.idTokenNonce = u"n1"_s;
        token.extraFields.insert(u"id_token"_s, JwsTestKeys::token(key, u"RS256"_s, u"rs-1"_s, claims));
        inspector.setToken(token, u"corp"_s);
        auto *line = inspector.findChild<QLabel *>(u"idTokenSignatureCheck"_s);
        QVERIFY(line);
        QTRY_VERIFY2(line->text().contains(u"claims valid (iss, aud, exp, iat, nonce)"_s), qPrintable(line->text()));
        QVERIFY2(line->text().contains(u"signature verified with key kid=rs-1"_s), qPrintable(line->text()));

        // Signed by the issuer's key but for another client: the signature is not enough.
        claims[u"aud"_s] = u"tb-other"_s;
        token.extraFields.insert(u"id_token"_s, JwsTestKeys::token(key, u"RS256"_s, u"rs-1"_s, claims));
        inspector.setToken(token, u"corp"_s);
        QTRY_VERIFY2(line->text().contains(u"claims NOT valid: aud (tb-other) does not contain the client id tb-app"_s), qPrintable(line->text()));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(tst_IssuerDiscovery)
#include "tst_issuerdiscovery.moc"
