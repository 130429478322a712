#include "json/JsonSyntax.h"

#include <cctype>
#include <vector>

namespace {
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// One UTF-8 sequence at p (not past end), well-formed as RFC 3629 says: no overlong forms,
// no surrogates, nothing above U+10FFFF. Returns its length, 0 when it is not one.
qsizetype utf8Length(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    qsizetype length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        length = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        low = c == 0xE0 ? 0xA0 : 0x80;
        high = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        low = c == 0xF0 ? 0x90 : 0x80;
        high = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (end - p < length || p[1] < low || p[1] > high)
        return 0;
    for (qsizetype i = 2; i < length; ++i) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    }
    return length;
}

class Scanner
{
public:
    explicit Scanner(QByteArrayView bytes) : m_p(bytes.data()), m_end(bytes.data() + bytes.size()) {}

    bool document()
    {
        // Expecting a value, or after a value the next thing its container allows.
        std::vector<char> open; // '[' or '{' for each container we are in
        skipSpace();
        for (;;) {
            if (m_p == m_end)
                return false;
            const char c = *m_p;
            if (c == '[' || c == '{') {
                ++m_p;
                skipSpace();
                if (m_p != m_end && *m_p == (c == '[' ? ']' : '}')) {
                    ++m_p; // empty container: a whole value
                } else {
                    open.push_back(c);
                    if (c == '{' && !key())
                        return false;
                    continue;
                }
            } else if (!scalar()) {
                return false;
            }
            // A value ended: close what it ends, or go on to the next member.
            for (;;) {
                skipSpace();
                if (open.empty())
                    return m_p == m_end;
                if (m_p == m_end)
                    return false;
                const char closer = open.back() == '[' ? ']' : '}';
                if (*m_p == closer) {
                    ++m_p;
                    open.pop_back();
                    continue;
                }
                if (*m_p != ',')
                    return false;
                ++m_p;
                skipSpace();
                if (open.back() == '{' && !key())
                    return false;
                break;
            }
        }
    }

private:
    void skipSpace()
    {
        while (m_p != m_end && isSpace(*m_p))
            ++m_p;
    }

    // "name" : — the value follows.
    bool key()
    {
        if (m_p == m_end || *m_p != '"' || !string())
            return false;
        skipSpace();
        if (m_p == m_end || *m_p != ':')
            return false;
        ++m_p;
        skipSpace();
        return true;
    }

    bool literal(const char *word, qsizetype length)
    {
        if (m_end - m_p < length || QByteArrayView(m_p, length) != QByteArrayView(word, length))
            return false;
        m_p += length;
        return true;
    }

    bool scalar()
    {
        switch (*m_p) {
        case '"': return string();
        case 't': return literal("true", 4);
        case 'f': return literal("false", 5);
        case 'n': return literal("null", 4);
        default: return number();
        }
    }

    bool digits()
    {
        const char *start = m_p;
        while (m_p != m_end && isDigit(*m_p))
            ++m_p;
        return m_p != start;
    }

    bool number()
    {
        if (m_p != m_end && *m_p == '-')
            ++m_p;
        if (m_p == m_end)
            return false;
        if (*m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        return true;
    }

    bool string()
    {
        ++m_p; // the opening quote
        const auto *end = reinterpret_cast<const unsigned char *>(m_end);
        while (m_p != m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (++m_p == m_end)
                    return false;
                const char e = *m_p++;
                if (e == 'u') {
                    for (int i = 0; i < 4; ++i, ++m_p) {
                        if (m_p == m_end || !std::isxdigit(static_cast<unsigned char>(*m_p)))
                            return false;
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return false;
                }
                continue;
            }
            const qsizetype length = utf8Length(reinterpret_cast<const unsigned char *>(m_p), end);
            if (length == 0)
                return false;
            m_p += length;
        }
        return false;
    }

    const char *m_p;
    const char *m_end;
};
} // namespace

bool JsonSyntax::isValid(QByteArrayView bytes)
{
    return Scanner(bytes).document();
}

bool JsonSyntax::isUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p != end) {
        const qsizetype length = utf8Length(p, end);
        if (length == 0)
            return false;
        p += length;
    }
    return true;
}
