#pragma once

#include "matrix/MatrixCell.h"

#include <QHash>
#include <QList>
#include <QPoint>
#include <QString>

// Where each cell of a plan sits in the matrix: a row per request that has cells (the plan's
// order), a column per distinct scope set (needed, then without, on behalf, no token; first seen
// first). Worked out with the plan, on the loader's worker thread: for thousands of requests it
// takes long enough to be felt on the UI thread.
struct MatrixLayout
{
    QList<int> rows;                 // plan request index per row
    QList<ScopeSet> columns;         // per set column, from 0
    QHash<QString, int> columnOfKey; // ScopeSet::key → set column
    QHash<quint64, int> cellAt;      // key(row, set column) → cell index
    QList<QPoint> position;          // cell index → (set column, row)

    static MatrixLayout of(const QList<MatrixCell> &cells);
    static quint64 key(int row, int setColumn) { return (quint64(quint32(row)) << 32) | quint32(setColumn); }
    int cellAtOr(int row, int setColumn, int otherwise = -1) const { return cellAt.value(key(row, setColumn), otherwise); }
};
