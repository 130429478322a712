#include "scopes/ScopeModel.h"

#include <QSet>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

// Group rows carry internal id 0, scope rows their group's row + 1. Groups are only ever appended
// or removed at the end ("Not in the catalog" is last), so the ids of existing rows never go stale.

namespace {
constexpr quintptr GroupId = 0;
constexpr int ColumnCount = 2;

QStringList splitScopes(const QStringList &scopes)
{
    QStringList names;
    for (const auto &entry : scopes) {
        const QStringList parts = entry.simplified().split(u' ', Qt::SkipEmptyParts);
        for (const auto &part : parts) {
            if (ScopeInfo::syntaxProblem(part).isEmpty() && !names.contains(part))
                names.append(part);
        }
    }
    return names;
}
} // namespace

ScopeModel::ScopeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void ScopeModel::setCatalog(const ScopeCatalog &catalog)
{
    const QStringList before = selectedScopes();

    beginResetModel();
    m_entries.clear();
    m_groups.clear();
    m_byName.clear();
    for (const auto &listed : catalog) {
        if (listed.name.isEmpty() || m_byName.contains(listed.name))
            continue;
        // A caller that only filled in name and description still gets its scopes grouped.
        ScopeInfo info = listed;
        if (info.resource.isEmpty() && info.action.isEmpty() && !info.accountRestricted)
            info = ScopeInfo::classify(listed.name, listed.description);
        info.known = true;

        const GroupKind kind = info.resource.isEmpty() ? GroupKind::General : GroupKind::Resource;
        auto group = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group &g) {
            return g.kind == kind && g.resource == info.resource;
        });
        if (group == m_groups.end()) {
            m_groups.append(Group{kind, info.resource, {}});
            group = m_groups.end() - 1;
        }
        const int entryIndex = int(m_entries.size());
        group->members.append(entryIndex);
        m_entries.append(Entry{info, before.contains(info.name), GrantState::NotAuthorized,
                               int(std::distance(m_groups.begin(), group))});
        m_byName.insert(info.name, entryIndex);
    }
    m_catalogSize = int(m_entries.size());
    for (const auto &name : before) {
        if (m_byName.contains(name))
            continue;
        if (otherGroupRow() < 0)
            m_groups.append(Group{GroupKind::Other, {}, {}});
        ScopeInfo info = ScopeInfo::classify(name);
        info.known = false;
        const int entryIndex = int(m_entries.size());
        m_groups.last().members.append(entryIndex);
        m_entries.append(Entry{info, true, GrantState::NotAuthorized, int(m_groups.size()) - 1});
        m_byName.insert(name, entryIndex);
    }
    endResetModel();

    if (selectedScopes() != before)
        Q_EMIT selectionChanged();
}

ScopeCatalog ScopeModel::catalog() const
{
    ScopeCatalog result;
    result.reserve(m_catalogSize);
    for (int i = 0; i < m_catalogSize; ++i)
        result.append(m_entries.at(i).info);
    return result;
}

QStringList ScopeModel::selectedScopes() const
{
    QStringList names;
    for (const auto &entry : m_entries) {
        if (entry.checked)
            names.append(entry.info.name);
    }
    return names;
}

QList<ScopeInfo> ScopeModel::selectedScopeInfos() const
{
    QList<ScopeInfo> infos;
    for (const auto &entry : m_entries) {
        if (entry.checked)
            infos.append(entry.info);
    }
    return infos;
}

void ScopeModel::setSelectedScopes(const QStringList &scopes)
{
    const QStringList before = selectedScopes();
    const QStringList wanted = splitScopes(scopes);

    removeFreeText(wanted);
    for (const auto &name : wanted) {
        if (!m_byName.contains(name))
            appendFreeText(name, true);
    }
    QHash<int, bool> changes;
    for (int i = 0; i < m_entries.size(); ++i)
        changes.insert(i, wanted.contains(m_entries.at(i).info.name));
    applyCheckStates(changes);

    if (selectedScopes() != before)
        Q_EMIT selectionChanged();
}

bool ScopeModel::addScope(const QString &name)
{
    if (!ScopeInfo::syntaxProblem(name).isEmpty())
        return false;
    const QStringList before = selectedScopes();
    if (const auto it = m_byName.constFind(name); it != m_byName.cend())
        applyCheckStates({{*it, true}});
    else
        appendFreeText(name, true);
    if (selectedScopes() != before)
        Q_EMIT selectionChanged();
    return true;
}

void ScopeModel::setGroupChecked(const QModelIndex &group, bool checked)
{
    if (!group.isValid() || !checkIndex(group, CheckIndexOption::IndexIsValid) || group.internalId() != GroupId)
        return;
    setEntriesChecked(m_groups.at(group.row()).members, checked);
}

void ScopeModel::selectAll(bool checked)
{
    QList<int> all(m_entries.size());
    std::iota(all.begin(), all.end(), 0);
    setEntriesChecked(all, checked);
}

void ScopeModel::setScopesChecked(const QStringList &names, bool checked)
{
    QList<int> entries;
    for (const auto &name : names) {
        if (const auto it = m_byName.constFind(name); it != m_byName.cend())
            entries.append(*it);
    }
    setEntriesChecked(entries, checked);
}

void ScopeModel::setGrantResult(const QStringList &requested, const QStringList &granted, bool reported)
{
    const QSet<QString> requestedSet(requested.cbegin(), requested.cend());
    const QSet<QString> grantedSet(granted.cbegin(), granted.cend());
    QList<GrantState> states;
    states.reserve(m_entries.size());
    for (const auto &entry : std::as_const(m_entries)) {
        const QString &name = entry.info.name;
        GrantState state = GrantState::NotAuthorized;
        if (requestedSet.contains(name))
            state = !reported ? GrantState::NotReported : grantedSet.contains(name) ? GrantState::Granted : GrantState::NotGranted;
        else if (reported && grantedSet.contains(name))
            state = GrantState::Granted; // the server granted more than was asked for
        states.append(state);
    }
    setGrantStates(states);
}

void ScopeModel::setRefusedScopes(const QStringList &refused, const QString &reason)
{
    m_refusalReason = reason;
    QList<GrantState> states;
    states.reserve(m_entries.size());
    for (const auto &entry : std::as_const(m_entries))
        states.append(refused.contains(entry.info.name) ? GrantState::Refused : GrantState::NotAuthorized);
    setGrantStates(states);
}

void ScopeModel::clearGrantResult()
{
    m_refusalReason.clear();
    setGrantStates(QList<GrantState>(m_entries.size(), GrantState::NotAuthorized));
}

QModelIndex ScopeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, GroupId) : QModelIndex();
    if (parent.model() != this || parent.internalId() != GroupId || parent.column() != 0 || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).members.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex ScopeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, GroupId);
}

int ScopeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != GroupId || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).members.size());
}

int ScopeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ScopeModel::data(const QModelIndex &index, int role) const
{
    // Views and the model tester ask about the invalid index on purpose; that is no misuse.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == GroupId)
        return groupData(index.row(), index.column(), role);
    return scopeData(*entryAt(index), index.column(), role);
}

bool ScopeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != 0 || !index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const auto state = static_cast<Qt::CheckState>(value.toInt());
    if (state != Qt::Checked && state != Qt::Unchecked)
        return false; // a group's partial state is computed from its scopes, never set
    const bool checked = state == Qt::Checked;
    if (index.internalId() == GroupId)
        setGroupChecked(index, checked);
    else
        setEntriesChecked({m_groups.at(int(index.internalId() - 1)).members.at(index.row())}, checked);
    return true;
}

Qt::ItemFlags ScopeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == 0)
        result |= Qt::ItemIsUserCheckable;
    if (index.internalId() != GroupId)
        result |= Qt::ItemNeverHasChildren;
    return result;
}

QVariant ScopeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case 0:
        return tr("Scope");
    case 1:
        return tr("Description");
    default:
        return {};
    }
}

const ScopeModel::Entry *ScopeModel::entryAt(const QModelIndex &index) const
{
    return &m_entries.at(m_groups.at(int(index.internalId() - 1)).members.at(index.row()));
}

QString ScopeModel::groupTitle(const Group &group) const
{
    switch (group.kind) {
    case GroupKind::General:
        return tr("General");
    case GroupKind::Other:
        return tr("Not in the catalog");
    case GroupKind::Resource:
        break;
    }
    return group.resource;
}

QVariant ScopeModel::groupData(int row, int column, int role) const
{
    const Group &group = m_groups.at(row);
    const auto checkedCount = std::count_if(group.members.cbegin(), group.members.cend(),
                                            [this](int entry) { return m_entries.at(entry).checked; });
    switch (role) {
    case Qt::DisplayRole:
        if (column == 0)
            return groupTitle(group);
        return tr("%1 of %2 selected").arg(checkedCount).arg(group.members.size());
    case Qt::CheckStateRole:
        if (column != 0)
            return {};
        if (checkedCount == 0)
            return Qt::Unchecked;
        return checkedCount == group.members.size() ? Qt::Checked : Qt::PartiallyChecked;
    case Qt::ToolTipRole:
        switch (group.kind) {
        case GroupKind::General:
            return tr("Scopes that name no resource, such as OpenID Connect's openid and profile");
        case GroupKind::Other:
            return tr("Scopes entered by hand, or named by a request, that the catalog does not list");
        case GroupKind::Resource:
            break;
        }
        return tr("Scopes for %1").arg(group.resource);
    case NameRole:
        return group.resource;
    case IsGroupRole:
        return true;
    default:
        return {};
    }
}

QVariant ScopeModel::scopeData(const Entry &entry, int column, int role) const
{
    const ScopeInfo &info = entry.info;
    switch (role) {
    case Qt::DisplayRole:
        if (column == 0)
            return info.name;
        if (info.description.isEmpty() && !info.known)
            return tr("Not in the catalog");
        return info.description;
    case Qt::CheckStateRole:
        if (column != 0)
            return {};
        return entry.checked ? Qt::Checked : Qt::Unchecked;
    case Qt::ToolTipRole:
        return scopeToolTip(entry);
    case NameRole:
        return info.name;
    case DescriptionRole:
        return info.description;
    case LevelRole:
        return int(info.level);
    case PrivilegedRole:
        return info.isPrivileged();
    case AccountRestrictedRole:
        return info.accountRestricted;
    case KnownRole:
        return info.known;
    case GrantStateRole:
        return int(entry.grant);
    case IsGroupRole:
        return false;
    case ActsOnBehalfOfRole:
        return info.actsOnBehalfOf;
    default:
        return {};
    }
}

QString ScopeModel::scopeToolTip(const Entry &entry) const
{
    const ScopeInfo &info = entry.info;
    QStringList lines;
    lines.append(info.description.isEmpty() ? info.name : tr("%1: %2").arg(info.name, info.description));
    if (info.actsOnBehalfOf)
        lines.append(tr("Acts on behalf of a user: a token with this scope can call the API as someone else."));
    else if (info.level == ScopeInfo::Level::Write)
        lines.append(tr("Changes data: a token with this scope can create, change or delete."));
    else if (info.level == ScopeInfo::Level::Execute)
        lines.append(tr("Changes data: a token with this scope can carry out actions such as payments or trades."));
    else if (info.level == ScopeInfo::Level::Read)
        lines.append(tr("Read only."));
    if (info.accountRestricted)
        lines.append(tr("Restricts the token to account %1.").arg(info.restrictedTo));
    if (!info.known)
        lines.append(tr("Not in the catalog: the environment's catalog does not list this scope."));
    switch (entry.grant) {
    case GrantState::NotAuthorized:
        break;
    case GrantState::Granted:
        lines.append(tr("Granted at the last authorization."));
        break;
    case GrantState::NotGranted:
        lines.append(tr("Requested but not granted at the last authorization."));
        break;
    case GrantState::NotReported:
        lines.append(tr("Requested at the last authorization; the server did not say which scopes it granted."));
        break;
    case GrantState::Refused:
        lines.append(m_refusalReason.isEmpty() ? tr("Refused by the server at the last authorization.")
                                               : tr("Refused by the server at the last authorization: %1").arg(m_refusalReason));
        break;
    }
    return lines.join(u'\n');
}

int ScopeModel::otherGroupRow() const
{
    if (!m_groups.isEmpty() && m_groups.last().kind == GroupKind::Other)
        return int(m_groups.size()) - 1;
    return -1;
}

void ScopeModel::appendFreeText(const QString &name, bool checked)
{
    ScopeInfo info = ScopeInfo::classify(name);
    info.known = false;
    const int entryIndex = int(m_entries.size());
    const int groupRow = otherGroupRow();
    if (groupRow < 0) {
        const int row = int(m_groups.size());
        beginInsertRows({}, row, row);
        m_groups.append(Group{GroupKind::Other, {}, {entryIndex}});
        m_entries.append(Entry{info, checked, GrantState::NotAuthorized, row});
        m_byName.insert(name, entryIndex);
        endInsertRows();
        return;
    }
    const int row = int(m_groups.at(groupRow).members.size());
    beginInsertRows(index(groupRow, 0), row, row);
    m_groups[groupRow].members.append(entryIndex);
    m_entries.append(Entry{info, checked, GrantState::NotAuthorized, groupRow});
    m_byName.insert(name, entryIndex);
    endInsertRows();
    emitGroupChanged(groupRow);
}

void ScopeModel::removeFreeText(const QStringList &keep)
{
    const int groupRow = otherGroupRow();
    if (groupRow < 0)
        return;
    // Free-text entries are the tail of m_entries and the Other group's rows, in the same order.
    for (int entryIndex = int(m_entries.size()) - 1; entryIndex >= m_catalogSize; --entryIndex) {
        const QString name = m_entries.at(entryIndex).info.name;
        if (keep.contains(name))
            continue;
        const int row = entryIndex - m_catalogSize;
        beginRemoveRows(index(groupRow, 0), row, row);
        m_entries.removeAt(entryIndex);
        m_byName.remove(name);
        Group &group = m_groups[groupRow];
        group.members.removeAt(row);
        for (int i = row; i < group.members.size(); ++i) {
            group.members[i] = m_catalogSize + i;
            m_byName.insert(m_entries.at(m_catalogSize + i).info.name, m_catalogSize + i);
        }
        endRemoveRows();
    }
    if (m_groups.at(groupRow).members.isEmpty()) {
        beginRemoveRows({}, groupRow, groupRow);
        m_groups.removeAt(groupRow);
        endRemoveRows();
    } else {
        emitGroupChanged(groupRow);
    }
}

void ScopeModel::setEntriesChecked(const QList<int> &entries, bool checked)
{
    const QStringList before = selectedScopes();
    QHash<int, bool> changes;
    for (const int entry : entries)
        changes.insert(entry, checked);
    applyCheckStates(changes);
    if (selectedScopes() != before)
        Q_EMIT selectionChanged();
}

void ScopeModel::applyCheckStates(const QHash<int, bool> &states)
{
    // Per group, the span of changed rows: one dataChanged per group rather than per scope.
    QHash<int, std::pair<int, int>> spans;
    for (auto it = states.cbegin(); it != states.cend(); ++it) {
        Entry &entry = m_entries[it.key()];
        if (entry.checked == it.value())
            continue;
        entry.checked = it.value();
        const int row = int(m_groups.at(entry.group).members.indexOf(it.key()));
        auto span = spans.find(entry.group);
        if (span == spans.end())
            spans.insert(entry.group, {row, row});
        else
            *span = {std::min(span->first, row), std::max(span->second, row)};
    }
    for (auto it = spans.cbegin(); it != spans.cend(); ++it) {
        const QModelIndex group = index(it.key(), 0);
        Q_EMIT dataChanged(index(it->first, 0, group), index(it->second, 0, group), {Qt::CheckStateRole});
        emitGroupChanged(it.key());
    }
}

void ScopeModel::setGrantStates(const QList<GrantState> &states)
{
    for (int groupRow = 0; groupRow < m_groups.size(); ++groupRow) {
        const QList<int> &members = m_groups.at(groupRow).members;
        int first = -1;
        int last = -1;
        for (int row = 0; row < members.size(); ++row) {
            Entry &entry = m_entries[members.at(row)];
            const GrantState state = states.at(members.at(row));
            if (entry.grant == state)
                continue;
            entry.grant = state;
            if (first < 0)
                first = row;
            last = row;
        }
        if (first >= 0) {
            const QModelIndex group = index(groupRow, 0);
            // Every role: views derive text, colours and tooltips from the grant state.
            Q_EMIT dataChanged(index(first, 0, group), index(last, ColumnCount - 1, group));
        }
    }
}

void ScopeModel::emitGroupChanged(int groupRow)
{
    Q_EMIT dataChanged(index(groupRow, 0), index(groupRow, ColumnCount - 1),
                       {Qt::CheckStateRole, Qt::DisplayRole, Qt::ToolTipRole});
}
