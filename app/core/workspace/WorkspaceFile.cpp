#include "workspace/WorkspaceFile.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {
WorkspaceFile::Result failure(WorkspaceFile::Status status, const QString &problem, qint64 size = 0)
{
    WorkspaceFile::Result result;
    result.status = status;
    result.problem = problem;
    result.size = size;
    return result;
}

WorkspaceFile::Result tooLarge(qint64 size, qint64 maxBytes)
{
    return failure(WorkspaceFile::Status::TooLarge,
                   u"it is %1, larger than the %2 a workspace may have"_s.arg(WorkspaceFile::describeSize(size),
                                                                                 WorkspaceFile::describeSize(maxBytes)),
                   size);
}

#ifdef Q_OS_UNIX
QString kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return u"a folder"_s;
    if (S_ISFIFO(mode))
        return u"a FIFO (named pipe)"_s;
    if (S_ISCHR(mode))
        return u"a character device"_s;
    if (S_ISBLK(mode))
        return u"a block device"_s;
    if (S_ISSOCK(mode))
        return u"a socket"_s;
    return u"not a regular file"_s;
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

WorkspaceFile::Result readPosix(const QString &path, qint64 maxBytes)
{
    using Status = WorkspaceFile::Status;
    const QByteArray native = QFile::encodeName(path);
    // stat() follows a symlink: what counts is what the name points at. Checked before open(),
    // which on a FIFO would wait for a writer; O_NONBLOCK below covers a swap in between.
    struct stat target {};
    if (::stat(native.constData(), &target) != 0) {
        const int error = errno;
        if (error == ENOENT)
            return failure(Status::NotFound, u"it does not exist"_s);
        return failure(Status::Error, systemError(error));
    }
    if (!S_ISREG(target.st_mode))
        return failure(Status::NotRegular, u"it is %1, not a regular file"_s.arg(kindOf(target.st_mode)));
    if (target.st_size > maxBytes)
        return tooLarge(target.st_size, maxBytes);

    int fd = -1;
    do {
        fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int error = errno;
        return failure(error == ENOENT ? Status::NotFound : Status::Error, systemError(error));
    }
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
        const mode_t mode = opened.st_mode;
        ::close(fd);
        return failure(Status::NotRegular, u"it is %1, not a regular file"_s.arg(kindOf(mode)));
    }

    // One byte past the limit tells a file that grew while it was read from one that fits.
    WorkspaceFile::Result result;
    // Allocated at the size stat() gives (resize() would reserve room to grow: 60 % more of a large file).
    result.bytes = QByteArray(qsizetype(std::min<qint64>(opened.st_size, maxBytes) + 1), Qt::Uninitialized);
    qint64 total = 0;
    while (total <= maxBytes) {
        if (total == result.bytes.size())
            result.bytes.resize(qsizetype(std::min<qint64>(std::max<qint64>(total * 2, 64 * 1024), maxBytes + 1)));
        const ssize_t got = ::read(fd, result.bytes.data() + total, size_t(result.bytes.size() - total));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            return failure(Status::Error, systemError(error));
        }
        if (got == 0)
            break;
        total += got;
    }
    ::close(fd);
    if (total > maxBytes) {
        return failure(Status::TooLarge,
                       u"it grew past the %1 a workspace may have while it was read"_s.arg(WorkspaceFile::describeSize(maxBytes)), total);
    }
    result.bytes.truncate(qsizetype(total));
    result.size = total;
    return result;
}
#else
WorkspaceFile::Result readPortable(const QString &path, qint64 maxBytes)
{
    using Status = WorkspaceFile::Status;
    const QFileInfo info(path);
    if (!info.exists())
        return failure(Status::NotFound, u"it does not exist"_s);
    if (!info.isFile())
        return failure(Status::NotRegular, info.isDir() ? u"it is a folder, not a regular file"_s : u"it is not a regular file"_s);
    if (info.size() > maxBytes)
        return tooLarge(info.size(), maxBytes);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(Status::Error, file.errorString());
    WorkspaceFile::Result result;
    result.bytes = file.read(maxBytes + 1);
    if (result.bytes.size() > maxBytes)
        return tooLarge(result.bytes.size(), maxBytes);
    result.size = result.bytes.size();
    return result;
}
#endif
} // namespace

WorkspaceFile::Result WorkspaceFile::read(const QString &path, qint64 maxBytes)
{
#ifdef Q_OS_UNIX
    return readPosix(path, maxBytes);
#else
    return readPortable(path, maxBytes);
#endif
}

QString WorkspaceFile::describeSize(qint64 bytes)
{
    constexpr qint64 mb = 1024 * 1024;
    if (bytes < mb)
        return u"%1 bytes"_s.arg(bytes);
    if (bytes % mb == 0)
        return u"%1 MB"_s.arg(bytes / mb);
    return u"%1 MB"_s.arg(double(bytes) / double(mb), 0, 'f', 1);
}
