#include "http/MultipartBody.h"

#include <QRandomGenerator>

QByteArray MultipartBody::boundaryFor(const QList<Field> &fields)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (;;) {
        QByteArray boundary = "----TokenbenchFormBoundary";
        for (int i = 0; i < 24; ++i)
            boundary += alphabet[QRandomGenerator::system()->bounded(62)];
        bool clash = false;
        for (const Field &field : fields)
            clash = clash || field.data.contains(boundary);
        if (!clash)
            return boundary;
    }
}

QByteArray MultipartBody::boundaryOf(const QByteArray &contentType)
{
    const QByteArray lower = contentType.toLower();
    if (!lower.trimmed().startsWith("multipart/"))
        return {};
    const qsizetype at = lower.indexOf("boundary=");
    if (at < 0)
        return {};
    QByteArray boundary = contentType.mid(at + 9);
    if (const qsizetype semicolon = boundary.indexOf(';'); semicolon >= 0)
        boundary.truncate(semicolon);
    boundary = boundary.trimmed();
    if (boundary.size() >= 2 && boundary.startsWith('"') && boundary.endsWith('"'))
        boundary = boundary.mid(1, boundary.size() - 2);
    return boundary;
}

QByteArray MultipartBody::quoted(const QString &text)
{
    QByteArray out = text.toUtf8();
    out.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    return out;
}

QByteArray MultipartBody::encode(const QList<Field> &fields, const QByteArray &boundary)
{
    qsizetype size = boundary.size() + 8;
    for (const Field &field : fields)
        size += field.data.size() + field.name.size() + field.fileName.size() + boundary.size() + 120;
    QByteArray body;
    body.reserve(size);
    for (const Field &field : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(field.name) + '"';
        if (!field.fileName.isNull()) {
            body += "; filename=\"" + quoted(field.fileName) + "\"\r\nContent-Type: "
                + (field.contentType.isEmpty() ? QByteArray("application/octet-stream") : field.contentType);
        }
        body += "\r\n\r\n" + field.data + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}
