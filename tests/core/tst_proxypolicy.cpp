#include "http/ProxyPolicy.h"
#include "workspace/Environment.h"

#include <QTest>

#include <curl/curl.h>

using namespace Qt::StringLiterals;

namespace {
// Sets proxy variables for one test and restores the process's environment after it.
class ScopedVariables
{
public:
    ScopedVariables(std::initializer_list<std::pair<const char *, QByteArray>> values)
    {
        for (const char *name : all)
            qunsetenv(name);
        for (const auto &[name, value] : values)
            qputenv(name, value);
    }
    ~ScopedVariables()
    {
        for (const char *name : all)
            qunsetenv(name);
    }
    ScopedVariables(const ScopedVariables &) = delete;
    ScopedVariables &operator=(const ScopedVariables &) = delete;

private:
    static constexpr const char *all[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"};
};

ProxyRoute route(const QString &url)
{
    QString error;
    ProxyRoute parsed = ProxyRoute::fromUrl(QUrl(url), &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return parsed;
}
} // namespace

class TestProxyPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void proxyUrlsAreReadStrictly()
    {
        QCOMPARE(route(u"http://proxy.corp:3128"_s).curlProxy(), QByteArray("http://proxy.corp:3128"));
        QCOMPARE(route(u"http://proxy.corp:3128"_s).curlProxyType(), long(CURLPROXY_HTTP));
        QCOMPARE(route(u"https://proxy.corp"_s).port, 443);
        QCOMPARE(route(u"https://proxy.corp"_s).curlProxyType(), long(CURLPROXY_HTTPS));
        QCOMPARE(route(u"socks5://socks.corp"_s).port, 1080);
        QCOMPARE(route(u"socks5://socks.corp"_s).curlProxyType(), long(CURLPROXY_SOCKS5));
        QCOMPARE(route(u"SOCKS5H://socks.corp:9050"_s).curlProxyType(), long(CURLPROXY_SOCKS5_HOSTNAME));
        QCOMPARE(route(u"SOCKS5H://socks.corp:9050"_s).curlProxy(), QByteArray("socks5h://socks.corp:9050"));

        QString error;
        QVERIFY(ProxyRoute::fromUrl(QUrl(u"http://me:hunter2@proxy.corp:3128"_s), &error).isDirect());
        QVERIFY2(error.contains(u"no user name or password"_s) && !error.contains(u"hunter2"_s), qPrintable(error));
        error.clear();
        QVERIFY(ProxyRoute::fromUrl(QUrl(u"ftp://proxy.corp"_s), &error).isDirect());
        QVERIFY(error.contains(u"socks5h://"_s));
        error.clear();
        QVERIFY(ProxyRoute::fromUrl(QUrl(u"http://proxy.corp:3128/pac"_s), &error).isDirect());
        QVERIFY(error.contains(u"no path"_s));
        error.clear();
        QVERIFY(ProxyRoute::fromUrl(QUrl(u"proxy.corp:3128"_s), &error).isDirect());
        QVERIFY(!error.isEmpty());
    }

    void theAddressNeverCarriesTheCredentials()
    {
        ProxyRoute proxy = route(u"http://proxy.corp:3128"_s);
        proxy.username = u"me"_s;
        proxy.password = u"hunter2"_s;
        QVERIFY(!proxy.curlProxy().contains("hunter2"));
        QVERIFY(!proxy.curlProxy().contains("me@"));
        QVERIFY(!proxy.display().contains(u"hunter2"_s));
    }

    void noProxyListMatching_data()
    {
        QTest::addColumn<QStringList>("list");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("bypassed");
        QTest::newRow("host") << QStringList{u"api.example.com"_s} << u"https://api.example.com/x"_s << true;
        QTest::newRow("subdomain") << QStringList{u"example.com"_s} << u"https://api.example.com/"_s << true;
        QTest::newRow("dot suffix") << QStringList{u".example.com"_s} << u"https://api.example.com/"_s << true;
        QTest::newRow("star suffix") << QStringList{u"*.example.com"_s} << u"https://api.example.com/"_s << true;
        QTest::newRow("not a suffix of a word") << QStringList{u"example.com"_s} << u"https://badexample.com/"_s << false;
        QTest::newRow("case") << QStringList{u" API.Example.COM "_s} << u"https://api.example.com/"_s << true;
        QTest::newRow("other host") << QStringList{u"example.org"_s} << u"https://api.example.com/"_s << false;
        QTest::newRow("star") << QStringList{u"*"_s} << u"https://anything.example/"_s << true;
        QTest::newRow("ipv4") << QStringList{u"127.0.0.1"_s} << u"http://127.0.0.1:8080/"_s << true;
        QTest::newRow("ipv4 other") << QStringList{u"127.0.0.1"_s} << u"http://127.0.0.2:8080/"_s << false;
        QTest::newRow("cidr") << QStringList{u"10.0.0.0/8"_s} << u"http://10.20.30.40/"_s << true;
        QTest::newRow("cidr outside") << QStringList{u"10.0.0.0/8"_s} << u"http://11.0.0.1/"_s << false;
        QTest::newRow("cidr vs name") << QStringList{u"10.0.0.0/8"_s} << u"http://ten.example/"_s << false;
        QTest::newRow("ipv6") << QStringList{u"[::1]"_s} << u"http://[::1]:8080/"_s << true;
        QTest::newRow("empty") << QStringList{} << u"http://127.0.0.1/"_s << false;
    }

    void noProxyListMatching()
    {
        QFETCH(QStringList, list);
        QFETCH(QString, url);
        QFETCH(bool, bypassed);
        QCOMPARE(ProxyPolicy::listBypasses(list, QUrl(url)), bypassed);
        const ProxyPolicy manual = ProxyPolicy::manual(route(u"http://proxy.corp:3128"_s), list);
        QCOMPARE(manual.routeFor(QUrl(url)).isDirect(), bypassed);
    }

    void hostListsSplitOnAnySeparator()
    {
        QCOMPARE(ProxyPolicy::splitHosts(u" a.example, b.example;c.example  d.example,,a.example"_s),
                 (QStringList{u"a.example"_s, u"b.example"_s, u"c.example"_s, u"d.example"_s}));
    }

    void systemModeFollowsThePlatform()
    {
        const ScopedVariables variables{{"http_proxy", "http://corp-user:corp-pass@proxy.corp:3128"},
                                        {"https_proxy", "http://corp-user:corp-pass@proxy.corp:3128"},
                                        {"no_proxy", "build.internal.corp"}};
        const ProxyPolicy system;
        const ProxyRoute viaProxy = system.routeFor(QUrl(u"https://api.example.com/v1"_s));
        QCOMPARE(viaProxy.type, ProxyRoute::Type::Http);
        QCOMPARE(viaProxy.host, u"proxy.corp"_s);
        QCOMPARE(viaProxy.port, 3128);
        // The platform's credentials go beside the address, never in it.
        QCOMPARE(viaProxy.username, u"corp-user"_s);
        QCOMPARE(viaProxy.password, u"corp-pass"_s);
        QCOMPARE(viaProxy.curlProxy(), QByteArray("http://proxy.corp:3128"));
        QVERIFY(system.routeFor(QUrl(u"http://api.example.com/v1"_s)).type == ProxyRoute::Type::Http);
        QVERIFY(system.routeFor(QUrl(u"https://build.internal.corp/"_s)).isDirect());
        // Loopback is never proxied under the system's settings (the Demo, a local mock).
        QVERIFY(system.routeFor(QUrl(u"http://127.0.0.1:4000/token"_s)).isDirect());
        QVERIFY(system.routeFor(QUrl(u"http://localhost:4000/token"_s)).isDirect());
        QVERIFY(system.routeFor(QUrl(u"http://[::1]:4000/token"_s)).isDirect());
        // Direct ignores every variable.
        QVERIFY(ProxyPolicy::direct().routeFor(QUrl(u"https://api.example.com/v1"_s)).isDirect());
    }

    void systemModeWithoutSettingsIsDirect()
    {
        const ScopedVariables none{};
        QVERIFY(ProxyPolicy().routeFor(QUrl(u"https://api.example.com/v1"_s)).isDirect());
    }

    void theEnvironmentOverridesTheApp()
    {
        const ProxyPolicy before = ProxyPolicy::application();
        const ProxyPolicy app = ProxyPolicy::manual(route(u"http://app-proxy.corp:3128"_s), {u"skip.example"_s});
        ProxyPolicy::setApplication(app);

        Environment env;
        env.id = u"env-proxy-test"_s;
        QCOMPARE(ProxyPolicy::forEnvironment(env), app); // App: the app's choice

        env.proxy.mode = ProxyMode::Direct;
        QCOMPARE(ProxyPolicy::forEnvironment(env).mode(), ProxyPolicy::Mode::Direct);

        env.proxy = {ProxyMode::Manual, QUrl(u"socks5h://env-proxy.corp:1080"_s), u"alice"_s, {u"10.0.0.0/8"_s}};
        ProxyPolicy::setEnvironmentPassword(env.id, u"alice-secret"_s);
        const ProxyPolicy own = ProxyPolicy::forEnvironment(env);
        QCOMPARE(own.mode(), ProxyPolicy::Mode::Manual);
        const ProxyRoute via = own.routeFor(QUrl(u"https://api.example.com/"_s));
        QCOMPARE(via.type, ProxyRoute::Type::Socks5Hostname);
        QCOMPARE(via.host, u"env-proxy.corp"_s);
        QCOMPARE(via.username, u"alice"_s);
        QCOMPARE(via.password, u"alice-secret"_s);
        QVERIFY(own.routeFor(QUrl(u"http://10.1.2.3/"_s)).isDirect());
        // Another environment does not get this one's password.
        Environment other = env;
        other.id = u"another-env"_s;
        QVERIFY(ProxyPolicy::forEnvironment(other).routeFor(QUrl(u"https://api.example.com/"_s)).password.isEmpty());
        ProxyPolicy::setEnvironmentPassword(env.id, {});
        QVERIFY(ProxyPolicy::forEnvironment(env).routeFor(QUrl(u"https://api.example.com/"_s)).password.isEmpty());

        // A manual proxy that cannot be used stops every request rather than going direct.
        env.proxy.url = QUrl(u"socks5h://"_s);
        const ProxyPolicy broken = ProxyPolicy::forEnvironment(env);
        QVERIFY(!broken.problem().isEmpty());

        ProxyPolicy::setApplication(before);
    }
};

QTEST_GUILESS_MAIN(TestProxyPolicy)
#include "tst_proxypolicy.moc"
