#include "workspace/WorkspaceWriter.h"

#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
const QString RequestsKey = u"requests"_s;

// Collects the text and hands it to the sink a chunk at a time.
class ChunkedOutput
{
public:
    explicit ChunkedOutput(const WorkspaceWriter::Sink &sink)
        : m_sink(sink)
    {
        m_buffer.reserve(WorkspaceWriter::ChunkBytes + 4096);
    }

    void append(QByteArrayView text)
    {
        if (!m_ok)
            return;
        m_buffer.append(text);
        if (m_buffer.size() >= WorkspaceWriter::ChunkBytes)
            flush();
    }

    // A value Qt wrote on its own (indent 0), placed `levels` deep: JSON text has no raw newline
    // inside a string, so every line after the first moves right by four spaces a level, which is
    // what Qt's writer does for a nested value; the value's own final newline is not part of it.
    void appendNested(QByteArrayView text, int levels)
    {
        if (text.endsWith('\n'))
            text.chop(1);
        const QByteArray indent(4 * levels, ' ');
        qsizetype from = 0;
        for (qsizetype newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
            append(text.sliced(from, newline + 1 - from));
            append(indent);
            from = newline + 1;
        }
        append(text.sliced(from));
    }

    bool finish()
    {
        flush();
        return m_ok;
    }

private:
    void flush()
    {
        if (m_ok && !m_buffer.isEmpty())
            m_ok = m_sink(m_buffer);
        m_buffer.resize(0); // keeps the capacity
    }

    const WorkspaceWriter::Sink &m_sink;
    QByteArray m_buffer;
    bool m_ok = true;
};
} // namespace

bool WorkspaceWriter::write(const Workspace &workspace, const Sink &sink)
{
    ChunkedOutput out(sink);
    // Everything but the requests is small: Qt writes it, member by member. The requests' place
    // among the sorted keys is held by an empty array, written here one request at a time.
    QJsonObject top = workspace.toJsonWithoutRequests();
    const bool hasRequests = !workspace.savedRequests().isEmpty();
    if (hasRequests)
        top.insert(RequestsKey, QJsonArray());
    out.append("{\n");
    for (auto it = top.constBegin(); it != top.constEnd(); ++it) {
        if (hasRequests && it.key() == RequestsKey) {
            out.append("    \"requests\": [\n");
            const QList<SavedRequest> &requests = workspace.savedRequests();
            for (qsizetype i = 0; i < requests.size(); ++i) {
                out.append("        ");
                out.appendNested(QJsonDocument(requests.at(i).toJson()).toJson(QJsonDocument::Indented), 2);
                out.append(i + 1 < requests.size() ? ",\n" : "\n");
            }
            out.append("    ]");
        } else {
            // {"key": value} on its own is "{\n", the member at indent 1 as it stands here, "\n}\n".
            const QByteArray member = QJsonDocument(QJsonObject{{it.key(), it.value()}}).toJson(QJsonDocument::Indented);
            out.append(QByteArrayView(member).sliced(2, member.size() - 5));
        }
        out.append(std::next(it) == top.constEnd() ? "\n" : ",\n");
    }
    out.append("}\n");
    return out.finish();
}

QByteArray WorkspaceWriter::bytes(const Workspace &workspace)
{
    QByteArray text;
    write(workspace, [&text](QByteArrayView chunk) {
        text.append(chunk);
        return true;
    });
    return text;
}

qint64 WorkspaceWriter::size(const Workspace &workspace)
{
    qint64 total = 0;
    write(workspace, [&total](QByteArrayView chunk) {
        total += chunk.size();
        return true;
    });
    return total;
}
