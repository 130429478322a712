#include "history/Redactor.h"

#include "history/DraftRedactor.h"
#include "http/MultipartBody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kMask = QByteArrayLiteral("\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");

using Positions = QVarLengthArray<qsizetype, 8>;
using Range = QPair<qsizetype, qsizetype>; // [first, second)

// "X-Api-Key", "x_api_key" and "xapikey" are one name to us: people spell them every way.
QString normalizedName(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c == u'-' || c == u'_' || c == u'.' || c.isSpace())
            continue;
        out += c.toLower();
    }
    return out;
}

bool matchesPattern(const QString &normalized, QStringView pattern)
{
    const bool anyPrefix = pattern.startsWith(u'*');
    const bool anySuffix = pattern.size() > 1 && pattern.endsWith(u'*');
    QStringView core = pattern;
    if (anyPrefix)
        core = core.sliced(1);
    if (anySuffix)
        core.chop(1);
    const QString wanted = normalizedName(core);
    if (wanted.isEmpty())
        return false;
    if (anyPrefix && anySuffix)
        return normalized.contains(wanted);
    if (anyPrefix)
        return normalized.endsWith(wanted);
    if (anySuffix)
        return normalized.startsWith(wanted);
    return normalized == wanted;
}

bool matchesAny(const QString &name, const QStringList &patterns)
{
    const QString normalized = normalizedName(name);
    if (normalized.isEmpty())
        return false;
    return std::any_of(patterns.cbegin(), patterns.cend(),
                       [&](const QString &pattern) { return matchesPattern(normalized, pattern); });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The value of `digits` hex digits at in[at], or -1.
qint64 hexAt(const QByteArray &in, qsizetype at, int digits)
{
    if (at < 0 || at + digits > in.size())
        return -1;
    qint64 value = 0;
    for (int i = 0; i < digits; ++i) {
        const int v = hexValue(in.at(at + i));
        if (v < 0)
            return -1;
        value = value * 16 + v;
    }
    return value;
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' || c == '_';
}

// One byte of a needle at in[r], in each form it can take in text we store: itself, '+' for a
// space (forms), %HH in either case, and %25HH (encoded twice, as proxies and redirects do).
void advanceByte(const QByteArray &in, qsizetype r, uchar b, Positions &out)
{
    if (r >= in.size())
        return;
    const char c = in.at(r);
    if (uchar(c) == b)
        out.append(r + 1);
    if (b == ' ' && c == '+')
        out.append(r + 1);
    if (c == '%') {
        if (hexAt(in, r + 1, 2) == b)
            out.append(r + 3);
        if (r + 2 < in.size() && in.at(r + 1) == '2' && in.at(r + 2) == '5' && hexAt(in, r + 3, 2) == b)
            out.append(r + 5);
    }
}

// One code point of a needle as a JSON escape at in[q]: \" \\ \/ \n …, or \uXXXX (a pair
// of them outside the BMP), which serializers use for anything they like.
void advanceJsonEscape(const QByteArray &in, qsizetype q, char32_t cp, Positions &out)
{
    if (q + 1 >= in.size() || in.at(q) != '\\')
        return;
    char shortForm = 0;
    switch (cp) {
    case U'"': shortForm = '"'; break;
    case U'\\': shortForm = '\\'; break;
    case U'/': shortForm = '/'; break;
    case U'\b': shortForm = 'b'; break;
    case U'\f': shortForm = 'f'; break;
    case U'\n': shortForm = 'n'; break;
    case U'\r': shortForm = 'r'; break;
    case U'\t': shortForm = 't'; break;
    default: break;
    }
    if (shortForm && in.at(q + 1) == shortForm)
        out.append(q + 2);
    if (in.at(q + 1) != 'u')
        return;
    if (cp < 0x10000) {
        if (hexAt(in, q + 2, 4) == qint64(cp))
            out.append(q + 6);
        return;
    }
    const qint64 high = 0xD800 + ((cp - 0x10000) >> 10);
    const qint64 low = 0xDC00 + ((cp - 0x10000) & 0x3FF);
    if (hexAt(in, q + 2, 4) == high && q + 7 < in.size() && in.at(q + 6) == '\\' && in.at(q + 7) == 'u'
        && hexAt(in, q + 8, 4) == low)
        out.append(q + 12);
}

void sortUnique(Positions &positions)
{
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
}

QByteArray replaceRanges(const QByteArray &in, QList<Range> ranges)
{
    if (ranges.isEmpty())
        return in;
    std::sort(ranges.begin(), ranges.end());
    QByteArray out;
    out.reserve(in.size());
    qsizetype copied = 0;
    qsizetype i = 0;
    while (i < ranges.size()) {
        qsizetype start = ranges.at(i).first;
        qsizetype end = ranges.at(i).second;
        // Overlapping and touching matches become one mask: two secrets side by side must not
        // read as two masks with nothing between them… nor leave a byte of either.
        for (++i; i < ranges.size() && ranges.at(i).first <= end; ++i)
            end = std::max(end, ranges.at(i).second);
        start = std::max(start, copied);
        out += in.mid(copied, start - copied);
        out += kMask;
        copied = end;
    }
    out += in.mid(copied);
    return out;
}

// Index just past the JSON string literal that starts at in[i] (a '"'); in.size() when it never
// ends — a truncated body.
qsizetype endOfJsonString(const QByteArray &in, qsizetype i)
{
    for (qsizetype j = i + 1; j < in.size(); ++j) {
        if (in.at(j) == '\\') {
            ++j;
            continue;
        }
        if (in.at(j) == '"')
            return j + 1;
    }
    return in.size();
}

// Index just past the JSON value at in[i]: a string, an object or array with all it holds, or a
// scalar. Tolerant of invalid and truncated JSON: it never reads past the end.
qsizetype endOfJsonValue(const QByteArray &in, qsizetype i)
{
    const qsizetype n = in.size();
    if (i >= n)
        return n;
    const char c = in.at(i);
    if (c == '"')
        return endOfJsonString(in, i);
    if (c == '{' || c == '[') {
        int depth = 0;
        for (qsizetype j = i; j < n;) {
            const char ch = in.at(j);
            if (ch == '"') {
                j = endOfJsonString(in, j);
                continue;
            }
            if (ch == '{' || ch == '[') {
                ++depth;
            } else if (ch == '}' || ch == ']') {
                if (--depth == 0)
                    return j + 1;
            }
            ++j;
        }
        return n;
    }
    qsizetype j = i;
    while (j < n && !QByteArrayView(",}] \t\r\n").contains(in.at(j)))
        ++j;
    return j;
}

qsizetype skipJsonSpace(const QByteArray &in, qsizetype i)
{
    while (i < in.size() && QByteArrayView(" \t\r\n").contains(in.at(i)))
        ++i;
    return i;
}

QString decodeJsonString(const QByteArray &literal)
{
    const QJsonDocument doc = QJsonDocument::fromJson('[' + literal + ']');
    if (doc.isArray() && doc.array().size() == 1 && doc.array().at(0).isString())
        return doc.array().at(0).toString();
    // Truncated or invalid: the name as written is the best we have.
    return QString::fromUtf8(literal.mid(1).chopped(literal.endsWith('"') && literal.size() > 1 ? 1 : 0));
}

QString decodeFormName(const QByteArray &name)
{
    QByteArray plus = name;
    plus.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(plus));
}

// name=value&name=value, with the values of sensitive names masked. Used for form bodies, query
// strings and fragments alike.
QByteArray maskPairs(const QByteArray &text, const std::function<bool(const QString &)> &isSensitive)
{
    QList<QByteArray> parts = text.split('&');
    for (QByteArray &part : parts) {
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0 || eq + 1 >= part.size())
            continue;
        if (isSensitive(decodeFormName(part.left(eq))))
            part = part.left(eq + 1) + kMask;
    }
    return parts.join('&');
}

bool looksLikeForm(const QByteArray &body)
{
    if (!body.contains('='))
        return false;
    return std::all_of(body.cbegin(), body.cend(), [](char c) { return uchar(c) > 0x20 && uchar(c) < 0x7F; });
}

QByteArray headerValue(const HistoryEntry::Headers &headers, QByteArrayView name)
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

const QRegularExpression &jwtPattern()
{
    // Header and payload of a JWS/JWE are base64url JSON objects, so both start "eyJ".
    static const QRegularExpression pattern(u"eyJ[A-Za-z0-9_-]{2,}\\.eyJ[A-Za-z0-9_-]{2,}(?:\\.[A-Za-z0-9_-]*){0,3}"_s);
    return pattern;
}

const QRegularExpression &jwtTailPattern()
{
    static const QRegularExpression pattern(u"eyJ[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*){0,4}$"_s);
    return pattern;
}

const QRegularExpression &urlInTextPattern()
{
    static const QRegularExpression pattern(u"[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+"_s);
    return pattern;
}

} // namespace

QString Redactor::mask()
{
    return QString::fromUtf8(kMask);
}

QByteArray Redactor::maskUtf8()
{
    return kMask;
}

QStringList Redactor::defaultSensitiveHeaders()
{
    return {u"*authorization"_s, u"cookie"_s,      u"set-cookie"_s, u"*api-key"_s,  u"*token"_s,
            u"*secret*"_s,       u"*password*"_s,  u"*passwd*"_s,   u"*session-id"_s, u"*credentials"_s};
}

QStringList Redactor::defaultSensitiveFields()
{
    return {u"*token"_s,     u"*secret*"_s,         u"*password*"_s,  u"*passwd*"_s,
            u"*api_key"_s,   u"assertion"_s,        u"client_assertion"_s, u"*private_key"_s};
}

QStringList Redactor::defaultSensitiveQueryParameters()
{
    return {u"*token"_s,  u"code"_s,        u"*secret*"_s, u"*password*"_s,  u"*passwd*"_s,
            u"*api_key"_s, u"key"_s,        u"*signature"_s, u"sig"_s,       u"assertion"_s,
            u"client_assertion"_s};
}

Redactor::Redactor()
    : m_headerPatterns(defaultSensitiveHeaders())
    , m_fieldPatterns(defaultSensitiveFields())
    , m_queryPatterns(defaultSensitiveQueryParameters())
{
}

void Redactor::setSecrets(const QStringList &secrets)
{
    m_secrets.clear();
    for (const QString &secret : secrets) {
        if (!secret.isEmpty() && !m_secrets.contains(secret))
            m_secrets.append(secret);
    }
    rebuildNeedles();
}

void Redactor::addSecret(const QString &secret)
{
    if (secret.isEmpty() || m_secrets.contains(secret))
        return;
    m_secrets.append(secret);
    rebuildNeedles();
}

void Redactor::rebuildNeedles()
{
    m_needles.clear();
    QSet<QString> seen;
    const auto add = [&](const QString &text, bool base64) {
        if (text.size() < MinimumSecretLength || seen.contains(text))
            return;
        seen.insert(text);
        Needle needle;
        needle.base64 = base64;
        const QList<uint> ucs4 = text.toUcs4();
        for (const uint cp : ucs4) {
            needle.codePoints.append(char32_t(cp));
            const char32_t one = char32_t(cp);
            needle.utf8.append(QString::fromUcs4(&one, 1).toUtf8());
        }
        const auto alphanumeric = [](char32_t cp) { return cp < 0x80 && std::isalnum(int(cp)) != 0; };
        if (needle.codePoints.size() >= 2 && alphanumeric(needle.codePoints.at(0)) && alphanumeric(needle.codePoints.at(1)))
            needle.second = char(needle.codePoints.at(1));
        m_needles.append(needle);
    };

    for (const QString &secret : std::as_const(m_secrets)) {
        if (secret.size() < MinimumSecretLength)
            continue;
        add(secret, false);

        // Base64 of the secret — and of its form-encoded spelling, which is what RFC 6749
        // §2.3.1 puts into "Basic base64(id:secret)" — at each of the three byte alignments it
        // can have inside a longer blob. For each alignment only the characters made from the
        // secret's bits alone are fixed; the match is widened by a character on each side later.
        const QByteArray raw = secret.toUtf8();
        QByteArray form = QUrl::toPercentEncoding(secret, " ");
        form.replace(' ', '+');
        const QList<QByteArray> variants{raw, QUrl::toPercentEncoding(secret), form};
        for (const QByteArray &variant : std::as_const(variants)) {
            for (int alignment = 0; alignment < 3; ++alignment) {
                const QByteArray padded = QByteArray(alignment, '\0') + variant;
                const QByteArray encoded = padded.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
                const qsizetype first = (8 * alignment + 5) / 6;
                const qsizetype last = (8 * padded.size()) / 6;
                if (last <= first)
                    continue;
                const QByteArray core = encoded.mid(first, last - first);
                QByteArray urlCore = core;
                urlCore.replace('+', '-').replace('/', '_');
                add(QString::fromLatin1(core), true);
                add(QString::fromLatin1(urlCore), true);
            }
        }
    }

    // Which needles start with a given byte: made once here, not for each text redacted (a
    // history entry or a matrix result redacts many short header values).
    for (QList<int> &list : m_startsWith)
        list.clear();
    for (int i = 0; i < m_needles.size(); ++i) {
        const Needle &needle = m_needles.at(i);
        m_startsWith[uchar(needle.utf8.constFirst().at(0))].append(i);
        if (needle.codePoints.constFirst() == U' ')
            m_startsWith[uchar('+')].append(i);
    }
}

bool Redactor::isSensitiveHeader(QByteArrayView name) const
{
    return matchesAny(QString::fromLatin1(name), m_headerPatterns);
}

bool Redactor::isSensitiveField(const QString &name) const
{
    return matchesAny(name, m_fieldPatterns);
}

bool Redactor::isSensitiveQueryParameter(const QString &name) const
{
    return matchesAny(name, m_queryPatterns);
}

QByteArray Redactor::redactSecretValues(const QByteArray &bytes) const
{
    if (m_keepEverything || bytes.isEmpty())
        return bytes;

    QList<Range> ranges;
    const qsizetype n = bytes.size();

    if (!m_needles.isEmpty()) {
        // At an encoding's introducer ('%', '\\') the byte it encodes decides which needles
        // start there, so bodies full of escapes are not tried against every needle.
        const std::array<QList<int>, 256> &startsWith = m_startsWith;

        Positions current, next, bytePositions, byteNext;
        QVarLengthArray<int, 32> candidates;
        for (qsizetype p = 0; p < n; ++p) {
            const char c = bytes.at(p);
            candidates.clear();
            const auto addStartingWith = [&](qint64 byte) {
                if (byte >= 0 && byte < 256)
                    candidates.append(startsWith[size_t(byte)].constData(), startsWith[size_t(byte)].size());
            };
            addStartingWith(uchar(c));
            if (c == '%') {
                addStartingWith(hexAt(bytes, p + 1, 2));
                if (p + 2 < n && bytes.at(p + 1) == '2' && bytes.at(p + 2) == '5')
                    addStartingWith(hexAt(bytes, p + 3, 2));
            } else if (c == '\\' && p + 1 < n) {
                const char e = bytes.at(p + 1);
                const QByteArrayView shortForms("\"\"\\\\//b\bf\fn\nr\rt\t");
                for (qsizetype k = 0; k + 1 < shortForms.size(); k += 2) {
                    if (shortForms.at(k) == e)
                        addStartingWith(uchar(shortForms.at(k + 1)));
                }
                const qint64 unit = e == 'u' ? hexAt(bytes, p + 2, 4) : -1;
                if (unit >= 0) {
                    // The first UTF-8 byte of the character the escape starts.
                    if (unit < 0x80)
                        addStartingWith(unit);
                    else if (unit < 0x800)
                        addStartingWith(0xC0 | (unit >> 6));
                    else if (unit >= 0xD800 && unit < 0xDC00)
                        addStartingWith(0xF0 | ((0x10000 + ((unit - 0xD800) << 10)) >> 18));
                    else
                        addStartingWith(0xE0 | (unit >> 12));
                }
            }
            if (candidates.size() > 1) {
                std::sort(candidates.begin(), candidates.end());
                candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
            }
            for (const int index : std::as_const(candidates)) {
                const Needle &needle = m_needles.at(index);
                // Most candidates end at the next byte: said without building any position list.
                if (needle.second != 0 && c == needle.utf8.constFirst().at(0)
                    && (p + 1 >= n || (bytes.at(p + 1) != needle.second && bytes.at(p + 1) != '%' && bytes.at(p + 1) != '\\')))
                    continue;
                current.clear();
                current.append(p);
                for (qsizetype k = 0; k < needle.codePoints.size() && !current.isEmpty(); ++k) {
                    next.clear();
                    for (const qsizetype q : std::as_const(current)) {
                        bytePositions.clear();
                        bytePositions.append(q);
                        for (const char b : needle.utf8.at(k)) {
                            byteNext.clear();
                            for (const qsizetype r : std::as_const(bytePositions))
                                advanceByte(bytes, r, uchar(b), byteNext);
                            std::swap(bytePositions, byteNext);
                            if (bytePositions.isEmpty())
                                break;
                        }
                        next.append(bytePositions.constData(), bytePositions.size());
                        advanceJsonEscape(bytes, q, needle.codePoints.at(k), next);
                    }
                    sortUnique(next);
                    std::swap(current, next);
                }
                if (current.isEmpty())
                    continue;
                qsizetype start = p;
                qsizetype end = current.last();
                if (needle.base64) {
                    // The characters next to an aligned core mix the secret's bits with its
                    // neighbours'; they go too, and so does the padding.
                    if (start > 0 && isBase64Char(bytes.at(start - 1)))
                        --start;
                    if (end < n && isBase64Char(bytes.at(end)))
                        ++end;
                    for (int pad = 0; pad < 2 && end < n && bytes.at(end) == '='; ++pad)
                        ++end;
                }
                ranges.append({start, end});
            }
        }
    }

    if (m_maskJwtLike) {
        const QString latin = QString::fromLatin1(bytes);
        for (auto it = jwtPattern().globalMatch(latin); it.hasNext();) {
            const auto match = it.next();
            ranges.append({match.capturedStart(), match.capturedEnd()});
        }
    }
    return replaceRanges(bytes, ranges);
}

QString Redactor::redactUrl(const QString &url) const
{
    if (m_keepEverything || url.isEmpty())
        return url;
    QByteArray text = url.toUtf8();

    QByteArray fragment;
    const qsizetype hash = text.indexOf('#');
    const bool hasFragment = hash >= 0;
    if (hasFragment) {
        fragment = text.mid(hash + 1);
        text.truncate(hash);
    }
    QByteArray query;
    const qsizetype question = text.indexOf('?');
    const bool hasQuery = question >= 0;
    if (hasQuery) {
        query = text.mid(question + 1);
        text.truncate(question);
    }

    // https://user:password@host/ — the password goes, the user name stays.
    const qsizetype schemeEnd = text.indexOf("://");
    if (schemeEnd > 0) {
        const qsizetype authorityStart = schemeEnd + 3;
        qsizetype authorityEnd = text.indexOf('/', authorityStart);
        if (authorityEnd < 0)
            authorityEnd = text.size();
        const qsizetype at = text.left(authorityEnd).lastIndexOf('@');
        if (at > authorityStart) {
            const qsizetype colon = text.indexOf(':', authorityStart);
            if (colon >= 0 && colon + 1 < at)
                text = text.left(colon + 1) + kMask + text.mid(at);
        }
    }

    const auto sensitive = [this](const QString &name) { return isSensitiveQueryParameter(name); };
    if (hasQuery)
        text += '?' + maskPairs(query, sensitive);
    if (hasFragment)
        text += '#' + maskPairs(fragment, sensitive);
    return QString::fromUtf8(redactSecretValues(text));
}

QByteArray Redactor::redactHeaderValue(const QByteArray &name, const QByteArray &value) const
{
    if (m_keepEverything)
        return value;
    QByteArray out = value;
    if (isSensitiveHeader(name) && !value.trimmed().isEmpty()) {
        const QString normalized = normalizedName(QString::fromLatin1(name));
        if (normalized == u"cookie"_s) {
            // Cookie names help reading a history and are not secret; their values are.
            QList<QByteArray> pairs = value.split(';');
            for (QByteArray &pair : pairs) {
                pair = pair.trimmed();
                const qsizetype eq = pair.indexOf('=');
                pair = eq > 0 ? pair.left(eq + 1) + kMask : kMask;
            }
            out = pairs.join("; ");
        } else if (normalized == u"setcookie"_s) {
            // Only the first pair is the cookie; Path, Domain, Expires … stay readable.
            const qsizetype semicolon = value.indexOf(';');
            const QByteArray pair = semicolon >= 0 ? value.left(semicolon) : value;
            const QByteArray rest = semicolon >= 0 ? value.mid(semicolon) : QByteArray();
            const qsizetype eq = pair.indexOf('=');
            out = (eq > 0 ? pair.left(eq + 1) + kMask : kMask) + rest;
        } else if (normalized.endsWith(u"authorization"_s)) {
            // "Bearer ••••": the scheme tells what was sent without telling the credentials.
            const QByteArray trimmed = value.trimmed();
            qsizetype space = 0;
            while (space < trimmed.size() && isTokenChar(trimmed.at(space)))
                ++space;
            const bool hasScheme = space > 0 && space < trimmed.size() && (trimmed.at(space) == ' ' || trimmed.at(space) == '\t');
            out = hasScheme ? trimmed.left(space) + ' ' + kMask : kMask;
        } else {
            out = kMask;
        }
    }
    return redactSecretValues(out);
}

Redactor::Headers Redactor::redactHeaders(const Headers &headers) const
{
    if (m_keepEverything)
        return headers;
    Headers out;
    out.reserve(headers.size());
    for (const auto &header : headers)
        out.append({header.first, redactHeaderValue(header.first, header.second)});
    return out;
}

QByteArray Redactor::redactJsonFields(const QByteArray &body) const
{
    QByteArray out;
    out.reserve(body.size());
    const qsizetype n = body.size();
    qsizetype i = 0;
    while (i < n) {
        if (body.at(i) != '"') {
            qsizetype next = body.indexOf('"', i);
            if (next < 0)
                next = n;
            out += body.mid(i, next - i);
            i = next;
            continue;
        }
        const qsizetype stringEnd = endOfJsonString(body, i);
        out += body.mid(i, stringEnd - i);
        const qsizetype colon = skipJsonSpace(body, stringEnd);
        if (colon < n && body.at(colon) == ':' && isSensitiveField(decodeJsonString(body.mid(i, stringEnd - i)))) {
            const qsizetype valueStart = skipJsonSpace(body, colon + 1);
            out += body.mid(stringEnd, valueStart - stringEnd);
            const qsizetype valueEnd = endOfJsonValue(body, valueStart);
            const QByteArray value = body.mid(valueStart, valueEnd - valueStart);
            // null, false and "" hold no secret, and saying so helps whoever reads the entry.
            if (value.isEmpty() || value == "null" || value == "true" || value == "false" || value == "\"\"")
                out += value;
            else
                out += '"' + kMask + '"';
            i = valueEnd;
            continue;
        }
        i = stringEnd;
    }
    return out;
}

QByteArray Redactor::redactFormFields(const QByteArray &body) const
{
    return maskPairs(body, [this](const QString &name) { return isSensitiveField(name); });
}

QByteArray Redactor::maskTruncatedTail(const QByteArray &body) const
{
    // The caller cut the body: whatever secret straddled the cut is now only its beginning,
    // which the full-value search cannot see.
    qsizetype tail = 0;
    for (const Needle &needle : m_needles) {
        const QByteArray whole = needle.utf8.join();
        for (qsizetype k = std::min(whole.size() - 1, body.size()); k >= MinimumSecretLength && k > tail; --k) {
            if (body.endsWith(whole.left(k))) {
                tail = k;
                break;
            }
        }
    }
    if (m_maskJwtLike) {
        const auto match = jwtTailPattern().match(QString::fromLatin1(body.right(std::min<qsizetype>(body.size(), 64 * 1024))));
        if (match.hasMatch())
            tail = std::max(tail, match.capturedLength());
    }
    if (tail == 0 || body.endsWith(kMask))
        return body;
    return body.chopped(tail) + kMask;
}

QByteArray Redactor::redactMultipartFields(const QByteArray &body, const QByteArray &boundary) const
{
    // The parts between "--boundary" lines; a field whose name is sensitive keeps its headers
    // and loses its content. A body cut short (history excerpts) ends inside a part: that part
    // is judged all the same, its content masked to the end.
    const QByteArray delimiter = "--" + boundary;
    QByteArray out;
    out.reserve(body.size());
    qsizetype at = body.indexOf(delimiter);
    if (at < 0)
        return body;
    out += body.left(at);
    static const QRegularExpression nameParameter(uR"re(;\s*name\s*=\s*"([^"]*)")re"_s, QRegularExpression::CaseInsensitiveOption);
    while (at >= 0) {
        const qsizetype partStart = at + delimiter.size();
        qsizetype next = body.indexOf("\r\n" + delimiter, partStart);
        const qsizetype partEnd = next < 0 ? body.size() : next;
        const QByteArray part = body.mid(partStart, partEnd - partStart);
        const qsizetype headersEnd = part.indexOf("\r\n\r\n");
        QByteArray kept = part;
        if (headersEnd >= 0) {
            const QString headers = QString::fromUtf8(part.left(headersEnd));
            const QRegularExpressionMatch name = nameParameter.match(headers);
            if (name.hasMatch() && isSensitiveField(name.captured(1)))
                kept = part.left(headersEnd + 4) + kMask;
        }
        out += delimiter + kept;
        if (next < 0)
            break;
        out += "\r\n";
        at = next + 2;
    }
    return out;
}

QByteArray Redactor::redactBody(const QByteArray &body, const QByteArray &contentType, bool truncated) const
{
    if (m_keepEverything || body.isEmpty())
        return body;
    const QByteArray type = contentType.toLower();
    const qsizetype first = skipJsonSpace(body, 0);
    const bool json = type.contains("json") || (first < body.size() && (body.at(first) == '{' || body.at(first) == '['));
    QByteArray out = body;
    if (json)
        out = redactJsonFields(out);
    else if (const QByteArray boundary = type.trimmed().startsWith("multipart/form-data") ? MultipartBody::boundaryOf(contentType) : QByteArray();
             !boundary.isEmpty())
        out = redactMultipartFields(out, boundary);
    else if (type.contains("x-www-form-urlencoded") || ((type.isEmpty() || type.startsWith("text/plain")) && looksLikeForm(out)))
        out = redactFormFields(out);
    out = redactSecretValues(out);
    if (truncated)
        out = maskTruncatedTail(out);
    return out;
}

QString Redactor::redactText(const QString &text) const
{
    if (m_keepEverything || text.isEmpty())
        return text;
    QString out;
    qsizetype copied = 0;
    for (auto it = urlInTextPattern().globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        out += QStringView(text).sliced(copied, match.capturedStart() - copied);
        out += redactUrl(match.captured());
        copied = match.capturedEnd();
    }
    out += QStringView(text).sliced(copied);
    return QString::fromUtf8(redactSecretValues(out.toUtf8()));
}

HistoryEntry Redactor::redact(const HistoryEntry &entry) const
{
    HistoryEntry out = entry;
    if (m_keepEverything) {
        out.redacted = false;
        return out;
    }
    out.redacted = true;
    out.url = redactUrl(entry.url);
    out.requestHeaders = redactHeaders(entry.requestHeaders);
    out.requestBody = redactBody(entry.requestBody, headerValue(entry.requestHeaders, "content-type"), entry.requestBodyTruncated);
    out.reason = redactText(entry.reason);
    out.responseHeaders = redactHeaders(entry.responseHeaders);
    out.responseBody = redactBody(entry.responseBody, headerValue(entry.responseHeaders, "content-type"), entry.responseBodyTruncated);
    out.error = redactText(entry.error);
    for (auto &injected : out.injected)
        injected.value = redactHeaderValue(injected.name, injected.value);
    if (out.composed) {
        QStringList what;
        out.composed->draft = DraftRedactor(*this).redact(entry.composed->draft, &what);
        DraftRedactor::maskVariablesMaskedOnTheWire(entry, out, &out.composed->draft, &what);
        for (const QString &item : std::as_const(what)) {
            if (!out.composed->redacted.contains(item))
                out.composed->redacted.append(item);
        }
    }
    return out;
}
