#pragma once

#include "history/HistoryEntry.h"
#include "history/Redactor.h"

#include <QList>
#include <QString>

class QSqlError;

// The exchange history in an SQLite file, through Qt SQL. Everything is redacted by the
// Redactor before it is written unless the user opted in (redactor().setKeepEverything(true)).
// Deleting really deletes: secure_delete zeroes freed space, clear() VACUUMs, and the
// write-ahead log is checkpointed and truncated so no copy of a deleted row stays behind.
// A file that is not ours, is damaged or comes from a newer Tokenbench is refused, never
// modified and never removed. Errors are values; nothing here throws or asserts on bad files.
// One instance owns one connection (its own name), used from the thread that opened it.
class HistoryStore
{
public:
    // 1: the exchange as it went on the wire. 2: and the request as composed, with the injected
    // headers (a file of schema 1 is migrated on open; its rows keep no composed request).
    // 3: and what sent it when not the composer (HistoryEntry::origin; older rows: empty).
    static constexpr int SchemaVersion = 3;

    enum class Status {
        Ok,
        NotOpen,
        DriverMissing, // no QSQLITE plugin (Debian: libqt6sql6-sqlite)
        CannotOpen, // permissions, a directory, no space …
        NotADatabase, // not an SQLite file at all
        Corrupt, // SQLite, but damaged
        FutureSchema, // written by a newer Tokenbench
        ForeignDatabase, // an SQLite file that is not a Tokenbench history
        NotFound,
        Failed, // any other SQL failure, with SQLite's message
    };

    struct Result
    {
        Status status = Status::Ok;
        QString message;
        bool ok() const { return status == Status::Ok; }
    };
    struct AppendResult : Result
    {
        qint64 id = 0;
    };
    struct AppendAllResult : Result
    {
        QList<qint64> ids;
    };
    struct EntryResult : Result
    {
        HistoryEntry entry;
    };
    struct EntriesResult : Result
    {
        QList<HistoryEntry> entries;
    };
    struct CountResult : Result
    {
        qint64 count = 0;
    };

    // QStandardPaths::AppDataLocation + "/history.sqlite".
    static QString defaultPath();

    HistoryStore();
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // Opens or creates the history at path (creating its directory). Closes any previous one.
    Result open(const QString &path);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString connectionName() const { return m_connectionName; }

    Redactor &redactor() { return m_redactor; }
    const Redactor &redactor() const { return m_redactor; }
    void setRedactor(const Redactor &redactor) { m_redactor = redactor; }

    // Redacts (unless opted in), caps the bodies, stores. entry.id is ignored; the new id is returned.
    AppendResult append(const HistoryEntry &entry);
    // The same for each entry, in one transaction: all of them are stored, or none.
    AppendAllResult appendAll(const QList<HistoryEntry> &entries);

    // Newest first. The filter is words, each of which must match the method, the URL, the
    // status (a number, or a class like "4xx"), the environment's name or the origin; case-insensitive for
    // ASCII; '%' and '_' are literal. Rows are summaries: headers and bodies are left empty
    // (entry(id) has them) so a page of history stays small.
    EntriesResult query(const QString &filter = {}, int limit = 100, int offset = 0) const;
    CountResult count(const QString &filter = {}) const;
    // The summaries of the entries with ids from firstId to lastId that match the filter, newest
    // first: what another connection just wrote (HistoryWriter), for a model to show.
    EntriesResult queryRange(qint64 firstId, qint64 lastId, const QString &filter = {}) const;
    // Whether the entry exists and matches the filter; false on any error.
    bool matches(qint64 id, const QString &filter) const;
    EntryResult entry(qint64 id) const;

    Result remove(qint64 id);
    Result clear();

private:
    Result fail(Status status, const QString &what, const QString &detail) const;
    Result failSql(const QSqlError &error, const QString &what) const;
    // Runs a SELECT of entry summaries with its binds, in order; what query and queryRange share.
    EntriesResult selectSummaries(const QString &sql, const QVariantList &binds) const;

    QString m_connectionName;
    QString m_path;
    Redactor m_redactor;
};
