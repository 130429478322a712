#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// A multipart/form-data body (RFC 7578) from fields whose templates are already resolved and
// whose files are already read: what browsers and curl -F send for a form with file uploads.
class MultipartBody
{
public:
    struct Field
    {
        QString name;
        QByteArray data;          // the text (UTF-8) or the file's bytes
        QString fileName;         // set for a file: sent as filename="…"
        QByteArray contentType;   // a file's media type; empty for text
    };

    // A boundary no field contains (RFC 2046 §5.1.1: at most 70 characters).
    static QByteArray boundaryFor(const QList<Field> &fields);
    static QByteArray encode(const QList<Field> &fields, const QByteArray &boundary);
    static QByteArray contentType(const QByteArray &boundary) { return "multipart/form-data; boundary=" + boundary; }
    // The boundary parameter of a multipart/* media type (quotes removed); empty when the type
    // is not multipart or names none.
    static QByteArray boundaryOf(const QByteArray &contentType);
    // A name or file name inside Content-Disposition quotes, escaped as the HTML standard does:
    // '"' → %22, CR → %0D, LF → %0A, so no value can end the quote or the header.
    static QByteArray quoted(const QString &text);
};
