#include "http/WwwAuthenticate.h"

using namespace Qt::StringLiterals;

namespace {
bool isTchar(char c)
{
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken68Char(char c)
{
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool isWhite(char c)
{
    return c == ' ' || c == '\t';
}

// Header bytes are octets; servers send UTF-8 in practice (error_description), Latin-1 rarely.
QString decode(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// A cursor over one field value. Every step consumes at least one byte or reports that it
// could not, so no loop can spin.
class Scanner
{
public:
    explicit Scanner(const QByteArray &text) : m_text(text) {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek(qsizetype ahead = 0) const { return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : '\0'; }
    qsizetype pos() const { return m_pos; }
    void seek(qsizetype pos) { m_pos = pos; }
    void skipWhite()
    {
        while (!atEnd() && isWhite(peek()))
            ++m_pos;
    }
    void skipWhiteAndCommas()
    {
        while (!atEnd() && (isWhite(peek()) || peek() == ','))
            ++m_pos;
    }
    QByteArray token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTchar(peek()))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }
    // After the opening quote; true when the closing quote was found.
    bool quoted(QByteArray *out)
    {
        ++m_pos; // the opening quote
        while (!atEnd()) {
            const char c = peek();
            ++m_pos;
            if (c == '"')
                return true;
            if (c == '\\' && !atEnd()) {
                out->append(peek());
                ++m_pos;
                continue;
            }
            out->append(c);
        }
        return false;
    }
    // A token68 that is the whole rest of the challenge: its chars, '='s, then only OWS before ',' or the end.
    bool token68Ahead(qsizetype *length) const
    {
        qsizetype p = m_pos;
        while (p < m_text.size() && isToken68Char(m_text.at(p)))
            ++p;
        if (p == m_pos)
            return false;
        while (p < m_text.size() && m_text.at(p) == '=')
            ++p;
        const qsizetype end = p;
        while (p < m_text.size() && isWhite(m_text.at(p)))
            ++p;
        if (p < m_text.size() && m_text.at(p) != ',')
            return false;
        *length = end - m_pos;
        return true;
    }
    // Whether "token BWS =" starts here: an auth-param rather than the next challenge's scheme.
    bool paramAhead() const
    {
        qsizetype p = m_pos;
        while (p < m_text.size() && isTchar(m_text.at(p)))
            ++p;
        if (p == m_pos)
            return false;
        while (p < m_text.size() && isWhite(m_text.at(p)))
            ++p;
        return p < m_text.size() && m_text.at(p) == '=';
    }
    void skipPastComma()
    {
        while (!atEnd() && peek() != ',') {
            if (peek() == '"') {
                QByteArray ignored;
                quoted(&ignored);
                continue;
            }
            ++m_pos;
        }
    }
    QByteArray mid(qsizetype from, qsizetype length) const { return m_text.mid(from, length); }

private:
    const QByteArray &m_text;
    qsizetype m_pos = 0;
};
} // namespace

bool WwwAuthenticate::Challenge::hasParam(const QString &name) const
{
    for (const auto &[key, value] : params) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString WwwAuthenticate::Challenge::param(const QString &name) const
{
    for (const auto &[key, value] : params) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

const WwwAuthenticate::Challenge *WwwAuthenticate::find(const QString &scheme) const
{
    for (const auto &challenge : m_challenges) {
        if (challenge.is(scheme))
            return &challenge;
    }
    return nullptr;
}

WwwAuthenticate WwwAuthenticate::parse(const QByteArray &fieldValue)
{
    WwwAuthenticate result;
    result.parseOne(fieldValue);
    return result;
}

WwwAuthenticate WwwAuthenticate::parse(const QList<QByteArray> &fieldValues)
{
    WwwAuthenticate result;
    for (const QByteArray &value : fieldValues)
        result.parseOne(value);
    return result;
}

void WwwAuthenticate::parseOne(const QByteArray &rawValue)
{
    QByteArray value = rawValue;
    if (value.size() > MaxLength) {
        m_problems.append(u"the header is longer than %1 bytes; the rest is ignored"_s.arg(MaxLength));
        value.truncate(MaxLength);
    }
    Scanner in(value);
    while (true) {
        in.skipWhiteAndCommas();
        if (in.atEnd())
            return;
        if (m_challenges.size() >= MaxChallenges) {
            m_problems.append(u"more than %1 challenges; the rest are ignored"_s.arg(MaxChallenges));
            return;
        }
        const qsizetype start = in.pos();
        const QByteArray scheme = in.token();
        if (scheme.isEmpty() || (!in.atEnd() && !isWhite(in.peek()) && in.peek() != ',')) {
            m_problems.append(u"no auth-scheme at offset %1; skipped to the next comma"_s.arg(start));
            in.skipPastComma();
            if (in.pos() == start)
                in.seek(start + 1);
            continue;
        }
        Challenge challenge;
        challenge.scheme = decode(scheme);
        in.skipWhite();

        // RFC 9110 §11.3: a scheme is followed by a token68, by auth-params, or by nothing.
        // "realm=x" and "abc==" both begin like a token68; only the second is one to its end.
        qsizetype length = 0;
        if (!in.atEnd() && in.peek() != ',' && in.token68Ahead(&length)) {
            challenge.token68 = decode(in.mid(in.pos(), length));
            in.seek(in.pos() + length);
            m_challenges.append(challenge);
            continue;
        }
        bool tooMany = false;
        // auth-params, separated by commas, until something that is not "name =" starts the next challenge.
        while (!in.atEnd() && in.paramAhead()) {
            const QByteArray name = in.token();
            in.skipWhite();
            in.seek(in.pos() + 1); // the '='
            in.skipWhite();
            QByteArray paramValue;
            if (in.peek() == '"') {
                if (!in.quoted(&paramValue))
                    m_problems.append(u"the quoted value of %1 is not closed"_s.arg(decode(name)));
            } else {
                // Liberal: a bare value may hold '=' and '/' (unquoted base64 nonces are common).
                while (!in.atEnd() && in.peek() != ',' && !isWhite(in.peek()) && in.peek() != '"') {
                    paramValue.append(in.peek());
                    in.seek(in.pos() + 1);
                }
            }
            in.skipWhite();
            if (!in.atEnd() && in.peek() != ',') {
                if (in.paramAhead()) {
                    // 'error="insufficient_scope" scope="a b"': a comma forgotten between params, as some servers do.
                    m_problems.append(u"no comma after the value of %1"_s.arg(decode(name)));
                } else {
                    m_problems.append(u"unexpected text after the value of %1; skipped to the next comma"_s.arg(decode(name)));
                    in.skipPastComma();
                }
            }
            const QString key = decode(name).toLower();
            if (challenge.params.size() >= MaxParams) {
                if (!tooMany)
                    m_problems.append(u"more than %1 parameters in the %2 challenge; the rest are ignored"_s.arg(MaxParams).arg(challenge.scheme));
                tooMany = true;
            } else if (challenge.hasParam(key)) {
                m_problems.append(u"the parameter %1 appears twice in the %2 challenge; the first counts"_s.arg(key, challenge.scheme));
            } else {
                challenge.params.append({key, decode(paramValue)});
            }
            in.skipWhiteAndCommas(); // past the comma and any empty list elements
        }
        m_challenges.append(challenge);
    }
}

void WwwAuthenticate::rewriteValues(const std::function<QString(const QString &)> &rewrite)
{
    for (Challenge &challenge : m_challenges) {
        challenge.token68 = rewrite(challenge.token68);
        for (auto &param : challenge.params)
            param.second = rewrite(param.second);
    }
}
