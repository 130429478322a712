#pragma once

#include <QDateTime>

// Everything that reasons about expiry asks a Clock, so tests and the UI's countdown can
// run on an injected time instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;

    // The process-wide wall clock (UTC).
    static const Clock *system();
};
