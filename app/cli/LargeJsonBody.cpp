#include "LargeJsonBody.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
void put(std::FILE *out, QByteArrayView bytes)
{
    std::fwrite(bytes.data(), 1, static_cast<size_t>(bytes.size()), out);
}

void escape(QByteArray &into, unsigned code)
{
    static const char hex[] = "0123456789abcdef";
    const char text[] = {'\\', 'u', '0', '0', hex[(code >> 4) & 0xf], hex[code & 0xf]};
    into.append(text, sizeof text);
}
} // namespace

LargeJsonBody::LargeJsonBody(const QByteArray &body, Encoding encoding)
    : m_body(body)
    , m_encoding(encoding)
    , m_set(true)
{
}

QString LargeJsonBody::encodingName(Encoding encoding)
{
    switch (encoding) {
    case Encoding::Json: return u"json"_s;
    case Encoding::Text: return u"text"_s;
    case Encoding::Base64: return u"base64"_s;
    }
    return {};
}

QString LargeJsonBody::placeholder()
{
    static const QString text = u"tokenbench-body-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    return text;
}

void LargeJsonBody::write(std::FILE *out, const QByteArray &envelope) const
{
    const QByteArray marker = '"' + placeholder().toUtf8() + '"';
    const qsizetype at = envelope.indexOf(marker);
    if (at < 0) {
        put(out, envelope);
        return;
    }
    put(out, QByteArrayView(envelope).first(at));
    writeBody(out);
    put(out, QByteArrayView(envelope).sliced(at + marker.size()));
    std::fflush(out);
}

void LargeJsonBody::writeBody(std::FILE *out) const
{
    constexpr qsizetype chunk = 48 * 1024; // a multiple of 3: base64 pieces join without padding
    QByteArray piece;
    piece.reserve(chunk * 6 + 16);
    if (m_encoding == Encoding::Base64) {
        put(out, "\"");
        for (qsizetype at = 0; at < m_body.size(); at += chunk)
            put(out, QByteArrayView(m_body).sliced(at, std::min(chunk, m_body.size() - at)).toByteArray().toBase64());
        put(out, "\"");
        return;
    }
    const bool asString = m_encoding == Encoding::Text;
    if (asString)
        put(out, "\"");
    const auto *bytes = reinterpret_cast<const unsigned char *>(m_body.constData());
    const qsizetype size = m_body.size();
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned char c = bytes[i];
        if (c == 0xC2 && i + 1 < size && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F) {
            escape(piece, bytes[++i]); // a C1 control (U+0080–U+009F): only inside strings
        } else if (c == 0x7F) {
            escape(piece, c);
        } else if (asString && (c == '"' || c == '\\')) {
            piece.append('\\').append(char(c));
        } else if (asString && c < 0x20) {
            switch (c) {
            case '\n': piece.append("\\n"); break;
            case '\r': piece.append("\\r"); break;
            case '\t': piece.append("\\t"); break;
            case '\b': piece.append("\\b"); break;
            case '\f': piece.append("\\f"); break;
            default: escape(piece, c); break;
            }
        } else {
            piece.append(char(c));
        }
        if (piece.size() >= chunk) {
            put(out, piece);
            piece.resize(0);
        }
    }
    put(out, piece);
    if (asString)
        put(out, "\"");
}
