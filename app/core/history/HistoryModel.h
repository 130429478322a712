#pragma once

#include "history/HistoryEntry.h"
#include "history/HistoryStore.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>

// The history as a table, newest first, one page at a time (canFetchMore/fetchMore), filtered
// by HistoryStore's search. Rows are summaries; HistoryStore::entry(idAt(row)) has the rest.
// Changes made through the model (append, removeEntry, clear) show at once; the store is not
// owned and must outlive the model.
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, EnvironmentColumn, MethodColumn, UrlColumn, StatusColumn, DurationColumn, SizeColumn, ColumnCount };

    // Raw values, whatever the column: views sort and colour by these.
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64
        TimestampRole, // QDateTime, UTC
        StatusCodeRole, // int, 0 without a response
        DurationMsRole, // qint64, -1 unknown
        SizeBytesRole, // qint64, -1 unknown
        ErrorRole, // QString
        EnvironmentIdRole, // QString
    };

    explicit HistoryModel(HistoryStore *store, QObject *parent = nullptr);

    HistoryStore *store() const { return m_store; }

    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }

    // Same syntax as HistoryStore::query; reloads from the first page.
    void setFilter(const QString &text);
    QString filter() const { return m_filter; }
    void reload();

    // Stores the entry and, when it matches the filter, shows it as the first row.
    HistoryStore::AppendResult append(const HistoryEntry &entry);
    // Shows entries someone else stored (a HistoryWriter, on its own connection) as the first
    // rows: those of these ids the filter matches and the model does not show yet.
    void showStored(const QList<qint64> &ids);
    HistoryStore::Result removeEntry(int row);
    HistoryStore::Result clear();

    qint64 idAt(int row) const;
    HistoryEntry summaryAt(int row) const;
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    QList<HistoryEntry> nextPage();
    void report(const HistoryStore::Result &result);

    HistoryStore *m_store = nullptr;
    QList<HistoryEntry> m_rows;
    QSet<qint64> m_ids;
    QString m_filter;
    int m_pageSize = 200;
    int m_offset = 0; // where the next page starts in the store's order
    bool m_exhausted = true;
    bool m_changing = false; // inside begin…/end… of a change
    QString m_lastError;
};
