#include "support/DecompressionBomb.h"

#include <QFile>

#include <algorithm>

#include <zlib.h>

namespace {
QByteArray compressZeros(qint64 decodedBytes, int windowBits)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, windowBits, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    static const QByteArray zeros(1024 * 1024, '\0');
    QByteArray out;
    char buffer[64 * 1024];
    qint64 left = decodedBytes;
    int flush = Z_NO_FLUSH;
    do {
        const qint64 now = std::min<qint64>(left, zeros.size());
        left -= now;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        stream.avail_in = static_cast<uInt>(now);
        do {
            stream.next_out = reinterpret_cast<Bytef *>(buffer);
            stream.avail_out = sizeof buffer;
            deflate(&stream, flush);
            out.append(buffer, static_cast<qsizetype>(sizeof buffer - stream.avail_out));
        } while (stream.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&stream);
    return out;
}

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(TOKENBENCH_TEST_FIXTURES "/%1").arg(QLatin1StringView(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

QByteArray DecompressionBomb::gzip(qint64 decodedBytes)
{
    return compressZeros(decodedBytes, 15 + 16);
}

QByteArray DecompressionBomb::deflate(qint64 decodedBytes)
{
    return compressZeros(decodedBytes, 15);
}

QByteArray DecompressionBomb::zstd1GiB()
{
    return fixture("zeros-1g.zst");
}

QByteArray DecompressionBomb::brotli1GiB()
{
    return fixture("zeros-1g.br");
}
