#include "EnvironmentEditor.h"

#include "secrets/SecretStore.h"
#include "support/SecretWait.h"
#include "support/TlsTestServer.h"
#include "workspace/Workspace.h"
#include "support/WidgetTestMain.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString testService = u"Tokenbench-tests"_s;
constexpr int ConnectionTab = 0;
constexpr int CredentialsTab = 1;
constexpr int ScopesTab = 2;
constexpr int HeadersTab = 3;
constexpr int EndpointsTab = 4;
constexpr int NetworkTab = 5;

Environment cymbioStaging()
{
    Environment env;
    env.id = u"0b6c1f0e-2a0d-4a8e-9d53-7c1f4c1b2e11"_s;
    env.name = u"Cymbio staging"_s;
    env.tier = Tier::Staging;
    env.tokenUrl = QUrl(u"https://cymbio3-api-staging.cym.bio/oauth/token"_s);
    env.apiBaseUrl = QUrl(u"https://cymbio3-api-staging.cym.bio/api/v3"_s);
    env.grant = GrantType::ClientCredentials;
    env.clientAuth = ClientAuthStyle::Body;
    env.clientId = u"cymbio-integration"_s;
    env.scopes = {u"orders:read"_s, u"products:read"_s};
    env.params = {{u"username"_s, u"integrations@example.com"_s, false}, {u"password"_s, {}, true}};
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}};
    env.variables = {{u"userId"_s, u"4711"_s}};
    return env;
}

QByteArray jsonOf(const Environment &env)
{
    return QJsonDocument(env.toJson()).toJson(QJsonDocument::Indented);
}

template<typename T>
T *find(const QWidget *parent, const QString &name)
{
    return parent->findChild<T *>(name);
}

// The cell editor the view has open now (deleted editors linger hidden until deleteLater runs).
QLineEdit *openEditor(QTableWidget *table)
{
    const auto editors = table->viewport()->findChildren<QLineEdit *>();
    for (QLineEdit *editor : editors) {
        if (editor->isVisible())
            return editor;
    }
    return nullptr;
}

// Types into a cell the way a user does: make it current, F2 (unless an editor is already open
// on it), type, Return.
bool typeIntoCell(QTableWidget *table, int row, int column, const QString &text)
{
    if (table->currentRow() != row || table->currentColumn() != column || !openEditor(table))
        table->setCurrentCell(row, column);
    QLineEdit *editor = openEditor(table);
    if (!editor) {
        QTest::keyClick(table, Qt::Key_F2);
        editor = openEditor(table);
    }
    if (!editor)
        return false;
    editor->selectAll();
    if (text.isEmpty())
        QTest::keyClick(editor, Qt::Key_Backspace);
    else
        QTest::keyClicks(editor, text); // replaces the selection
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits and closes the editor from the event loop, not inside the key press.
    return QTest::qWaitFor([table] { return !openEditor(table); }, 2000);
}

void replaceText(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}
} // namespace

class TestEnvironmentEditor : public QObject
{
    Q_OBJECT

private:
    SecretStore m_store{testService};
    QString m_workspaceId;
    QStringList m_keysToRemove;

    std::unique_ptr<EnvironmentEditor> makeEditor(const Environment &env)
    {
        auto editor = std::make_unique<EnvironmentEditor>(&m_store, m_workspaceId);
        editor->setEnvironment(env);
        editor->show();
        if (!QTest::qWaitForWindowExposed(editor.get()))
            return nullptr;
        return editor;
    }

    static QPushButton *okButton(EnvironmentEditor *editor)
    {
        return find<QDialogButtonBox>(editor, u"buttons"_s)->button(QDialogButtonBox::Ok);
    }

    static void showTab(EnvironmentEditor *editor, int tab)
    {
        find<QTabWidget>(editor, u"tabs"_s)->setCurrentIndex(tab);
    }

    // Whether a Secret Service is expected here; skips (or, in CI, fails) the keychain tests when not.
    static bool keychainExpected(QString *why)
    {
        const bool required = qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1;
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS") && !required) {
            *why = u"no D-Bus session bus; the keychain tests run in CI inside dbus-run-session"_s;
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_workspaceId = u"tst-editor-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    }

    void cleanup()
    {
        // Whatever a keychain test stored goes, pass or fail.
        for (const QString &key : std::as_const(m_keysToRemove))
            waitForSecret([&](auto done) { m_store.remove(key, done); });
        m_keysToRemove.clear();
    }

    void roundTripsEveryField_data()
    {
        QTest::addColumn<Environment>("environment");
        QTest::newRow("staging, client credentials, body") << cymbioStaging();

        Environment production;
        production.id = u"prod-1"_s;
        production.name = u"Bank production"_s;
        production.tier = Tier::Production;
        production.tokenUrl = QUrl(u"http://auth.internal.example:8080/oauth2/token?realm=ops"_s);
        production.apiBaseUrl = QUrl(u"https://api.example.com/v2/"_s);
        production.grant = GrantType::Password;
        production.clientAuth = ClientAuthStyle::Json;
        production.clientId = u"bank-client"_s;
        production.username = u"ops@example.com"_s;
        production.scopes = {u"accounts:read"_s, u"trades:execute"_s, u"core.users:act-on-behalf-of"_s};
        production.params = {{u"audience"_s, u"https://api.example.com/"_s, false}, {u"api_key"_s, {}, true}};
        production.headers = {{u"X-Tenant"_s, u"{{tenant}}"_s}, {u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}};
        production.variables = {{u"tenant"_s, u"acme"_s}, {u"userId"_s, u"blocked-user"_s}};
        production.allowInsecureHttp = true;
        QTest::newRow("production, password, json, insecure http allowed") << production;

        Environment bare;
        bare.id = u"custom-1"_s;
        bare.name = u"Local"_s;
        bare.tier = Tier::Custom;
        bare.tokenUrl = QUrl(u"http://127.0.0.1:4000/token"_s);
        bare.apiBaseUrl = QUrl(u"http://localhost:4000/api"_s);
        bare.clientAuth = ClientAuthStyle::Basic;
        bare.clientId = u"local"_s;
        QTest::newRow("custom, basic, loopback, nothing else") << bare;

        QTest::newRow("built-in Demo") << Workspace::demoEnvironment();
    }

    void roundTripsEveryField()
    {
        QFETCH(Environment, environment);
        auto editor = makeEditor(environment);
        QVERIFY(editor);
        Environment expected = environment;
        if (expected.id.isEmpty())
            expected.id = editor->environment().id; // the Demo comes without one; the editor gives it one
        QCOMPARE(jsonOf(editor->environment()), jsonOf(expected));
        QVERIFY(editor->environment() == expected);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(okButton(editor.get())->isEnabled());

        // The form shows what it was given, not only hands it back.
        if (!environment.isBuiltinDemo())
            QCOMPARE(find<QLineEdit>(editor.get(), u"tokenUrl"_s)->text(), environment.tokenUrl.toString());
        QCOMPARE(find<QLineEdit>(editor.get(), u"envName"_s)->text(), environment.name);
        QCOMPARE(find<QTableWidget>(editor.get(), u"headersTable"_s)->rowCount(), environment.headers.size());
        QCOMPARE(find<QTableWidget>(editor.get(), u"variablesTable"_s)->rowCount(), environment.variables.size());
    }

    void editsThroughTheFormReachEnvironment()
    {
        auto editor = makeEditor(Environment{});
        QVERIFY(editor);
        QVERIFY(!editor->isValid());
        QVERIFY(!okButton(editor.get())->isEnabled());

        QTest::keyClicks(find<QLineEdit>(editor.get(), u"envName"_s), u"  Acme sandbox "_s);
        QTest::keyClick(find<QComboBox>(editor.get(), u"envTier"_s), Qt::Key_Down); // Sandbox -> Staging
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"tokenUrl"_s), u"https://id.acme.example/oauth/token"_s);
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"apiUrl"_s), u"https://api.acme.example"_s);
        showTab(editor.get(), CredentialsTab);
        QTest::keyClick(find<QComboBox>(editor.get(), u"grantType"_s), Qt::Key_Down);  // -> Password
        QTest::keyClick(find<QComboBox>(editor.get(), u"clientAuth"_s), Qt::Key_Down); // -> body
        QTest::keyClick(find<QComboBox>(editor.get(), u"clientAuth"_s), Qt::Key_Down); // -> JSON
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"clientId"_s), u"acme-client"_s);
        QVERIFY(!editor->isValid()); // the password grant needs a username
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"username"_s), u"qa@acme.example"_s);
        showTab(editor.get(), ScopesTab);
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"scopes"_s), u"accounts:read  trades:read accounts:read"_s);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addParam"_s), Qt::LeftButton);
        auto *params = find<QTableWidget>(editor.get(), u"paramsTable"_s);
        QVERIFY(typeIntoCell(params, 0, 0, u"audience"_s));
        QVERIFY(typeIntoCell(params, 0, 1, u"https://api.acme.example/"_s));
        showTab(editor.get(), HeadersTab);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addVariable"_s), Qt::LeftButton);
        auto *variables = find<QTableWidget>(editor.get(), u"variablesTable"_s);
        QVERIFY(typeIntoCell(variables, 0, 0, u"userId"_s));
        QVERIFY(typeIntoCell(variables, 0, 1, u"42"_s));
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addHeader"_s), Qt::LeftButton);
        auto *headers = find<QTableWidget>(editor.get(), u"headersTable"_s);
        QVERIFY(typeIntoCell(headers, 0, 0, u"X-On-Behalf-Of"_s));
        QVERIFY(typeIntoCell(headers, 0, 1, u"user {{userId}}"_s));

        const Environment env = editor->environment();
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(okButton(editor.get())->isEnabled());
        QCOMPARE(env.name, u"Acme sandbox"_s);
        QCOMPARE(env.tier, Tier::Staging);
        QCOMPARE(env.tokenUrl, QUrl(u"https://id.acme.example/oauth/token"_s));
        QCOMPARE(env.apiBaseUrl, QUrl(u"https://api.acme.example"_s));
        QCOMPARE(env.grant, GrantType::Password);
        QCOMPARE(env.clientAuth, ClientAuthStyle::Json);
        QCOMPARE(env.clientId, u"acme-client"_s);
        QCOMPARE(env.username, u"qa@acme.example"_s);
        QCOMPARE(env.scopes, (QStringList{u"accounts:read"_s, u"trades:read"_s}));
        QCOMPARE(env.params, (QList<TokenParam>{{u"audience"_s, u"https://api.acme.example/"_s, false}}));
        QCOMPARE(env.headers, (QList<HeaderTemplate>{{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}}));
        QCOMPARE(env.variables, (QList<QPair<QString, QString>>{{u"userId"_s, u"42"_s}}));
        QVERIFY(!env.allowInsecureHttp);
    }

    void newEnvironmentGetsAStableId()
    {
        auto editor = makeEditor(Environment{});
        QVERIFY(editor);
        const QString id = editor->environment().id;
        QVERIFY(!QUuid::fromString(id).isNull());
        QCOMPARE(editor->environment().id, id);
        editor->setEnvironment(cymbioStaging());
        QCOMPARE(editor->environment().id, cymbioStaging().id);
    }

    void invalidUrlShowsMessageAndDisablesOk_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("space in host") << u"tokenUrl"_s << u"https://exa mple.com/token"_s << u"valid URL"_s;
        QTest::newRow("no scheme") << u"tokenUrl"_s << u"auth.example.com/token"_s << u"https://"_s;
        QTest::newRow("ftp") << u"tokenUrl"_s << u"ftp://auth.example.com/token"_s << u"ftp"_s;
        QTest::newRow("no host") << u"tokenUrl"_s << u"https://"_s << u"host"_s;
        QTest::newRow("user info") << u"tokenUrl"_s << u"https://me:pw@auth.example.com/token"_s << u"never in a URL"_s;
        QTest::newRow("fragment") << u"tokenUrl"_s << u"https://auth.example.com/token#x"_s << u"fragment"_s;
        QTest::newRow("api: space") << u"apiUrl"_s << u"https://api.example.com/v 1"_s << u"valid URL"_s;
        QTest::newRow("api: user info") << u"apiUrl"_s << u"https://me@api.example.com/"_s << u"never in a URL"_s;
    }

    void invalidUrlShowsMessageAndDisablesOk()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        auto *edit = find<QLineEdit>(editor.get(), field);
        auto *message = find<QLabel>(editor.get(), field + u"Message"_s);
        QVERIFY(edit && message);
        QVERIFY(!message->isVisible());
        QVERIFY(okButton(editor.get())->isEnabled());

        replaceText(edit, text);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(mentions), qPrintable(message->text()));
        QVERIFY(!editor->isValid());
        QVERIFY(!okButton(editor.get())->isEnabled());
        // The reason is also in view from any tab.
        QVERIFY(find<QLabel>(editor.get(), u"validationSummary"_s)->isVisible());

        replaceText(edit, u"https://auth.example.com/oauth/token"_s);
        QVERIFY(!message->isVisible());
        QVERIFY(editor->isValid());
        QVERIFY(okButton(editor.get())->isEnabled());
    }

    void plainHttpWarnsOnlyForRemoteHosts_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("warns");
        QTest::newRow("remote http") << u"http://auth.example.com/oauth/token"_s << true;
        QTest::newRow("remote http, IP") << u"http://10.1.2.3/token"_s << true;
        QTest::newRow("127.0.0.1") << u"http://127.0.0.1:8080/token"_s << false;
        QTest::newRow("localhost") << u"http://localhost:8080/token"_s << false;
        QTest::newRow("::1") << u"http://[::1]:8080/token"_s << false;
        QTest::newRow("remote https") << u"https://auth.example.com/token"_s << false;
    }

    void plainHttpWarnsOnlyForRemoteHosts()
    {
        QFETCH(QString, url);
        QFETCH(bool, warns);
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        auto *message = find<QLabel>(editor.get(), u"tokenUrlMessage"_s);
        auto *allow = find<QCheckBox>(editor.get(), u"allowInsecureHttp"_s);
        QVERIFY(!allow->isVisible());

        replaceText(find<QLineEdit>(editor.get(), u"tokenUrl"_s), url);
        QCOMPARE(message->isVisible(), warns);
        QCOMPARE(allow->isVisible(), warns);
        if (warns)
            QVERIFY2(message->text().contains(u"unencrypted"_s), qPrintable(message->text()));
        // Plain http is savable either way: the token client refuses at send time unless allowed.
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(okButton(editor.get())->isEnabled());
        QVERIFY(!editor->environment().allowInsecureHttp);

        if (warns) {
            allow->setFocus();
            QTest::keyClick(allow, Qt::Key_Space);
            QVERIFY(allow->isChecked());
            QVERIFY(editor->environment().allowInsecureHttp);
            QVERIFY(message->isVisible()); // the warning stays when allowed
            // Back to https: the permission no longer applies and is not carried along.
            replaceText(find<QLineEdit>(editor.get(), u"tokenUrl"_s), u"https://auth.example.com/token"_s);
            QVERIFY(!allow->isVisible());
            QVERIFY(!editor->environment().allowInsecureHttp);
        }
    }

    void messagesDoNotMoveTheForm()
    {
        // A message takes its hint's place (or a line kept for it): the fields below stay put.
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        editor->setExistingNames({u"Production"_s});
        auto *tabs = find<QTabWidget>(editor.get(), u"tabs"_s);
        const auto top = [&editor](QWidget *w) { return w->mapTo(editor.get(), QPoint(0, 0)).y(); };
        const auto settle = [] { QCoreApplication::processEvents(); QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); };

        // A name taken: the tabs do not move.
        const int tabsTop = top(tabs);
        replaceText(find<QLineEdit>(editor.get(), u"envName"_s), u"Production"_s);
        settle();
        QVERIFY(find<QLabel>(editor.get(), u"envNameMessage"_s)->isVisible());
        QCOMPARE(top(tabs), tabsTop);

        // A bad token URL: the API URL field does not move.
        tabs->setCurrentIndex(0);
        settle();
        auto *apiUrl = find<QLineEdit>(editor.get(), u"apiUrl"_s);
        const int apiTop = top(apiUrl);
        replaceText(find<QLineEdit>(editor.get(), u"tokenUrl"_s), u"ftp://auth.example.com/token"_s);
        settle();
        QVERIFY(find<QLabel>(editor.get(), u"tokenUrlMessage"_s)->isVisible());
        QCOMPARE(top(apiUrl), apiTop);
        replaceText(apiUrl, u"https://me@api.example.com/"_s);
        settle();
        QVERIFY(find<QLabel>(editor.get(), u"apiUrlMessage"_s)->isVisible());
        auto *addCertificates = find<QPushButton>(editor.get(), u"addCertificates"_s);
        const int certificatesTop = top(addCertificates);
        replaceText(apiUrl, u"https://api.example.com/"_s);
        settle();
        QCOMPARE(top(addCertificates), certificatesTop);

        // A bad scope: the parameters table does not move.
        tabs->setCurrentIndex(2);
        settle();
        auto *params = find<QTableWidget>(editor.get(), u"paramsTable"_s);
        const int paramsTop = top(params);
        const int paramsHeight = params->height();
        replaceText(find<QLineEdit>(editor.get(), u"scopes"_s), u"accounts:read bad\\scope"_s);
        settle();
        QVERIFY(find<QLabel>(editor.get(), u"scopesMessage"_s)->isVisible());
        QCOMPARE(top(params), paramsTop);
        QCOMPARE(params->height(), paramsHeight);

        // A bad header: the variables table does not move.
        tabs->setCurrentIndex(3);
        settle();
        auto *headers = find<QTableWidget>(editor.get(), u"headersTable"_s);
        auto *variables = find<QTableWidget>(editor.get(), u"variablesTable"_s);
        const int variablesTop = top(variables);
        headers->item(0, 0)->setText(u"Authorization"_s);
        settle();
        QVERIFY(find<QLabel>(editor.get(), u"headersMessage"_s)->isVisible());
        QCOMPARE(top(variables), variablesTop);
    }

    void duplicateOrEmptyNameDisablesOk()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        editor->setExistingNames({u"Production"_s, u"Staging EU"_s});
        auto *name = find<QLineEdit>(editor.get(), u"envName"_s);
        auto *message = find<QLabel>(editor.get(), u"envNameMessage"_s);
        QVERIFY(editor->isValid());

        replaceText(name, u"  staging eu "_s);
        QVERIFY(!editor->isValid());
        QVERIFY(!okButton(editor.get())->isEnabled());
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(u"already named"_s), qPrintable(message->text()));

        replaceText(name, u"   "_s);
        QVERIFY(!editor->isValid());
        QVERIFY(!okButton(editor.get())->isEnabled());

        replaceText(name, u"Staging US"_s);
        QVERIFY(editor->isValid());
        QVERIFY(okButton(editor.get())->isEnabled());
        QVERIFY(!message->isVisible());
        QCOMPARE(editor->environment().name, u"Staging US"_s);

        // Pressing Return on an invalid form does not close it.
        replaceText(name, u"Production"_s);
        QTest::keyClick(name, Qt::Key_Return);
        QVERIFY(editor->isVisible());
    }

    void passwordRowsOnlyForPasswordGrant()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), CredentialsTab);
        auto *grant = find<QComboBox>(editor.get(), u"grantType"_s);
        auto *username = find<QLineEdit>(editor.get(), u"username"_s);
        auto *password = find<QLineEdit>(editor.get(), u"password"_s);
        auto *passwordStatus = find<QLabel>(editor.get(), u"passwordStatus"_s);
        auto *clientSecret = find<QLineEdit>(editor.get(), u"clientSecret"_s);
        QVERIFY(clientSecret->isVisible());
        QVERIFY(!username->isVisible());
        QVERIFY(!password->isVisible());
        QVERIFY(!passwordStatus->isVisible());
        QVERIFY(!username->isEnabled() || !username->isVisibleTo(editor.get()));

        QTest::keyClick(grant, Qt::Key_Down);
        QCOMPARE(grant->currentText(), u"Password"_s);
        QVERIFY(username->isVisible());
        QVERIFY(username->isEnabled());
        QVERIFY(password->isVisible());
        QVERIFY(password->isEnabled());
        QVERIFY(passwordStatus->isVisible());
        QCOMPARE(password->echoMode(), QLineEdit::Password);

        QTest::keyClick(grant, Qt::Key_Up);
        QVERIFY(!username->isVisible());
        QVERIFY(!password->isVisible());
    }

    void revealToggleShowsTypedSecret()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), CredentialsTab);
        auto *secret = find<QLineEdit>(editor.get(), u"clientSecret"_s);
        auto *reveal = find<QToolButton>(editor.get(), u"revealClientSecret"_s);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(secret->echoMode(), QLineEdit::Normal);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
    }

    void productionShowsNote()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        auto *tier = find<QComboBox>(editor.get(), u"envTier"_s);
        auto *note = find<QLabel>(editor.get(), u"productionNote"_s);
        QVERIFY(!note->isVisible());
        QTest::keyClick(tier, Qt::Key_Down); // Staging -> Production
        QCOMPARE(editor->environment().tier, Tier::Production);
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(u"real data"_s), qPrintable(note->text()));
        QTest::keyClick(tier, Qt::Key_Down); // -> Custom
        QVERIFY(!note->isVisible());
    }

    void authorizationHeaderIsRefused()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), HeadersTab);
        auto *headers = find<QTableWidget>(editor.get(), u"headersTable"_s);
        auto *message = find<QLabel>(editor.get(), u"headersMessage"_s);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addHeader"_s), Qt::LeftButton);
        QCOMPARE(headers->rowCount(), 2);
        QVERIFY(typeIntoCell(headers, 1, 0, u"authorization"_s));
        QVERIFY(typeIntoCell(headers, 1, 1, u"Bearer something"_s));
        QVERIFY(!editor->isValid());
        QVERIFY(!okButton(editor.get())->isEnabled());
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(u"Authorization"_s), qPrintable(message->text()));

        QVERIFY(typeIntoCell(headers, 1, 0, u"X-Trace"_s));
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(okButton(editor.get())->isEnabled());
        QCOMPARE(editor->environment().headers.last(), (HeaderTemplate{u"X-Trace"_s, u"Bearer something"_s}));

        // Removing the row by keyboard selection and the button.
        headers->selectRow(1);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"removeHeader"_s), Qt::LeftButton);
        QCOMPARE(editor->environment().headers, cymbioStaging().headers);
    }

    void secretParamValueNeverReachesEnvironment()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), ScopesTab);
        auto *params = find<QTableWidget>(editor.get(), u"paramsTable"_s);
        const QString typedFirst = u"TYPED-BEFORE-TICK-1234"_s;
        const QString typedAfter = u"TYPED-AFTER-TICK-5678"_s;

        // Value typed first, then marked secret.
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addParam"_s), Qt::LeftButton);
        QVERIFY(typeIntoCell(params, 2, 0, u"api_key"_s));
        QVERIFY(typeIntoCell(params, 2, 1, typedFirst));
        params->setCurrentCell(2, 2);
        QTest::keyClick(params, Qt::Key_Space);
        QCOMPARE(params->item(2, 2)->checkState(), Qt::Checked);

        // Marked secret first: the editor masks what is typed.
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addParam"_s), Qt::LeftButton);
        QVERIFY(typeIntoCell(params, 3, 0, u"partner_token"_s));
        params->setCurrentCell(3, 2);
        QTest::keyClick(params, Qt::Key_Space);
        params->setCurrentCell(3, 1);
        QTest::keyClick(params, Qt::Key_F2);
        QLineEdit *masked = openEditor(params);
        QVERIFY(masked);
        QCOMPARE(masked->echoMode(), QLineEdit::Password);
        QTest::keyClicks(masked, typedAfter);
        QTest::keyClick(masked, Qt::Key_Return);
        QTRY_VERIFY(!openEditor(params));

        const Environment env = editor->environment();
        QCOMPARE(env.params.size(), 4);
        QCOMPARE(env.params.at(2), (TokenParam{u"api_key"_s, {}, true}));
        QCOMPARE(env.params.at(3), (TokenParam{u"partner_token"_s, {}, true}));
        const QByteArray json = jsonOf(env);
        QVERIFY(!json.contains(typedFirst.toUtf8()));
        QVERIFY(!json.contains(typedAfter.toUtf8()));
        // Nor is it what the table shows or tells a screen reader.
        for (int row = 0; row < params->rowCount(); ++row) {
            const QString shown = params->model()->index(row, 1).data(Qt::DisplayRole).toString();
            QVERIFY(!shown.contains(typedFirst));
            QVERIFY(!shown.contains(typedAfter));
        }
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));

        // Unticking makes it a plain parameter again, with the value the user typed.
        params->setCurrentCell(2, 2);
        QTest::keyClick(params, Qt::Key_Space);
        QCOMPARE(editor->environment().params.at(2), (TokenParam{u"api_key"_s, typedFirst, false}));
    }

    void reservedAndEmptyParamsAreRefused()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), ScopesTab);
        auto *params = find<QTableWidget>(editor.get(), u"paramsTable"_s);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"addParam"_s), Qt::LeftButton);
        QVERIFY(typeIntoCell(params, 2, 0, u"grant_type"_s));
        QVERIFY(typeIntoCell(params, 2, 1, u"password"_s));
        QVERIFY(!editor->isValid());
        QVERIFY(typeIntoCell(params, 2, 0, u"audience"_s));
        QVERIFY(editor->isValid());
        QVERIFY(typeIntoCell(params, 2, 1, QString()));
        QVERIFY(!editor->isValid()); // the token client refuses empty parameters
        // username/password are the Cymbio-style extra parameters: fine with client credentials, not with the password grant.
        QVERIFY(typeIntoCell(params, 2, 1, u"x"_s));
        QVERIFY(editor->isValid());
        showTab(editor.get(), CredentialsTab);
        QTest::keyClick(find<QComboBox>(editor.get(), u"grantType"_s), Qt::Key_Down);
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"username"_s), u"someone"_s);
        QVERIFY(!editor->isValid());
        QVERIFY2(editor->firstProblem().contains(u"password grant"_s), qPrintable(editor->firstProblem()));
    }

    void demoEnvironmentUrlsAreReadOnly()
    {
        auto editor = makeEditor(Workspace::demoEnvironment());
        QVERIFY(editor);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(find<QLabel>(editor.get(), u"demoNote"_s)->isVisible());
        for (const QString &name : {u"tokenUrl"_s, u"apiUrl"_s, u"clientId"_s}) {
            auto *edit = find<QLineEdit>(editor.get(), name);
            QVERIFY2(edit->isReadOnly(), qPrintable(name));
            QVERIFY2(edit->placeholderText().contains(u"built-in Demo API"_s), qPrintable(name));
            QTest::keyClicks(edit, u"https://evil.example/"_s);
            QVERIFY2(edit->text().isEmpty(), qPrintable(name));
        }
        QVERIFY(!find<QLineEdit>(editor.get(), u"clientSecret"_s)->isEnabled());

        showTab(editor.get(), ScopesTab);
        auto *scopes = find<QLineEdit>(editor.get(), u"scopes"_s);
        QVERIFY(!scopes->isReadOnly());
        scopes->end(false);
        QTest::keyClicks(scopes, u" customers:read"_s);
        showTab(editor.get(), HeadersTab);
        auto *variables = find<QTableWidget>(editor.get(), u"variablesTable"_s);
        QVERIFY(typeIntoCell(variables, 0, 1, u"blocked-user"_s));

        const Environment env = editor->environment();
        QVERIFY(env.isBuiltinDemo());
        QVERIFY(env.tokenUrl.isEmpty());
        QVERIFY(env.clientId.isEmpty());
        QCOMPARE(env.scopes, (QStringList{u"accounts:read"_s, u"trades:read"_s, u"core.users:act-on-behalf-of"_s, u"customers:read"_s}));
        QCOMPARE(env.variables.first().second, u"blocked-user"_s);
        QVERIFY(okButton(editor.get())->isEnabled());

        // Another environment afterwards is editable again.
        editor->setEnvironment(cymbioStaging());
        QVERIFY(!find<QLineEdit>(editor.get(), u"tokenUrl"_s)->isReadOnly());
        QVERIFY(find<QLineEdit>(editor.get(), u"clientSecret"_s)->isEnabled());
        QVERIFY(!find<QLabel>(editor.get(), u"demoNote"_s)->isVisible());
    }

    void trustedCertificatesFromAPemFile()
    {
        QTemporaryDir dir;
        const auto made = makeSelfSignedCertificate(dir.path());
        if (!made)
            QSKIP("openssl could not make a test certificate");
        const QSslCertificate certificate = made->certificate;
        // A file with the certificate and some text around it: only the certificate is kept.
        const QString mixed = dir.filePath(u"bundle.pem"_s);
        QFile file(mixed);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Company root CA, from the wiki\n" + certificate.toPem());
        file.close();

        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        auto *summary = find<QLabel>(editor.get(), u"trustedCertificates"_s);
        QVERIFY(summary->text().contains(u"system's certificate authorities only"_s));
        QVERIFY(!find<QPushButton>(editor.get(), u"clearCertificates"_s)->isEnabled());

        const auto choose = [&](const QString &path) {
            QTest::mouseClick(find<QPushButton>(editor.get(), u"addCertificates"_s), Qt::LeftButton);
            QFileDialog *dialog = nullptr;
            if (!QTest::qWaitFor([&] { return (dialog = editor->findChild<QFileDialog *>(u"certificateFileDialog"_s)) != nullptr; }))
                return false;
            Q_EMIT dialog->fileSelected(path);
            dialog->close();
            QTest::qWait(0);
            return true;
        };
        // A key is no certificate: refused with the reason, nothing kept.
        QVERIFY(choose(made->keyPath));
        auto *message = find<QLabel>(editor.get(), u"trustedCertificatesMessage"_s);
        QVERIFY2(message->isVisible() && message->text().contains(u"not PEM certificates"_s), qPrintable(message->text()));
        QVERIFY(editor->environment().trustedCertificates.isEmpty());

        QVERIFY(choose(mixed));
        QVERIFY(!message->isVisible());
        QVERIFY2(summary->text().startsWith(u"127.0.0.1 (valid until "_s), qPrintable(summary->text()));
        QVERIFY(choose(made->certificatePath)); // the same certificate again is not added twice
        const Environment env = editor->environment();
        QCOMPARE(env.trustedCertificates, certificate.toPem());
        QVERIFY(!env.trustedCertificates.contains("wiki"));
        QVERIFY(okButton(editor.get())->isEnabled());

        // Reopened, then cleared.
        editor->setEnvironment(env);
        QVERIFY(summary->text().startsWith(u"127.0.0.1"_s));
        QTest::mouseClick(find<QPushButton>(editor.get(), u"clearCertificates"_s), Qt::LeftButton);
        QVERIFY(editor->environment().trustedCertificates.isEmpty());

        // The Demo's servers are its own: nothing to trust there.
        editor->setEnvironment(Workspace::demoEnvironment());
        QVERIFY(!find<QPushButton>(editor.get(), u"addCertificates"_s)->isEnabled());
    }

    // The Credentials page shows what the grant and the client authentication need, nothing more;
    // the Endpoints page asks for the endpoint the grant uses.
    void fieldsFollowTheGrantAndClientAuthentication()
    {
        auto editor = makeEditor(cymbioStaging()); // client credentials, secret in the body
        QVERIFY(editor);
        showTab(editor.get(), CredentialsTab);
        const auto shown = [&](const QString &name) { return find<QWidget>(editor.get(), name)->isVisible(); };
        QVERIFY(shown(u"clientSecret"_s));
        QVERIFY(!shown(u"privateKey"_s) && !shown(u"signingKeyId"_s));
        QVERIFY(!shown(u"username"_s) && !shown(u"password"_s));
        QVERIFY(!shown(u"redirectPort"_s));
        QVERIFY(!shown(u"keepRefreshToken"_s)); // client credentials get no refresh token

        auto *clientAuth = find<QComboBox>(editor.get(), u"clientAuth"_s);
        clientAuth->setCurrentIndex(clientAuth->findData(static_cast<int>(ClientAuthStyle::None)));
        QVERIFY(!shown(u"clientSecret"_s)); // a public client has no secret
        clientAuth->setCurrentIndex(clientAuth->findData(static_cast<int>(ClientAuthStyle::PrivateKeyJwt)));
        QVERIFY(!shown(u"clientSecret"_s));
        QVERIFY(shown(u"privateKey"_s) && shown(u"signingKeyId"_s) && shown(u"privateKeyLoadFile"_s));
        QTRY_VERIFY(shown(u"privateKeyMessage"_s)); // nothing stored yet (once the keychain said so): said, not blocking
        QVERIFY(editor->isValid());
        replaceText(find<QLineEdit>(editor.get(), u"signingKeyId"_s), u"key-2026"_s);

        auto *grant = find<QComboBox>(editor.get(), u"grantType"_s);
        grant->setCurrentIndex(grant->findData(static_cast<int>(GrantType::AuthorizationCode)));
        QVERIFY(shown(u"redirectPort"_s));
        QVERIFY(shown(u"keepRefreshToken"_s));
        QVERIFY(!shown(u"username"_s));
        QVERIFY(!editor->isValid());
        QCOMPARE(editor->firstProblem(), u"Still needed: the authorization URL."_s);
        auto *port = find<QSpinBox>(editor.get(), u"redirectPort"_s);
        QCOMPARE(port->text(), u"any free port"_s);
        port->setValue(8765);
        find<QCheckBox>(editor.get(), u"keepRefreshToken"_s)->setChecked(true);

        showTab(editor.get(), EndpointsTab);
        QVERIFY(shown(u"authorizationUrl"_s));
        QVERIFY(!shown(u"deviceAuthorizationUrl"_s));
        replaceText(find<QLineEdit>(editor.get(), u"authorizationUrl"_s), u"ftp://login.example.com/authorize"_s);
        QVERIFY(find<QLabel>(editor.get(), u"authorizationUrlMessage"_s)->isVisible());
        QVERIFY2(editor->firstProblem().startsWith(u"Endpoints: the authorization URL: "_s), qPrintable(editor->firstProblem()));
        QVERIFY(!find<QTabWidget>(editor.get(), u"tabs"_s)->tabIcon(EndpointsTab).isNull());
        replaceText(find<QLineEdit>(editor.get(), u"authorizationUrl"_s), u"https://login.example.com/authorize"_s);
        replaceText(find<QLineEdit>(editor.get(), u"revocationUrl"_s), u"https://login.example.com/revoke"_s);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        QVERIFY(okButton(editor.get())->isEnabled());

        Environment env = editor->environment();
        QCOMPARE(env.grant, GrantType::AuthorizationCode);
        QCOMPARE(env.clientAuth, ClientAuthStyle::PrivateKeyJwt);
        QCOMPARE(env.signingKeyId, u"key-2026"_s);
        QCOMPARE(env.redirectPort, 8765);
        QVERIFY(env.keepRefreshToken);
        QCOMPARE(env.provider.authorizationUrl, QUrl(u"https://login.example.com/authorize"_s));
        QCOMPARE(env.provider.revocationUrl, QUrl(u"https://login.example.com/revoke"_s));

        // Reopened, everything is where it was.
        editor->setEnvironment(env);
        QCOMPARE(editor->environment(), env);

        // The device grant needs its own endpoint; the redirect port means nothing to it.
        showTab(editor.get(), CredentialsTab);
        grant->setCurrentIndex(grant->findData(static_cast<int>(GrantType::DeviceCode)));
        QVERIFY(!shown(u"redirectPort"_s));
        QCOMPARE(editor->firstProblem(), u"Still needed: the device authorization URL."_s);
        QCOMPARE(editor->environment().redirectPort, 0);
        showTab(editor.get(), EndpointsTab);
        QVERIFY(shown(u"deviceAuthorizationUrl"_s));
        QVERIFY(shown(u"authorizationUrl"_s)); // filled in: not hidden
        replaceText(find<QLineEdit>(editor.get(), u"deviceAuthorizationUrl"_s), u"https://login.example.com/device"_s);
        QVERIFY(editor->isValid());
        QCOMPARE(editor->environment().provider.deviceAuthorizationUrl, QUrl(u"https://login.example.com/device"_s));
    }

    // The Network page: a client certificate from a PEM file (the certificate only), and a proxy
    // whose fields show when the environment has its own.
    void networkPageHoldsTheClientCertificateAndTheProxy()
    {
        QTemporaryDir dir;
        const auto made = makeSelfSignedCertificate(dir.path());
        if (!made)
            QSKIP("openssl could not make a test certificate");
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), NetworkTab);
        const auto shown = [&](const QString &name) { return find<QWidget>(editor.get(), name)->isVisible(); };
        QCOMPARE(find<QLabel>(editor.get(), u"clientCertificate"_s)->text(), u"None"_s);
        QVERIFY(!shown(u"clientKeyMessage"_s));

        const auto choose = [&](const QString &button, const QString &dialogName, const QString &path) {
            QTest::mouseClick(find<QPushButton>(editor.get(), button), Qt::LeftButton);
            QFileDialog *dialog = nullptr;
            if (!QTest::qWaitFor([&] { return (dialog = editor->findChild<QFileDialog *>(dialogName)) != nullptr; }))
                return false;
            Q_EMIT dialog->fileSelected(path);
            dialog->close();
            QTest::qWait(0);
            return true;
        };
        QVERIFY(choose(u"chooseClientCertificate"_s, u"clientCertificateFileDialog"_s, made->keyPath));
        QVERIFY(shown(u"clientCertificateMessage"_s)); // a key is no certificate
        QVERIFY(choose(u"chooseClientCertificate"_s, u"clientCertificateFileDialog"_s, made->certificatePath));
        QVERIFY(!shown(u"clientCertificateMessage"_s));
        QVERIFY(find<QLabel>(editor.get(), u"clientCertificate"_s)->text().startsWith(u"127.0.0.1"_s));
        QCOMPARE(editor->environment().clientCertificate, made->certificate.toPem());
        QTRY_VERIFY(shown(u"clientKeyMessage"_s)); // no key for it yet
        // The key from its file: held for the keychain, never in the profile.
        QVERIFY(choose(u"clientKeyLoadFile"_s, u"clientKeyFileDialog"_s, made->keyPath));
        QVERIFY(!shown(u"clientKeyMessage"_s));
        QVERIFY2(find<QLabel>(editor.get(), u"clientKeyStatus"_s)->text().contains(u"when you press OK"_s),
                 qPrintable(find<QLabel>(editor.get(), u"clientKeyStatus"_s)->text()));
        QVERIFY(!jsonOf(editor->environment()).contains("PRIVATE KEY"));
        // A certificate is not a key.
        QVERIFY(choose(u"clientKeyLoadFile"_s, u"clientKeyFileDialog"_s, made->certificatePath));
        QVERIFY(shown(u"clientKeyFileMessage"_s));

        QVERIFY(!shown(u"proxyUrl"_s) && !shown(u"proxyPassword"_s));
        auto *mode = find<QComboBox>(editor.get(), u"proxyMode"_s);
        mode->setCurrentIndex(mode->findData(static_cast<int>(ProxyMode::Manual)));
        QVERIFY(shown(u"proxyUrl"_s) && shown(u"proxyUsername"_s) && shown(u"proxyPassword"_s) && shown(u"noProxy"_s));
        QCOMPARE(editor->firstProblem(), u"Still needed: the proxy URL."_s);
        auto *url = find<QLineEdit>(editor.get(), u"proxyUrl"_s);
        replaceText(url, u"http://alice@proxy.example.com:3128"_s);
        QVERIFY(shown(u"proxyUrlMessage"_s));
        QVERIFY(!editor->isValid());
        replaceText(url, u"ftp://proxy.example.com"_s);
        QVERIFY(!editor->isValid());
        replaceText(url, u"socks5h://127.0.0.1:1080"_s);
        QVERIFY(!shown(u"proxyUrlMessage"_s));
        replaceText(find<QLineEdit>(editor.get(), u"proxyUsername"_s), u"alice"_s);
        replaceText(find<QLineEdit>(editor.get(), u"noProxy"_s), u"localhost, .internal.example.com  10.0.0.1"_s);
        QVERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        Environment env = editor->environment();
        QCOMPARE(env.proxy.mode, ProxyMode::Manual);
        QCOMPARE(env.proxy.url, QUrl(u"socks5h://127.0.0.1:1080"_s));
        QCOMPARE(env.proxy.username, u"alice"_s);
        QCOMPARE(env.proxy.noProxy, (QStringList{u"localhost"_s, u".internal.example.com"_s, u"10.0.0.1"_s}));
        editor->setEnvironment(env);
        QCOMPARE(editor->environment(), env);

        // No proxy: nothing of the manual one is kept.
        mode->setCurrentIndex(mode->findData(static_cast<int>(ProxyMode::Direct)));
        QVERIFY(!shown(u"proxyUrl"_s));
        QCOMPARE(editor->environment().proxy, (ProxySetting{ProxyMode::Direct, {}, {}, {}}));
    }

    // RFC 8705 client authentication: no secret and no signing key, but a certificate is required.
    void tlsClientAuthNeedsTheCertificateOnly()
    {
        QTemporaryDir dir;
        const auto made = makeSelfSignedCertificate(dir.path());
        if (!made)
            QSKIP("openssl could not make a test certificate");
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        showTab(editor.get(), CredentialsTab);
        const auto shown = [&](const QString &name) { return find<QWidget>(editor.get(), name)->isVisible(); };
        auto *clientAuth = find<QComboBox>(editor.get(), u"clientAuth"_s);
        for (const ClientAuthStyle style : {ClientAuthStyle::SelfSignedTlsClientAuth, ClientAuthStyle::TlsClientAuth}) {
            clientAuth->setCurrentIndex(clientAuth->findData(static_cast<int>(style)));
            QVERIFY(clientAuth->currentIndex() >= 0);
            QVERIFY(!shown(u"clientSecret"_s));
            QVERIFY(!shown(u"privateKey"_s) && !shown(u"signingKeyId"_s));
            QVERIFY2(find<QLabel>(editor.get(), u"clientAuthHelp"_s)->text().contains(u"RFC 8705"_s),
                     qPrintable(find<QLabel>(editor.get(), u"clientAuthHelp"_s)->text()));
            QVERIFY(!editor->isValid());
            QVERIFY2(editor->firstProblem().contains(u"a client certificate and its key (Network tab), which %1 authenticates with"_s.arg(
                         Environment::clientAuthName(style))),
                     qPrintable(editor->firstProblem()));
        }

        showTab(editor.get(), NetworkTab);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"chooseClientCertificate"_s), Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dialog = editor->findChild<QFileDialog *>(u"clientCertificateFileDialog"_s)) != nullptr; }));
        Q_EMIT dialog->fileSelected(made->certificatePath);
        dialog->close();
        QTRY_VERIFY2(editor->isValid(), qPrintable(editor->firstProblem()));
        const Environment env = editor->environment();
        QCOMPARE(env.clientAuth, ClientAuthStyle::TlsClientAuth);
        QCOMPARE(env.clientCertificate, made->certificate.toPem());
        editor->setEnvironment(env);
        QCOMPARE(editor->environment(), env);
    }

    void interactiveWidgetsHaveAccessibleNames()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        const auto *box = find<QDialogButtonBox>(editor.get(), u"buttons"_s);
        int checked = 0;
        for (QWidget *widget : editor->findChildren<QWidget *>()) {
            const bool interactive = qobject_cast<QLineEdit *>(widget) || qobject_cast<QComboBox *>(widget)
                || qobject_cast<QAbstractButton *>(widget) || qobject_cast<QAbstractItemView *>(widget);
            // Qt's own parts (tab scrollers, the table corner) and the standard OK/Cancel are named by Qt.
            if (!interactive || widget->objectName().isEmpty() || box->isAncestorOf(widget))
                continue;
            QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
            ++checked;
        }
        QVERIFY(checked >= 25);
    }

    void tabOrderFollowsTheForm()
    {
        auto editor = makeEditor(cymbioStaging());
        QVERIFY(editor);
        editor->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(editor.get()));
        const auto expectOrder = [&](const QStringList &names) {
            auto *first = find<QWidget>(editor.get(), names.first());
            first->setFocus(Qt::TabFocusReason);
            for (qsizetype i = 1; i < names.size(); ++i) {
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
                const QWidget *focus = QApplication::focusWidget();
                if (!focus || focus->objectName() != names.at(i))
                    return u"after %1 expected %2, got %3"_s.arg(names.at(i - 1), names.at(i),
                                                                  focus ? focus->objectName() + u' ' + QString::fromLatin1(focus->metaObject()->className()) : u"nothing"_s);
            }
            return QString();
        };
        QString problem = expectOrder({u"envName"_s, u"envTier"_s});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QVERIFY(qobject_cast<QTabBar *>(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        // Issuer URL… comes first: it can fill the token URL below it.
        QCOMPARE(QApplication::focusWidget()->objectName(), u"issuerDiscovery"_s);
        problem = expectOrder({u"issuerDiscovery"_s, u"tokenUrl"_s, u"apiUrl"_s, u"addCertificates"_s});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        showTab(editor.get(), CredentialsTab);
        problem = expectOrder({u"grantType"_s, u"clientAuth"_s, u"clientId"_s, u"clientSecret"_s, u"revealClientSecret"_s});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        showTab(editor.get(), HeadersTab);
        problem = expectOrder({u"headersTable"_s, u"addHeader"_s});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // Against the real Secret Service: what is typed reaches the keychain under the
    // environment's key, an untouched field keeps it, and "Remove stored secret" removes it.
    void clientSecretIsStoredInTheKeychain()
    {
        QString why;
        if (!keychainExpected(&why))
            QSKIP(qPrintable(why));
        const bool required = qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1;

        Environment env = cymbioStaging();
        env.id.clear(); // a new environment: the editor must give it the id its secrets are keyed by
        env.name = u"Keychain test"_s;
        auto editor = makeEditor(env);
        QVERIFY(editor);
        const QString id = editor->environment().id;
        QVERIFY(!id.isEmpty());
        const QString secretKey = SecretStore::keyFor(m_workspaceId, id, SecretStore::clientSecretName());
        const QString paramKey = SecretStore::keyFor(m_workspaceId, id, SecretStore::paramName(u"password"_s));
        m_keysToRemove = {secretKey, paramKey};

        // Is there a Secret Service behind the bus at all?
        SecretStore probeStore(testService);
        const SecretResult probe = waitForSecret([&](auto done) { probeStore.read(secretKey, done); });
        if (probe.status != SecretResult::Status::NotFound || probe.sessionOnly) {
            if (required)
                QFAIL(qPrintable(u"the keychain did not answer as expected: "_s + probe.message));
            QSKIP(qPrintable(u"no usable Secret Service here: "_s + probe.message));
        }

        // Nothing can be stored under an id made just now, so that is said without asking.
        auto *status = find<QLabel>(editor.get(), u"clientSecretStatus"_s);
        QCOMPARE(status->text(), u"not stored"_s);

        QSignalSpy statusSpy(editor.get(), &EnvironmentEditor::secretStatusChanged);
        showTab(editor.get(), CredentialsTab);
        const QString secret = u"Cymbio-SECRET +%/= 42ü"_s;
        auto *secretField = find<QLineEdit>(editor.get(), u"clientSecret"_s);
        QTest::keyClicks(secretField, secret.chopped(1));
        // keyClicks knows ASCII only; a non-ASCII character comes as a key event carrying its text.
        QTest::sendKeyEvent(QTest::Click, secretField, Qt::Key_unknown, secret.right(1), Qt::NoModifier);
        QCOMPARE(secretField->text(), secret);
        QVERIFY2(status->text().contains(u"when you press OK"_s), qPrintable(status->text()));
        showTab(editor.get(), ScopesTab);
        auto *params = find<QTableWidget>(editor.get(), u"paramsTable"_s);
        QVERIFY(typeIntoCell(params, 1, 1, u"PARAM-SECRET-VALUE"_s));

        auto *ok = okButton(editor.get());
        QTest::mouseClick(ok, Qt::LeftButton);
        // The keychain answers asynchronously: the dialog waits without blocking the UI.
        auto *saving = find<QLabel>(editor.get(), u"saveStatus"_s);
        QVERIFY(editor->isVisible());
        QVERIFY(editor->isSaving());
        QVERIFY(saving->isVisible());
        QCOMPARE(saving->text(), u"Saving to keychain…"_s);
        QVERIFY(!ok->isEnabled());
        QVERIFY(!find<QDialogButtonBox>(editor.get(), u"buttons"_s)->button(QDialogButtonBox::Cancel)->isEnabled());
        QTest::keyClick(editor.get(), Qt::Key_Escape);
        QVERIFY(editor->isVisible());

        QTRY_VERIFY_WITH_TIMEOUT(!editor->isVisible(), 20000);
        QCOMPARE(editor->result(), int(QDialog::Accepted));
        QCOMPARE(status->text(), u"stored in the system keychain"_s);
        QVERIFY(statusSpy.contains(QVariantList{u"Client secret: stored in the system keychain"_s}));
        QVERIFY(editor->environment().params.at(1).value.isEmpty());

        // A second store proves it came from the keychain, not from this process's memory.
        SecretStore fresh(testService);
        SecretResult read = waitForSecret([&](auto done) { fresh.read(secretKey, done); });
        QCOMPARE(read.status, SecretResult::Status::Found);
        QVERIFY(!read.sessionOnly);
        QCOMPARE(read.value, secret);
        read = waitForSecret([&](auto done) { fresh.read(paramKey, done); });
        QCOMPARE(read.status, SecretResult::Status::Found);
        QCOMPARE(read.value, u"PARAM-SECRET-VALUE"_s);

        // Opened again: the stored secret is announced, and OK with the field untouched keeps it.
        const Environment saved = editor->environment();
        auto again = makeEditor(saved);
        QVERIFY(again);
        auto *field = find<QLineEdit>(again.get(), u"clientSecret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(field->placeholderText(), u"•••••• stored in the system keychain"_s, 20000);
        QVERIFY(field->text().isEmpty());
        QCOMPARE(find<QLabel>(again.get(), u"clientSecretStatus"_s)->text(), u"stored in the system keychain"_s);
        QTest::mouseClick(okButton(again.get()), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!again->isVisible(), 20000);
        QCOMPARE(waitForSecret([&](auto done) { fresh.read(secretKey, done); }).value, secret);

        // "Remove stored secret" removes it when OK is pressed, not before.
        auto third = makeEditor(saved);
        QVERIFY(third);
        showTab(third.get(), CredentialsTab);
        auto *remove = find<QPushButton>(third.get(), u"removeClientSecret"_s);
        QTRY_VERIFY_WITH_TIMEOUT(remove->isVisible(), 20000);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(waitForSecret([&](auto done) { fresh.read(secretKey, done); }).status, SecretResult::Status::Found);
        QTest::mouseClick(okButton(third.get()), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!third->isVisible(), 20000);
        QCOMPARE(waitForSecret([&](auto done) { fresh.read(secretKey, done); }).status, SecretResult::Status::NotFound);
        QCOMPARE(find<QLabel>(third.get(), u"clientSecretStatus"_s)->text(), u"not stored"_s);
    }

    // A private key loaded from its file and a typed proxy password reach the keychain under
    // their names on OK; the workspace never sees them.
    void privateKeyAndProxyPasswordAreStoredInTheKeychain()
    {
        QString why;
        if (!keychainExpected(&why))
            QSKIP(qPrintable(why));
        QTemporaryDir dir;
        const auto made = makeSelfSignedCertificate(dir.path());
        if (!made)
            QSKIP("openssl could not make a test certificate");
        QFile keyFile(made->keyPath);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const QString key = QString::fromUtf8(keyFile.readAll());

        Environment env = cymbioStaging();
        env.id.clear();
        env.name = u"Keychain keys"_s;
        env.clientAuth = ClientAuthStyle::PrivateKeyJwt;
        env.proxy = {ProxyMode::Manual, QUrl(u"http://127.0.0.1:3128"_s), u"alice"_s, {}};
        env.params.clear();
        auto editor = makeEditor(env);
        QVERIFY(editor);
        const QString id = editor->environment().id;
        const QString keyKey = SecretStore::keyFor(m_workspaceId, id, SecretStore::privateKeyName());
        const QString proxyKey = SecretStore::keyFor(m_workspaceId, id, SecretStore::proxyPasswordName());
        m_keysToRemove = {keyKey, proxyKey};

        showTab(editor.get(), CredentialsTab);
        QTest::mouseClick(find<QPushButton>(editor.get(), u"privateKeyLoadFile"_s), Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dialog = editor->findChild<QFileDialog *>(u"privateKeyFileDialog"_s)) != nullptr; }));
        Q_EMIT dialog->fileSelected(made->keyPath);
        dialog->close();
        QVERIFY(find<QLineEdit>(editor.get(), u"privateKey"_s)->text().isEmpty()); // the key is never shown
        showTab(editor.get(), NetworkTab);
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"proxyPassword"_s), u"PROXY-PASS-1"_s);
        QVERIFY(!jsonOf(editor->environment()).contains("PROXY-PASS-1"));

        QTest::mouseClick(okButton(editor.get()), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isVisible(), 20000);
        QCOMPARE(editor->result(), int(QDialog::Accepted));
        QVERIFY(editor->secretsChanged());
        SecretStore fresh(testService);
        SecretResult read = waitForSecret([&](auto done) { fresh.read(keyKey, done); });
        if (read.sessionOnly)
            QSKIP("no usable Secret Service here");
        QCOMPARE(read.status, SecretResult::Status::Found);
        QCOMPARE(read.value, key);
        read = waitForSecret([&](auto done) { fresh.read(proxyKey, done); });
        QCOMPARE(read.value, u"PROXY-PASS-1"_s);
        QCOMPARE(find<QLabel>(editor.get(), u"privateKeyStatus"_s)->text(), u"stored in the system keychain"_s);

        // Reopened: both are announced as stored, and the key's warning is gone.
        auto again = makeEditor(editor->environment());
        QVERIFY(again);
        QTRY_COMPARE_WITH_TIMEOUT(find<QLabel>(again.get(), u"proxyPasswordStatus"_s)->text(), u"stored in the system keychain"_s, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(find<QLabel>(again.get(), u"privateKeyStatus"_s)->text(), u"stored in the system keychain"_s, 20000);
        QVERIFY(find<QLabel>(again.get(), u"privateKeyMessage"_s)->isHidden());
    }

    // With no keychain the store keeps the secret for the session and the editor says so. The
    // session bus of a process is fixed once used, so this runs in a child process whose bus
    // address leads nowhere.
    void keychainUnavailableSaysSessionOnly()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/tokenbench-no-bus"_s);
        environment.insert(u"DISPLAY"_s, QString());
        environment.insert(u"WAYLAND_DISPLAY"_s, QString());
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"HOME"_s, home.path());
        environment.insert(u"XDG_CONFIG_HOME"_s, home.path() + u"/.config"_s);
        environment.insert(u"XDG_DATA_HOME"_s, home.path() + u"/.local/share"_s);
        environment.insert(u"TOKENBENCH_EDITOR_CHILD"_s, u"1"_s);
        environment.remove(u"TOKENBENCH_REQUIRE_KEYCHAIN"_s);
        QProcess child;
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {u"noKeychainChild"_s});
        QVERIFY(child.waitForFinished(90000));
        const QString output = QString::fromLocal8Bit(child.readAll());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, qPrintable(output));
        // It must have run, not skipped.
        QVERIFY2(output.contains(u"PASS   : TestEnvironmentEditor::noKeychainChild()"_s), qPrintable(output));
    }

    void noKeychainChild()
    {
        if (qEnvironmentVariableIntValue("TOKENBENCH_EDITOR_CHILD") != 1)
            QSKIP("runs in the child process of keychainUnavailableSaysSessionOnly");
        Environment env = cymbioStaging();
        env.id.clear();
        auto editor = makeEditor(env);
        QVERIFY(editor);
        auto *status = find<QLabel>(editor.get(), u"clientSecretStatus"_s);
        QCOMPARE(status->text(), u"not stored"_s);

        QSignalSpy statusSpy(editor.get(), &EnvironmentEditor::secretStatusChanged);
        showTab(editor.get(), CredentialsTab);
        QTest::keyClicks(find<QLineEdit>(editor.get(), u"clientSecret"_s), u"SESSION-ONLY-SECRET"_s);
        QTest::mouseClick(okButton(editor.get()), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!editor->isVisible(), 30000);
        QCOMPARE(editor->result(), int(QDialog::Accepted));
        QVERIFY2(status->text().startsWith(u"keychain unavailable"_s), qPrintable(status->text()));
        QVERIFY2(status->text().endsWith(u"kept for this session only"_s), qPrintable(status->text()));
        QVERIFY(!statusSpy.isEmpty());
        QVERIFY2(statusSpy.last().first().toString().startsWith(u"Client secret: keychain unavailable"_s),
                 qPrintable(statusSpy.last().first().toString()));

        // Kept in this store's memory for the session, and nowhere else.
        const QString key = SecretStore::keyFor(m_workspaceId, editor->environment().id, SecretStore::clientSecretName());
        const SecretResult kept = waitForSecret([&](auto done) { m_store.read(key, done); });
        QCOMPARE(kept.value, u"SESSION-ONLY-SECRET"_s);
        QVERIFY(kept.sessionOnly);
        SecretStore fresh(testService);
        QCOMPARE(waitForSecret([&](auto done) { fresh.read(key, done); }).status, SecretResult::Status::NotFound);

        // Opened again in the same session, it says where the secret is.
        auto again = makeEditor(editor->environment());
        QVERIFY(again);
        QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(again.get(), u"clientSecretStatus"_s)->text().contains(u"session only"_s), 30000);
        QCOMPARE(find<QLineEdit>(again.get(), u"clientSecret"_s)->placeholderText(), u"•••••• kept for this session only"_s);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestEnvironmentEditor)
#include "tst_environmenteditor.moc"
