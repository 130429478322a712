#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

// The text a read-only text view shows for a response body: pretty-printed JSON, decoded plain
// text, or a hex dump. Pure functions, meant for a worker thread: a 50 MB body is never
// formatted on the UI thread.
//
// Every result is capped (Options::maxBytes and Options::maxLines) so a QPlainTextEdit is never
// handed 50 MB: a text document costs about 0.5 KB per line before highlighting (8 MB of pretty
// JSON is 600 000 lines, some 400 MB once highlighted). Very long lines are broken
// (Options::maxLineLength): QPlainTextEdit lays a line out in one go, and a minified body is one
// line.
//
// prettyPrint() re-indents the bytes as they are instead of going through QJsonDocument: keys
// keep their order, duplicates stay, and numbers stay as written (no 2^53 rounding). It expects
// valid JSON (JsonTreeModel::parse() says whether it is); anything else comes out re-indented
// as far as it goes, never a crash.
class JsonFormatter
{
public:
    struct Options
    {
        int indent = 2;
        // Of output for prettyPrint() and hexDump(), of decoded input for plainText().
        qsizetype maxBytes = 8 * 1024 * 1024;
        // Whichever limit comes first. Not for UTF-16 and UTF-32 bodies, which rarely come up.
        qsizetype maxLines = 100'000;
        int maxLineLength = 2000;
    };

    struct Result
    {
        QString text;
        qsizetype inputBytes = 0; // how much of the body `text` covers
        qsizetype totalBytes = 0; // the body's size
        bool truncated = false;   // `text` covers only the beginning of the body
        bool linesBroken = false; // some lines were longer than maxLineLength and were broken
        bool canceled = false;
    };

    static Result prettyPrint(const QByteArray &json);
    static Result prettyPrint(const QByteArray &json, const Options &options, const std::function<bool()> &isCanceled = {});
    // charset: from the Content-Type ("iso-8859-1", …); empty or unknown means UTF-8.
    // Line endings become '\n'.
    static Result plainText(const QByteArray &body, const QByteArray &charset = {});
    static Result plainText(const QByteArray &body, const QByteArray &charset, const Options &options);
    // "00000010  89 50 4e 47 …  |.PNG....|" lines, for bodies that are not text.
    static Result hexDump(const QByteArray &body);
    static Result hexDump(const QByteArray &body, const Options &options);

    // application/json, text/json, anything+json; parameters (charset=…) ignored.
    static bool isJsonContentType(const QString &contentType);
    // The first thing after whitespace (and a byte order mark) is '{' or '['.
    static bool looksLikeJson(const QByteArray &body);
    // Images, archives, octet streams, or NUL bytes in an undeclared body.
    static bool looksBinary(const QByteArray &body, const QString &contentType);
    // The charset parameter of a Content-Type, lower-case, without quotes; empty when absent.
    static QByteArray charsetOf(const QString &contentType);

    // Breaks lines longer than maxLength into pieces (never inside a surrogate pair). Returns
    // whether anything was broken.
    static bool breakLongLines(QString &text, int maxLength);
};
