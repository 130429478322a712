#include "util/TerminalText.h"

namespace {
constexpr char16_t Esc = 0x1b;
constexpr char16_t Bel = 0x07;
constexpr char16_t C1Csi = 0x9b;
constexpr char16_t C1St = 0x9c;

// The C1 controls (and their ESC forms' second characters) that open a string a terminal
// swallows until BEL or ST: DCS, SOS, OSC, PM, APC.
bool opensString(char16_t c)
{
    return c == 0x90 || c == 0x98 || c == 0x9d || c == 0x9e || c == 0x9f;
}

bool opensStringAfterEscape(char16_t c)
{
    return c == u'P' || c == u'X' || c == u']' || c == u'^' || c == u'_';
}

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}
} // namespace

QString TerminalText::clean(QStringView text)
{
    TerminalText filter;
    QString out = filter.feed(text);
    out += filter.finish(); // after feed(): the operands of + have no order
    return out;
}

QString TerminalText::feed(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text)
        take(c.unicode(), &out);
    return out;
}

QString TerminalText::finish()
{
    QString out;
    if (m_state == State::CarriageReturn)
        out += Placeholder;
    m_state = State::Text;
    return out;
}

void TerminalText::take(char16_t c, QString *out)
{
    switch (m_state) {
    case State::Text:
        takeText(c, out);
        return;
    case State::CarriageReturn:
        m_state = State::Text;
        if (c == u'\n') {
            *out += u'\n';
            return;
        }
        // A bare CR would return to the line's start and let what follows overwrite it.
        *out += Placeholder;
        takeText(c, out);
        return;
    case State::Escape:
        if (c == u'[') {
            m_state = State::Csi;
        } else if (opensStringAfterEscape(c)) {
            m_state = State::String;
        } else if (c >= 0x20 && c <= 0x2f) {
            m_state = State::EscapeIntermediate;
        } else if (c >= 0x30 && c <= 0x7e) {
            m_state = State::Text; // a two-character sequence: ESC c, ESC 7, ESC =, …
        } else {
            m_state = State::Text; // not a sequence after all; the ESC is already replaced
            takeText(c, out);
        }
        return;
    case State::EscapeIntermediate:
        if (c >= 0x20 && c <= 0x2f)
            return;
        m_state = State::Text;
        if (c < 0x30 || c > 0x7e)
            takeText(c, out);
        return;
    case State::Csi:
        if (c >= 0x20 && c <= 0x3f)
            return; // parameters and intermediates
        m_state = State::Text;
        if (c < 0x40 || c > 0x7e)
            takeText(c, out); // a broken sequence ends at what does not belong to it
        return;
    case State::String:
        if (c == Bel || c == C1St) {
            m_state = State::Text;
        } else if (c == Esc) {
            m_state = State::StringEscape;
        } else if (c == u'\n') {
            m_state = State::Text;
            *out += u'\n';
        }
        return;
    case State::StringEscape:
        if (c == u'\\') {
            m_state = State::Text; // ST
            return;
        }
        // An ESC inside a string ends it and starts a sequence of its own.
        m_state = State::Escape;
        *out += Placeholder;
        take(c, out);
        return;
    }
}

void TerminalText::takeText(char16_t c, QString *out)
{
    if (c == u'\n' || c == u'\t') {
        *out += c;
        return;
    }
    if (c == u'\r') {
        m_state = State::CarriageReturn;
        return;
    }
    if (!isControl(c)) {
        *out += c;
        return;
    }
    *out += Placeholder;
    if (c == Esc)
        m_state = State::Escape;
    else if (c == C1Csi)
        m_state = State::Csi;
    else if (opensString(c))
        m_state = State::String;
}
