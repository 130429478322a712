#include "JsonHighlighter.h"

#include <QGuiApplication>

namespace {
bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

bool isNumberChar(QChar c)
{
    return c.isDigit() || c == u'-' || c == u'+' || c == u'.' || c == u'e' || c == u'E';
}
} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setColors(QGuiApplication::palette());
}

QColor JsonHighlighter::color(Kind kind, const QPalette &palette)
{
    // Each pair keeps at least 4.5:1 against the palette's base (white, or Fusion's dark grey).
    const bool dark = isDark(palette);
    switch (kind) {
    case Kind::Key:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x0b, 0x4f, 0x9c);
    case Kind::String:
        return dark ? QColor(0xa8, 0xdb, 0x8f) : QColor(0x1b, 0x6e, 0x32);
    case Kind::Number:
        return dark ? QColor(0xf6, 0xb2, 0x6b) : QColor(0x9a, 0x4a, 0x00);
    case Kind::Keyword:
        return dark ? QColor(0xd7, 0xae, 0xfb) : QColor(0x7b, 0x1f, 0xa2);
    case Kind::Punctuation:
        return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.35);
    }
    return palette.color(QPalette::Text);
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    setColors(palette);
    rehighlight();
}

void JsonHighlighter::setColors(const QPalette &palette)
{
    for (int i = 0; i < KindCount; ++i) {
        QTextCharFormat format;
        format.setForeground(color(Kind(i), palette));
        m_formats[size_t(i)] = format;
    }
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const qsizetype size = text.size();
    qsizetype i = 0;

    // Scans the rest of a string from `from` (after its opening quote, or 0 when it comes from
    // the line before); returns where it ends, or -1 when it goes on to the next line.
    const auto scanString = [&](qsizetype from, bool escaped) -> qsizetype {
        for (qsizetype k = from; k < size; ++k) {
            if (escaped) {
                escaped = false;
                continue;
            }
            if (text.at(k) == u'\\')
                escaped = true;
            else if (text.at(k) == u'"')
                return k + 1;
        }
        setCurrentBlockState(escaped ? InStringEscape : InString);
        return -1;
    };

    setCurrentBlockState(Normal);
    const int previous = previousBlockState();
    if (previous == InString || previous == InStringEscape) {
        const qsizetype end = scanString(0, previous == InStringEscape);
        setFormat(0, int(end < 0 ? size : end), format(Kind::String));
        if (end < 0)
            return;
        i = end;
    }

    while (i < size) {
        const QChar c = text.at(i);
        if (c == u'"') {
            const qsizetype end = scanString(i + 1, false);
            if (end < 0) {
                setFormat(int(i), int(size - i), format(Kind::String));
                return;
            }
            // A key is a string followed by a colon.
            qsizetype next = end;
            while (next < size && text.at(next) == u' ')
                ++next;
            const bool isKey = next < size && text.at(next) == u':';
            setFormat(int(i), int(end - i), format(isKey ? Kind::Key : Kind::String));
            i = end;
        } else if (c.isDigit() || c == u'-') {
            qsizetype end = i + 1;
            while (end < size && isNumberChar(text.at(end)))
                ++end;
            setFormat(int(i), int(end - i), format(Kind::Number));
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i + 1;
            while (end < size && text.at(end).isLetter())
                ++end;
            const QStringView word = QStringView(text).sliced(i, end - i);
            if (word == QStringView(u"true") || word == QStringView(u"false") || word == QStringView(u"null"))
                setFormat(int(i), int(end - i), format(Kind::Keyword));
            i = end;
        } else {
            if (c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u',' || c == u':')
                setFormat(int(i), 1, format(Kind::Punctuation));
            ++i;
        }
    }
}
