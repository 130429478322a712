#include "history/HistoryModel.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// Marks the model as in the middle of a change for the lifetime of a scope.
class ChangeGuard
{
public:
    explicit ChangeGuard(bool &flag)
        : m_flag(flag)
    {
        m_flag = true;
    }
    ~ChangeGuard() { m_flag = false; }
    ChangeGuard(const ChangeGuard &) = delete;
    ChangeGuard &operator=(const ChangeGuard &) = delete;

private:
    bool &m_flag;
};
} // namespace

HistoryModel::HistoryModel(HistoryStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    reload();
}

void HistoryModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

void HistoryModel::setFilter(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    reload();
}

void HistoryModel::reload()
{
    const ChangeGuard guard(m_changing);
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    m_offset = 0;
    m_exhausted = !m_store || !m_store->isOpen();
    // The first page comes with the reset, so a view shows rows without having to ask.
    if (!m_exhausted)
        m_rows = nextPage();
    endResetModel();
}

void HistoryModel::report(const HistoryStore::Result &result)
{
    if (result.ok())
        return;
    m_lastError = result.message;
    Q_EMIT errorOccurred(result.message);
}

// The rows of the next page that are not shown yet; the caller announces and adds them.
QList<HistoryEntry> HistoryModel::nextPage()
{
    const HistoryStore::EntriesResult page = m_store->query(m_filter, m_pageSize, m_offset);
    if (!page.ok()) {
        // A failing store must not make a view ask for ever.
        m_exhausted = true;
        report(page);
        return {};
    }
    m_offset += int(page.entries.size());
    m_exhausted = page.entries.size() < m_pageSize;
    QList<HistoryEntry> fresh;
    for (const HistoryEntry &entry : page.entries) {
        // Entries added by someone else since the last page shift the offsets; skip repeats.
        if (m_ids.contains(entry.id))
            continue;
        m_ids.insert(entry.id);
        fresh.append(entry);
    }
    return fresh;
}

bool HistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted;
}

void HistoryModel::fetchMore(const QModelIndex &parent)
{
    // Views (and QAbstractItemModelTester) may ask for more while a change is being announced;
    // inserting rows inside that notification would nest one change in another.
    if (parent.isValid() || m_exhausted || m_changing)
        return;
    const ChangeGuard guard(m_changing);
    const QList<HistoryEntry> added = nextPage();
    if (added.isEmpty())
        return;
    const qsizetype first = m_rows.size();
    beginInsertRows({}, int(first), int(first + added.size() - 1));
    m_rows.append(added);
    endInsertRows();
}

HistoryStore::AppendResult HistoryModel::append(const HistoryEntry &entry)
{
    HistoryStore::AppendResult result;
    if (!m_store) {
        result.status = HistoryStore::Status::NotOpen;
        result.message = u"There is no history."_s;
        report(result);
        return result;
    }
    result = m_store->append(entry);
    if (!result.ok()) {
        report(result);
        return result;
    }
    if (!m_store->matches(result.id, m_filter))
        return result;
    const HistoryStore::EntryResult stored = m_store->entry(result.id);
    if (!stored.ok()) {
        report(stored);
        return result;
    }
    const ChangeGuard guard(m_changing);
    HistoryEntry summary = stored.entry;
    summary.requestHeaders.clear();
    summary.requestBody.clear();
    summary.responseHeaders.clear();
    summary.responseBody.clear();
    summary.injected.clear();
    summary.composed.reset();
    beginInsertRows({}, 0, 0);
    m_rows.prepend(summary);
    m_ids.insert(summary.id);
    ++m_offset;
    endInsertRows();
    return result;
}

void HistoryModel::showStored(const QList<qint64> &ids)
{
    if (!m_store || !m_store->isOpen() || ids.isEmpty() || m_changing)
        return;
    const auto [first, last] = std::minmax_element(ids.cbegin(), ids.cend());
    const HistoryStore::EntriesResult stored = m_store->queryRange(*first, *last, m_filter);
    if (!stored.ok()) {
        report(stored);
        return;
    }
    QList<HistoryEntry> fresh;
    for (const HistoryEntry &entry : stored.entries) {
        if (!m_ids.contains(entry.id))
            fresh.append(entry);
    }
    if (fresh.isEmpty())
        return;
    const ChangeGuard guard(m_changing);
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    for (const HistoryEntry &entry : std::as_const(fresh))
        m_ids.insert(entry.id);
    m_rows = fresh + m_rows;
    m_offset += int(fresh.size());
    endInsertRows();
}

HistoryStore::Result HistoryModel::removeEntry(int row)
{
    if (row < 0 || row >= m_rows.size() || !m_store)
        return {HistoryStore::Status::NotFound, u"There is no history row %1."_s.arg(row)};
    const qint64 id = m_rows.at(row).id;
    const HistoryStore::Result result = m_store->remove(id);
    report(result);
    // The row goes when the entry is gone, even if cleaning up after the delete failed.
    if (!m_store->matches(id, {})) {
        const ChangeGuard guard(m_changing);
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        m_ids.remove(id);
        m_offset = std::max(0, m_offset - 1);
        endRemoveRows();
    }
    return result;
}

HistoryStore::Result HistoryModel::clear()
{
    if (!m_store)
        return {HistoryStore::Status::NotOpen, u"There is no history."_s};
    const HistoryStore::Result result = m_store->clear();
    report(result);
    reload();
    return result;
}

qint64 HistoryModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

HistoryEntry HistoryModel::summaryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : HistoryEntry();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry &e = m_rows.at(index.row());
    switch (role) {
    case IdRole: return e.id;
    case TimestampRole: return e.timestamp;
    case StatusCodeRole: return e.status;
    case DurationMsRole: return e.durationMs;
    case SizeBytesRole: return e.sizeBytes;
    case ErrorRole: return e.error;
    case EnvironmentIdRole: return e.environmentId;
    default: break;
    }

    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn: return QLocale().toString(e.timestamp.toLocalTime(), QLocale::ShortFormat);
        case EnvironmentColumn: return e.environmentName;
        case MethodColumn: return e.method;
        case UrlColumn: return e.url;
        case StatusColumn:
            if (e.status > 0)
                return QString::number(e.status);
            return e.error.isEmpty() ? QString() : tr("failed");
        case DurationColumn: return e.durationMs >= 0 ? tr("%1 ms").arg(e.durationMs) : QString();
        case SizeColumn: return e.sizeBytes >= 0 ? QLocale().formattedDataSize(e.sizeBytes) : QString();
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn: return e.timestamp.toLocalTime().toString(Qt::ISODateWithMs);
        case UrlColumn: return e.url;
        case StatusColumn:
            if (!e.error.isEmpty())
                return e.error;
            return e.reason.isEmpty() ? QVariant() : QVariant(u"%1 %2"_s.arg(e.status).arg(e.reason));
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case StatusColumn:
        case DurationColumn:
        case SizeColumn: return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
        }
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case EnvironmentColumn: return tr("Environment");
    case MethodColumn: return tr("Method");
    case UrlColumn: return tr("URL");
    case StatusColumn: return tr("Status");
    case DurationColumn: return tr("Duration");
    case SizeColumn: return tr("Size");
    default: return {};
    }
}
