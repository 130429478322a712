#include "Fonts.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QStringList>

namespace {
// By the glyphs rather than QFontInfo::fixedPitch(), which some monospaced fonts (Noto Sans
// Mono) do not declare.
bool isMonospaced(const QFont &font)
{
    const QFontMetrics metrics(font);
    return metrics.horizontalAdvance(QStringLiteral("iiiiii")) == metrics.horizontalAdvance(QStringLiteral("MMMMMM"));
}
} // namespace

QFont Fonts::monospace()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!isMonospaced(font)) {
        font.setFamilies(QStringList{QStringLiteral("monospace")});
        font.setStyleHint(QFont::TypeWriter);
    }
    return font;
}
