#include "contract/OperationFilter.h"

#include "contract/OperationModel.h"

#include <QRegularExpression>

OperationFilter::OperationFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void OperationFilter::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_terms = text.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

bool OperationFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_terms.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // A group is kept through its requests (recursive filtering), so "accounts" finds the tag's requests.
    if (index.data(OperationModel::IsGroupRole).toBool())
        return false;
    const QString text = index.data(OperationModel::SearchTextRole).toString();
    return std::all_of(m_terms.cbegin(), m_terms.cend(), [&text](const QString &term) { return text.contains(term); });
}
