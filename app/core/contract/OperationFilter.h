#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

// The operations browser's filter box: every word typed must appear in a request's method,
// path, name, summary, folder or scopes (OperationModel::SearchTextRole), case-insensitively;
// a group stays while any of its requests does.
class OperationFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit OperationFilter(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QStringList m_terms;
};
