#include "demo/DemoServer.h"
#include "http/ApiCall.h"
#include "http/CachedTokenSource.h"
#include "http/Exchange.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/ForwardProxyProcess.h"
#include "support/ScriptedHttpServer.h"
#include "support/TlsTestServer.h"
#include "workspace/Workspace.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

// Proxies on the wire: a real tinyproxy (HTTP, CONNECT, Basic credentials) and microsocks
// (SOCKS5) on loopback carry token requests and API calls; a scripted proxy records exactly what
// a proxy is shown. Each test skips, saying why, only when the proxy program is not installed.
namespace {
const QString proxyUser = u"proxy-user"_s;
const QString proxyPassword = u"Pr0xy-Passw0rd-7731"_s;

TokenResult await(TokenFetch *fetch)
{
    QSignalSpy spy(fetch, &TokenFetch::finished);
    if (!spy.wait(15000))
        return {std::nullopt, OAuthError{OAuthError::Kind::Timeout, {}, 0, {}, {}, {}, u"test gave up"_s, {}}};
    return spy.first().first().value<TokenResult>();
}

ExchangeResult exchange(const PreparedRequest &request)
{
    Exchange exchange;
    QSignalSpy spy(&exchange, &Exchange::finished);
    exchange.start(request);
    if (!spy.wait(15000))
        return {};
    return spy.first().first().value<ExchangeResult>();
}

ApiCallResult run(ApiCall &call, const Environment &env, const QString &path)
{
    ApiCallResult out;
    QEventLoop loop;
    QObject::connect(&call, &ApiCall::finished, &loop, [&](const ApiCallResult &result) {
        out = result;
        loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    RequestDraft draft;
    draft.method = u"GET"_s;
    draft.url = path;
    call.start(env, draft);
    loop.exec();
    return out;
}

// The header block of one recorded request, less the request line, as "name: value" lines.
QList<QByteArray> headerLines(const QByteArray &request)
{
    QList<QByteArray> lines = request.left(request.indexOf("\r\n\r\n")).split('\n');
    lines.removeFirst();
    for (QByteArray &line : lines)
        line = line.trimmed();
    return lines;
}

QByteArray flat(const HttpHeaders &headers)
{
    QByteArray text;
    for (const auto &[name, value] : headers.fields())
        text += name + ": " + value + '\n';
    return text;
}

#define START_PROXY(variable, kind, ...)                                                                                   \
    QString variable##Error;                                                                                              \
    if (ForwardProxyProcess::program(kind).isEmpty())                                                                     \
        QSKIP(qPrintable(kind == ForwardProxyProcess::Kind::Tinyproxy ? u"tinyproxy is not installed (apt-get install tinyproxy)"_s \
                                                                       : u"microsocks is not installed (apt-get install microsocks)"_s)); \
    const auto variable = ForwardProxyProcess::start(kind, &variable##Error, ##__VA_ARGS__);                            \
    QVERIFY2(variable, qPrintable(variable##Error))
} // namespace

Q_DECLARE_METATYPE(TokenResult)

class TestProxy : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;

    Environment demoEnvironment(const QUrl &proxy, const QString &username = {}) const
    {
        Environment env = Workspace::demoEnvironment();
        env.id = u"proxied-env"_s;
        env.tokenUrl = m_demo.tokenUrl();
        env.apiBaseUrl = m_demo.apiUrl();
        env.clientId = DemoServer::clientId();
        env.proxy = {ProxyMode::Manual, proxy, username, {}};
        return env;
    }

    static TokenRequest tokenRequest(const Environment &env)
    {
        TokenRequest request = TokenRequest::fromEnvironment(env);
        request.clientSecret = DemoServer::clientSecret();
        request.timeoutMs = 10000;
        return request;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void init()
    {
        ProxyPolicy::setEnvironmentPassword(u"proxied-env"_s, {});
    }

    void tokenRequestAndApiCallGoThroughTheProxy()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy);
        const Environment env = demoEnvironment(proxy->url());
        TokenClient client;
        const TokenResult token = await(client.fetch(tokenRequest(env)));
        QVERIFY2(token.ok(), qPrintable(token.error.summary()));
        QVERIFY2(proxy->log().contains("POST " + m_demo.tokenUrl().toEncoded() + " HTTP/1.1"), qPrintable(QString::fromUtf8(proxy->log()).right(1500)));

        CachedTokenSource tokens(env.id, tokenRequest(env));
        ApiCall call(&tokens);
        const ApiCallResult result = run(call, env, u"/me"_s);
        QVERIFY2(result.answered(), qPrintable(result.problems.join(u"; "_s) + result.exchange.errorText()));
        QCOMPARE(result.exchange.status, 200);
        QVERIFY2(proxy->log().contains("GET " + m_demo.apiUrl().toEncoded() + "/me"), proxy->log().constData());
    }

    void httpsGoesThroughAConnectTunnel()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy);
        QTemporaryDir dir;
        QSslCertificate certificate;
        const auto server = selfSignedTlsServer(dir.path(), &certificate);
        if (!server)
            QSKIP("openssl is not installed");
        server->setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"ok":true})"));
        PreparedRequest request;
        request.url = server->url(u"/over-tls"_s, u"https"_s);
        request.headers.set("Authorization", "Bearer tunnelled-bearer");
        request.guard = OriginGuard(request.url);
        request.extraCaPem = certificate.toPem();
        request.proxy = ProxyPolicy::manual(ProxyRoute::fromUrl(proxy->url(), nullptr), {});
        const ExchangeResult result = exchange(request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.status, 200);
        QVERIFY2(proxy->log().contains("CONNECT 127.0.0.1:" + QByteArray::number(server->port())), proxy->log().constData());
        QVERIFY(server->received().contains("Authorization: Bearer tunnelled-bearer"));
    }

    void aProxyNeverSeesAnHttpsOriginsCredentials()
    {
        // A proxy that records what it is shown and refuses the tunnel: only the CONNECT.
        ScriptedHttpServer proxy;
        QVERIFY(proxy.listen());
        proxy.setResponse(ScriptedHttpServer::response(403, "Forbidden", "text/plain", "no"));
        PreparedRequest request;
        request.url = QUrl(u"https://api.example.com:8443/accounts"_s);
        request.headers.set("Authorization", "Bearer https-only-bearer");
        request.headers.set("X-Api-Key", "https-only-key");
        request.guard = OriginGuard(request.url);
        request.proxy = ProxyPolicy::manual(ProxyRoute::fromUrl(proxy.url(u""_s), nullptr), {});
        const ExchangeResult result = exchange(request);
        QVERIFY(!result.answered());
        QVERIFY2(proxy.received().startsWith("CONNECT api.example.com:8443 HTTP/1.1\r\n"), proxy.received().constData());
        QVERIFY(!proxy.received().contains("https-only-bearer"));
        QVERIFY(!proxy.received().contains("https-only-key"));
        QVERIFY(!proxy.received().contains("/accounts"));
        // A refusing proxy is named in the error, with its answer.
        QVERIFY2(result.errorText().contains(u"through the proxy http://127.0.0.1:%1"_s.arg(proxy.port())), qPrintable(result.errorText()));
        QVERIFY2(result.errorText().contains(u"403"_s), qPrintable(result.errorText()));
    }

    void anHttpProxyGetsExactlyWhatTheOriginWould()
    {
        // A plain-http API through an HTTP proxy: the proxy is shown the request the origin
        // would get (it forwards it), plus its own credentials and nothing else.
        const auto prepared = [](const QUrl &url) {
            PreparedRequest request;
            request.url = url;
            request.headers.set("Authorization", "Bearer plain-bearer");
            request.headers.set("X-Context", "ctx");
            request.guard = OriginGuard(url);
            return request;
        };
        ScriptedHttpServer origin;
        QVERIFY(origin.listen());
        origin.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "direct"));
        const QUrl url = origin.url(u"/v1/items?x=1"_s);
        QCOMPARE(exchange(prepared(url)).status, 200);
        QCOMPARE(origin.requests().size(), 1);

        ScriptedHttpServer proxy;
        QVERIFY(proxy.listen());
        proxy.queueResponse(ScriptedHttpServer::response(407, "Proxy Authentication Required", "text/plain", "who?",
                                                         "Proxy-Authenticate: Basic realm=\"corp\"\r\n"));
        proxy.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "via proxy"));
        PreparedRequest viaProxy = prepared(url);
        ProxyRoute route = ProxyRoute::fromUrl(proxy.url(u""_s), nullptr);
        route.username = proxyUser;
        route.password = proxyPassword;
        viaProxy.proxy = ProxyPolicy::manual(route, {});
        const ExchangeResult result = exchange(viaProxy);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, QByteArray("via proxy"));
        QCOMPARE(proxy.requests().size(), 2); // asked, then answered with the credentials

        const QByteArray direct = origin.requests().first();
        const QByteArray proxied = proxy.requests().last();
        QVERIFY2(proxied.startsWith("GET " + url.toEncoded() + " HTTP/1.1\r\n"), proxied.constData());
        QList<QByteArray> extra = headerLines(proxied);
        for (const QByteArray &line : headerLines(direct))
            QVERIFY2(extra.removeOne(line), line.constData()); // every header the origin got, unchanged
        const QByteArray basic = "Basic " + (proxyUser + u':' + proxyPassword).toUtf8().toBase64();
        extra.removeOne("Proxy-Connection: Keep-Alive"); // curl's hop-by-hop hint, if it sends one
        QCOMPARE(extra, QList<QByteArray>{"Proxy-Authorization: " + basic});
        QVERIFY(!proxy.requests().first().contains("Proxy-Authorization")); // nothing before it was asked for
    }

    void theNoProxyListBypassesIt()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy);
        Environment env = demoEnvironment(proxy->url());
        env.proxy.noProxy = {u"localhost"_s, u"127.0.0.1"_s};
        TokenClient client;
        const TokenResult token = await(client.fetch(tokenRequest(env)));
        QVERIFY2(token.ok(), qPrintable(token.error.summary()));
        QVERIFY2(!proxy->log().contains("Request ("), proxy->log().constData());
    }

    void directIgnoresTheProxyVariables()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy);
        const QByteArray address = proxy->url().toEncoded();
        for (const char *name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            qputenv(name, address);
        Environment env = demoEnvironment({});
        env.proxy = {ProxyMode::Direct, {}, {}, {}};
        TokenClient client;
        const TokenResult token = await(client.fetch(tokenRequest(env)));
        for (const char *name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            qunsetenv(name);
        QVERIFY2(token.ok(), qPrintable(token.error.summary()));
        QVERIFY2(!proxy->log().contains("Request ("), proxy->log().constData());
    }

    void theProxysCredentialsWork()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy, proxyUser, proxyPassword);
        const Environment env = demoEnvironment(proxy->url(), proxyUser);

        // No password yet, then a wrong one: the proxy refuses, and the error names it.
        TokenClient client;
        TokenResult token = await(client.fetch(tokenRequest(env)));
        QVERIFY(!token.ok());
        const QString named = u"through the proxy "_s + proxy->url().toString();
        QVERIFY2(token.error.summary().contains(named), qPrintable(token.error.summary()));
        ProxyPolicy::setEnvironmentPassword(env.id, u"Wrong-Passw0rd-0042"_s);
        token = await(client.fetch(tokenRequest(env)));
        QVERIFY(!token.ok());
        QVERIFY2(token.error.summary().contains(named), qPrintable(token.error.summary()));
        QVERIFY(!token.error.summary().contains(u"Wrong-Passw0rd-0042"_s));

        ProxyPolicy::setEnvironmentPassword(env.id, proxyPassword);
        token = await(client.fetch(tokenRequest(env)));
        QVERIFY2(token.ok(), qPrintable(token.error.summary()));
        CachedTokenSource tokens(env.id, tokenRequest(env));
        ApiCall call(&tokens);
        const ApiCallResult result = run(call, env, u"/me"_s);
        QCOMPARE(result.exchange.status, 200);
        QVERIFY2(proxy->log().contains("GET " + m_demo.apiUrl().toEncoded() + "/me"), proxy->log().constData());
        // What the app keeps of the exchange never holds the proxy's password.
        QVERIFY(!flat(result.exchange.headers).contains(proxyPassword.toUtf8()));
        QVERIFY(!flat(result.request.headers).contains(proxyPassword.toUtf8()));
        QVERIFY(!result.exchange.errorText().contains(proxyPassword));
        QVERIFY(!result.request.headers.contains("Proxy-Authorization"));
    }

    void aProxyThatIsNotThereIsAClearError()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Tinyproxy);
        const QUrl address = proxy->url();
        proxy->stop();
        TokenClient client;
        const TokenResult token = await(client.fetch(tokenRequest(demoEnvironment(address))));
        QVERIFY(!token.ok());
        QVERIFY2(token.error.summary().contains(u"through the proxy "_s + address.toString()), qPrintable(token.error.summary()));
    }

    void socks5CarriesTheTokenRequest()
    {
        START_PROXY(proxy, ForwardProxyProcess::Kind::Microsocks, proxyUser, proxyPassword);
        const Environment env = demoEnvironment(proxy->url(), proxyUser);
        TokenClient client;

        // microsocks keeps no log: its refusal of a wrong password proves the request went to it.
        ProxyPolicy::setEnvironmentPassword(env.id, u"wrong"_s);
        TokenResult token = await(client.fetch(tokenRequest(env)));
        QVERIFY(!token.ok());
        QVERIFY2(token.error.summary().contains(u"through the proxy socks5h://127.0.0.1"_s), qPrintable(token.error.summary()));
        QVERIFY(!token.error.summary().contains(u"wrong"_s));

        ProxyPolicy::setEnvironmentPassword(env.id, proxyPassword);
        token = await(client.fetch(tokenRequest(env)));
        QVERIFY2(token.ok(), qPrintable(token.error.summary()));

        proxy->stop();
        token = await(client.fetch(tokenRequest(env)));
        QVERIFY(!token.ok()); // nothing went straight to the Demo instead
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
