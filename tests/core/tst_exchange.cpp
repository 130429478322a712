// The wire layer under ApiCall: what Exchange puts on the wire through libcurl and how it reads
// what comes back — against ScriptedHttpServer, a peer that records every byte it gets.
#include "http/Exchange.h"
#include "support/DecompressionBomb.h"
#include "support/HostileHttpServer.h"
#include "support/ScriptedHttpServer.h"
#include "support/TestPki.h"
#include "support/TlsTestServer.h"

#include <QEventLoop>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <ctime>
#include <memory>

using namespace Qt::StringLiterals;

class TestExchange : public QObject
{
    Q_OBJECT

    static PreparedRequest get(const QUrl &url)
    {
        PreparedRequest request;
        request.url = url;
        request.guard = OriginGuard(url, {});
        request.timeoutMs = 10000;
        return request;
    }

    // Runs one exchange to its end; counts the finished() reports.
    static ExchangeResult run(Exchange &exchange, const PreparedRequest &request, int *reports = nullptr)
    {
        ExchangeResult out;
        out.error = ExchangeResult::Error::Cancelled;
        out.errorDetail = u"the test gave up waiting"_s;
        int count = 0;
        QEventLoop loop;
        const auto connection = connect(&exchange, &Exchange::finished, &loop, [&](const ExchangeResult &result) {
            out = result;
            ++count;
            loop.quit();
        });
        exchange.start(request);
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        loop.exec();
        QTest::qWait(20); // a second report would come now
        disconnect(connection);
        if (reports)
            *reports = count;
        return out;
    }

    static QByteArray keepAliveOk(const QByteArray &body)
    {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
            + body;
    }

    // A loopback server that answers every request with 200 "fine"; null if it cannot listen.
    static std::unique_ptr<ScriptedHttpServer> fineServer()
    {
        auto server = std::make_unique<ScriptedHttpServer>();
        server->setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        return server->listen() ? std::move(server) : nullptr;
    }

    static QList<QByteArray> headerLines(const QByteArray &request)
    {
        QList<QByteArray> lines = request.left(request.indexOf("\r\n\r\n")).split('\n');
        for (QByteArray &line : lines)
            line = line.trimmed();
        return lines;
    }

    static bool hasHeader(const QByteArray &request, const QByteArray &name)
    {
        for (const QByteArray &line : headerLines(request)) {
            if (line.toLower().startsWith(name.toLower() + ':'))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void sequentialRequestsShareOneConnection()
    {
        ScriptedHttpServer api;
        api.setKeepAlive(true);
        api.setResponse(keepAliveOk(R"({"ok":true})"));
        QVERIFY(api.listen());
        Exchange first;
        for (int i = 0; i < 5; ++i) {
            const ExchangeResult result = run(first, get(api.url(u"/api/accounts"_s)));
            QVERIFY2(result.answered(), qPrintable(result.errorText()));
            QCOMPARE(result.status, 200);
            QCOMPARE(result.body, QByteArray(R"({"ok":true})"));
        }
        // Another exchange of the same thread reuses the same pool.
        Exchange second;
        QCOMPARE(run(second, get(api.url(u"/api/trades"_s))).status, 200);
        QCOMPARE(api.requestCount(), 6);
        QCOMPARE(api.connectionCount(), 1);
    }

    void sendsOnlyTheHeadersGiven()
    {
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(201, "Created", "application/json", "{}"));
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/trades?x=1"_s));
        request.method = "POST";
        request.body = "raw body bytes";
        request.headers.append("X-Trace", "one");
        request.headers.append("X-Trace", "two");
        request.headers.append("X-Empty", "");
        const ExchangeResult result = run(exchange, request);
        QCOMPARE(result.status, 201);
        QCOMPARE(api.requests().size(), 1);
        const QByteArray sent = api.requests().constFirst();
        QVERIFY2(sent.startsWith("POST /api/trades?x=1 HTTP/1.1\r\n"), sent.constData());
        QVERIFY2(sent.endsWith("\r\n\r\nraw body bytes"), sent.constData());
        const QList<QByteArray> lines = headerLines(sent);
        QCOMPARE(lines.count("X-Trace: one"), 1);
        QCOMPARE(lines.count("X-Trace: two"), 1);
        QVERIFY(lines.contains("X-Empty:"));
        QVERIFY(lines.contains("User-Agent: " + Exchange::userAgent()));
        QVERIFY(lines.contains("Content-Length: 14"));
        // Nothing the user did not ask for: no invented content type, no Expect, no Accept.
        QVERIFY(!hasHeader(sent, "Content-Type"));
        QVERIFY(!hasHeader(sent, "Expect"));
        QVERIFY(!hasHeader(sent, "Accept"));
    }

    void methodsGoOutAsGiven_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("DELETE") << QByteArray("DELETE") << QByteArray();
        QTest::newRow("PUT with body") << QByteArray("PUT") << QByteArray(R"({"a":1})");
        QTest::newRow("PATCH empty") << QByteArray("PATCH") << QByteArray();
        QTest::newRow("POST empty") << QByteArray("POST") << QByteArray();
        QTest::newRow("OPTIONS") << QByteArray("OPTIONS") << QByteArray();
        QTest::newRow("GET with body") << QByteArray("GET") << QByteArray("q=1");
        QTest::newRow("custom") << QByteArray("PROPFIND") << QByteArray();
    }

    void methodsGoOutAsGiven()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        const auto server = fineServer();
        QVERIFY(server);
        ScriptedHttpServer &api = *server;
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/x"_s));
        request.method = method;
        request.body = body;
        const ExchangeResult result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.method, method);
        const QByteArray sent = api.requests().value(0);
        QVERIFY2(sent.startsWith(method + " /api/x HTTP/1.1\r\n"), sent.constData());
        QVERIFY(sent.endsWith("\r\n\r\n" + body));
        QVERIFY2(!hasHeader(sent, "Content-Type"), sent.constData()); // none given, none invented
    }

    void headRequestEndsWithoutABody()
    {
        ScriptedHttpServer api;
        api.setResponse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n");
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/accounts"_s));
        request.method = "HEAD";
        const ExchangeResult result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.headers.value("Content-Length"), QByteArray("5000"));
        QVERIFY(result.body.isEmpty());
        QVERIFY(api.requests().value(0).startsWith("HEAD /api/accounts HTTP/1.1\r\n"));
    }

    void lineBreaksInHeadersAreRefusedBeforeSending_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("CRLF in value") << QByteArray("X-On-Behalf-Of") << QByteArray("user 1\r\nX-Admin: yes");
        QTest::newRow("LF in value") << QByteArray("X-On-Behalf-Of") << QByteArray("user 1\nX-Admin: yes");
        QTest::newRow("NUL in value") << QByteArray("X-On-Behalf-Of") << QByteArray("user 1\0x", 8);
        QTest::newRow("colon in name") << QByteArray("X-A: b") << QByteArray("c");
        QTest::newRow("CR in name") << QByteArray("X-A\rX-B") << QByteArray("c");
    }

    void lineBreaksInHeadersAreRefusedBeforeSending()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        const auto server = fineServer();
        QVERIFY(server);
        ScriptedHttpServer &api = *server;
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/x"_s));
        request.headers.append(name, value);
        int reports = 0;
        const ExchangeResult result = run(exchange, request, &reports);
        QCOMPARE(reports, 1);
        QCOMPARE(result.error, ExchangeResult::Error::InvalidRequest);
        QVERIFY2(result.errorDetail.contains(u"line break"_s), qPrintable(result.errorDetail));
        QTest::qWait(50);
        QCOMPARE(api.requestCount(), 0);
        QVERIFY(api.received().isEmpty());
    }

    void responseHeadersKeepOrderRepeatsAndFolds()
    {
        ScriptedHttpServer api;
        api.setResponse("HTTP/1.0 418 I'm a teapot\r\nSet-Cookie: a=1\r\nX-Long: first\r\n  second\r\nSet-Cookie: b=2\r\n"
                        "Content-Length: 3\r\n\r\ntea");
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/x"_s)));
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.status, 418);
        QCOMPARE(result.reason, QByteArray("I'm a teapot"));
        QCOMPARE(result.httpVersion, QByteArray("HTTP/1.0"));
        QCOMPARE(result.headers.values("Set-Cookie"), (QList<QByteArray>{"a=1", "b=2"}));
        QCOMPARE(result.headers.value("X-Long"), QByteArray("first second"));
        QCOMPARE(result.headers.fields().constFirst().first, QByteArray("Set-Cookie"));
        QCOMPARE(result.body, QByteArray("tea"));
        QVERIFY(result.headersMs >= 0 && result.headersMs <= result.totalMs);
    }

    void informationalResponsesAreNotTheAnswer()
    {
        ScriptedHttpServer api;
        api.setResponse("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/x"_s)));
        QCOMPARE(result.status, 200);
        QVERIFY(!result.headers.contains("Link"));
        QCOMPARE(result.body, QByteArray("ok"));
    }

    void compressedBodiesAreDecoded()
    {
        const QByteArray plain = QByteArray(R"({"accounts":[)") + QByteArray("{\"id\":1},").repeated(500) + "{}]}";
        const QByteArray deflated = qCompress(plain).mid(4); // a zlib stream without Qt's length prefix
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", deflated, "Content-Encoding: deflate\r\n"));
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/accounts"_s)));
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, plain);
        QVERIFY(hasHeader(api.requests().value(0), "Accept-Encoding"));
    }

    void proxiesFromTheEnvironmentAreNotUsed()
    {
        const auto server = fineServer();
        QVERIFY(server);
        // A proxy named by the environment would see the bearer of a plain-http request.
        ScriptedHttpServer proxy;
        QVERIFY(proxy.listen());
        const QByteArray address = "http://127.0.0.1:" + QByteArray::number(proxy.port());
        for (const char *name : {"http_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
            qputenv(name, address);
        const auto restore = qScopeGuard([] {
            for (const char *name : {"http_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
                qunsetenv(name);
        });
        Exchange exchange;
        PreparedRequest request = get(server->url(u"/api/x"_s));
        request.headers.append("Authorization", "Bearer for-the-api-only");
        const ExchangeResult result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(server->requestCount(), 1);
        QCOMPARE(proxy.requestCount(), 0);
        QVERIFY(proxy.received().isEmpty());
    }

    void bodiesDelimitedByChunksOrByTheClose()
    {
        ScriptedHttpServer api;
        api.queueResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                          "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
        api.queueResponse("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the connection closes");
        QVERIFY(api.listen());
        Exchange exchange;
        ExchangeResult result = run(exchange, get(api.url(u"/api/chunked"_s)));
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, QByteArray("hello, world"));
        result = run(exchange, get(api.url(u"/api/close"_s)));
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, QByteArray("until the connection closes"));
    }

    void truncatedBodyIsNoAnswer()
    {
        ScriptedHttpServer api;
        api.setResponse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly ten b");
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/x"_s)));
        QCOMPARE(result.error, ExchangeResult::Error::Network);
        QVERIFY2(result.errorDetail.contains(u"after the status 200"_s), qPrintable(result.errorDetail));
        QVERIFY(!result.answered());
    }

    void endlessBodyStopsAtTheLimit()
    {
        HostileHttpServer api(HostileHttpServer::Attack::EndlessBody);
        api.setExtraHeaders("Content-Type: application/json\r\n");
        api.setBounds(qint64(2) * 1024 * 1024 * 1024, 20);
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/endless"_s));
        request.maxResponseBytes = 1024 * 1024;
        const ExchangeResult result = run(exchange, request);
        QCOMPARE(result.error, ExchangeResult::Error::TooLarge);
        QCOMPARE(result.tooLarge, ExchangeResult::TooLarge::Body);
        QCOMPARE(result.sizeLimit, 1024 * 1024);
        // What came is kept, up to the limit and not a byte more; the answer is not taken for whole.
        QCOMPARE(result.status, 200);
        QCOMPARE(result.headers.value("Content-Type"), QByteArray("application/json"));
        QCOMPARE(result.body.size(), 1024 * 1024);
        QVERIFY(result.body.capacity() <= 1024 * 1024);
        QVERIFY(!result.answered());
        const QString text = result.errorText();
        QVERIFY2(text.contains(u"larger than 1 MB"_s) && text.contains(u"cut at 1048576 bytes"_s), qPrintable(text));
        // The transfer stopped there: the server saw the client go, after little more than the
        // limit (socket buffers hold a few MB), not after gigabytes.
        QTRY_VERIFY(api.clientGaveUp());
        QVERIFY(!api.hitBounds());
        QVERIFY2(api.bytesWritten() < 32 * 1024 * 1024, qPrintable(QString::number(api.bytesWritten())));
    }

    void decompressionBombsStopAtTheLimit_data()
    {
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("bomb");
        QTest::newRow("gzip, 256 MB") << QByteArray("gzip") << DecompressionBomb::gzip(qint64(256) * 1024 * 1024);
        QTest::newRow("deflate, 256 MB") << QByteArray("deflate") << DecompressionBomb::deflate(qint64(256) * 1024 * 1024);
        QTest::newRow("zstd, 1 GB") << QByteArray("zstd") << DecompressionBomb::zstd1GiB();
        QTest::newRow("br, 1 GB") << QByteArray("br") << DecompressionBomb::brotli1GiB();
    }

    void decompressionBombsStopAtTheLimit()
    {
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, bomb);
        QVERIFY2(!bomb.isEmpty() && bomb.size() < 1024 * 1024, "the bomb is smaller than the limit on the wire");
        HostileHttpServer api(HostileHttpServer::Attack::Fixed);
        api.setResponse(HostileHttpServer::answer("Content-Type: application/octet-stream\r\nContent-Encoding: " + encoding + "\r\n", bomb));
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/bomb"_s));
        request.maxResponseBytes = 1024 * 1024;
        const ExchangeResult result = run(exchange, request);
        // Decoded bytes are what count: a body under the limit on the wire still passes it.
        QCOMPARE(result.error, ExchangeResult::Error::TooLarge);
        QCOMPARE(result.tooLarge, ExchangeResult::TooLarge::Body);
        QCOMPARE(result.status, 200);
        QCOMPARE(result.body.size(), 1024 * 1024);
        QCOMPARE(result.body.count('\0'), 1024 * 1024);
    }

    void bodyOfExactlyTheLimitIsWhole()
    {
        const QByteArray plain(1024 * 1024, 'a');
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", qCompress(plain).mid(4), "Content-Encoding: deflate\r\n"));
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/x"_s));
        request.maxResponseBytes = plain.size();
        ExchangeResult result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, plain);
        request.maxResponseBytes = plain.size() - 1;
        result = run(exchange, request);
        QCOMPARE(result.error, ExchangeResult::Error::TooLarge);
        QCOMPARE(result.body.size(), plain.size() - 1);
    }

    void endlessHeadersStopAtTheirLimit()
    {
        HostileHttpServer api(HostileHttpServer::Attack::EndlessHeaders);
        api.setBounds(qint64(1024) * 1024 * 1024, 20);
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/headers"_s)));
        QCOMPARE(result.error, ExchangeResult::Error::TooLarge);
        QCOMPARE(result.tooLarge, ExchangeResult::TooLarge::Headers);
        QVERIFY2(result.errorText().contains(u"headers"_s), qPrintable(result.errorText()));
        QTRY_VERIFY(api.clientGaveUp());
        QVERIFY(api.bytesWritten() < 32 * 1024 * 1024);
    }

    void resetMidBodyIsANetworkErrorWithItsCause()
    {
        HostileHttpServer api(HostileHttpServer::Attack::ResetMidBody);
        api.setResponse("{\"items\":[" + QByteArray("1,").repeated(50000));
        QVERIFY(api.listen());
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(api.url(u"/api/reset"_s)));
        QCOMPARE(result.error, ExchangeResult::Error::Network);
        QCOMPARE(result.status, 200);
        QVERIFY2(result.errorDetail.contains(u"after the status 200"_s), qPrintable(result.errorDetail));
        QVERIFY2(result.errorDetail.contains(u"reset"_s, Qt::CaseInsensitive), qPrintable(result.errorDetail));
        QVERIFY(!result.answered());
    }

    void refusedConnectionIsANetworkError()
    {
        quint16 closedPort = 0;
        {
            ScriptedHttpServer gone;
            QVERIFY(gone.listen());
            closedPort = gone.port();
        }
        Exchange exchange;
        const ExchangeResult result = run(exchange, get(QUrl(u"http://127.0.0.1:%1/api"_s.arg(closedPort))));
        QCOMPARE(result.error, ExchangeResult::Error::Network);
        QVERIFY(!result.errorDetail.isEmpty());
    }

    void cancelFromAProgressSlotEndsOnceAndTheNextRequestWorks()
    {
        const QByteArray big(4 * 1024 * 1024, 'x');
        ScriptedHttpServer api;
        api.queueResponse(ScriptedHttpServer::response(200, "OK", "text/plain", big));
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "small"));
        QVERIFY(api.listen());
        Exchange exchange;
        // Cancelled from inside curl's own callback: the transfer must be let go safely.
        const auto connection = connect(&exchange, &Exchange::downloadProgress, &exchange, &Exchange::cancel);
        int reports = 0;
        const ExchangeResult cancelled = run(exchange, get(api.url(u"/api/big"_s)), &reports);
        QCOMPARE(reports, 1);
        QCOMPARE(cancelled.error, ExchangeResult::Error::Cancelled);
        disconnect(connection);
        const ExchangeResult next = run(exchange, get(api.url(u"/api/small"_s)), &reports);
        QCOMPARE(reports, 1);
        QCOMPARE(next.status, 200);
        QCOMPARE(next.body, QByteArray("small"));
    }

    void restartFromAProgressSlotSendsTheNewRequest()
    {
        const QByteArray big(4 * 1024 * 1024, 'y');
        ScriptedHttpServer api;
        api.queueResponse(ScriptedHttpServer::response(200, "OK", "text/plain", big));
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "second"));
        QVERIFY(api.listen());
        Exchange exchange;
        QList<ExchangeResult> results;
        connect(&exchange, &Exchange::finished, this, [&](const ExchangeResult &result) { results.append(result); });
        bool restarted = false;
        connect(&exchange, &Exchange::downloadProgress, this, [&] {
            if (!restarted) {
                restarted = true;
                exchange.start(get(api.url(u"/api/second"_s))); // cancels the running one first
            }
        });
        exchange.start(get(api.url(u"/api/first"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 10000);
        QCOMPARE(results.at(0).error, ExchangeResult::Error::Cancelled);
        QCOMPARE(results.at(1).status, 200);
        QCOMPARE(results.at(1).body, QByteArray("second"));
    }

    // A second reviewer's finds: the last Exchange of a thread deleted from its own slots takes
    // the thread's CurlMulti with it, while that multi is still on the stack.
    void deletedFromItsOwnSlots()
    {
        const QByteArray big(2 * 1024 * 1024, 'd');
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", big));
        QVERIFY(api.listen());
        for (const bool inProgress : {true, false}) {
            QPointer<Exchange> exchange = new Exchange;
            bool progressed = false;
            if (inProgress) {
                connect(exchange, &Exchange::downloadProgress, exchange, [&] {
                    progressed = true;
                    delete exchange.data();
                });
            } else {
                connect(exchange, &Exchange::finished, exchange, [&] { delete exchange.data(); });
            }
            exchange->start(get(api.url(u"/api/big"_s)));
            QTRY_VERIFY_WITH_TIMEOUT(exchange.isNull(), 10000);
            QCOMPARE(progressed, inProgress);
        }
        // The thread still sends afterwards, on a new multi.
        Exchange after;
        QCOMPARE(run(after, get(api.url(u"/api/big"_s))).body.size(), big.size());
    }

    void restartFromTheCancellationsFinishedSlot()
    {
        ScriptedHttpServer stalled;
        stalled.setMode(ScriptedHttpServer::Mode::Stall);
        QVERIFY(stalled.listen());
        const auto second = fineServer();
        const auto third = fineServer();
        QVERIFY(second && third);
        Exchange exchange;
        QList<ExchangeResult> results;
        connect(&exchange, &Exchange::finished, this, [&](const ExchangeResult &result) {
            results.append(result);
            if (results.size() == 1)
                exchange.start(get(second->url(u"/api/second"_s)));
        });
        exchange.start(get(stalled.url(u"/api/first"_s)));
        QTRY_COMPARE(stalled.requestCount(), 1);
        // Cancels the first; the slot starts the second, which stands.
        exchange.start(get(third->url(u"/api/third"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 10000);
        QTest::qWait(100);
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(0).error, ExchangeResult::Error::Cancelled);
        QCOMPARE(results.at(1).status, 200);
        QCOMPARE(results.at(1).finalUrl, second->url(u"/api/second"_s));
        QCOMPARE(third->requestCount(), 0);
    }

    void nestedEventLoopInAProgressSlotNeitherSpinsNorHangs()
    {
        const QByteArray big(4 * 1024 * 1024, 'n');
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", big));
        QVERIFY(api.listen());
        Exchange exchange;
        bool nested = false;
        std::clock_t cpu = 0;
        int ticks = 0;
        connect(&exchange, &Exchange::downloadProgress, this, [&] {
            if (nested)
                return;
            nested = true; // as a dialog's exec() would: curl is on the stack meanwhile
            QEventLoop loop;
            QTimer ticker;
            connect(&ticker, &QTimer::timeout, &loop, [&] { ++ticks; });
            ticker.start(10);
            QTimer::singleShot(300, &loop, &QEventLoop::quit);
            const std::clock_t before = std::clock();
            loop.exec();
            cpu = std::clock() - before;
        });
        const ExchangeResult result = run(exchange, get(api.url(u"/api/big"_s)));
        QVERIFY(nested);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body.size(), big.size());
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks))); // the nested loop ran
        // A spinning socket notifier would have burnt most of the 300 ms.
        QVERIFY2(cpu * 1000 / CLOCKS_PER_SEC < 150, qPrintable(QString::number(cpu * 1000 / CLOCKS_PER_SEC)));
    }

    void bodiesDoNotFollowA307ToAnotherOrigin()
    {
        ScriptedHttpServer other;
        QVERIFY(other.listen());
        other.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "other"));
        ScriptedHttpServer api;
        QVERIFY(api.listen());
        const QByteArray location = "Location: " + other.url(u"/collect"_s).toEncoded() + "\r\n";
        api.setResponse(ScriptedHttpServer::response(307, "Temporary Redirect", "text/plain", "", location));
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/trades"_s));
        request.method = "POST";
        request.body = R"({"pin":"1234"})";
        request.headers.append("Host", "api.internal");
        ExchangeResult result = run(exchange, request);
        QCOMPARE(result.status, 307);
        QVERIFY2(result.redirectNotFollowed.contains(u"resend the request body"_s), qPrintable(result.redirectNotFollowed));
        QCOMPARE(other.requestCount(), 0);

        // A 303 turns it into a GET without the body: followed, and the Host stays behind.
        api.setResponse(ScriptedHttpServer::response(303, "See Other", "text/plain", "", location));
        result = run(exchange, request);
        QCOMPARE(result.status, 200);
        QCOMPARE(other.requestCount(), 1);
        const QByteArray seen = other.requests().constFirst();
        QVERIFY2(seen.startsWith("GET /collect HTTP/1.1\r\n"), seen.constData());
        QVERIFY(!seen.contains("1234"));
        QVERIFY(!seen.contains("api.internal"));
    }

    void downloadProgressReportsTheTotal()
    {
        const QByteArray body(1024 * 1024, 'z');
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", body));
        QVERIFY(api.listen());
        Exchange exchange;
        QSignalSpy progress(&exchange, &Exchange::downloadProgress);
        const ExchangeResult result = run(exchange, get(api.url(u"/api/x"_s)));
        QCOMPARE(result.size(), body.size());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.constLast().at(0).toLongLong(), body.size());
        QCOMPARE(progress.constLast().at(1).toLongLong(), body.size());
    }

    // Checklist 17: the certificate is checked for trust and for the host, whatever is trusted.
    void certificatesAreVerified()
    {
        QTemporaryDir dir;
        QSslCertificate certificate;
        const auto api = selfSignedTlsServer(dir.path(), &certificate);
        if (!api)
            QSKIP("openssl could not make a test certificate");
        api->setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "secure"));
        Exchange exchange;
        PreparedRequest request = get(api->url(u"/api/x"_s, u"https"_s));
        request.headers.append("Authorization", "Bearer never-seen");

        ExchangeResult result = run(exchange, request);
        QCOMPARE(result.error, ExchangeResult::Error::Tls);
        QVERIFY2(result.errorDetail.contains(u"self-signed"_s) || result.errorDetail.contains(u"self signed"_s), qPrintable(result.errorDetail));

        request.extraCaPem = certificate.toPem();
        result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, QByteArray("secure"));

        // Trusted, but for 127.0.0.1 only: by the name localhost it is someone else's.
        request.url.setHost(u"localhost"_s);
        request.guard = OriginGuard(request.url, {});
        result = run(exchange, request);
        QCOMPARE(result.error, ExchangeResult::Error::Tls);
        QVERIFY2(result.errorDetail.contains(u"localhost"_s), qPrintable(result.errorDetail));

        // Not pinned by accident: other trust is not this certificate's.
        request.url.setHost(u"127.0.0.1"_s);
        request.guard = OriginGuard(request.url, {});
        QSslCertificate other;
        QTemporaryDir otherDir;
        const auto stranger = selfSignedTlsServer(otherDir.path(), &other);
        QVERIFY(stranger);
        request.extraCaPem = other.toPem();
        result = run(exchange, request);
        QCOMPARE(result.error, ExchangeResult::Error::Tls);
        QCOMPARE(api->requestCount(), 1);
    }

    // Mutual TLS: the client certificate goes to the origin it is for, and to no redirect's other one.
    void clientCertificateIsPresentedOnlyToItsOrigin()
    {
        QTemporaryDir dir;
        const auto pki = TestPki::make(dir.path());
        if (!pki)
            QSKIP("openssl could not make a test PKI");
        const auto api = pki->mutualTlsServer();
        const auto other = pki->mutualTlsServer();
        QVERIFY(api && other);
        api->setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "hello, client"));
        other->setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "other origin"));
        Exchange exchange;
        PreparedRequest request = get(api->url(u"/api/x"_s, u"https"_s));
        request.extraCaPem = pki->ca.toPem();

        // No certificate: the server ends the connection before any request (Qt's server sends no
        // alert; tst_mtls_node sees the one a real server sends).
        ExchangeResult result = run(exchange, request);
        QVERIFY(!result.answered());
        QCOMPARE(api->requestCount(), 0);

        request.clientCertificate = TestPki::read(pki->clientCertificatePath);
        request.clientKey = TestPki::read(pki->clientKeyPath);
        request.clientCertificateGuard = OriginGuard(request.url);
        result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QCOMPARE(result.body, QByteArray("hello, client"));

        // One the server's CA did not sign is refused as well.
        PreparedRequest stranger = request;
        stranger.clientCertificate = TestPki::read(pki->strangerCertificatePath);
        stranger.clientKey = TestPki::read(pki->strangerKeyPath);
        result = run(exchange, stranger);
        QVERIFY(!result.answered());
        QCOMPARE(api->requestCount(), 1);

        // A redirect to another origin: the certificate stays behind, so that server (which
        // demands one) ends the handshake.
        const QUrl elsewhere = other->url(u"/y"_s, u"https"_s);
        api->setResponse(ScriptedHttpServer::response(302, "Found", "text/plain", {}, "Location: " + elsewhere.toEncoded() + "\r\n"));
        result = run(exchange, request);
        QCOMPARE(result.redirects.size(), 1);
        QVERIFY(result.redirects.first().clientCertificateWithheld);
        QVERIFY(!result.answered());
        QCOMPARE(other->requestCount(), 0);

        // The same redirect with that origin trusted for the certificate too reaches it: what
        // failed above was the certificate kept back, nothing else.
        request.clientCertificateGuard = OriginGuard(request.url, {elsewhere});
        result = run(exchange, request);
        QVERIFY2(result.answered(), qPrintable(result.errorText()));
        QVERIFY(!result.redirects.first().clientCertificateWithheld);
        QCOMPARE(result.body, QByteArray("other origin"));
    }

    void stallEndsInTheTimeout()
    {
        ScriptedHttpServer api;
        api.setMode(ScriptedHttpServer::Mode::Stall);
        QVERIFY(api.listen());
        Exchange exchange;
        PreparedRequest request = get(api.url(u"/api/slow"_s));
        request.timeoutMs = 300;
        int reports = 0;
        const ExchangeResult result = run(exchange, request, &reports);
        QCOMPARE(reports, 1);
        QCOMPARE(result.error, ExchangeResult::Error::Timeout);
        QVERIFY2(result.totalMs >= 250, qPrintable(QString::number(result.totalMs))); // a coarse timer may fire 5 % early
    }
};

QTEST_GUILESS_MAIN(TestExchange)
#include "tst_exchange.moc"
