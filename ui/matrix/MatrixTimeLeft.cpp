#include "MatrixTimeLeft.h"

#include <QCoreApplication>

#include <cmath>

std::optional<qint64> MatrixTimeLeft::estimate(int done, int total, qint64 elapsedMs)
{
    if (done < MinimumDone || done <= 0 || total < done || elapsedMs < 0)
        return std::nullopt;
    return qint64(std::llround(double(elapsedMs) / done * (total - done)));
}

QString MatrixTimeLeft::text(std::optional<qint64> remainingMs)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("MatrixTimeLeft", text); };
    if (!remainingMs)
        return tr("estimating the time left…");
    const qint64 seconds = (*remainingMs + 500) / 1000;
    if (seconds < 1)
        return tr("less than a second left");
    if (seconds < 90)
        return tr("about %1 s left").arg(seconds);
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 90)
        return tr("about %1 min left").arg(minutes);
    return tr("about %1 h left").arg((minutes + 30) / 60);
}
