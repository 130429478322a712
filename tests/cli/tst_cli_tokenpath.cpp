#include "support/CliRunner.h"
#include "support/DecompressionBomb.h"
#include "support/HostileHttpServer.h"
#include "support/ScriptedHttpServer.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <QElapsedTimer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// A child's run with its peak resident memory (VmHWM, read from /proc while it runs: wait4's
// figure would include this test process, whose memory a spawned child's count starts from).
struct MeasuredRun
{
    int exitCode = -1;
    QByteArray err;
    qint64 peakKb = 0;
    bool killed = false;
};

// VmRSS and VmHWM of a process, in KB; zeros once it is gone.
std::pair<qint64, qint64> residentKb(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    std::pair<qint64, qint64> kb{0, 0};
    if (!status.open(QIODevice::ReadOnly))
        return kb;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            kb.first = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        else if (line.startsWith("VmHWM:"))
            kb.second = line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return kb;
}

// Runs the CLI while this process's event loop turns (the hostile servers live here). A child
// past killAtKb is killed at once, so a regression fails the test without taking the machine.
MeasuredRun runMeasured(const QStringList &arguments, const QProcessEnvironment &environment, qint64 killAtKb = 512 * 1024)
{
    MeasuredRun run;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    if (!process.waitForStarted(10000))
        return run;
    const qint64 pid = process.processId();
    QElapsedTimer clock;
    clock.start();
    while (process.state() != QProcess::NotRunning) {
        const auto [rss, hwm] = residentKb(pid);
        run.peakKb = std::max(run.peakKb, hwm);
        if (rss > killAtKb || clock.elapsed() > 60000) {
            run.killed = true;
            process.kill();
            process.waitForFinished();
            break;
        }
        QTest::qWait(1);
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.err = process.readAllStandardError();
    return run;
}

const char *proxyVariables[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};
} // namespace

// The token path against hostile token endpoints, end to end through the real binary: what it
// says, how it exits, what it costs in memory; and which way its requests go when the
// environment names a proxy.
class TestCliTokenPath : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    void addProfile(const QString &name, const QUrl &tokenUrl, const QUrl &apiUrl, const QStringList &extra = {})
    {
        const CliRun run = runCli(ws(QStringList{u"env"_s, u"add"_s, name, u"--token-url"_s, tokenUrl.toString(), u"--api-url"_s,
                                                 apiUrl.toString(), u"--client-id"_s, u"client"_s, u"--replace"_s}
                                     + extra));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, u"token-path-secret"_s);
        return env;
    }

    CliRun cli(const QStringList &rest) { return runCli(ws(rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv()); }

    static QByteArray tokenResponse(const QByteArray &accessTokenJson)
    {
        return ScriptedHttpServer::response(200, "OK", "application/json",
                                            "{\"access_token\":" + accessTokenJson + ",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
    }

    void hostileTokenBodiesAreStoppedWithinBoundedMemory()
    {
        // What `token` costs against an honest endpoint: the baseline the hostile runs are held to.
        ScriptedHttpServer honest;
        QVERIFY(honest.listen());
        honest.setResponse(tokenResponse("\"honest-token\""));
        addProfile(u"Honest"_s, honest.url(u"/token"_s), honest.url(u"/api"_s));
        const QProcessEnvironment secret = secretEnv();
        QHash<QString, qint64> honestPeakKb;
        for (const QString &command : {u"token"_s, u"send"_s}) {
            QStringList args{command, u"Honest"_s};
            if (command == u"send"_s)
                args << u"GET"_s << u"/x"_s;
            const MeasuredRun honestRun = runMeasured(ws(args + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secret);
            QVERIFY2(honestRun.exitCode == 0, honestRun.err.constData());
            honestPeakKb.insert(command, honestRun.peakKb);
        }

        HostileHttpServer endless(HostileHttpServer::Attack::EndlessBody);
        QVERIFY(endless.listen());
        endless.setExtraHeaders("Content-Type: application/json\r\n");
        addProfile(u"Endless"_s, endless.url(u"/token"_s), endless.url(u"/api"_s));

        ScriptedHttpServer bomb;
        QVERIFY(bomb.listen());
        bomb.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", DecompressionBomb::gzip(64 * 1024 * 1024), "Content-Encoding: gzip\r\n"));
        addProfile(u"Bomb"_s, bomb.url(u"/token"_s), bomb.url(u"/api"_s));

        for (const auto &[name, url] : {std::pair{u"Endless"_s, endless.url(u"/token"_s)}, std::pair{u"Bomb"_s, bomb.url(u"/token"_s)}}) {
            for (const QString &command : {u"token"_s, u"send"_s}) {
                QStringList args{command, name};
                if (command == u"send"_s)
                    args << u"GET"_s << u"/x"_s;
                const MeasuredRun run = runMeasured(ws(args + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s, u"--timeout"_s, u"30"_s}), secret);
                const QByteArray what = name.toUtf8() + ' ' + command.toUtf8() + ": " + run.err;
                QVERIFY2(!run.killed, what.constData());
                QCOMPARE(run.exitCode, 7);
                QVERIFY2(run.err.contains("larger than 1 MB, the limit for a token response"), what.constData());
                QVERIFY2(run.err.contains(url.toEncoded()), what.constData());
                // The limit is 1 MB; what a run holds beyond an honest one is that and Qt's buffers
                // between its network thread and ours: about 5 MB for the endless body, about 11 MB
                // for the bomb (Qt inflates in steps before it hands over; a 1 GB bomb costs the
                // same). Before: gigabytes for the endless body.
                const qint64 honestKb = honestPeakKb.value(command);
                qInfo("%s %s: peak %lld KB, honest run %lld KB", qPrintable(name), qPrintable(command), run.peakKb, honestKb);
                QVERIFY2(run.peakKb - honestKb < 16 * 1024, qPrintable(u"peak %1 KB against %2 KB"_s.arg(run.peakKb).arg(honestKb)));
            }
        }
    }

    void tokensThatCannotBeAHeaderAreRefusedAtTokenTime_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QByteArray>("says");
        // Before: `token` exited 0 and `send` 2 (a usage error) for CR/LF; a non-Latin-1 token
        // went out with '?' in its place; a 10 MB one ended in "Out of memory".
        QTest::newRow("CR/LF") << tokenResponse(R"json("abc\r\nX-Injected: yes")json") << QByteArray("contains a line break (U+000D) at character 4");
        QTest::newRow("non-Latin-1") << tokenResponse(R"json("tok\u20acn")json") << QByteArray("a character outside ASCII (U+20AC) at character 4");
        QTest::newRow("10 MB") << tokenResponse('"' + QByteArray(10 * 1024 * 1024, 'x') + '"') << QByteArray("larger than 1 MB, the limit for a token response");
        QTest::newRow("200 KB") << tokenResponse('"' + QByteArray(200 * 1024, 'x') + '"') << QByteArray("cannot be sent in a request header");
        QTest::newRow("token_type") << ScriptedHttpServer::response(200, "OK", "application/json", R"json({"access_token":"abc","token_type":"Bearer\r\nX: y"})json")
                                    << QByteArray("the token_type is not an authentication scheme name");
    }

    void tokensThatCannotBeAHeaderAreRefusedAtTokenTime()
    {
        QFETCH(QByteArray, response);
        QFETCH(QByteArray, says);
        ScriptedHttpServer tokens;
        QVERIFY(tokens.listen());
        tokens.setResponse(response);
        ScriptedHttpServer api;
        QVERIFY(api.listen());
        api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", "{}"));
        addProfile(u"Odd"_s, tokens.url(u"/token"_s), api.url(u"/api"_s));

        CliRun run = cli({u"token"_s, u"Odd"_s});
        QVERIFY2(run.exitCode == 7, run.err.constData());
        QVERIFY2(run.err.contains(says), run.err.constData());
        QVERIFY2(run.err.contains(tokens.url(u"/token"_s).toEncoded()), run.err.constData());
        QVERIFY2(!run.err.contains("Out of memory") && !run.err.contains("usage"), run.err.constData());

        run = cli({u"token"_s, u"Odd"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 7);

        run = cli({u"send"_s, u"Odd"_s, u"GET"_s, u"/things"_s});
        QVERIFY2(run.exitCode == 7, run.err.constData());
        QVERIFY2(run.err.contains(says), run.err.constData());
        QVERIFY2(!run.err.contains("usage"), run.err.constData());
        QCOMPARE(api.requestCount(), 0); // nothing was sent with a mangled token, no '?' anywhere
    }

    // The system's proxy settings (here the proxy variables, as on Linux) are the default, and the
    // token request and the API call follow the same rule: both go through the proxy, none goes
    // around it; --proxy direct sends both straight. Loopback is never proxied by the system
    // setting, so this runs in a network namespace of its own where the token endpoint and the API
    // have a non-loopback address (10.203.0.1 on the namespace's lo), and a "proxy" named by every
    // proxy variable listens on loopback, recording what reaches it.
    void theSystemProxyCarriesBothPaths()
    {
        const QString address = qEnvironmentVariable("TOKENBENCH_NETNS_ADDRESS");
        if (address.isEmpty()) {
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"TOKENBENCH_NETNS_ADDRESS"_s, u"10.203.0.1"_s);
            child.setProcessEnvironment(env);
            child.start(u"unshare"_s, {u"-rn"_s, u"sh"_s, u"-c"_s,
                                       u"command -v ip >/dev/null || exit 77; ip link set lo up && ip addr add 10.203.0.1/32 dev lo || exit 77; "
                                       "exec \"$0\" \"$@\""_s,
                                       QCoreApplication::applicationFilePath(), u"theSystemProxyCarriesBothPaths"_s});
            if (!child.waitForStarted(10000))
                QSKIP("unshare cannot be run here: no private network namespace for the non-loopback addresses this test needs");
            QVERIFY(child.waitForFinished(120000));
            const QByteArray output = child.readAllStandardOutput() + child.readAllStandardError();
            if (child.exitCode() == 77 || output.startsWith("unshare:"))
                QSKIP(qPrintable(u"no private network namespace here: "_s + QString::fromLocal8Bit(output).trimmed()));
            QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, output.constData());
            QVERIFY2(output.contains("PASS   : TestCliTokenPath::theSystemProxyCarriesBothPaths()"), output.constData());
            return;
        }

        const QHostAddress remote(address);
        QVERIFY(!remote.isLoopback());
        ScriptedHttpServer tokens;
        QVERIFY(tokens.listen(remote));
        tokens.setResponse(tokenResponse("\"namespaced-token\""));
        ScriptedHttpServer api;
        QVERIFY(api.listen(remote));
        api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"ok":true})"));
        ScriptedHttpServer proxy;
        QVERIFY(proxy.listen());
        // Answers as the servers behind it would (a forward proxy relays; this one records).
        proxy.queueResponse(tokenResponse("\"proxied-token\""));
        proxy.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", R"({"via":"proxy"})"));
        const QByteArray proxyUrl = "http://127.0.0.1:" + QByteArray::number(proxy.port());
        qunsetenv("no_proxy");
        qunsetenv("NO_PROXY");

        addProfile(u"Remote"_s, tokens.url(u"/token"_s), api.url(u"/api"_s), {u"--allow-insecure-http"_s});
        QProcessEnvironment env = secretEnv();
        for (const char *name : proxyVariables)
            env.insert(QString::fromLatin1(name), QString::fromLatin1(proxyUrl));
        env.remove(u"no_proxy"_s);
        env.remove(u"NO_PROXY"_s);
        CliRun run = runCli(ws({u"send"_s, u"Remote"_s, u"GET"_s, u"/things"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("proxy"), run.out.constData());
        QCOMPARE(proxy.requestCount(), 2);
        // A plain-http origin is shown to an http proxy in absolute form, as the origin gets it.
        QVERIFY2(proxy.requests().value(0).startsWith("POST " + tokens.url(u"/token"_s).toEncoded() + " HTTP/1.1"), proxy.requests().value(0).constData());
        QVERIFY(proxy.received().contains("Authorization: Basic " + QByteArray("client:token-path-secret").toBase64()));
        QVERIFY2(proxy.requests().value(1).startsWith("GET " + api.url(u"/api/things"_s).toEncoded() + " HTTP/1.1"), proxy.requests().value(1).constData());
        QVERIFY(proxy.received().contains("Authorization: Bearer proxied-token"));
        QCOMPARE(tokens.requestCount(), 0);
        QCOMPARE(api.requestCount(), 0);

        // --proxy direct: both straight to their servers, the variables notwithstanding.
        run = runCli(ws({u"--proxy"_s, u"direct"_s, u"send"_s, u"Remote"_s, u"GET"_s, u"/things"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), env);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(proxy.requestCount(), 2);
        QCOMPARE(tokens.requestCount(), 1);
        QVERIFY(tokens.requests().value(0).startsWith("POST /token HTTP/1.1"));
        QVERIFY(tokens.received().contains("Authorization: Basic " + QByteArray("client:token-path-secret").toBase64()));
        QCOMPARE(api.requestCount(), 1);
        QVERIFY(api.requests().value(0).startsWith("GET /api/things HTTP/1.1"));
        QVERIFY(api.received().contains("Authorization: Bearer namespaced-token"));
    }
};

QTEST_GUILESS_MAIN(TestCliTokenPath)
#include "tst_cli_tokenpath.moc"
