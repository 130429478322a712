#pragma once

#include "workspace/Workspace.h"
#include "workspace/WorkspaceRevision.h"

#include <QString>

#include <functional>
#include <optional>

// Reads and writes workspace files. Writes are atomic (QSaveFile); a file that cannot be
// understood is reported, backed up and never overwritten.
//
// Several processes may edit one workspace (the desktop app, any number of tokenbench-cli runs).
// Every write happens under a short lock next to the file (QLockFile, "<file>.lock") and re-reads
// the file first: update() applies one change to what is on disk, and save() with a revision
// writes only over the version its caller read, so nobody writes over a change they have not seen.
class WorkspaceStore
{
public:
    enum class Status {
        Ok,
        NotFound,
        Unreadable,
        Corrupt,
        FutureSchema,
        WriteFailed,
        Changed,  // the file changed on disk since the revision the caller read; nothing written
        Locked,   // another process held the lock for longer than we wait; nothing written
        Declined, // update(): the change itself refused (its message says why); nothing written
    };

    struct LoadResult
    {
        Status status = Status::Ok;
        QString message;
        std::optional<Workspace> workspace;
        WorkspaceRevision revision; // of the bytes the workspace was read from
        bool ok() const { return status == Status::Ok; }
    };

    struct SaveResult
    {
        Status status = Status::Ok;
        QString message;
        WorkspaceRevision revision; // Ok: of the bytes written
        bool ok() const { return status == Status::Ok; }
    };

    // Applies one change to a workspace; false (with why in *message, or nothing to say) writes nothing.
    using Change = std::function<bool(Workspace &workspace, QString *message)>;

    static QString defaultPath();
    static QString lockPath(const QString &path) { return path + QStringLiteral(".lock"); }
    // How long a writer waits for another one to finish; each holds the lock for one read and one write.
    static constexpr int DefaultLockWaitMs = 10000;

    static LoadResult load(const QString &path);
    // Loads the file, or creates it as `fresh` when it does not exist yet (the app and the CLI pass
    // StarterWorkspace::create(): the Demo with its example requests).
    static LoadResult loadOrCreate(const QString &path, int lockWaitMs = DefaultLockWaitMs,
                                   const Workspace &fresh = Workspace::createDefault());
    // Writes whatever is on disk away (under the lock): for a new file and for tests. Processes
    // that edit a workspace use update(), or save() with the revision they read.
    static SaveResult save(const Workspace &workspace, const QString &path);
    // Writes the workspace only if the file still holds the revision `expected` (a revision that
    // does not exist: only if there is no file); else Changed, and the file is untouched.
    static SaveResult save(const Workspace &workspace, const QString &path, const WorkspaceRevision &expected,
                           int lockWaitMs = DefaultLockWaitMs);
    // Under the lock: reads the file (starting from `fresh` when there is none), applies change to
    // it and writes the result. The workspace returned is what the file now holds.
    static LoadResult update(const QString &path, const Change &change, int lockWaitMs = DefaultLockWaitMs,
                             const Workspace &fresh = Workspace::createDefault());
    static QByteArray serialize(const Workspace &workspace);
};
