// Proxies from the command line (issue 14, item 8): the global --proxy / --no-proxy, and an
// environment's own proxy (env add|set --proxy, --no-proxy, --proxy-user; its password in the
// keychain with secret set NAME proxy-password), against a real tinyproxy on loopback whose log
// proves what went through it.
#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "support/ForwardProxyProcess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString proxyUser = u"cli-proxy-user"_s;
const QString proxyPassword = u"Cli-Pr0xy-Secret-5519"_s;
} // namespace

class TestCliProxy : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;
    QTemporaryDir m_dir;
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        for (const QString &name : {u"http_proxy"_s, u"HTTP_PROXY"_s, u"https_proxy"_s, u"HTTPS_PROXY"_s, u"all_proxy"_s, u"ALL_PROXY"_s,
                                    u"no_proxy"_s, u"NO_PROXY"_s})
            env.remove(name);
        return env;
    }

    CliRun cli(const QStringList &global, const QStringList &command, const QProcessEnvironment &env = secretEnv(), const QByteArray &in = {})
    {
        return runCli(ws(global + command), env, in);
    }

    static QStringList token(const QString &name) { return {u"token"_s, name, u"--client-secret-env"_s, u"TB_SECRET"_s}; }
    static QStringList send(const QString &name) { return {u"send"_s, name, u"GET"_s, u"/me"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}; }

    void addProfile(const QString &name, const QStringList &extra = {})
    {
        const CliRun run = cli({}, QStringList{u"env"_s, u"add"_s, name, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s,
                                                m_demo.apiUrl().toString(), u"--client-id"_s, DemoServer::clientId(), u"--header"_s,
                                                u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=demo-user"_s, u"--scope"_s,
                                                u"accounts:read core.users:act-on-behalf-of"_s, u"--replace"_s}
                                         + extra);
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    static int requestsIn(const QByteArray &log) { return int(log.count("]: Request (")); }

private Q_SLOTS:
    void initTestCase()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
        addProfile(u"Local"_s);
    }

    void theGlobalProxyCarriesTokenAndSend()
    {
        QString error;
        const auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(proxy, qPrintable(error));
        const QStringList global{u"--proxy"_s, proxy->url().toString()};
        CliRun run = cli(global, token(u"Local"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(proxy->log().contains("POST " + m_demo.tokenUrl().toEncoded() + " HTTP/1.1"), proxy->log().constData());
        run = cli({u"--proxy="_s + proxy->url().toString()}, send(u"Local"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(proxy->log().contains("GET " + m_demo.apiUrl().toEncoded() + "/me HTTP/1.1"), proxy->log().constData());

        // --no-proxy: these hosts go straight there.
        const int before = requestsIn(proxy->log());
        run = cli(global + QStringList{u"--no-proxy"_s, u"localhost,127.0.0.1"_s}, send(u"Local"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(requestsIn(proxy->log()), before);
    }

    void aProxyWithCredentialsInItsUrlIsRefused()
    {
        const CliRun run = cli({u"--proxy"_s, u"http://someone:Typed-Secret-77@127.0.0.1:3128"_s}, token(u"Local"_s));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("no user name or password"), run.err.constData());
        QVERIFY(!(run.out + run.err).contains("Typed-Secret-77"));
        QCOMPARE(cli({u"--proxy"_s, u"ftp://127.0.0.1:21"_s}, token(u"Local"_s)).exitCode, 2);
        QCOMPARE(cli({u"--proxy"_s}, {}).exitCode, 2);
    }

    void anEnvironmentsOwnProxyWithItsPasswordInTheKeychain()
    {
        QString error;
        const auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error, proxyUser, proxyPassword);
        QVERIFY2(proxy, qPrintable(error));
        addProfile(u"Proxied"_s, {u"--proxy"_s, proxy->url().toString(), u"--proxy-user"_s, proxyUser, u"--no-proxy"_s, u"internal.example, 10.0.0.0/8"_s});
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(stored.contains(proxyUser.toUtf8()));
        QVERIFY(stored.contains("internal.example"));

        // Without its password: said so, nothing sent.
        CliRun run = cli({}, token(u"Proxied"_s));
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains("proxy-password"), run.err.constData());
        QCOMPARE(requestsIn(proxy->log()), 0);

        run = cli({}, {u"secret"_s, u"set"_s, u"Proxied"_s, u"proxy-password"_s}, secretEnv(), proxyPassword.toUtf8());
        if (run.exitCode == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(run.exitCode == 0, run.err.constData());

        run = cli({}, token(u"Proxied"_s) + QStringList{u"--verbose"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!(run.out + run.err).contains(proxyPassword.toUtf8()));
        run = cli({}, send(u"Proxied"_s) + QStringList{u"--verbose"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(!(run.out + run.err).contains(proxyPassword.toUtf8()));
        QVERIFY2(proxy->log().contains("GET " + m_demo.apiUrl().toEncoded() + "/me HTTP/1.1"), proxy->log().constData());
        QVERIFY(file.seek(0));
        QVERIFY(!file.readAll().contains(proxyPassword.toUtf8()));

        // Direct ignores the proxy variables of the environment.
        QCOMPARE(cli({}, {u"env"_s, u"set"_s, u"Proxied"_s, u"--proxy"_s, u"direct"_s}).exitCode, 0);
        QProcessEnvironment withVariables = secretEnv();
        withVariables.insert(u"http_proxy"_s, proxy->url().toString());
        withVariables.insert(u"HTTP_PROXY"_s, proxy->url().toString());
        withVariables.insert(u"ALL_PROXY"_s, proxy->url().toString());
        const int before = requestsIn(proxy->log());
        run = cli({}, send(u"Proxied"_s), withVariables);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(requestsIn(proxy->log()), before);

        // A proxy that is not there: a transport failure naming it.
        QCOMPARE(cli({}, {u"env"_s, u"set"_s, u"Proxied"_s, u"--proxy"_s, proxy->url().toString()}).exitCode, 0);
        const QString address = proxy->url().toString();
        proxy->stop();
        run = cli({}, token(u"Proxied"_s));
        QCOMPARE(run.exitCode, 6);
        QVERIFY2(run.err.contains("through the proxy " + address.toUtf8()), run.err.constData());
        QVERIFY(!(run.out + run.err).contains(proxyPassword.toUtf8()));
        cli({}, {u"secret"_s, u"remove"_s, u"Proxied"_s, u"proxy-password"_s});
    }

    void proxyOptionsOfAnEnvironmentAreChecked()
    {
        CliRun run = cli({}, {u"env"_s, u"set"_s, u"Local"_s, u"--proxy-user"_s, u"someone"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--proxy URL"), run.err.constData());
        run = cli({}, {u"env"_s, u"set"_s, u"Local"_s, u"--proxy"_s, u"http://u:Env-Typed-Secret@proxy.example:3128"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!(run.out + run.err).contains("Env-Typed-Secret"));
        QCOMPARE(cli({}, {u"env"_s, u"set"_s, u"Local"_s, u"--proxy"_s, u"socks5h://proxy.example:1080"_s}).exitCode, 0);
        QCOMPARE(cli({}, {u"env"_s, u"set"_s, u"Local"_s, u"--proxy"_s, u"app"_s}).exitCode, 0);
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("socks5h://proxy.example"));
    }
};

QTEST_GUILESS_MAIN(TestCliProxy)
#include "tst_cli_proxy.moc"
