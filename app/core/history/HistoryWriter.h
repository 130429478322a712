#pragma once

#include "history/HistoryEntry.h"
#include "history/Redactor.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

// Writes history entries on a thread of its own, a batch per transaction, through its own
// connection to the history file: a run of thousands of exchanges (the scope matrix) costs the
// thread that adds them only the making of each entry, never a redaction or a disk write.
// Entries are redacted there by the redactor given, as HistoryStore::append redacts them.
// The destructor writes what was added, then ends the thread.
class HistoryWriter : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxBatch = 200;     // entries per transaction
    static constexpr int FlushDelayMs = 150; // how long an entry may wait for others

    explicit HistoryWriter(const QString &path, QObject *parent = nullptr);
    ~HistoryWriter() override;

    QString path() const { return m_path; }
    // For the entries handed over from now on (a redactor only ever learns more secrets).
    void setRedactor(const Redactor &redactor) { m_redactor = redactor; }
    const Redactor &redactor() const { return m_redactor; }
    void add(const HistoryEntry &entry);
    // Hands what waits to the writing thread now.
    void flush();
    // Added and not yet reported written or failed.
    int pending() const { return m_pending; }

Q_SIGNALS:
    // A batch is in the file (the ids it was given), or could not be written (the history's message).
    void written(const QList<qint64> &ids);
    void failed(const QString &message, int count);

private:
    class Sink;

    void onWritten(const QList<qint64> &ids);
    void onFailed(const QString &message, int count);

    QString m_path;
    Redactor m_redactor;
    QList<HistoryEntry> m_batch;
    QTimer m_timer;
    QThread m_thread;
    Sink *m_sink;
    int m_pending = 0;
};
