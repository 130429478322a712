#pragma once

#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <array>

// Colours JSON text as JsonFormatter::prettyPrint() writes it: keys, strings, numbers,
// true/false/null and punctuation. Colours come from the palette (light tints on a dark one,
// dark tints on a light one) and are never the only signal: the text itself says what it is.
//
// Works line by line; a string that JsonFormatter broke over several lines (longer than its
// maxLineLength) is carried over through the block state.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum class Kind { Key, String, Number, Keyword, Punctuation };
    static constexpr int KindCount = 5;

    explicit JsonHighlighter(QTextDocument *document = nullptr);

    // Derives the colours and highlights the whole document again, synchronously.
    void setPalette(const QPalette &palette);
    // Derives the colours for blocks highlighted from now on; the caller re-highlights the
    // existing blocks (rehighlightBlock) at its own pace, which a big document needs.
    void setColors(const QPalette &palette);

    // The colour of each kind on this palette; also used by the tree view's value column.
    static QColor color(Kind kind, const QPalette &palette);

protected:
    void highlightBlock(const QString &text) override;

private:
    enum BlockState { Normal = 0, InString = 1, InStringEscape = 2 };

    const QTextCharFormat &format(Kind kind) const { return m_formats[size_t(kind)]; }

    std::array<QTextCharFormat, KindCount> m_formats;
};
