#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

// What a workspace file held when it was read: enough to tell, before writing, whether another
// process (the CLI, a second window) has written it since. The content decides (size and SHA-256):
// a file rewritten with the same bytes holds no change anyone could lose; the time is kept to say
// when it changed.
struct WorkspaceRevision
{
    bool exists = false;
    qint64 size = 0;
    QDateTime modified;
    QByteArray sha256;

    static WorkspaceRevision ofBytes(const QByteArray &bytes, const QDateTime &modified);
    // Reads the file to hash it; a missing file gives a revision that does not exist, one that is not
    // a regular file or too big (WorkspaceFile) one that exists with size -1 and no hash.
    static WorkspaceRevision ofFile(const QString &path);

    bool sameContent(const WorkspaceRevision &other) const
    {
        return exists == other.exists && size == other.size && sha256 == other.sha256;
    }
};
