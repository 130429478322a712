// Not a test: measures the longest stall of the UI event loop while ResponseView shows a big
// JSON response (default 50 MB), the figure issue 5 sets a 100 ms target for. A 5 ms timer
// ticks as long as the event loop turns; the longest gap between two ticks is the longest time
// the window could not answer input or repaint. Run by bench/response-stall.sh under Xvfb.
//
//   tokenbench-bench-responsestall [--runs N] [--megabytes M]

#include "ResponseView.h"
#include "support/GeneratedJson.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QStyleFactory>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

namespace {
QByteArray generatedDocument(qsizetype bytes)
{
    return generatedJsonDocument(bytes);
}

struct Measurement
{
    qint64 longestStallMs = 0;
    qint64 durationMs = 0;
};

// Runs `action` from the event loop and measures until `done` holds.
Measurement measure(const std::function<void()> &action, const std::function<bool()> &done)
{
    QElapsedTimer clock;
    qint64 last = 0;
    Measurement result;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        result.longestStallMs = std::max(result.longestStallMs, now - last);
        last = now;
    });
    clock.start();
    ticker.start();
    QTest::qWait(100);
    qint64 started = -1;
    QTimer::singleShot(0, [&] {
        started = clock.elapsed();
        action();
    });
    if (!QTest::qWaitFor([&] { return started >= 0 && done(); }, 600'000))
        qFatal("timed out");
    result.durationMs = clock.elapsed() - started;
    QTest::qWait(50);
    return result;
}

qint64 median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

QByteArray procStatus(const char *field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return "?";
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed();
    }
    return "?";
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption runsOption(u"runs"_s, u"Runs (median reported), at least 5."_s, u"N"_s, u"7"_s);
    const QCommandLineOption sizeOption(u"megabytes"_s, u"Size of the JSON body."_s, u"M"_s, u"50"_s);
    parser.addOptions({runsOption, sizeOption});
    parser.process(app);
    const int runs = std::max(5, parser.value(runsOption).toInt());
    const qsizetype megabytes = std::max(1, parser.value(sizeOption).toInt());

    const QByteArray body = generatedDocument(megabytes * 1024 * 1024);
    ResponseDisplay response;
    response.status = 200;
    response.reason = u"OK"_s;
    response.contentType = u"application/json"_s;
    response.body = body;
    response.elapsedMs = 2345;

    ResponseView view;
    view.resize(1200, 800);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        qFatal("window not exposed");

    std::printf("ResponseView, %.1f MB JSON body, %d runs, platform %s\n", double(body.size()) / (1024.0 * 1024.0), runs,
                qPrintable(QGuiApplication::platformName()));
    QList<qint64> showStalls;
    QList<qint64> clearStalls;
    QList<qint64> durations;
    for (int run = 1; run <= runs; ++run) {
        const Measurement shown = measure([&] { view.setResponse(response); }, [&] { return !view.isParsing(); });
        // What the user feels when the next response replaces this one: the views let go of 8 MB
        // of text, step by step, within this window.
        QElapsedTimer sinceClear;
        const Measurement cleared = measure(
            [&] {
                sinceClear.start();
                view.clear();
            },
            [&] { return sinceClear.isValid() && sinceClear.elapsed() > 2000; });
        std::printf("run %d: longest stall %lld ms while shown (all views filled after %lld ms); %lld ms when cleared\n", run,
                    shown.longestStallMs, shown.durationMs, cleared.longestStallMs);
        std::fflush(stdout);
        showStalls.append(shown.longestStallMs);
        clearStalls.append(cleared.longestStallMs);
        durations.append(shown.durationMs);
    }
    std::printf("Longest UI stall showing a %lld MB JSON response: median %lld ms (max %lld ms) over %d runs\n",
                qlonglong(megabytes), median(showStalls), *std::max_element(showStalls.cbegin(), showStalls.cend()), runs);
    std::printf("Longest UI stall clearing it for the next response: median %lld ms\n", median(clearStalls));
    std::printf("Until every view is filled: median %lld ms; peak resident memory %s\n", median(durations),
                procStatus("VmHWM:").constData());
    return 0;
}
