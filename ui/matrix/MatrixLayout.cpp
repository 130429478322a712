#include "MatrixLayout.h"

#include <algorithm>

namespace {
// Columns read left to right as a run goes: the tokens that must succeed, those that must be
// denied, then no token at all (a column every request has).
int kindRank(ScopeSet::Kind kind)
{
    switch (kind) {
    case ScopeSet::Kind::Needed:
        return 0;
    case ScopeSet::Kind::MissingScope:
        return 1;
    case ScopeSet::Kind::OnBehalfWithoutScope:
        return 2;
    case ScopeSet::Kind::NoToken:
        return 3;
    }
    return 4;
}
} // namespace

MatrixLayout MatrixLayout::of(const QList<MatrixCell> &cells)
{
    MatrixLayout layout;
    QHash<int, int> rowOfRequest;
    QStringList keys;
    keys.reserve(cells.size());
    for (const MatrixCell &cell : cells) {
        if (!rowOfRequest.contains(cell.request)) {
            rowOfRequest.insert(cell.request, 0);
            layout.rows.append(cell.request);
        }
        keys.append(cell.set.key());
        if (!layout.columnOfKey.contains(keys.constLast())) {
            layout.columnOfKey.insert(keys.constLast(), -1);
            layout.columns.append(cell.set);
        }
    }
    std::sort(layout.rows.begin(), layout.rows.end());
    for (int row = 0; row < layout.rows.size(); ++row)
        rowOfRequest[layout.rows.at(row)] = row;
    std::stable_sort(layout.columns.begin(), layout.columns.end(),
                     [](const ScopeSet &a, const ScopeSet &b) { return kindRank(a.kind) < kindRank(b.kind); });
    for (int column = 0; column < layout.columns.size(); ++column)
        layout.columnOfKey[layout.columns.at(column).key()] = column;
    layout.cellAt.reserve(cells.size());
    layout.position.reserve(cells.size());
    for (int i = 0; i < cells.size(); ++i) {
        const int row = rowOfRequest.value(cells.at(i).request);
        const int column = layout.columnOfKey.value(keys.at(i));
        layout.cellAt.insert(key(row, column), i);
        layout.position.append(QPoint(column, row));
    }
    return layout;
}
