// Preferences, driven as a user would: Environment ▸ Preferences… (Ctrl+,) in the real main
// window opens the dialog, the maximum response size is changed in its spin box and kept in
// QSettings, and the composer's next send obeys it against a server with an endless body.
#include "ComposerView.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "ResponseView.h"
#include "demo/DemoServer.h"
#include "http/ResponseLimit.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "settings/Preferences.h"
#include "settings/AppProxySetting.h"
#include "support/ForwardProxyProcess.h"
#include "support/HostileHttpServer.h"
#include "support/SecretWait.h"
#include "support/ScriptedHttpServer.h"
#include "support/WidgetTestMain.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/Workspace.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QFile>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestPreferencesDialog : public QObject, private DesktopFixture
{
    Q_OBJECT

private:

    // On the radio button's circle: a click right of its text does not toggle it.
    static void clickRadio(QRadioButton *radio) { QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2)); }

    PreferencesDialog *openWithTheShortcut()
    {
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            return nullptr;
        QTest::keyClick(m_window.get(), Qt::Key_Comma, Qt::ControlModifier);
        PreferencesDialog *dialog = nullptr;
        const bool shown = QTest::qWaitFor([&] {
            dialog = m_window->findChild<PreferencesDialog *>();
            return dialog && dialog->isVisible();
        });
        return shown ? dialog : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_preferencesdialog"_s, {.manualClock = false});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void reachableFromTheMenuWithItsShortcut()
    {
        auto *action = m_window->findChild<QAction *>(u"preferencesAction"_s);
        QVERIFY(action);
        QVERIFY(!action->shortcut().isEmpty());
        QCOMPARE(action->menuRole(), QAction::PreferencesRole);
        bool inMenu = false;
        for (QAction *menu : m_window->menuBar()->actions()) {
            if (menu->menu() && menu->menu()->actions().contains(action))
                inMenu = true;
        }
        QVERIFY(inMenu);
    }

    void showsAndKeepsTheMaximumResponseSize()
    {
        PreferencesDialog *dialog = openWithTheShortcut();
        QVERIFY(dialog);
        auto *size = dialog->findChild<QSpinBox *>(u"maxResponseSize"_s);
        QVERIFY(size);
        QCOMPARE(size->value(), 256);
        QCOMPARE(size->suffix(), u" MB"_s);

        size->selectAll();
        QTest::keyClicks(size, u"2"_s);
        QCOMPARE(size->value(), 2);
        // Cancel keeps what was there.
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PreferencesDialog *>());
        QCOMPARE(Preferences::maxResponseBytes(), ResponseLimit::defaultBodyBytes);

        dialog = openWithTheShortcut();
        QVERIFY(dialog);
        size = dialog->findChild<QSpinBox *>(u"maxResponseSize"_s);
        size->selectAll();
        QTest::keyClicks(size, u"1"_s);
        QTest::keyClick(size, Qt::Key_Return); // OK is the default button
        QTRY_VERIFY(!m_window->findChild<PreferencesDialog *>());
        QCOMPARE(Preferences::maxResponseBytes(), 1024 * 1024);
        QCOMPARE(QSettings().value(u"limits/maxResponseBytes"_s).toLongLong(), 1024 * 1024);

        // Shown again as kept; Restore Defaults puts 256 MB back (and no value in the file).
        dialog = openWithTheShortcut();
        QVERIFY(dialog);
        size = dialog->findChild<QSpinBox *>(u"maxResponseSize"_s);
        QCOMPARE(size->value(), 1);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        QCOMPARE(size->value(), 256);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PreferencesDialog *>());
        QCOMPARE(Preferences::maxResponseBytes(), ResponseLimit::defaultBodyBytes);
        QVERIFY(!QSettings().contains(u"limits/maxResponseBytes"_s));
    }

    void composerSendsObeyIt()
    {
        Preferences::setMaxResponseBytes(1024 * 1024);
        HostileHttpServer api(HostileHttpServer::Attack::EndlessBody);
        api.setBounds(qint64(2) * 1024 * 1024 * 1024, 20);
        QVERIFY(api.listen());
        ComposerView *composer = m_window->newRequest();
        auto *url = composer->findChild<QLineEdit *>(u"url"_s);
        url->selectAll();
        QTest::keyClicks(url, api.url(u"/endless"_s).toString());
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !composer->isSending() && composer->lastResult().outcome != ApiCallResult::Outcome::NotSent; },
                                20000));
        const ExchangeResult &exchange = composer->lastResult().exchange;
        QCOMPARE(exchange.error, ExchangeResult::Error::TooLarge);
        QCOMPARE(exchange.body.size(), 1024 * 1024);
        QVERIFY(api.clientGaveUp());
        // The response view says which limit was hit and where to raise it.
        bool said = false;
        for (QLabel *label : composer->responseView()->findChildren<QLabel *>()) {
            if (label->isVisible() && label->text().contains(u"larger than 1 MB"_s) && label->text().contains(u"Preferences"_s))
                said = true;
        }
        QVERIFY(said);
        Preferences::setMaxResponseBytes(ResponseLimit::defaultBodyBytes);
    }

    void aCutResponseShowsWhatCameUnderABanner()
    {
        // An answer stopped at the limit still has a status, headers and the start of a body:
        // the view shows them (never more of the body than the limit), not "No response".
        const qint64 limit = 64 * 1024;
        Preferences::setMaxResponseBytes(limit);
        HostileHttpServer api(HostileHttpServer::Attack::EndlessBody);
        api.setBounds(qint64(1) * 1024 * 1024 * 1024, 20);
        api.setExtraHeaders("Content-Type: text/plain\r\nX-Served-By: endless-7\r\n");
        QVERIFY(api.listen());
        ComposerView *composer = m_window->newRequest();
        auto *url = composer->findChild<QLineEdit *>(u"url"_s);
        url->selectAll();
        QTest::keyClicks(url, api.url(u"/endless"_s).toString());
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !composer->isSending() && composer->lastResult().outcome != ApiCallResult::Outcome::NotSent; },
                                20000));
        QCOMPARE(composer->lastResult().exchange.error, ExchangeResult::Error::TooLarge);
        ResponseView *view = composer->responseView();
        QTRY_VERIFY(!view->isParsing());

        auto *status = view->findChild<QLabel *>(u"statusLine"_s);
        QCOMPARE(status->text(), u"200 OK"_s);
        auto *banner = view->findChild<QLabel *>(u"cutBanner"_s);
        QVERIFY(banner);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), u"Response larger than 64 KB — stopped at 64 KB; only that part is shown. "
                                 u"Raise the limit in Environment ▸ Preferences…."_s);
        QVERIFY(banner->isVisibleTo(m_window.get()));

        auto *headers = view->findChild<QTableWidget *>(u"headersView"_s);
        QStringList names;
        for (int row = 0; row < headers->rowCount(); ++row)
            names.append(headers->item(row, 0)->text());
        QVERIFY2(names.contains(u"X-Served-By"_s), qPrintable(names.join(u", "_s)));

        // The part that came, bounded by the limit, in the views and behind Save and Copy.
        QCOMPARE(view->body().size(), limit);
        QVERIFY(view->body() == QByteArray(limit, 'x'));
        auto *raw = view->findChild<QPlainTextEdit *>(u"rawView"_s);
        QVERIFY(raw);
        QTRY_COMPARE(raw->toPlainText().count(u'x'), limit); // long lines come folded
        QVERIFY(view->findChild<QPushButton *>(u"saveBody"_s)->isEnabled());

        // The next answer, a whole one, takes the banner away.
        ScriptedHttpServer honest;
        QVERIFY(honest.listen());
        honest.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "whole"));
        url->selectAll();
        QTest::keyClicks(url, honest.url(u"/small"_s).toString());
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !composer->isSending() && composer->lastResult().outcome == ApiCallResult::Outcome::Answered; },
                                20000));
        QVERIFY(!banner->isVisible());
        QCOMPARE(view->body(), QByteArray("whole"));
        Preferences::setMaxResponseBytes(ResponseLimit::defaultBodyBytes);
    }

    // Preferences ▸ Proxy: the app's proxy chosen as a user would, checked by the CLI's rules, its
    // password in the keychain and nowhere in the settings file, in effect for the very next
    // request (a real tinyproxy's log shows it) and gone from it when "No proxy" is chosen.
    void theAppsProxyIsKeptAndTakenByTheNextRequest()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"prefs-user"_s;
        const QString password = u"Pr3fs-Proxy-Secret-4471"_s;
        QString error;
        const auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error, user, password);
        QVERIFY2(proxy, qPrintable(error));

        PreferencesDialog *dialog = openWithTheShortcut();
        QVERIFY(dialog);
        auto *system = dialog->findChild<QRadioButton *>(u"appProxySystem"_s);
        auto *manual = dialog->findChild<QRadioButton *>(u"appProxyManual"_s);
        auto *url = dialog->findChild<QLineEdit *>(u"appProxyUrl"_s);
        auto *username = dialog->findChild<QLineEdit *>(u"appProxyUsername"_s);
        auto *secret = dialog->findChild<QLineEdit *>(u"appProxyPassword"_s);
        auto *noProxy = dialog->findChild<QLineEdit *>(u"appNoProxy"_s);
        QVERIFY(system && manual && url && username && secret && noProxy);
        QVERIFY(system->isChecked()); // the default
        QVERIFY(!url->isEnabled());
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);

        clickRadio(manual);
        QVERIFY(manual->isChecked());
        QVERIFY(url->isEnabled());
        // This machine's own servers (the Demo API) stay direct unless the user says otherwise.
        QCOMPARE(noProxy->text(), u"localhost, 127.0.0.1, ::1"_s);
        QVERIFY(!ok->isEnabled()); // a manual proxy needs its URL

        // The CLI's rules: a scheme it knows, no credentials in the URL.
        QTest::keyClicks(url, u"ftp://127.0.0.1:21"_s);
        auto *message = dialog->findChild<QLabel *>(u"appProxyMessage"_s);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(u"socks5h://"_s), qPrintable(message->text()));
        QVERIFY(!ok->isEnabled());
        url->clear();
        QTest::keyClicks(url, u"http://someone:Typed-77@127.0.0.1:3128"_s);
        QVERIFY2(message->text().contains(u"no user name or password"_s), qPrintable(message->text()));
        QVERIFY(!ok->isEnabled());
        url->clear();
        QTest::keyClicks(url, proxy->url().toString());
        QVERIFY(!message->isVisible());
        QVERIFY(ok->isEnabled());

        QVERIFY(!secret->isEnabled()); // no user, no password
        QTest::keyClicks(username, user);
        QVERIFY(secret->isEnabled());
        QVERIFY(!ok->isEnabled()); // a user name asks for its password
        QTest::keyClicks(secret, password);
        QVERIFY(ok->isEnabled());
        // The test's API is on loopback: through the proxy this time.
        noProxy->clear();
        QTest::keyClicks(noProxy, u"internal.example.com,  10.0.0.0/8 ;.corp"_s);
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PreferencesDialog *>());

        const AppProxySetting kept = Preferences::proxy();
        QCOMPARE(kept.mode, AppProxySetting::Mode::Manual);
        QCOMPARE(kept.url, proxy->url());
        QCOMPARE(kept.username, user);
        QCOMPARE(kept.noProxy, (QStringList{u"internal.example.com"_s, u"10.0.0.0/8"_s, u".corp"_s}));
        // The settings file has the proxy and its user, never the password.
        QSettings().sync();
        QFile file(QSettings().fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(QSettings().fileName()));
        const QByteArray stored = file.readAll();
        QVERIFY2(stored.contains(user.toUtf8()), stored.constData());
        QVERIFY(stored.contains(QByteArray::number(proxy->port())));
        QVERIFY(!stored.contains(password.toUtf8()));
        // The keychain has it.
        const SecretResult inKeychain = waitForSecret([&](SecretStore::Callback done) { m_secrets.read(AppProxySetting::passwordKey(), done); });
        QCOMPARE(inKeychain.status, SecretResult::Status::Found);
        QCOMPARE(inKeychain.value, password);
        QCOMPARE(ProxyPolicy::application().mode(), ProxyPolicy::Mode::Manual);

        // The next request takes it, without a restart.
        ScriptedHttpServer api;
        QVERIFY(api.listen());
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "through"));
        ComposerView *composer = m_window->newRequest();
        auto *address = composer->findChild<QLineEdit *>(u"url"_s);
        const auto send = [&](const QString &path) {
            address->selectAll();
            QTest::keyClicks(address, api.url(path).toString());
            QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
            return QTest::qWaitFor([&] { return !composer->isSending() && composer->lastResult().outcome != ApiCallResult::Outcome::NotSent; },
                                   20000);
        };
        QVERIFY(send(u"/through-the-app-proxy"_s));
        QCOMPARE(composer->lastResult().outcome, ApiCallResult::Outcome::Answered);
        QVERIFY2(proxy->log().contains("GET " + api.url(u"/through-the-app-proxy"_s).toEncoded() + " HTTP/1.1"), proxy->log().constData());

        // Shown again as kept: the password is not in the field, only said to be stored.
        dialog = openWithTheShortcut();
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QRadioButton *>(u"appProxyManual"_s)->isChecked());
        QCOMPARE(dialog->findChild<QLineEdit *>(u"appProxyUrl"_s)->text(), proxy->url().toString());
        secret = dialog->findChild<QLineEdit *>(u"appProxyPassword"_s);
        QVERIFY(secret->text().isEmpty());
        QTRY_VERIFY2(secret->placeholderText().contains(u"stored in the keychain"_s), qPrintable(secret->placeholderText()));
        clickRadio(dialog->findChild<QRadioButton *>(u"appProxyDirect"_s));
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PreferencesDialog *>());
        QCOMPARE(Preferences::proxy().mode, AppProxySetting::Mode::Direct);
        QVERIFY(!QSettings().contains(u"proxy/url"_s));

        const int served = api.requestCount();
        QVERIFY(send(u"/straight-there"_s));
        QCOMPARE(composer->lastResult().outcome, ApiCallResult::Outcome::Answered);
        QCOMPARE(api.requestCount(), served + 1);
        QVERIFY(!proxy->log().contains("/straight-there"));

        waitForSecret([&](SecretStore::Callback done) { m_secrets.remove(AppProxySetting::passwordKey(), done); });
        Preferences::setProxy({});
        ProxyPolicy::setApplication(ProxyPolicy());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        QSettings().clear();
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
