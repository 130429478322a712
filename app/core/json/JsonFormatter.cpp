#include "json/JsonFormatter.h"

#include <QStringDecoder>
#include <QStringList>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {
bool isWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isContinuationByte(char c)
{
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

qsizetype skipByteOrderMark(const QByteArray &bytes)
{
    return bytes.startsWith("\xef\xbb\xbf") ? 3 : 0;
}

QString mimeTypeOf(const QString &contentType)
{
    return contentType.section(u';', 0, 0).trimmed().toLower();
}

// Cuts bytes to at most `size` without splitting a UTF-8 sequence.
void truncateUtf8(QByteArray &bytes, qsizetype size)
{
    if (bytes.size() <= size)
        return;
    while (size > 0 && isContinuationByte(bytes.at(size)))
        --size;
    bytes.truncate(size);
}

// Polled every so many bytes: often enough to stop a canceled 50 MB job within milliseconds.
constexpr qsizetype CancelCheckBytes = 1 << 20;
} // namespace

JsonFormatter::Result JsonFormatter::prettyPrint(const QByteArray &json)
{
    return prettyPrint(json, Options());
}

JsonFormatter::Result JsonFormatter::plainText(const QByteArray &body, const QByteArray &charset)
{
    return plainText(body, charset, Options());
}

JsonFormatter::Result JsonFormatter::hexDump(const QByteArray &body)
{
    return hexDump(body, Options());
}

JsonFormatter::Result JsonFormatter::prettyPrint(const QByteArray &json, const Options &options, const std::function<bool()> &isCanceled)
{
    Result result;
    result.totalBytes = json.size();
    const char *data = json.constData();
    const qsizetype size = json.size();
    const qsizetype cap = std::max<qsizetype>(options.maxBytes, 1);
    const int indent = std::max(options.indent, 0);

    QByteArray out;
    out.reserve(std::min(cap + 4096, size + size / 2 + 64));
    int depth = 0;
    qsizetype lines = 1;
    const qsizetype maxLines = std::max<qsizetype>(options.maxLines, 1);
    const auto newline = [&]() {
        out += '\n';
        out.append(qsizetype(depth) * indent, ' ');
        ++lines;
    };

    qsizetype i = skipByteOrderMark(json);
    qsizetype nextCancelCheck = CancelCheckBytes;
    while (i < size) {
        if (out.size() >= cap || lines > maxLines) {
            result.truncated = true;
            break;
        }
        if (i >= nextCancelCheck) {
            nextCancelCheck = i + CancelCheckBytes;
            if (isCanceled && isCanceled()) {
                result.canceled = true;
                return result;
            }
        }
        const char c = data[i];
        switch (c) {
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            ++i;
            break;
        case '"': {
            qsizetype end = i + 1;
            while (end < size && data[end] != '"')
                end += data[end] == '\\' ? 2 : 1;
            end = std::min(end + 1, size);
            // A string bigger than what is left to show is cut, not copied whole.
            const qsizetype room = cap - out.size();
            if (end - i > room) {
                out.append(data + i, room);
                truncateUtf8(out, cap);
                i += room;
                result.truncated = true;
            } else {
                out.append(data + i, end - i);
                i = end;
            }
            break;
        }
        case '{':
        case '[': {
            out += c;
            qsizetype next = i + 1;
            while (next < size && isWhitespace(data[next]))
                ++next;
            const char close = c == '{' ? '}' : ']';
            if (next < size && data[next] == close) {
                // Empty containers stay on one line.
                out += close;
                i = next + 1;
            } else {
                ++depth;
                newline();
                i = next;
            }
            break;
        }
        case '}':
        case ']':
            depth = std::max(depth - 1, 0);
            newline();
            out += c;
            ++i;
            break;
        case ',':
            out += ',';
            newline();
            ++i;
            break;
        case ':':
            out += ": ";
            ++i;
            break;
        default: {
            // Numbers and literals, or whatever an invalid body holds, as written.
            qsizetype end = i + 1;
            while (end < size && !isWhitespace(data[end]) && !std::strchr("{}[],:\"", data[end]))
                ++end;
            out.append(data + i, end - i);
            i = end;
            break;
        }
        }
    }
    if (out.size() > cap) {
        truncateUtf8(out, cap);
        result.truncated = true;
    }
    if (lines > maxLines) {
        // The newline that opened the line too many, and its indentation, go.
        out.truncate(out.lastIndexOf('\n'));
    }
    result.inputBytes = result.truncated ? i : size;
    result.text = QString::fromUtf8(out);
    out = {};
    result.linesBroken = breakLongLines(result.text, options.maxLineLength);
    return result;
}

JsonFormatter::Result JsonFormatter::plainText(const QByteArray &body, const QByteArray &charset, const Options &options)
{
    Result result;
    result.totalBytes = body.size();
    result.inputBytes = std::min(body.size(), std::max<qsizetype>(options.maxBytes, 1));

    QStringDecoder decoder(charset.isEmpty() ? "utf-8" : charset.constData());
    if (!decoder.isValid())
        decoder = QStringDecoder(QStringDecoder::Utf8);
    // In ASCII-compatible encodings a line ends at a '\n' byte, so the line cap can be applied
    // before decoding.
    if (!charset.startsWith("utf-16") && !charset.startsWith("utf-32")) {
        const qsizetype maxLines = std::max<qsizetype>(options.maxLines, 1);
        const QByteArrayView shown = QByteArrayView(body).first(result.inputBytes);
        qsizetype lines = 0;
        for (qsizetype at = shown.indexOf('\n'); at >= 0; at = shown.indexOf('\n', at + 1)) {
            if (++lines == maxLines) {
                result.inputBytes = at;
                break;
            }
        }
    }
    result.truncated = result.inputBytes < body.size();
    // Stateful: a multi-byte character cut by the cap is dropped rather than shown as garbage.
    QString text = decoder.decode(QByteArrayView(body.constData(), result.inputBytes));
    const qsizetype skip = text.startsWith(QChar(QChar::ByteOrderMark)) ? 1 : 0;
    if (skip)
        text.remove(0, skip);
    if (text.contains(u'\r')) {
        text.replace(u"\r\n"_s, u"\n"_s);
        text.replace(u'\r', u'\n');
    }
    result.text = std::move(text);
    result.linesBroken = breakLongLines(result.text, options.maxLineLength);
    return result;
}

JsonFormatter::Result JsonFormatter::hexDump(const QByteArray &body, const Options &options)
{
    static constexpr int BytesPerLine = 16;
    static constexpr int CharsPerLine = 79; // "00000000  " + 16 × "xx " + 1 + " |" + 16 + "|\n"
    Result result;
    result.totalBytes = body.size();
    const qsizetype lines = std::clamp<qsizetype>(options.maxBytes / CharsPerLine, 1, std::max<qsizetype>(options.maxLines, 1));
    result.inputBytes = std::min(body.size(), lines * BytesPerLine);
    result.truncated = result.inputBytes < body.size();

    static constexpr char digits[] = "0123456789abcdef";
    QString text;
    text.reserve((result.inputBytes / BytesPerLine + 1) * CharsPerLine);
    for (qsizetype line = 0; line < result.inputBytes; line += BytesPerLine) {
        text += u"%1  "_s.arg(line, 8, 16, QLatin1Char('0'));
        const qsizetype count = std::min<qsizetype>(BytesPerLine, result.inputBytes - line);
        QString ascii;
        for (int k = 0; k < BytesPerLine; ++k) {
            if (k == BytesPerLine / 2)
                text += u' ';
            if (k < count) {
                const auto byte = static_cast<unsigned char>(body.at(line + k));
                text += QLatin1Char(digits[byte >> 4]);
                text += QLatin1Char(digits[byte & 0xf]);
                text += u' ';
                ascii += byte >= 0x20 && byte < 0x7f ? QLatin1Char(char(byte)) : QLatin1Char('.');
            } else {
                text += u"   "_s;
            }
        }
        text += u" |"_s + ascii + u"|\n"_s;
    }
    if (text.endsWith(u'\n'))
        text.chop(1);
    result.text = std::move(text);
    return result;
}

bool JsonFormatter::isJsonContentType(const QString &contentType)
{
    const QString mime = mimeTypeOf(contentType);
    return mime == u"application/json"_s || mime == u"text/json"_s || mime.endsWith(u"+json"_s);
}

bool JsonFormatter::looksLikeJson(const QByteArray &body)
{
    qsizetype i = skipByteOrderMark(body);
    while (i < body.size() && isWhitespace(body.at(i)))
        ++i;
    return i < body.size() && (body.at(i) == '{' || body.at(i) == '[');
}

bool JsonFormatter::looksBinary(const QByteArray &body, const QString &contentType)
{
    const QString mime = mimeTypeOf(contentType);
    if (mime.startsWith(u"text/"_s) || isJsonContentType(contentType) || mime.endsWith(u"+xml"_s) || mime.endsWith(u"/xml"_s)
        || mime.contains(u"javascript"_s) || mime == u"application/x-www-form-urlencoded"_s) {
        return false;
    }
    static const QStringList binaryPrefixes = {u"image/"_s, u"audio/"_s, u"video/"_s, u"font/"_s};
    if (std::any_of(binaryPrefixes.cbegin(), binaryPrefixes.cend(), [&](const QString &prefix) { return mime.startsWith(prefix); }))
        return true;
    static const QStringList binaryTypes = {u"application/octet-stream"_s, u"application/pdf"_s, u"application/zip"_s,
                                            u"application/gzip"_s, u"application/x-protobuf"_s, u"application/cbor"_s};
    if (binaryTypes.contains(mime))
        return true;
    // Undeclared or unfamiliar: text has no NUL bytes.
    return QByteArrayView(body).first(std::min<qsizetype>(body.size(), 4096)).contains('\0');
}

QByteArray JsonFormatter::charsetOf(const QString &contentType)
{
    const QStringList parameters = contentType.split(u';');
    for (qsizetype i = 1; i < parameters.size(); ++i) {
        const QString parameter = parameters.at(i).trimmed();
        if (!parameter.startsWith(u"charset="_s, Qt::CaseInsensitive))
            continue;
        QString value = parameter.mid(8).trimmed();
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
            value = value.mid(1, value.size() - 2);
        return value.toLower().toLatin1();
    }
    return {};
}

bool JsonFormatter::breakLongLines(QString &text, int maxLength)
{
    if (maxLength <= 0)
        return false;
    // Most bodies have no long line: find out before building a copy.
    const auto tooLong = [&](qsizetype from) {
        qsizetype lineStart = from;
        for (;;) {
            const qsizetype end = text.indexOf(u'\n', lineStart);
            const qsizetype lineEnd = end < 0 ? text.size() : end;
            if (lineEnd - lineStart > maxLength)
                return lineStart;
            if (end < 0)
                return qsizetype(-1);
            lineStart = end + 1;
        }
    };
    qsizetype lineStart = tooLong(0);
    if (lineStart < 0)
        return false;

    QString out;
    out.reserve(text.size() + text.size() / maxLength + 16);
    out.append(QStringView(text).first(lineStart));
    while (lineStart < text.size()) {
        const qsizetype end = text.indexOf(u'\n', lineStart);
        const qsizetype lineEnd = end < 0 ? text.size() : end;
        qsizetype piece = lineStart;
        while (lineEnd - piece > maxLength) {
            qsizetype cut = piece + maxLength;
            // After a comma or a space near the limit, where a reader expects a break; else hard.
            const qsizetype windowStart = piece + maxLength * 3 / 4;
            const QStringView window = QStringView(text).sliced(windowStart, maxLength / 4);
            qsizetype soft = window.lastIndexOf(u',');
            if (soft < 0)
                soft = window.lastIndexOf(u' ');
            if (soft >= 0)
                cut = windowStart + soft + 1;
            else if (text.at(cut).isLowSurrogate())
                --cut;
            out.append(QStringView(text).sliced(piece, cut - piece));
            out += u'\n';
            piece = cut;
        }
        out.append(QStringView(text).sliced(piece, lineEnd - piece));
        if (end < 0)
            break;
        out += u'\n';
        lineStart = end + 1;
    }
    text = std::move(out);
    return true;
}
