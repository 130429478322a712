#include "history/HistoryWriter.h"

#include "history/HistoryStore.h"

#include <QMetaObject>

#include <utility>

// Lives on the writing thread: the connection is made, used and closed there (Qt SQL's rule).
class HistoryWriter::Sink : public QObject
{
public:
    explicit Sink(const QString &path)
        : m_path(path)
    {
    }

    HistoryStore::AppendAllResult write(const QList<HistoryEntry> &batch, const Redactor &redactor)
    {
        if (!m_store.isOpen()) {
            const HistoryStore::Result opened = m_store.open(m_path);
            if (!opened.ok()) {
                HistoryStore::AppendAllResult refused;
                static_cast<HistoryStore::Result &>(refused) = opened;
                return refused;
            }
        }
        m_store.setRedactor(redactor);
        return m_store.appendAll(batch);
    }

    void close() { m_store.close(); }

private:
    QString m_path;
    HistoryStore m_store;
};

HistoryWriter::HistoryWriter(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_sink(new Sink(path))
{
    m_thread.setObjectName(QStringLiteral("HistoryWriter"));
    m_sink->moveToThread(&m_thread);
    m_timer.setSingleShot(true);
    m_timer.setInterval(FlushDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &HistoryWriter::flush);
    m_thread.start();
}

HistoryWriter::~HistoryWriter()
{
    flush();
    // Queued after every batch, so they are written first; the connection closes on its thread.
    Sink *sink = m_sink;
    QMetaObject::invokeMethod(m_sink, [sink] {
        sink->close();
        QThread::currentThread()->quit();
    }, Qt::QueuedConnection);
    m_thread.wait();
    delete m_sink;
}

void HistoryWriter::add(const HistoryEntry &entry)
{
    m_batch.append(entry);
    ++m_pending;
    if (m_batch.size() >= MaxBatch)
        flush();
    else if (!m_timer.isActive())
        m_timer.start();
}

void HistoryWriter::flush()
{
    m_timer.stop();
    if (m_batch.isEmpty())
        return;
    const QList<HistoryEntry> batch = std::exchange(m_batch, {});
    const Redactor redactor = m_redactor;
    Sink *sink = m_sink;
    HistoryWriter *writer = this; // alive until the thread has run every batch (the destructor waits)
    QMetaObject::invokeMethod(m_sink, [sink, batch, redactor, writer] {
        const HistoryStore::AppendAllResult result = sink->write(batch, redactor);
        const int count = int(batch.size());
        // Posted to the writer's thread; dropped with the writer if it is gone by then.
        QMetaObject::invokeMethod(writer, [writer, result, count] {
            if (result.ok())
                writer->onWritten(result.ids);
            else
                writer->onFailed(result.message, count);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void HistoryWriter::onWritten(const QList<qint64> &ids)
{
    m_pending -= int(ids.size());
    Q_EMIT written(ids);
}

void HistoryWriter::onFailed(const QString &message, int count)
{
    m_pending -= count;
    Q_EMIT failed(message, count);
}
