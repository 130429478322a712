#pragma once

#include "contract/ScopeGrant.h"
#include "workspace/SavedRequest.h"

#include <QAbstractItemModel>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class EnvironmentListModel;

// The workspace's saved requests as Swagger UI lists operations: one group per folder (an
// OpenAPI tag, a Postman folder) in the order they first appear, the requests under it with
// method, path, summary and the scopes each needs, and whether the held token grants them.
// Follows the workspace as it changes (an import, a save, another process's write).
class OperationModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    // The token's mark right after the path: in a narrow dock, what matters most is seen first.
    enum Column { MethodColumn, PathColumn, AccessColumn, ScopesColumn, SummaryColumn, ColumnCount };
    enum Role {
        RequestIdRole = Qt::UserRole + 1, // QString; empty on a group row
        IsGroupRole,                      // bool
        MethodRole,                       // QString, upper case
        AccessRole,                       // int (ScopeGrant::State)
        MissingScopesRole,                // QStringList
        SearchTextRole,                   // QString: everything the filter matches, lower case
    };

    explicit OperationModel(const EnvironmentListModel *workspace, QObject *parent = nullptr);

    // The scopes the current environment's token has; nullopt when none is held. Every row's
    // mark follows.
    void setHeldScopes(const std::optional<QStringList> &scopes);
    std::optional<QStringList> heldScopes() const { return m_held; }

    // The saved request a row shows, as the workspace holds it now; nullptr for a group row.
    const SavedRequest *requestAt(const QModelIndex &index) const;
    QModelIndex indexOfRequest(const QString &requestId) const;
    int requestCount() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Group
    {
        QString folder;
        QStringList requestIds;
    };

    void rebuild();
    QVariant groupData(int group, int column, int role) const;
    QVariant requestData(const SavedRequest &request, int column, int role) const;

    const EnvironmentListModel *m_workspace;
    QList<Group> m_groups;
    std::optional<QStringList> m_held;
};
