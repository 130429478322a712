#pragma once

#include <QByteArray>
#include <QString>

// Reads a workspace file's bytes without trusting what the path points at: only a regular file
// (a symlink to one is fine) is opened, and only up to a limit. A FIFO, a device (/dev/zero),
// a socket or a folder is refused without reading from it, and without blocking on it; a file
// past the limit is refused by its size, and one that grows while it is read stops at the limit.
class WorkspaceFile
{
public:
    // A workspace is a handful of profiles and saved requests; anything this big is not one.
    static constexpr qint64 MaxBytes = 16 * 1024 * 1024;

    enum class Status {
        Ok,
        NotFound,
        NotRegular, // a folder, FIFO, device or socket: left alone, nothing read
        TooLarge,   // left alone, nothing kept of it
        Error,      // permissions, I/O error
    };

    struct Result
    {
        Status status = Status::Ok;
        QByteArray bytes;  // Ok: the whole content
        qint64 size = 0;   // TooLarge: the size seen (at least MaxBytes + 1)
        QString problem;   // not Ok: why, in words ("it is a FIFO (named pipe)")
        bool ok() const { return status == Status::Ok; }
    };

    static Result read(const QString &path, qint64 maxBytes = MaxBytes);
    // "16 MB", "17.0 MB", "512 bytes": sizes for messages.
    static QString describeSize(qint64 bytes);
};
