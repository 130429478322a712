#pragma once

#include <QSortFilterProxyModel>

class MatrixModel;

// The matrix as the view shows it: sorted by MatrixModel::SortRole (a set column worst verdict
// first), and, when asked, only the requests with a failing cell.
class MatrixFailureFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit MatrixFailureFilter(MatrixModel *source, QObject *parent = nullptr);

    void setOnlyFailures(bool only);
    bool onlyFailures() const { return m_onlyFailures; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    MatrixModel *m_source;
    bool m_onlyFailures = false;
};
