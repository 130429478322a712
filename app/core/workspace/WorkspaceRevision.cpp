#include "workspace/WorkspaceRevision.h"

#include <QCryptographicHash>
#include <QFile>
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
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // Writers replace the file by renaming a complete copy over it, so this reads one whole version.
    const QByteArray bytes = file.readAll();
    return ofBytes(bytes, QFileInfo(path).lastModified().toUTC());
}
