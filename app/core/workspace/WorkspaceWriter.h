#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

class Workspace;

// Writes a workspace as the file holds it: byte for byte what
// QJsonDocument(workspace.toJson()).toJson(QJsonDocument::Indented) gives (keys sorted, four spaces
// a level), without ever holding that whole tree or that whole text. Saved requests, the bulk of
// an imported workspace, are turned into JSON one at a time and indented into place; the text goes
// out in chunks. A 2,000-operation import otherwise held its tree and a text growing by doubling
// (three times the file at the moment it grew) at once.
class WorkspaceWriter
{
public:
    // Receives the text in order, in chunks of about ChunkBytes; returns false to stop the write.
    using Sink = std::function<bool(QByteArrayView)>;
    static constexpr qsizetype ChunkBytes = 64 * 1024;

    // False when the sink stopped it.
    static bool write(const Workspace &workspace, const Sink &sink);
    static QByteArray bytes(const Workspace &workspace);
    // The size of bytes(), counted without keeping them.
    static qint64 size(const Workspace &workspace);
};
