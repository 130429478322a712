#include "http/ResponseReader.h"

namespace {
QByteArrayView trimmedView(QByteArrayView view)
{
    while (!view.isEmpty() && (view.front() == ' ' || view.front() == '\t'))
        view = view.sliced(1);
    while (!view.isEmpty() && (view.back() == ' ' || view.back() == '\t' || view.back() == '\r' || view.back() == '\n'))
        view.chop(1);
    return view;
}
} // namespace

void ResponseReader::reset(qint64 bodyLimit, bool headRequest)
{
    m_status = 0;
    m_version.clear();
    m_reason.clear();
    m_fields.clear();
    m_body.reset(bodyLimit);
    m_headerBytes = 0;
    m_headRequest = headRequest;
    m_headersDone = false;
    m_overflow = Overflow::None;
}

bool ResponseReader::headerLine(QByteArrayView line)
{
    if (m_overflow != Overflow::None)
        return false;
    // Endless 1xx answers or fields would otherwise grow without bound.
    m_headerBytes += line.size();
    if (m_headerBytes > ResponseLimit::headerBytes) {
        m_overflow = Overflow::Headers;
        return false;
    }
    if (line.startsWith("HTTP/")) {
        // A new response (1xx ones come before the final one): only the last counts.
        const QByteArrayView statusLine = trimmedView(line);
        const qsizetype space = statusLine.indexOf(' ');
        m_version = statusLine.first(space < 0 ? statusLine.size() : space).toByteArray();
        const QByteArrayView rest = space < 0 ? QByteArrayView() : trimmedView(statusLine.sliced(space + 1));
        const qsizetype codeEnd = rest.indexOf(' ');
        m_status = rest.first(codeEnd < 0 ? rest.size() : codeEnd).toInt();
        m_reason = codeEnd < 0 ? QByteArray() : trimmedView(rest.sliced(codeEnd + 1)).toByteArray();
        m_fields.clear();
        m_headersDone = false;
        return true;
    }
    if (m_headersDone || line.isEmpty())
        return true; // chunked trailers: after the body, not part of the answer's header block
    if (line.front() == ' ' || line.front() == '\t') {
        // obs-fold (RFC 9112 §5.2): the line continues the previous field's value.
        const QByteArrayView more = trimmedView(line);
        if (!m_fields.isEmpty() && !more.isEmpty())
            m_fields.last().second += ' ' + more.toByteArray();
        return true;
    }
    const QByteArrayView field = trimmedView(line);
    if (field.isEmpty()) {
        if (m_status >= 200) {
            m_headersDone = true;
            // A big body grows in one piece rather than by repeated copies that would stall the
            // event loop; the server's figure is only a hint, capped by the limit (and
            // meaningless for answers that carry no body).
            bool known = false;
            const qint64 length = HttpHeaders(m_fields).value("Content-Length").toLongLong(&known);
            const bool bodyless = m_headRequest || m_status == 204 || m_status == 304;
            if (known && length > 0 && !bodyless)
                m_body.expect(length);
        }
        return true;
    }
    const qsizetype colon = field.indexOf(':');
    if (colon <= 0)
        return true; // not a field; curl passed it on, nothing here can use it
    m_fields.append({trimmedView(field.first(colon)).toByteArray(), trimmedView(field.sliced(colon + 1)).toByteArray()});
    return true;
}

bool ResponseReader::data(QByteArrayView bytes)
{
    if (m_overflow != Overflow::None)
        return false;
    if (m_body.append(bytes))
        return true;
    m_overflow = Overflow::Body;
    return false;
}
