#pragma once

#include "http/ResponseLimit.h"

#include <QByteArray>
#include <QByteArrayView>

// Where a response body accumulates, as decoded bytes, up to a limit. Past it, only the first
// limit bytes are kept and append() says stop; the buffer never holds more than the limit, nor
// grows past it, so a body costs at most the limit in memory however the server behaves.
class BodySink
{
public:
    explicit BodySink(qint64 limit = ResponseLimit::defaultBodyBytes) : m_limit(limit) {}

    // Starts over for a new answer.
    void reset(qint64 limit);
    // The server's announced length: one allocation instead of repeated growth, never past the limit.
    void expect(qint64 length);
    // False once the body passed the limit: what fits was kept, the rest is dropped.
    bool append(QByteArrayView data);

    qint64 limit() const { return m_limit; }
    bool isCut() const { return m_cut; }
    qint64 size() const { return m_body.size(); }
    QByteArray take();

private:
    QByteArray m_body;
    qint64 m_limit = 0;
    bool m_cut = false;
};
