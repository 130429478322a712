#pragma once

#include <QByteArray>

// Small bodies that decode to a lot of zeros, as HTTP sends them with a Content-Encoding:
// gzip and deflate (a zlib stream, as HTTP's "deflate" is) made here with zlib, zstd and br
// read from fixtures (1 GiB of zeros each; made once with `head -c 1G /dev/zero | zstd -19`
// and libbrotlienc at quality 9, see fixtures/README).
class DecompressionBomb
{
public:
    static QByteArray gzip(qint64 decodedBytes);
    static QByteArray deflate(qint64 decodedBytes);
    static QByteArray zstd1GiB();
    static QByteArray brotli1GiB();
};
