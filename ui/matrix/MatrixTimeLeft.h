#pragma once

#include <QString>

#include <optional>

// How long the rest of a run should take, from how long the cells done so far took together:
// cells run concurrently and share tokens, so the rate of the run as a whole is the honest
// measure, not any one cell's time. No estimate before a few cells have finished.
class MatrixTimeLeft
{
public:
    static constexpr int MinimumDone = 3;

    // Milliseconds left for `total - done` cells after `elapsedMs` for `done` of them.
    static std::optional<qint64> estimate(int done, int total, qint64 elapsedMs);
    // "about 12 s left", "about 3 min left", "less than a second left"; "estimating…" without one.
    static QString text(std::optional<qint64> remainingMs);
};
