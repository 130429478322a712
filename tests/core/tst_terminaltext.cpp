#include "util/TerminalText.h"

#include <QTest>

using namespace Qt::StringLiterals;

// What TerminalText lets through to a terminal: text, tab and line feed; every control and
// every escape sequence becomes one visible U+FFFD, whole, and nothing of it acts.
class TestTerminalText : public QObject
{
    Q_OBJECT

private:
    static bool hasControl(const QString &text)
    {
        for (const QChar c : text) {
            const char16_t u = c.unicode();
            if ((u < 0x20 && u != u'\n' && u != u'\t') || (u >= 0x7f && u <= 0x9f))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void sequences_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const QString x(QChar(TerminalText::Placeholder));
        QTest::newRow("plain") << u"invalid_client: unknown client"_s << u"invalid_client: unknown client"_s;
        QTest::newRow("tab and line feed") << u"a\tb\nc"_s << u"a\tb\nc"_s;
        QTest::newRow("crlf is a line end") << u"a\r\nb"_s << u"a\nb"_s;
        QTest::newRow("bare cr") << u"real\rfake"_s << u"real"_s + x + u"fake"_s;
        QTest::newRow("trailing cr") << u"a\r"_s << u"a"_s + x;
        QTest::newRow("osc title, bel") << u"bad \x1b]0;pwned\x07secret"_s << u"bad "_s + x + u"secret"_s;
        QTest::newRow("osc hyperlink, st") << u"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"_s << x + u"click"_s + x;
        QTest::newRow("csi colour") << u"\x1b[31;1mred\x1b[0m"_s << x + u"red"_s + x;
        QTest::newRow("csi clear screen") << u"\x1b[2J\x1b[Hhome"_s << x + x + u"home"_s;
        QTest::newRow("c1 csi") << u"\u009b31mred"_s << x + u"red"_s;
        QTest::newRow("c1 osc and st") << u"\u009d0;t\u009cafter"_s << x + u"after"_s;
        QTest::newRow("dcs") << u"\x1bPq#0;2;0;0;0\x1b\\after"_s << x + u"after"_s;
        QTest::newRow("apc") << u"\x1b_payload\x07" "after"_s << x + u"after"_s;
        QTest::newRow("two characters: reset") << u"a\x1b" "cb"_s << u"a"_s + x + u"b"_s;
        QTest::newRow("charset designation") << u"\x1b(0qqq"_s << x + u"qqq"_s;
        QTest::newRow("bel, backspace, del, nul") << u"a\x07" "b\x08" "c\x7f" "d"_s + QChar(0) << u"a"_s + x + u"b"_s + x + u"c"_s + x + u"d"_s + x;
        QTest::newRow("other c1") << u"a\u0085b"_s << u"a"_s + x + u"b"_s;
        QTest::newRow("escape then escape") << u"\x1b\x1b[1mX"_s << x + x + u"X"_s;
        QTest::newRow("broken csi ends at a line break") << u"\x1b[12\nnext"_s << x + u"\nnext"_s;
        QTest::newRow("unterminated osc stops at the line's end") << u"\x1b]0;title\nours"_s << x + u"\nours"_s;
        QTest::newRow("escape inside a string starts another") << u"\x1b]0;t\x1b[31mred"_s << x + x + u"red"_s;
        QTest::newRow("text beyond ascii") << u"größe ✓ 🙂"_s << u"größe ✓ 🙂"_s;
    }

    void sequences()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const QString cleaned = TerminalText::clean(input);
        QCOMPARE(cleaned, expected);
        QVERIFY(!hasControl(cleaned));
        // Fed one character at a time, as a stream may split it, it comes out the same.
        TerminalText stream;
        QString pieces;
        for (const QChar c : input)
            pieces += stream.feed(QStringView(&c, 1));
        pieces += stream.finish();
        QCOMPARE(pieces, expected);
    }

    void everyCodeUnitIsSafe()
    {
        // Whatever precedes it, no control character survives.
        for (char16_t c = 0; c < 0x100; ++c) {
            for (const QString &prefix : {QString(), u"\x1b"_s, u"\x1b["_s, u"\x1b]"_s, u"\r"_s, u"\u009b"_s}) {
                const QString cleaned = TerminalText::clean(prefix + QChar(c) + u"z"_s);
                QVERIFY2(!hasControl(cleaned), qPrintable(u"U+%1 after %2"_s.arg(int(c), 4, 16, QChar(u'0')).arg(prefix.size())));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestTerminalText)
#include "tst_terminaltext.moc"
