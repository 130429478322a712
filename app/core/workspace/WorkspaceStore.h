#pragma once

#include "workspace/Workspace.h"

#include <QString>

#include <optional>

// Reads and writes workspace files. Writes are atomic (QSaveFile); a file that cannot be
// understood is reported, backed up and never overwritten.
class WorkspaceStore
{
public:
    enum class Status { Ok, NotFound, Unreadable, Corrupt, FutureSchema, WriteFailed };

    struct LoadResult
    {
        Status status = Status::Ok;
        QString message;
        std::optional<Workspace> workspace;
        bool ok() const { return status == Status::Ok; }
    };

    struct SaveResult
    {
        Status status = Status::Ok;
        QString message;
        bool ok() const { return status == Status::Ok; }
    };

    static QString defaultPath();

    static LoadResult load(const QString &path);
    // Loads the file, or creates it with the Demo environment when it does not exist yet.
    static LoadResult loadOrCreate(const QString &path);
    static SaveResult save(const Workspace &workspace, const QString &path);
    static QByteArray serialize(const Workspace &workspace);
};
