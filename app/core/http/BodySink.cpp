#include "http/BodySink.h"

#include <algorithm>

void BodySink::reset(qint64 limit)
{
    m_body = {};
    m_limit = limit;
    m_cut = false;
}

void BodySink::expect(qint64 length)
{
    if (length > m_body.capacity())
        m_body.reserve(std::min(length, m_limit));
}

bool BodySink::append(QByteArrayView data)
{
    if (m_cut)
        return false;
    const qint64 room = m_limit - m_body.size();
    const bool fits = data.size() <= room;
    if (!fits) {
        data = data.first(room);
        m_cut = true;
    }
    const qint64 needed = m_body.size() + data.size();
    if (needed > m_body.capacity()) {
        // Doubling as QByteArray would, but never past the limit: a body just under it must not
        // cost twice the limit in one allocation.
        m_body.reserve(std::min(std::max(needed, m_body.capacity() * 2), m_limit));
    }
    m_body.append(data);
    return fits;
}

QByteArray BodySink::take()
{
    QByteArray body = std::move(m_body);
    m_body = {};
    return body;
}
