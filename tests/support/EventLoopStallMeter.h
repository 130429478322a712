#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

// How long the UI thread went without turning its event loop, and how much of that it spent
// working. A 5 ms timer ticks while the loop turns; between two ticks the wall-clock gap is what
// the user felt, and the thread's own CPU time in that gap is the part our code is to blame for.
// A machine loaded by other processes stretches the first, never the second: tests assert on
// busiest() so that they fail when work runs on the UI thread, not when CI is busy.
class EventLoopStallMeter : public QObject
{
    Q_OBJECT

public:
    explicit EventLoopStallMeter(QObject *parent = nullptr);

    void start();
    void stop();

    // Longest wall-clock gap between two turns of the loop, in ms.
    qint64 longestGap() const { return m_longestGap; }
    // Most CPU time the UI thread used between two turns, in ms.
    qint64 busiest() const { return m_busiest; }
    // Wall-clock time since start(), in ms.
    qint64 elapsed() const { return m_clock.elapsed(); }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastWall = 0;
    qint64 m_lastCpuNs = 0;
    qint64 m_longestGap = 0;
    qint64 m_busiest = 0;
};
