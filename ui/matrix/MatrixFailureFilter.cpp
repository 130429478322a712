#include "MatrixFailureFilter.h"

#include "MatrixModel.h"

MatrixFailureFilter::MatrixFailureFilter(MatrixModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_source(source)
{
    setSourceModel(source);
    setSortRole(MatrixModel::SortRole);
    setDynamicSortFilter(true);
}

void MatrixFailureFilter::setOnlyFailures(bool only)
{
    if (only == m_onlyFailures)
        return;
    m_onlyFailures = only;
    invalidateRowsFilter();
}

bool MatrixFailureFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return !m_onlyFailures || (!sourceParent.isValid() && m_source->rowHasFailure(sourceRow));
}
