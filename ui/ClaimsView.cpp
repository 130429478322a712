#include "ClaimsView.h"

#include "util/EpochTime.h"

#include <QHelpEvent>
#include <QJsonValue>
#include <QPainter>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>

using namespace Qt::StringLiterals;

ClaimsView::ClaimsView(QWidget *parent)
    : QPlainTextEdit(parent)
{
}

void ClaimsView::setJson(const QString &json)
{
    m_hints.clear();
    m_tooltips.clear();
    setPlainText(json);
    // One member per line, as QJsonDocument::Indented writes them: "name": 1764700000,
    static const QRegularExpression member(uR"re(^\s*"((?:[^"\\]|\\.)*)"\s*:\s*(-?[0-9][0-9.eE+\-]*)\s*,?\s*$)re"_s);
    QStringList spoken;
    for (QTextBlock block = document()->firstBlock(); block.isValid(); block = block.next()) {
        const QRegularExpressionMatch match = member.match(block.text());
        if (!match.hasMatch())
            continue;
        bool ok = false;
        const double number = match.captured(2).toDouble(&ok);
        if (!ok)
            continue;
        const QString name = match.captured(1);
        const auto when = EpochTime::fromField(name, QJsonValue(number));
        if (!when)
            continue;
        const QString utc = EpochTime::utcText(*when);
        const QDateTime local = when->toLocalTime();
        m_hints.insert(block.blockNumber(), utc);
        m_tooltips.insert(block.blockNumber(), tr("%1: %2\n%3 %4 (local)")
                                                   .arg(name, utc, local.toString(u"yyyy-MM-dd HH:mm:ss"_s), local.timeZoneAbbreviation()));
        spoken.append(tr("%1 is %2").arg(name, utc));
    }
    // A screen reader gets the dates the eye sees painted beside the numbers.
    setAccessibleDescription(spoken.join(u"; "_s));
    viewport()->update();
}

void ClaimsView::clearJson()
{
    m_hints.clear();
    m_tooltips.clear();
    setAccessibleDescription({});
    clear();
}

QString ClaimsView::dateHint(int line) const
{
    return m_hints.value(line);
}

void ClaimsView::paintEvent(QPaintEvent *event)
{
    QPlainTextEdit::paintEvent(event);
    if (m_hints.isEmpty())
        return;
    QPainter painter(viewport());
    painter.setFont(font());
    const QColor text = palette().color(QPalette::Text);
    const QColor base = palette().color(QPalette::Base);
    // Half-way between text and background: clearly not part of the JSON.
    painter.setPen(QColor::fromRgbF((text.redF() + base.redF()) / 2, (text.greenF() + base.greenF()) / 2, (text.blueF() + base.blueF()) / 2));
    const QFontMetrics metrics(font());
    const int gap = metrics.horizontalAdvance(u"  "_s);
    const QPointF offset = contentOffset();
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        const QRectF bounds = blockBoundingGeometry(block).translated(offset);
        if (bounds.top() > viewport()->height())
            break;
        const auto hint = m_hints.constFind(block.blockNumber());
        if (hint == m_hints.cend() || !block.isVisible() || !block.layout() || block.layout()->lineCount() == 0)
            continue;
        const QTextLine last = block.layout()->lineAt(block.layout()->lineCount() - 1);
        const qreal left = bounds.left() + document()->documentMargin() + last.naturalTextWidth() + gap;
        const int room = viewport()->width() - static_cast<int>(left) - static_cast<int>(document()->documentMargin());
        if (room <= metrics.horizontalAdvance(u"…"_s))
            continue; // the tooltip still has it
        const QString shown = metrics.elidedText(u"← "_s + *hint, Qt::ElideRight, room);
        const QRectF line(left, bounds.top() + last.y(), room, last.height());
        painter.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, shown);
    }
}

bool ClaimsView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QPoint inViewport = viewport()->mapFrom(this, help->pos());
        const int line = cursorForPosition(inViewport).blockNumber();
        if (const auto tip = m_tooltips.constFind(line); tip != m_tooltips.cend()) {
            QToolTip::showText(help->globalPos(), *tip, this);
            return true;
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QPlainTextEdit::event(event);
}
