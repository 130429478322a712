// Issue 14's "done when", through a corporate proxy: given only the issuer URL and the proxy,
// discovery, the token request, the JWKS read for the signature check and the API call all go
// through a real tinyproxy on loopback, against oidc-provider; tinyproxy's log proves each one.
#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "support/ForwardProxyProcess.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestOidcProxy : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;
    const OidcFixtureClient m_client = OidcProviderProcess::basicClient();

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    // No proxy variables of the machine running the tests: only the environment's proxy counts.
    QProcessEnvironment processEnv() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OIDC_SECRET"_s, m_client.secret);
        for (const QString &name : {u"http_proxy"_s, u"HTTP_PROXY"_s, u"https_proxy"_s, u"HTTPS_PROXY"_s, u"all_proxy"_s, u"ALL_PROXY"_s,
                                    u"no_proxy"_s, u"NO_PROXY"_s})
            env.remove(name);
        return env;
    }

    CliRun cli(const QStringList &args) { return runCli(ws(args), processEnv()); }

    void addThroughProxy(const QString &name, const ForwardProxyProcess &proxy)
    {
        const CliRun add = cli({u"env"_s, u"add"_s, name, u"--issuer"_s, m_server.issuer().toString(), u"--api-url"_s,
                                m_server.apiBase().toString(), u"--client-id"_s, m_client.id, u"--grant"_s, u"client_credentials"_s,
                                u"--client-auth"_s, u"basic"_s, u"--scope"_s, u"accounts:read"_s, u"--proxy"_s, proxy.url().toString(),
                                u"--replace"_s});
        QVERIFY2(add.exitCode == 0, add.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void everyRequestGoesThroughTheEnvironmentsProxy()
    {
        QString error;
        const auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(proxy, qPrintable(error));
        addThroughProxy(u"corp"_s, *proxy);
        const QByteArray issuer = m_server.issuer().toEncoded();
        QVERIFY2(proxy->log().contains("GET " + issuer + "/.well-known/openid-configuration"), proxy->log().constData());

        const CliRun token = cli({u"--json"_s, u"token"_s, u"corp"_s, u"--client-secret-env"_s, u"OIDC_SECRET"_s});
        QVERIFY2(token.exitCode == 0, token.err.constData());
        QVERIFY2(proxy->log().contains("POST " + m_server.tokenEndpoint().toEncoded() + " HTTP/1.1"), proxy->log().constData());
        // The access token is a JWT signed by the provider: verified with the JWKS read through the proxy.
        const QJsonObject signature = token.json().value(u"signature"_s).toObject();
        QCOMPARE(signature.value(u"status"_s).toString(), u"verified"_s);
        QVERIFY2(proxy->log().contains("GET " + issuer + "/jwks"), proxy->log().constData());

        const CliRun send = cli({u"send"_s, u"corp"_s, u"GET"_s, u"/accounts"_s, u"--client-secret-env"_s, u"OIDC_SECRET"_s});
        QVERIFY2(send.exitCode == 0, send.err.constData());
        QVERIFY2(proxy->log().contains("GET " + m_server.apiBase().toEncoded() + "/accounts HTTP/1.1"), proxy->log().constData());
        QVERIFY2(!(send.out + send.err).contains(m_client.secret.toUtf8()), send.out.constData());
    }

    // The proxy is the way out of the office: when it is down, nothing goes direct instead.
    void aStoppedProxyIsAnErrorNamingIt()
    {
        QString error;
        auto proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(proxy, qPrintable(error));
        addThroughProxy(u"down"_s, *proxy);
        const QString address = proxy->url().toString();
        proxy->stop();
        const CliRun token = cli({u"token"_s, u"down"_s, u"--client-secret-env"_s, u"OIDC_SECRET"_s});
        QCOMPARE(token.exitCode, 6);
        QVERIFY2(token.err.contains(address.toUtf8()) || token.err.contains(QUrl(address).authority().toUtf8()), token.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestOidcProxy)
#include "tst_oidc_proxy.moc"
