#include "workspace/WorkspaceRevision.h"

#include <QCryptographicHash>
#include "workspace/WorkspaceFile.h"

#include <QFileInfo>

WorkspaceRevision WorkspaceRevision::ofBytes(const QByteArray &bytes, const QDateTime &modified)
{
    WorkspaceRevision revision;
    revision.exists = true;
    revision.size = bytes.size();
    revision.modified = modified;
    revision.sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    return revision;
}

WorkspaceRevision WorkspaceRevision::ofFile(const QString &path)
{
    // Writers replace the file by renaming a complete copy over it, so this reads one whole version.
    // Bounded and only a regular file (WorkspaceFile): a workspace path that points at /dev/zero
    // or a FIFO is never read from.
    const WorkspaceFile::Result file = WorkspaceFile::read(path);
    if (file.status == WorkspaceFile::Status::NotFound)
        return {};
    if (!file.ok()) {
        // There, but not a content anyone could have written: equal only to itself.
        WorkspaceRevision unreadable;
        unreadable.exists = true;
        unreadable.size = -1;
        unreadable.modified = QFileInfo(path).lastModified().toUTC();
        return unreadable;
    }
    return ofBytes(file.bytes, QFileInfo(path).lastModified().toUTC());
}
