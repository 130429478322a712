#pragma once

#include "util/Clock.h"

// A clock that only moves when told to; for tests and previews.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &start = QDateTime::currentDateTimeUtc()) : m_now(start) {}
    QDateTime now() const override { return m_now; }
    void set(const QDateTime &t) { m_now = t; }
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now;
};
