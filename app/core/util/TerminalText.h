#pragma once

#include <QString>
#include <QStringView>

// Text from a server (or a shared workspace) made safe to show on a terminal: every control
// character and every escape sequence a terminal would act on — C0 but tab and line feed, DEL,
// C1 (0x80–0x9F, CSI 0x9B among them), and whole ESC sequences: CSI "ESC [ … final", the
// strings OSC "ESC ] … BEL/ST", DCS, SOS, PM and APC, and two-character ones ("ESC c" resets) —
// is replaced by one visible U+FFFD, so a reader sees that something was there while the
// terminal acts on nothing (a title set by "ESC ]0;pwned BEL", colours, a cleared screen, a
// hyperlink, a line overwritten by a bare CR). CR LF counts as a line end and stays "\n".
//
// It keeps its state between feed() calls, so a sequence split across two writes of a stream
// is still recognised; finish() ends the stream. A string sequence that never ends stops at the
// next line break: the text after it is ours, not the server's.
class TerminalText
{
public:
    static constexpr char16_t Placeholder = u'\uFFFD';

    // One piece of text, cleaned as a whole.
    static QString clean(QStringView text);

    QString feed(QStringView text);
    QString finish();

private:
    enum class State { Text, CarriageReturn, Escape, EscapeIntermediate, Csi, String, StringEscape };

    void take(char16_t c, QString *out);
    void takeText(char16_t c, QString *out);

    State m_state = State::Text;
};
