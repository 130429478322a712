// `tokenbench-cli send` against servers that attack its memory: an endless body, decompression
// bombs, endless headers, a reset in the middle of the body. The real binary stops each at its
// limit with its own exit code and says which limit and how to raise it, and its peak memory
// (the children's ru_maxrss) stays bounded. Every server is on loopback and stops by itself.
#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "support/DecompressionBomb.h"
#include "support/HostileHttpServer.h"
#include "support/ScriptedHttpServer.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

class TestCliLimits : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    QString m_workspace;

    // The largest peak resident set of any child this process has waited for, in KB: only
    // tokenbench-cli runs, so it bounds every one of them.
    static long childrenPeakKb()
    {
        rusage usage{};
        getrusage(RUSAGE_CHILDREN, &usage);
        return usage.ru_maxrss;
    }

    // An environment whose API is url (tokens from this process's Demo), then send GET there.
    CliRun send(const QUrl &url, const QStringList &extra = {})
    {
        const QString name = u"Api%1"_s.arg(url.port());
        const CliRun added = runCli({u"--workspace"_s, m_workspace, u"env"_s, u"add"_s, name, u"--token-url"_s, m_demo.tokenUrl().toString(),
                                     u"--api-url"_s, url.adjusted(QUrl::RemovePath).toString() + u"/api"_s, u"--client-id"_s,
                                     DemoServer::clientId(), u"--replace"_s});
        if (added.exitCode != 0)
            return added;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        return runCli(QStringList{u"--workspace"_s, m_workspace, u"send"_s, name, u"GET"_s, url.toString(), u"--client-secret-env"_s,
                                  u"TB_SECRET"_s} + extra, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void helpAndUsage()
    {
        const CliRun help = runCli({u"send"_s, u"--help"_s});
        for (const char *needle : {"--max-response-size SIZE", "(default: 256M)", "  12  the response passed --max-response-size"})
            QVERIFY2(help.out.contains(needle), needle);
        QVERIFY(runCli({u"--help"_s}).out.contains("  12 send"));
        for (const QString &bad : {u"0"_s, u"abc"_s, u"12X"_s, u"100"_s, u"17G"_s, u"-5M"_s}) {
            const CliRun run = runCli({u"--workspace"_s, m_workspace, u"send"_s, u"Demo"_s, u"GET"_s, u"/me"_s, u"--max-response-size"_s, bad});
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains("--max-response-size: \"" + bad.toUtf8() + "\" is not a size between 1 KB and 16 GB"), run.err.constData());
        }
    }

    void endlessBodyStopsAtTheLimitWithBoundedMemory()
    {
        // The footprint of a run whose answer is small, for comparison.
        ScriptedHttpServer small;
        small.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", "fine"));
        QVERIFY(small.listen());
        CliRun run = send(small.url(u"/api/small"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const long baselineKb = childrenPeakKb();

        HostileHttpServer api(HostileHttpServer::Attack::EndlessBody);
        api.setExtraHeaders("Content-Type: application/json\r\n");
        api.setBounds(qint64(3) * 1024 * 1024 * 1024, 25);
        QVERIFY(api.listen());
        run = send(api.url(u"/api/endless"_s), {u"--max-response-size"_s, u"8M"_s});
        QCOMPARE(run.exitCode, 12);
        QVERIFY(run.out.isEmpty()); // a cut body is not printed as if it were the answer
        QVERIFY2(run.err.contains("is larger than 8 MB (status 200; cut at 8388608 bytes, the transfer was stopped); "
                                  "raise the limit with --max-response-size"),
                 run.err.constData());
        QVERIFY(api.clientGaveUp());
        QVERIFY(!api.hitBounds());
        QVERIFY2(api.bytesWritten() < 64 * 1024 * 1024, qPrintable(QString::number(api.bytesWritten())));
        // At most the limit twice over the small run's footprint (it was gigabytes).
        const long peakKb = childrenPeakKb();
        QVERIFY2(peakKb <= baselineKb + 2 * 8 * 1024 + 8 * 1024,
                 qPrintable(u"peak %1 KB, baseline %2 KB"_s.arg(peakKb).arg(baselineKb)));
    }

    void decompressionBombsStopAtTheLimit_data()
    {
        QTest::addColumn<QByteArray>("encoding");
        QTest::addColumn<QByteArray>("bomb");
        QTest::newRow("gzip") << QByteArray("gzip") << DecompressionBomb::gzip(qint64(256) * 1024 * 1024);
        QTest::newRow("zstd") << QByteArray("zstd") << DecompressionBomb::zstd1GiB();
        QTest::newRow("br") << QByteArray("br") << DecompressionBomb::brotli1GiB();
    }

    void decompressionBombsStopAtTheLimit()
    {
        QFETCH(QByteArray, encoding);
        QFETCH(QByteArray, bomb);
        QVERIFY(!bomb.isEmpty());
        HostileHttpServer api(HostileHttpServer::Attack::Fixed);
        api.setResponse(HostileHttpServer::answer("Content-Type: application/json\r\nContent-Encoding: " + encoding + "\r\n", bomb));
        QVERIFY(api.listen());
        const CliRun run = send(api.url(u"/api/bomb"_s), {u"--max-response-size"_s, u"1M"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 12);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 200);
        const QJsonObject error = json.value(u"error"_s).toObject();
        QCOMPARE(error.value(u"kind"_s).toString(), u"too_large"_s);
        QCOMPARE(error.value(u"part"_s).toString(), u"body"_s);
        QCOMPARE(error.value(u"size_limit"_s).toInteger(), 1024 * 1024);
        QCOMPARE(error.value(u"cut_at"_s).toInteger(), 1024 * 1024);
        const QString message = error.value(u"message"_s).toString();
        QVERIFY2(message.contains(u"larger than 1 MB"_s) && message.contains(u"--max-response-size"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"JSON"_s), qPrintable(message));
        // The default limit would stop it too, at 256 MB.
        QVERIFY(childrenPeakKb() < 1024 * 1024);
    }

    void endlessHeadersStop()
    {
        HostileHttpServer api(HostileHttpServer::Attack::EndlessHeaders);
        api.setBounds(qint64(1024) * 1024 * 1024, 25);
        QVERIFY(api.listen());
        const CliRun run = send(api.url(u"/api/headers"_s));
        QCOMPARE(run.exitCode, 12);
        QVERIFY2(run.err.contains("response headers from") && run.err.contains("are larger than 256 KB"), run.err.constData());
        QVERIFY(api.clientGaveUp());
    }

    void resetMidBodyIsATransportFailure()
    {
        HostileHttpServer api(HostileHttpServer::Attack::ResetMidBody);
        api.setResponse("{\"items\":[" + QByteArray("1,").repeated(100000));
        QVERIFY(api.listen());
        CliRun run = send(api.url(u"/api/reset"_s));
        QCOMPARE(run.exitCode, 6);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("after the status 200 arrived") && run.err.toLower().contains("reset"), run.err.constData());
        QVERIFY2(!run.err.contains("JSON"), run.err.constData());
        run = send(api.url(u"/api/reset"_s), {u"--json"_s});
        QCOMPARE(run.exitCode, 6);
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"network"_s);
    }

    void bigBodiesInJsonOutputAreWrittenAsReceived()
    {
        // Over 4 MB, --json writes the body from the received bytes (no QJsonDocument tree, which
        // cost 30 times a 100 MB array): the server's key order kept, controls escaped.
        const QByteArray json = "{\"zeta\":1,\"alpha\":[" + QByteArray("{\"k\":\"v\\u00e9\",\"n\":12345678901234567890},").repeated(120000) + "{}]}";
        QVERIFY(json.size() > 4 * 1024 * 1024);
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", json));
        QVERIFY(api.listen());
        CliRun run = send(api.url(u"/api/big"_s), {u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(u"body_encoding"_s).toString(), u"json"_s);
        QVERIFY(run.out.contains(json)); // byte for byte: order, big integers and escapes as sent
        QCOMPARE(run.json().value(u"size"_s).toInteger(), json.size());

        const QByteArray text = QByteArray("say \"hi\" \\ \xc2\x9b[31m \x1b]0;pwned\x07 tab\t\n").repeated(200000);
        api.setResponse(ScriptedHttpServer::response(200, "OK", "text/plain", text));
        run = send(api.url(u"/api/text"_s), {u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(u"body_encoding"_s).toString(), u"text"_s);
        QCOMPARE(run.json().value(u"body"_s).toString().toUtf8(), text);
        QVERIFY(!run.out.contains('\x1b') && !run.out.contains("\xc2\x9b") && !run.out.contains('\x07'));
    }

    void fiftyMegabytesStillPass()
    {
        // The viewer benchmark's size, under the default limit: whole, byte for byte.
        const QByteArray body = "[" + QByteArray("{\"id\":12345,\"name\":\"an item of the list\"},").repeated(1250000) + "{}]";
        QVERIFY(body.size() > 50 * 1000 * 1000);
        ScriptedHttpServer api;
        api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", body));
        QVERIFY(api.listen());
        const CliRun run = send(api.url(u"/api/big"_s));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out.size(), body.size());
        QVERIFY(run.out == body);
    }
};

QTEST_GUILESS_MAIN(TestCliLimits)
#include "tst_cli_limits.moc"
