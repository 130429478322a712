#pragma once

#include <QString>
#include <QtGlobal>

// How much of an API response Tokenbench keeps: the body counted in decoded bytes (what
// gzip, deflate, br or zstd unpack to, not what crossed the wire), and the header block. A
// response past either is cut there and its transfer stopped, so a hostile or broken server
// (an endless body, a decompression bomb) costs at most about twice the limit in memory.
// Sizes are binary: 1 MB = 1024 × 1024 bytes.
class ResponseLimit
{
public:
    static constexpr qint64 defaultBodyBytes = qint64(256) * 1024 * 1024;
    static constexpr qint64 minBodyBytes = 1024;
    static constexpr qint64 maxBodyBytes = qint64(16) * 1024 * 1024 * 1024;
    // Every header line of one hop's answers, 1xx included (curl caps one line at 100 KB and
    // all of them at 300 KB; servers commonly take 8–64 KB).
    static constexpr qint64 headerBytes = qint64(256) * 1024;

    // "256M", "1G", "512K", "1048576" (bytes), with an optional "B"/"iB" ("256MB", "1GiB");
    // between minBodyBytes and maxBodyBytes. Empty on success, else why not.
    static QString parse(const QString &text, qint64 *bytes);
    // "256 MB", "1 GB", "1.5 MB", "1000 bytes": as the user would write it back.
    static QString format(qint64 bytes);
};
