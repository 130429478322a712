#include "contract/OperationModel.h"

#include "workspace/EnvironmentListModel.h"


namespace {
// A group row's internal id; a request row's is its group's index + 1.
constexpr quintptr GroupRow = 0;
} // namespace

OperationModel::OperationModel(const EnvironmentListModel *workspace, QObject *parent)
    : QAbstractItemModel(parent)
    , m_workspace(workspace)
{
    connect(m_workspace, &EnvironmentListModel::requestsChanged, this, &OperationModel::rebuild);
    connect(m_workspace, &QAbstractItemModel::modelReset, this, &OperationModel::rebuild);
    rebuild();
}

void OperationModel::rebuild()
{
    beginResetModel();
    m_groups.clear();
    for (const SavedRequest &request : m_workspace->workspace().savedRequests()) {
        auto group = std::find_if(m_groups.begin(), m_groups.end(), [&request](const Group &g) { return g.folder == request.folder; });
        if (group == m_groups.end()) {
            m_groups.append({request.folder, {}});
            group = m_groups.end() - 1;
        }
        group->requestIds.append(request.id);
    }
    // Requests in no folder come last, as Swagger UI lists untagged operations under "default".
    std::stable_partition(m_groups.begin(), m_groups.end(), [](const Group &g) { return !g.folder.isEmpty(); });
    endResetModel();
}

void OperationModel::setHeldScopes(const std::optional<QStringList> &scopes)
{
    if (m_held == scopes)
        return;
    m_held = scopes;
    for (int g = 0; g < m_groups.size(); ++g) {
        const QModelIndex parentIndex = index(g, 0);
        const int rows = int(m_groups.at(g).requestIds.size());
        if (rows > 0)
            Q_EMIT dataChanged(index(0, 0, parentIndex), index(rows - 1, ColumnCount - 1, parentIndex));
    }
}

const SavedRequest *OperationModel::requestAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == GroupRow)
        return nullptr;
    const auto group = qsizetype(index.internalId() - 1);
    if (group >= m_groups.size() || index.row() >= m_groups.at(group).requestIds.size())
        return nullptr;
    return m_workspace->workspace().findRequestById(m_groups.at(group).requestIds.at(index.row()));
}

QModelIndex OperationModel::indexOfRequest(const QString &requestId) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        const int row = int(m_groups.at(g).requestIds.indexOf(requestId));
        if (row >= 0)
            return createIndex(row, 0, quintptr(g + 1));
    }
    return {};
}

int OperationModel::requestCount() const
{
    int count = 0;
    for (const Group &group : m_groups)
        count += int(group.requestIds.size());
    return count;
}

QModelIndex OperationModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, GroupRow) : QModelIndex();
    if (parent.internalId() != GroupRow || parent.row() >= m_groups.size() || row >= m_groups.at(parent.row()).requestIds.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex OperationModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupRow)
        return {};
    return createIndex(int(child.internalId() - 1), 0, GroupRow);
}

int OperationModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == GroupRow && parent.column() == 0 && parent.row() < m_groups.size())
        return int(m_groups.at(parent.row()).requestIds.size());
    return 0;
}

int OperationModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant OperationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MethodColumn: return tr("Method");
    case PathColumn: return tr("Path");
    case SummaryColumn: return tr("Summary");
    case ScopesColumn: return tr("Scopes needed");
    case AccessColumn: return tr("Token");
    }
    return {};
}

QVariant OperationModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == GroupRow)
        return index.row() < m_groups.size() ? groupData(index.row(), index.column(), role) : QVariant();
    const SavedRequest *request = requestAt(index);
    return request ? requestData(*request, index.column(), role) : QVariant();
}

QVariant OperationModel::groupData(int group, int column, int role) const
{
    const Group &g = m_groups.at(group);
    if (role == IsGroupRole)
        return true;
    if (role == RequestIdRole)
        return QString();
    if (column != MethodColumn)
        return {};
    const QString label = g.folder.isEmpty() ? tr("Other requests") : g.folder;
    switch (role) {
    case Qt::DisplayRole: return tr("%1 (%n)", nullptr, int(g.requestIds.size())).arg(label);
    case Qt::ToolTipRole: return label;
    case Qt::AccessibleTextRole: return tr("Group %1, %n request(s)", nullptr, int(g.requestIds.size())).arg(label);
    case SearchTextRole: return label.toLower();
    }
    return {};
}

QVariant OperationModel::requestData(const SavedRequest &request, int column, int role) const
{
    const QString method = request.draft.method.toUpper();
    switch (role) {
    case IsGroupRole: return false;
    case RequestIdRole: return request.id;
    case MethodRole: return method;
    case AccessRole: return int(ScopeGrant::evaluate(request.requiredScopes, m_held).state);
    case MissingScopesRole: return ScopeGrant::evaluate(request.requiredScopes, m_held).missing;
    case SearchTextRole: {
        QStringList parts{method, request.draft.url, request.name, request.summary, request.folder};
        for (const ScopeRequirement &requirement : request.requiredScopes)
            parts.append(requirement.scopes);
        return parts.join(QLatin1Char('\n')).toLower();
    }
    default: break;
    }
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
        switch (column) {
        case MethodColumn: return method;
        case PathColumn: return request.draft.url;
        case SummaryColumn:
            if (role == Qt::ToolTipRole)
                return request.summary.isEmpty() ? request.name : tr("%1\n%2").arg(request.name, request.summary);
            return request.summary.isEmpty() ? request.name : request.summary;
        case ScopesColumn: {
            const QString needed = ScopeGrant::describe(request.requiredScopes);
            if (role == Qt::ToolTipRole && request.requiredScopes.size() > 1)
                return tr("Any one of these alternatives: %1").arg(needed);
            return needed;
        }
        case AccessColumn: {
            const ScopeGrant grant = ScopeGrant::evaluate(request.requiredScopes, m_held);
            switch (grant.state) {
            case ScopeGrant::State::NoToken:
                return role == Qt::DisplayRole ? QString() : tr("No token yet: authorize to see which operations it allows.");
            case ScopeGrant::State::NotDocumented:
                return role == Qt::DisplayRole ? QStringLiteral("–") : tr("The document names no scope for this operation.");
            case ScopeGrant::State::Granted:
                return role == Qt::DisplayRole ? QStringLiteral("✓") : tr("The current token has the scopes this operation needs.");
            case ScopeGrant::State::Missing:
                return role == Qt::DisplayRole ? tr("missing %1").arg(grant.missing.join(QLatin1Char(' ')))
                                               : tr("The current token lacks %1.").arg(grant.missing.join(QLatin1Char(' ')));
            }
            return {};
        }
        }
    }
    return {};
}
