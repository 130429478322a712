#include "workspace/WorkspaceStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {
// A file we refuse to read is copied aside before anything else happens, so the user keeps it
// even if they then choose to start over.
QString keepBackup(const QString &path)
{
    const QString backup = path + u".unreadable-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMddTHHmmssZ"_s);
    return QFile::copy(path, backup) ? backup : QString();
}

WorkspaceStore::LoadResult refuse(WorkspaceStore::Status status, const QString &path, const QString &why)
{
    const QString backup = keepBackup(path);
    QString message = u"Cannot open workspace %1: %2. The file was left untouched"_s.arg(QDir::toNativeSeparators(path), why);
    if (!backup.isEmpty())
        message += u"; a copy is kept at %1"_s.arg(QDir::toNativeSeparators(backup));
    return {status, message + u'.', std::nullopt, {}};
}

// The lock every writer of one workspace takes for its read-check-write; readers need none, as
// every write renames a complete file into place.
class WriteLock
{
public:
    explicit WriteLock(const QString &path)
        : m_path(path)
        , m_lock(WorkspaceStore::lockPath(path))
    {
        // A writer holds it for milliseconds; a lock this old was left by a process that hung.
        // (One that died is noticed at once: QLockFile checks whether its pid still runs.)
        m_lock.setStaleLockTime(10000);
    }

    // Ok, or why this process may not write now.
    WorkspaceStore::SaveResult acquire(int waitMs)
    {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath()))
            return {WorkspaceStore::Status::WriteFailed, u"Cannot create the folder %1."_s.arg(QDir::toNativeSeparators(info.absolutePath())), {}};
        if (m_lock.tryLock(waitMs))
            return {};
        if (m_lock.error() == QLockFile::LockFailedError) {
            qint64 pid = 0;
            QString host;
            QString app;
            QString holder;
            if (m_lock.getLockInfo(&pid, &host, &app))
                holder = u" (%1, process %2)"_s.arg(app.isEmpty() ? u"another program"_s : app).arg(pid);
            return {WorkspaceStore::Status::Locked,
                    u"Workspace %1 is being written by another process%2; nothing was written. Try again."_s.arg(
                        QDir::toNativeSeparators(m_path), holder),
                    {}};
        }
        return {WorkspaceStore::Status::WriteFailed,
                u"Cannot create the lock file %1 next to the workspace; nothing was written."_s.arg(
                    QDir::toNativeSeparators(WorkspaceStore::lockPath(m_path))),
                {}};
    }

private:
    QString m_path;
    QLockFile m_lock;
};
} // namespace

QString WorkspaceStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + u"/.tokenbench"_s;
    return dir + u"/workspace.tokenbench.json"_s;
}

QByteArray WorkspaceStore::serialize(const Workspace &workspace)
{
    // QJsonObject keeps keys sorted, so the same workspace always gives the same bytes: diffs stay small.
    return QJsonDocument(workspace.toJson()).toJson(QJsonDocument::Indented);
}

namespace {
WorkspaceStore::LoadResult read(const QString &path)
{
    using Status = WorkspaceStore::Status;
    QFile file(path);
    if (!file.exists())
        return {Status::NotFound, u"Workspace %1 does not exist."_s.arg(QDir::toNativeSeparators(path)), std::nullopt, {}};
    if (!file.open(QIODevice::ReadOnly))
        return {Status::Unreadable, u"Cannot read workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), file.errorString()), std::nullopt, {}};
    // A workspace is a handful of profiles; anything this big is not one.
    constexpr qint64 maxSize = 16 * 1024 * 1024;
    if (file.size() > maxSize)
        return refuse(Status::Corrupt, path, u"the file is larger than 16 MB"_s);
    const QByteArray bytes = file.readAll();
    file.close();
    const WorkspaceRevision revision = WorkspaceRevision::ofBytes(bytes, QFileInfo(path).lastModified().toUTC());

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(Status::Corrupt, path, u"invalid JSON at byte %1 (%2)"_s.arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return refuse(Status::Corrupt, path, u"the top level is not a JSON object"_s);

    const QJsonObject root = doc.object();
    const int version = root.value(u"schemaVersion"_s).toInt(0);
    if (version > Workspace::SchemaVersion) {
        return refuse(Status::FutureSchema, path,
                      u"it uses schema version %1, but this Tokenbench understands up to version %2; update Tokenbench to open it"_s
                          .arg(version)
                          .arg(Workspace::SchemaVersion));
    }
    QString error;
    auto workspace = Workspace::fromJson(root, &error);
    if (!workspace)
        return refuse(Status::Corrupt, path, error);
    return {Status::Ok, QString(), std::move(workspace), revision};
}

WorkspaceStore::SaveResult write(const Workspace &workspace, const QString &path)
{
    using Status = WorkspaceStore::Status;
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return {Status::WriteFailed, u"Cannot create the folder %1."_s.arg(QDir::toNativeSeparators(info.absolutePath())), {}};

    // Never replace a file we could not understand: the user's data in it would be lost.
    if (info.exists()) {
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly)) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(existing.readAll(), &parseError);
            const bool ours = parseError.error == QJsonParseError::NoError && doc.isObject()
                && doc.object().value(u"format"_s).toString() == u"tokenbench-workspace"_s
                && doc.object().value(u"schemaVersion"_s).toInt() <= Workspace::SchemaVersion;
            if (!ours)
                return {Status::WriteFailed,
                        u"Refusing to overwrite %1: it is not a workspace this version of Tokenbench wrote."_s.arg(QDir::toNativeSeparators(path)), {}};
        }
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {Status::WriteFailed, u"Cannot write workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), file.errorString()), {}};
    const QByteArray bytes = WorkspaceStore::serialize(workspace);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return {Status::WriteFailed,
                u"Cannot write workspace %1: %2. The previous file is unchanged."_s.arg(QDir::toNativeSeparators(path), file.errorString()), {}};
    return {Status::Ok, QString(), WorkspaceRevision::ofBytes(bytes, QFileInfo(path).lastModified().toUTC())};
}
} // namespace

WorkspaceStore::LoadResult WorkspaceStore::load(const QString &path)
{
    return read(path);
}

WorkspaceStore::LoadResult WorkspaceStore::loadOrCreate(const QString &path, int lockWaitMs)
{
    LoadResult result = read(path);
    if (result.status != Status::NotFound)
        return result;
    WriteLock lock(path);
    if (SaveResult locked = lock.acquire(lockWaitMs); !locked.ok())
        return {locked.status, locked.message, std::nullopt, {}};
    // Another process may have created it while this one waited for the lock.
    result = read(path);
    if (result.status != Status::NotFound)
        return result;
    Workspace workspace = Workspace::createDefault();
    const SaveResult saved = write(workspace, path);
    if (!saved.ok())
        return {saved.status, saved.message, std::nullopt, {}};
    return {Status::Ok, QString(), std::move(workspace), saved.revision};
}

WorkspaceStore::SaveResult WorkspaceStore::save(const Workspace &workspace, const QString &path)
{
    WriteLock lock(path);
    if (SaveResult locked = lock.acquire(DefaultLockWaitMs); !locked.ok())
        return locked;
    return write(workspace, path);
}

WorkspaceStore::SaveResult WorkspaceStore::save(const Workspace &workspace, const QString &path, const WorkspaceRevision &expected, int lockWaitMs)
{
    WriteLock lock(path);
    if (SaveResult locked = lock.acquire(lockWaitMs); !locked.ok())
        return locked;
    const WorkspaceRevision current = WorkspaceRevision::ofFile(path);
    if (!current.sameContent(expected)) {
        return {Status::Changed,
                u"Workspace %1 was changed by another process since it was read; nothing was written."_s.arg(QDir::toNativeSeparators(path)),
                current};
    }
    return write(workspace, path);
}

WorkspaceStore::LoadResult WorkspaceStore::update(const QString &path, const Change &change, int lockWaitMs)
{
    WriteLock lock(path);
    if (SaveResult locked = lock.acquire(lockWaitMs); !locked.ok())
        return {locked.status, locked.message, std::nullopt, {}};
    LoadResult current = read(path);
    if (current.status == Status::NotFound)
        current = {Status::Ok, QString(), Workspace::createDefault(), {}};
    if (!current.ok())
        return current;
    QString message;
    if (!change(*current.workspace, &message))
        return {Status::Declined, message, std::nullopt, current.revision};
    const SaveResult saved = write(*current.workspace, path);
    if (!saved.ok())
        return {saved.status, saved.message, std::nullopt, {}};
    current.revision = saved.revision;
    return current;
}
