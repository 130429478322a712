#include "workspace/WorkspaceBackup.h"

#include "workspace/WorkspaceFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {
QString existingCopy(const QString &path, const QByteArray &bytes)
{
    const QFileInfo info(path);
    const QDir dir = info.dir();
    const QStringList names = dir.entryList({info.fileName() + u".unreadable-*"_s}, QDir::Files | QDir::Hidden);
    for (const QString &name : names) {
        const QString candidate = dir.filePath(name);
        if (QFileInfo(candidate).size() != bytes.size())
            continue;
        const WorkspaceFile::Result copy = WorkspaceFile::read(candidate, bytes.size());
        if (copy.ok() && copy.bytes == bytes)
            return candidate;
    }
    return {};
}
} // namespace

QString WorkspaceBackup::nameFor(const QString &path, const QByteArray &bytes)
{
    const QByteArray hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(16);
    return path + u".unreadable-"_s + QString::fromLatin1(hash);
}

QString WorkspaceBackup::keep(const QString &path, const QByteArray &bytes, QString *error)
{
    if (const QString existing = existingCopy(path, bytes); !existing.isEmpty())
        return existing;
    const QString backup = nameFor(path, bytes);
    // Written from the bytes that were read, not copied from the path again: the file may have
    // changed meanwhile, and what was refused is what the user must be able to find.
    QSaveFile file(backup);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return {};
    }
    // It may hold anything the user had in the file; no wider access than its owner's.
    QFile::setPermissions(backup, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return backup;
}
