#include "MatrixRunText.h"

#include "MatrixModel.h"
#include "MatrixVerdictStyle.h"

#include <QCoreApplication>
#include <QStringList>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("MatrixWindow", text);
}
} // namespace

QString MatrixRunText::cells(int n)
{
    return n == 1 ? tr("1 cell") : tr("%1 cells").arg(n);
}

QString MatrixRunText::requests(int n)
{
    return n == 1 ? tr("1 request") : tr("%1 requests").arg(n);
}

QString MatrixRunText::tokenColumns(int n)
{
    return n == 1 ? tr("1 token column") : tr("%1 token columns").arg(n);
}

QString MatrixRunText::duration(qint64 ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 90'000)
        return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
}

QString MatrixRunText::summary(const MatrixModel &model)
{
    const int all = int(model.cells().size());
    if (all == 0)
        return {};
    QString text = tr("%1 (%2 × %3). ")
                       .arg(cells(all), requests(model.rowCount()), tokenColumns(model.columnCount() - MatrixModel::FirstSetColumn));
    const int done = model.doneCount();
    if (done == 0)
        return text + tr("Not run yet.");
    const int failed = int(model.failedCells().size());
    if (failed == 0 && done == all)
        return text + tr("Every expectation holds.");
    if (failed == 0)
        return text + tr("%1 run, no failure so far.").arg(done);
    QStringList parts;
    for (const MatrixVerdict verdict : {MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial, MatrixVerdict::CannotTest,
                                        MatrixVerdict::Error}) {
        if (const int n = model.count(verdict))
            parts.append(QStringLiteral("%1 %2").arg(n).arg(MatrixVerdictStyle::label(verdict)));
    }
    return text + tr("%1 of %2 run: %3.").arg(done).arg(all).arg(parts.join(QStringLiteral(", ")));
}
