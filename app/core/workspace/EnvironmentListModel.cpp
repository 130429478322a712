#include "workspace/EnvironmentListModel.h"

#include "workspace/WorkspaceStore.h"

#include <QUuid>

using namespace Qt::StringLiterals;

EnvironmentListModel::EnvironmentListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

bool EnvironmentListModel::open(const QString &path, QString *message)
{
    beginResetModel();
    m_path = path;
    m_lastError.clear();
    m_readOnly = false;
    auto result = WorkspaceStore::loadOrCreate(path);
    bool ok = result.ok();
    if (ok) {
        m_workspace = std::move(*result.workspace);
    } else {
        // Keep working on a fresh Demo workspace in memory; the unreadable file stays as it is.
        m_workspace = Workspace::createDefault();
        m_readOnly = result.status != WorkspaceStore::Status::WriteFailed;
        m_lastError = result.message;
    }
    endResetModel();
    Q_EMIT requestsChanged();
    if (message)
        *message = m_lastError;
    return ok;
}

int EnvironmentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workspace.environments().size());
}

QVariant EnvironmentListModel::data(const QModelIndex &index, int role) const
{
    const Environment *env = environmentAt(index.row());
    if (!env || index.parent().isValid())
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return env->name;
    case Qt::ToolTipRole:
        return env->isBuiltinDemo() ? tr("%1 — the built-in Demo API on this computer").arg(env->name)
                                    : tr("%1 (%2)\nToken URL: %3").arg(env->name, Environment::tierName(env->tier), env->tokenUrl.toDisplayString());
    case IdRole:
        return env->id;
    case TierRole:
        return int(env->tier);
    case TierNameRole:
        return Environment::tierName(env->tier);
    case BuiltinRole:
        return env->isBuiltinDemo();
    case TokenUrlRole:
        return env->tokenUrl.toDisplayString();
    default:
        return {};
    }
}

QHash<int, QByteArray> EnvironmentListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "environmentId");
    names.insert(TierRole, "tier");
    names.insert(TierNameRole, "tierName");
    names.insert(BuiltinRole, "builtin");
    names.insert(TokenUrlRole, "tokenUrl");
    return names;
}

const Environment *EnvironmentListModel::environmentAt(int row) const
{
    const auto &envs = m_workspace.environments();
    return row >= 0 && row < envs.size() ? &envs.at(row) : nullptr;
}

int EnvironmentListModel::rowOf(const QString &environmentId) const
{
    const auto &envs = m_workspace.environments();
    for (int i = 0; i < envs.size(); ++i) {
        if (envs.at(i).id == environmentId)
            return i;
    }
    return -1;
}

const Environment *EnvironmentListModel::findById(const QString &environmentId) const
{
    return m_workspace.findById(environmentId);
}

bool EnvironmentListModel::save()
{
    if (m_readOnly) {
        Q_EMIT saveFailed(tr("Changes are kept in memory only: %1").arg(m_lastError));
        return false;
    }
    const auto result = WorkspaceStore::save(m_workspace, m_path);
    if (!result.ok()) {
        m_lastError = result.message;
        Q_EMIT saveFailed(result.message);
        return false;
    }
    return true;
}

int EnvironmentListModel::upsert(const Environment &environment)
{
    Environment env = environment;
    int row = env.id.isEmpty() ? -1 : rowOf(env.id);
    if (row >= 0) {
        // By id, so an edit may rename without moving in the list.
        *m_workspace.findById(env.id) = env;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed);
    } else {
        if (const Environment *byName = m_workspace.find(env.name)) {
            row = rowOf(byName->id);
            env.id = byName->id;
            m_workspace.upsert(env);
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed);
        } else {
            row = rowCount();
            beginInsertRows({}, row, row);
            m_workspace.upsert(env);
            endInsertRows();
        }
    }
    save();
    return row;
}

QString EnvironmentListModel::uniqueName(const QString &base) const
{
    if (!m_workspace.find(base))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1 %2"_s.arg(base).arg(n);
        if (!m_workspace.find(candidate))
            return candidate;
    }
}

int EnvironmentListModel::duplicate(int row, const QString &newName)
{
    const Environment *source = environmentAt(row);
    if (!source)
        return -1;
    Environment copy = *source;
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.name = uniqueName(newName.isEmpty() ? tr("%1 copy").arg(source->name) : newName);
    // A copy of the Demo is an ordinary profile the user can point elsewhere.
    if (copy.isBuiltinDemo()) {
        copy.builtin.clear();
        copy.clientId = u"demo-client"_s;
    }
    const int newRow = rowCount();
    beginInsertRows({}, newRow, newRow);
    m_workspace.upsert(copy);
    endInsertRows();
    save();
    return newRow;
}

bool EnvironmentListModel::removeAt(int row)
{
    const Environment *env = environmentAt(row);
    if (!env)
        return false;
    const QString name = env->name;
    beginRemoveRows({}, row, row);
    m_workspace.remove(name);
    endRemoveRows();
    save();
    return true;
}

std::optional<SavedRequest> EnvironmentListModel::saveRequest(const SavedRequest &request, QString *error)
{
    auto stored = m_workspace.upsertRequest(request, error);
    if (!stored)
        return std::nullopt;
    Q_EMIT requestsChanged();
    save();
    return stored;
}

bool EnvironmentListModel::removeRequest(const QString &id)
{
    if (!m_workspace.removeRequest(id))
        return false;
    Q_EMIT requestsChanged();
    save();
    return true;
}
