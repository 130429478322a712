#include "workspace/WorkspaceStore.h"

#include "workspace/WorkspaceBackup.h"
#include "workspace/WorkspaceFile.h"
#include "workspace/WorkspaceSchemaVersion.h"
#include "workspace/WorkspaceWriter.h"

#include <QCryptographicHash>
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
using Status = WorkspaceStore::Status;

// What a file holds, as far as this version understands it; no side effect.
struct Parsed
{
    Status status = Status::Ok;
    QString why;                      // not Ok: in words
    QByteArray bytes;                 // Corrupt, FutureSchema, Ok: what was read
    bool keepCopy = false;            // refused for what it holds (not for what it is): worth a backup
    std::optional<Workspace> workspace;
    WorkspaceRevision revision;
};

Parsed parse(const QString &path)
{
    Parsed parsed;
    WorkspaceFile::Result file = WorkspaceFile::read(path);
    switch (file.status) {
    case WorkspaceFile::Status::Ok:
        break;
    case WorkspaceFile::Status::NotFound:
        parsed.status = Status::NotFound;
        return parsed;
    case WorkspaceFile::Status::NotRegular:
    case WorkspaceFile::Status::TooLarge:
    case WorkspaceFile::Status::Error:
        parsed.status = Status::Unreadable;
        parsed.why = file.problem;
        return parsed;
    }
    parsed.bytes = std::move(file.bytes);
    parsed.revision = WorkspaceRevision::ofBytes(parsed.bytes, QFileInfo(path).lastModified().toUTC());
    parsed.keepCopy = true;
    parsed.status = Status::Corrupt;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(parsed.bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        parsed.why = u"invalid JSON at byte %1 (%2)"_s.arg(parseError.offset).arg(parseError.errorString());
        return parsed;
    }
    if (!doc.isObject()) {
        parsed.why = u"the top level is not a JSON object"_s;
        return parsed;
    }
    const QJsonObject root = doc.object();
    // A newer Tokenbench's file is refused whole before anything of it is read: a field this
    // version reads may mean something else there.
    const WorkspaceSchemaVersion::Check version = WorkspaceSchemaVersion::check(root);
    if (version.verdict == WorkspaceSchemaVersion::Verdict::Future && root.value(u"format"_s) == u"tokenbench-workspace"_s) {
        parsed.status = Status::FutureSchema;
        parsed.why = version.message;
        return parsed;
    }
    QString error;
    parsed.workspace = Workspace::fromJson(root, &error);
    if (!parsed.workspace) {
        parsed.why = error;
        return parsed;
    }
    parsed.status = Status::Ok;
    parsed.keepCopy = false;
    return parsed;
}

// A file refused for what it holds is copied aside (once per content, WorkspaceBackup) before
// anything else happens, so the user keeps it even if they then choose to start over. One
// refused for what it is (a FIFO, a device, too big) is left alone: nothing of it was read.
WorkspaceStore::LoadResult refuse(const Parsed &parsed, const QString &path)
{
    QString message = u"Cannot open workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), parsed.why);
    if (!parsed.keepCopy) {
        message += u" It was left alone: nothing was read from it, no copy made, and nothing will be written over it."_s;
        return {parsed.status, message, std::nullopt, {}};
    }
    QString backupError;
    const QString backup = WorkspaceBackup::keep(path, parsed.bytes, &backupError);
    message += u" The file was left untouched and will not be written over"_s;
    if (!backup.isEmpty())
        message += u"; a copy is kept at %1."_s.arg(QDir::toNativeSeparators(backup));
    else
        message += u"; no copy could be made beside it (%1)."_s.arg(backupError);
    return {parsed.status, message, std::nullopt, parsed.revision};
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
    return WorkspaceWriter::bytes(workspace);
}

namespace {
WorkspaceStore::LoadResult read(const QString &path)
{
    Parsed parsed = parse(path);
    if (parsed.status == Status::NotFound)
        return {Status::NotFound, u"Workspace %1 does not exist."_s.arg(QDir::toNativeSeparators(path)), std::nullopt, {}};
    if (parsed.status != Status::Ok)
        return refuse(parsed, path);
    return {Status::Ok, QString(), std::move(parsed.workspace), parsed.revision};
}

WorkspaceStore::SaveResult write(const Workspace &workspace, const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return {Status::WriteFailed, u"Cannot create the folder %1."_s.arg(QDir::toNativeSeparators(info.absolutePath())), {}};

    // Never replace a file this version cannot read whole: the user's data in it would be lost.
    if (const Parsed existing = parse(path); existing.status != Status::Ok && existing.status != Status::NotFound) {
        return {Status::WriteFailed,
                u"Refusing to overwrite %1: it is not a workspace this version of Tokenbench can read (%2)."_s.arg(
                    QDir::toNativeSeparators(path), existing.why),
                {}};
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {Status::WriteFailed, u"Cannot write workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), file.errorString()), {}};
    // Streamed, and hashed on the way, so the text of a large workspace is never held whole.
    WorkspaceRevision revision;
    QCryptographicHash sha256(QCryptographicHash::Sha256);
    const bool written = WorkspaceWriter::write(workspace, [&](QByteArrayView chunk) {
        sha256.addData(chunk);
        revision.size += chunk.size();
        return file.write(chunk.data(), chunk.size()) == chunk.size();
    });
    if (!written || !file.commit())
        return {Status::WriteFailed,
                u"Cannot write workspace %1: %2. The previous file is unchanged."_s.arg(QDir::toNativeSeparators(path), file.errorString()), {}};
    revision.exists = true;
    revision.sha256 = sha256.result();
    revision.modified = QFileInfo(path).lastModified().toUTC();
    return {Status::Ok, QString(), revision};
}
} // namespace

WorkspaceStore::LoadResult WorkspaceStore::load(const QString &path)
{
    return read(path);
}

WorkspaceStore::LoadResult WorkspaceStore::loadOrCreate(const QString &path, int lockWaitMs, const Workspace &fresh)
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
    Workspace workspace = fresh;
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

WorkspaceStore::LoadResult WorkspaceStore::update(const QString &path, const Change &change, int lockWaitMs, const Workspace &fresh)
{
    WriteLock lock(path);
    if (SaveResult locked = lock.acquire(lockWaitMs); !locked.ok())
        return {locked.status, locked.message, std::nullopt, {}};
    LoadResult current = read(path);
    if (current.status == Status::NotFound)
        current = {Status::Ok, QString(), fresh, {}};
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
