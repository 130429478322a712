// API requests over HTTP/2 (ALPN over TLS) to a real server: Node's own http2 module
// (tests/integration/h2/server.mjs), with a certificate the test makes and trusts for the call.
#include "demo/DemoServer.h"
#include "http/ApiCall.h"
#include "http/CachedTokenSource.h"
#include "http/Exchange.h"
#include "support/TlsTestServer.h"
#include "workspace/Workspace.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

class TestHttp2 : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_node;
    QSslCertificate m_certificate;
    quint16 m_port = 0;

    QUrl url(const QString &path) const { return QUrl(u"https://127.0.0.1:%1%2"_s.arg(m_port).arg(path)); }

    PreparedRequest request(const QString &path) const
    {
        PreparedRequest prepared;
        prepared.url = url(path);
        prepared.guard = OriginGuard(prepared.url);
        prepared.extraCaPem = m_certificate.toPem();
        prepared.timeoutMs = 20000;
        return prepared;
    }

    static ExchangeResult run(Exchange &exchange, const PreparedRequest &prepared)
    {
        ExchangeResult out;
        QEventLoop loop;
        connect(&exchange, &Exchange::finished, &loop, [&](const ExchangeResult &result) {
            out = result;
            loop.quit();
        });
        exchange.start(prepared);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        exchange.disconnect(&loop);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto made = makeSelfSignedCertificate(m_dir.path());
        if (!made)
            QSKIP("openssl could not make a test certificate");
        m_certificate = made->certificate;
        m_node.setProgram(qEnvironmentVariable("TOKENBENCH_NODE", QStringLiteral(TOKENBENCH_NODE_EXECUTABLE)));
        m_node.setArguments({QStringLiteral(TOKENBENCH_H2_SERVER_SCRIPT), u"--key"_s, made->keyPath, u"--cert"_s, made->certificatePath});
        m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_node.start();
        QVERIFY2(m_node.waitForStarted(10000), qPrintable(m_node.errorString()));
        QVERIFY(QTest::qWaitFor([&] { return m_node.canReadLine(); }, 20000));
        m_port = quint16(QJsonDocument::fromJson(m_node.readLine()).object().value(u"port"_s).toInt());
        QVERIFY(m_port > 0);
    }

    void cleanupTestCase()
    {
        m_node.closeWriteChannel();
        if (!m_node.waitForFinished(3000))
            m_node.kill();
    }

    void headersAndBodyOverHttp2()
    {
        Exchange exchange;
        PreparedRequest prepared = request(u"/api/echo?x=1"_s);
        prepared.method = "POST";
        prepared.body = R"({"symbol":"BTC-USD"})";
        prepared.headers.append("Authorization", "Bearer h2-token");
        prepared.headers.append("X-On-Behalf-Of", "user demo-user");
        prepared.headers.append("Content-Type", "application/json");
        const ExchangeResult result = run(exchange, prepared);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.httpVersion, QByteArray("HTTP/2"));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.headers.value("Content-Type"), QByteArray("application/json")); // names compare case-insensitively
        QCOMPARE(result.headers.value("x-served-by"), QByteArray("node-http2"));
        const QJsonObject echo = QJsonDocument::fromJson(result.body).object();
        QCOMPARE(echo.value(u"protocol"_s).toString(), u"2.0"_s);
        QCOMPARE(echo.value(u"method"_s).toString(), u"POST"_s);
        QCOMPARE(echo.value(u"path"_s).toString(), u"/api/echo?x=1"_s);
        QCOMPARE(echo.value(u"body"_s).toString(), u"{\"symbol\":\"BTC-USD\"}"_s);
        const QJsonObject headers = echo.value(u"headers"_s).toObject();
        QCOMPARE(headers.value(u"authorization"_s).toString(), u"Bearer h2-token"_s);
        QCOMPARE(headers.value(u"x-on-behalf-of"_s).toString(), u"user demo-user"_s);
        QVERIFY(!headers.contains(u"accept"_s)); // none of curl's defaults
        QVERIFY(headers.value(u"user-agent"_s).toString().startsWith(u"Tokenbench/"_s));
    }

    void largeBodyOverManyFrames()
    {
        Exchange exchange;
        const ExchangeResult result = run(exchange, request(u"/api/big?mb=8"_s));
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.httpVersion, QByteArray("HTTP/2"));
        QVERIFY(result.body.size() > 8 * 1024 * 1024 - 100);
        QJsonParseError error;
        QJsonDocument::fromJson(result.body, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void denialReadoutFromHttp2Headers()
    {
        // The whole composer path: token from the Demo, the call over HTTP/2, the 403 explained.
        DemoServer demo;
        QString problem;
        QVERIFY2(demo.start(0, &problem), qPrintable(problem));
        Environment env = Workspace::demoEnvironment();
        env.builtin.clear();
        env.id = u"h2-env"_s;
        env.name = u"HTTP/2 API"_s;
        env.tokenUrl = demo.tokenUrl();
        env.clientId = DemoServer::clientId();
        env.apiBaseUrl = url(u"/api"_s);
        env.trustedCertificates = m_certificate.toPem();
        env.scopes = {u"accounts:read"_s};
        env.headers.clear();
        TokenRequest tokenRequest = TokenRequest::fromEnvironment(env);
        tokenRequest.clientSecret = DemoServer::clientSecret();
        CachedTokenSource tokens(env.id, tokenRequest);
        ApiCall call(&tokens);
        RequestDraft draft;
        draft.url = u"/denied"_s;
        ApiCallResult result;
        QEventLoop loop;
        connect(&call, &ApiCall::finished, &loop, [&](const ApiCallResult &r) {
            result = r;
            loop.quit();
        });
        call.start(env, draft);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY2(result.answered(), qPrintable(result.exchange.errorText()));
        QCOMPARE(result.exchange.httpVersion, QByteArray("HTTP/2"));
        QCOMPARE(result.exchange.status, 403);
        QVERIFY2(result.readout.missingScopes.contains(u"trades:execute"_s), qPrintable(result.readout.text()));
    }
};

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
