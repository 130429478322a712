#include "workspace/EnvironmentListModel.h"

#include "workspace/WorkspaceMerge.h"
#include "workspace/WorkspaceStore.h"

#include <QSet>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
// The GUI waits this long at most for another process's write to finish (they take milliseconds),
// then keeps the edit and tries again from its event loop.
constexpr int LockWaitMs = 200;
constexpr int RetryMs = 300;
} // namespace

EnvironmentListModel::EnvironmentListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_retry.setSingleShot(true);
    m_retry.setInterval(RetryMs);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!(m_workspace == m_base))
            save();
    });
    connect(&m_watcher, &WorkspaceWatcher::changedOnDisk, this, &EnvironmentListModel::onChangedOnDisk);
}

bool EnvironmentListModel::open(const QString &path, QString *message, const Workspace &fresh)
{
    beginResetModel();
    m_path = path;
    m_lastError.clear();
    m_readOnly = false;
    m_conflicts.clear();
    auto result = WorkspaceStore::loadOrCreate(path, WorkspaceStore::DefaultLockWaitMs, fresh);
    bool ok = result.ok();
    if (ok) {
        m_workspace = std::move(*result.workspace);
        m_base = m_workspace;
        m_baseRevision = result.revision;
        m_watcher.watch(path, m_baseRevision);
    } else {
        // Keep working on a fresh Demo workspace in memory; the unreadable file stays as it is.
        m_workspace = fresh;
        // A file that could not be read is never written over; one that could not be created
        // (or was being created by another process) is tried again at the next save.
        m_readOnly = result.status != WorkspaceStore::Status::WriteFailed && result.status != WorkspaceStore::Status::Locked;
        m_lastError = result.message;
        m_base = m_workspace;
        m_baseRevision = {};
        m_watcher.watch(path, WorkspaceRevision::ofFile(path));
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
    // Each round either writes or takes in another process's change; a third writer racing this
    // one every time is not a case to loop on.
    for (int round = 0; round < 5; ++round) {
        const auto result = WorkspaceStore::save(m_workspace, m_path, m_baseRevision, LockWaitMs);
        if (result.ok()) {
            m_base = m_workspace;
            m_baseRevision = result.revision;
            m_watcher.setKnownRevision(m_baseRevision);
            return true;
        }
        if (result.status == WorkspaceStore::Status::Changed) {
            if (!mergeFromDisk())
                return false;
            continue;
        }
        m_lastError = result.message;
        if (result.status == WorkspaceStore::Status::Locked) {
            // Not lost: kept here and written as soon as the other process lets go.
            m_retry.start();
            return false;
        }
        Q_EMIT saveFailed(result.message);
        return false;
    }
    m_retry.start();
    return false;
}

bool EnvironmentListModel::mergeFromDisk()
{
    auto loaded = WorkspaceStore::load(m_path);
    if (loaded.status == WorkspaceStore::Status::NotFound) {
        // Deleted by someone else: what this window holds is all there is; write it back whole.
        m_base = Workspace();
        m_base.setId(m_workspace.id());
        m_baseRevision = {};
        m_watcher.setKnownRevision(m_baseRevision);
        return true;
    }
    if (!loaded.ok()) {
        // Never merged with, nor written over: the user's edits stay in memory meanwhile.
        m_lastError = loaded.message;
        Q_EMIT saveFailed(tr("Changes are kept in memory only: %1").arg(loaded.message));
        return false;
    }
    const WorkspaceMerge::Result merged = WorkspaceMerge::merge(m_base, m_workspace, *loaded.workspace);
    const Workspace previous = m_workspace;
    apply(merged.merged);
    m_base = *loaded.workspace;
    m_baseRevision = loaded.revision;
    m_watcher.setKnownRevision(m_baseRevision);
    for (const Environment &now : m_workspace.environments()) {
        const Environment *before = previous.findById(now.id);
        if (before && !(*before == now))
            Q_EMIT environmentChangedElsewhere(now.id);
    }
    for (const Environment &before : previous.environments()) {
        if (!m_workspace.findById(before.id))
            Q_EMIT environmentChangedElsewhere(before.id);
    }
    addConflicts(merged.conflicts);
    return true;
}

void EnvironmentListModel::onChangedOnDisk()
{
    if (m_readOnly || m_path.isEmpty())
        return;
    if (!mergeFromDisk())
        return;
    // Edits of ours that merged cleanly (a save that had to wait) go to disk now.
    if (!(m_workspace == m_base))
        save();
}

void EnvironmentListModel::syncWithDisk()
{
    m_watcher.checkNow();
}

void EnvironmentListModel::apply(const Workspace &next)
{
    // Rows can be updated in place when the environments both hold come in the same order, with
    // next's new ones after them (what a merge gives); anything else is a new list.
    QStringList ours;
    for (const Environment &env : m_workspace.environments()) {
        if (next.findById(env.id))
            ours.append(env.id);
    }
    for (qsizetype i = 0; i < ours.size(); ++i) {
        if (i >= next.environments().size() || next.environments().at(i).id != ours.at(i)) {
            const bool requestsDiffer = !(m_workspace.savedRequests() == next.savedRequests());
            beginResetModel();
            m_workspace = next;
            endResetModel();
            if (requestsDiffer)
                Q_EMIT requestsChanged();
            return;
        }
    }
    QSet<QString> keep;
    for (const Environment &env : next.environments())
        keep.insert(env.id);
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (keep.contains(m_workspace.environments().at(row).id))
            continue;
        QList<Environment> environments = m_workspace.environments();
        environments.removeAt(row);
        beginRemoveRows({}, row, row);
        m_workspace.setEnvironments(environments);
        endRemoveRows();
    }
    // What is left is next's first rows, in next's order (a merge keeps ours first, in our order).
    QList<Environment> environments = m_workspace.environments();
    for (int row = 0; row < environments.size(); ++row) {
        const Environment &updated = next.environments().at(row);
        if (environments.at(row) == updated)
            continue;
        environments[row] = updated;
        m_workspace.setEnvironments(environments);
        Q_EMIT dataChanged(index(row), index(row));
    }
    const int added = int(next.environments().size()) - rowCount();
    const bool requestsDiffer = !(m_workspace.savedRequests() == next.savedRequests());
    if (added > 0)
        beginInsertRows({}, rowCount(), rowCount() + added - 1);
    m_workspace = next;
    if (added > 0)
        endInsertRows();
    if (requestsDiffer)
        Q_EMIT requestsChanged();
}

void EnvironmentListModel::addConflicts(const QList<WorkspaceConflict> &found)
{
    bool added = false;
    for (const WorkspaceConflict &conflict : found) {
        if (!m_conflicts.contains(conflict)) {
            m_conflicts.append(conflict);
            added = true;
        }
    }
    if (added)
        Q_EMIT conflictsFound();
}

void EnvironmentListModel::resolveConflict(int index, WorkspaceConflict::Choice choice)
{
    if (index < 0 || index >= m_conflicts.size())
        return;
    const WorkspaceConflict conflict = m_conflicts.takeAt(index);
    Workspace next = m_workspace;
    WorkspaceMerge::resolve(&next, conflict, choice);
    apply(next);
    save();
}

bool EnvironmentListModel::removeKnown(const Environment &original)
{
    syncWithDisk();
    const Environment *current = m_workspace.findById(original.id);
    if (!current)
        return false; // gone already
    if (*current == original)
        return removeAt(rowOf(original.id));
    WorkspaceConflict conflict;
    conflict.kind = WorkspaceConflict::Kind::Environment;
    conflict.diskEnvironment = *current;
    addConflicts({conflict});
    return false;
}

int EnvironmentListModel::upsertEdited(const Environment &edited, const Environment &original)
{
    // A change another process made while the editor was open is taken in first, so it is compared.
    syncWithDisk();
    const Environment *current = m_workspace.findById(original.id);
    if (current && *current == original)
        return upsert(edited);
    WorkspaceConflict conflict;
    conflict.kind = WorkspaceConflict::Kind::Environment;
    conflict.mineEnvironment = edited;
    if (current)
        conflict.diskEnvironment = *current;
    addConflicts({conflict});
    return current ? rowOf(current->id) : -1;
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

int EnvironmentListModel::duplicate(int row, const QString &newName, std::optional<Tier> tier)
{
    const Environment *source = environmentAt(row);
    if (!source)
        return -1;
    Environment copy = *source;
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.name = uniqueName(newName.isEmpty() ? tr("%1 copy").arg(source->name) : newName);
    if (tier)
        copy.tier = *tier;
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

void EnvironmentListModel::replaceWorkspace(const Workspace &next)
{
    apply(next);
    save();
}
