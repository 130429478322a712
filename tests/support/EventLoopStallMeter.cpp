#include "EventLoopStallMeter.h"

#include <algorithm>
#include <ctime>

namespace {
qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}
} // namespace

EventLoopStallMeter::EventLoopStallMeter(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(5);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopStallMeter::tick);
}

void EventLoopStallMeter::start()
{
    m_longestGap = 0;
    m_busiest = 0;
    m_clock.start();
    m_lastWall = 0;
    m_lastCpuNs = threadCpuNs();
    m_timer.start();
}

void EventLoopStallMeter::stop()
{
    m_timer.stop();
}

void EventLoopStallMeter::tick()
{
    const qint64 wall = m_clock.elapsed();
    const qint64 cpu = threadCpuNs();
    m_longestGap = std::max(m_longestGap, wall - m_lastWall);
    m_busiest = std::max(m_busiest, (cpu - m_lastCpuNs) / 1'000'000);
    m_lastWall = wall;
    m_lastCpuNs = cpu;
}
