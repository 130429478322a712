// The app's proxy (Preferences ▸ Proxy) in the core: kept in QSettings without its password, turned
// into the policy every later request takes, and put into effect only once the keychain gave the
// password back — meanwhile requests are refused, never sent around the proxy.
#include "http/ProxyPolicy.h"
#include "secrets/SecretStore.h"
#include "settings/AppProxyActivation.h"
#include "settings/AppProxySetting.h"
#include "settings/Preferences.h"
#include "support/SecretWait.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_AppProxy : public QObject
{
    Q_OBJECT

    static AppProxySetting manual(const QString &username)
    {
        AppProxySetting setting;
        setting.mode = AppProxySetting::Mode::Manual;
        setting.url = QUrl(u"http://proxy.corp.example:3128"_s);
        setting.username = username;
        setting.noProxy = {u"localhost"_s, u".internal"_s};
        return setting;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"Tokenbench-tests"_s);
        QCoreApplication::setApplicationName(u"tst_appproxy"_s);
        QSettings().clear();
    }

    void keptWithoutThePassword()
    {
        QCOMPARE(Preferences::proxy(), AppProxySetting()); // the system's by default
        Preferences::setProxy(manual(u"alice"_s));
        QCOMPARE(Preferences::proxy(), manual(u"alice"_s));
        QCOMPARE(QSettings().value(u"proxy/mode"_s).toString(), u"manual"_s);
        // Back to the system's: the manual proxy's fields are not kept around.
        Preferences::setProxy({});
        QCOMPARE(Preferences::proxy(), AppProxySetting());
        QVERIFY(QSettings().allKeys().filter(u"proxy/"_s).isEmpty());
        // A hand-edited mode reads as the default.
        QSettings().setValue(u"proxy/mode"_s, u"sideways"_s);
        QCOMPARE(Preferences::proxy().mode, AppProxySetting::Mode::System);
        QSettings().clear();
    }

    void policiesAndWords()
    {
        QCOMPARE(AppProxySetting().policy(), ProxyPolicy());
        AppProxySetting direct;
        direct.mode = AppProxySetting::Mode::Direct;
        QCOMPARE(direct.policy().mode(), ProxyPolicy::Mode::Direct);

        const ProxyPolicy policy = manual(u"alice"_s).policy(u"s3cret"_s);
        QCOMPARE(policy.mode(), ProxyPolicy::Mode::Manual);
        QCOMPARE(policy.proxy().host, u"proxy.corp.example"_s);
        QCOMPARE(policy.proxy().port, 3128);
        QCOMPARE(policy.proxy().username, u"alice"_s);
        QCOMPARE(policy.proxy().password, u"s3cret"_s);
        QVERIFY(policy.routeFor(QUrl(u"https://api.internal/x"_s)).isDirect());
        QVERIFY(!policy.routeFor(QUrl(u"https://api.example.com/x"_s)).isDirect());
        QCOMPARE(manual(u"alice"_s).describe(), u"http://proxy.corp.example:3128 as alice, except localhost, .internal"_s);

        // The CLI's rules: a URL with credentials, or another scheme, is no proxy; requests are
        // refused naming why rather than sent straight to the server.
        AppProxySetting bad = manual({});
        bad.url = QUrl(u"http://bob:pw@proxy.corp.example:3128"_s);
        QVERIFY(bad.problem().contains(u"no user name or password"_s));
        QVERIFY(!bad.policy().problem().isEmpty());
        bad.url = QUrl(u"ftp://proxy.corp.example"_s);
        QVERIFY(!bad.problem().isEmpty());
        bad.url = QUrl();
        QVERIFY(!bad.policy().problem().isEmpty());
    }

    void activatedWithThePasswordFromTheKeychain()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        const SecretResult written = waitForSecret([&](SecretStore::Callback done) {
            store.write(AppProxySetting::passwordKey(), u"Pr0xy-From-Keychain"_s, done);
        });
        QVERIFY2(written.ok(), qPrintable(written.message));

        bool done = false;
        QObject context;
        AppProxyActivation::activate(&store, manual(u"alice"_s), &context, [&](const QString &problem) {
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            done = true;
        });
        // Until the keychain answered (it answers from the event loop): refused, not sent around the proxy.
        QVERIFY(!done);
        QVERIFY(ProxyPolicy::application().problem().contains(u"keychain"_s));
        QTRY_VERIFY(done);
        QCOMPARE(ProxyPolicy::application().proxy().password, u"Pr0xy-From-Keychain"_s);
        QVERIFY(ProxyPolicy::application().problem().isEmpty());

        // A later choice takes effect at once, for the next request.
        AppProxySetting direct;
        direct.mode = AppProxySetting::Mode::Direct;
        AppProxyActivation::activate(&store, direct);
        QCOMPARE(ProxyPolicy::application().mode(), ProxyPolicy::Mode::Direct);

        waitForSecret([&](SecretStore::Callback finished) { store.remove(AppProxySetting::passwordKey(), finished); });
        ProxyPolicy::setApplication(ProxyPolicy());
    }

    void cleanupTestCase() { QSettings().clear(); }
};

QTEST_GUILESS_MAIN(tst_AppProxy)
#include "tst_appproxy.moc"
