#include "MethodBadgeDelegate.h"

#include <QApplication>
#include <QPainter>

MethodBadgeDelegate::MethodBadgeDelegate(int methodRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_methodRole(methodRole)
{
}

QColor MethodBadgeDelegate::colorFor(const QString &method)
{
    // Swagger UI's colours, a shade darker so white text stays readable on each.
    if (method == QLatin1String("GET"))
        return QColor(0x1f, 0x7a, 0xc9);
    if (method == QLatin1String("POST"))
        return QColor(0x23, 0x9b, 0x63);
    if (method == QLatin1String("PUT"))
        return QColor(0xc9, 0x75, 0x0c);
    if (method == QLatin1String("PATCH"))
        return QColor(0x1a, 0x9b, 0x8a);
    if (method == QLatin1String("DELETE"))
        return QColor(0xc8, 0x28, 0x28);
    return QColor(0x6a, 0x4c, 0x9c); // HEAD, OPTIONS, anything else
}

namespace {
QFont badgeFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    bold.setPointSizeF(font.pointSizeF() * 0.85);
    return bold;
}
} // namespace

int MethodBadgeDelegate::badgeWidth(const QFont &font)
{
    return QFontMetrics(badgeFont(font)).horizontalAdvance(QStringLiteral("OPTIONS")) + 10;
}

void MethodBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString method = index.data(m_methodRole).toString();
    if (method.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // selection and focus, no text

    const QFont font = badgeFont(opt.font);
    const QFontMetrics metrics(font);
    const int width = std::max(badgeWidth(opt.font), metrics.horizontalAdvance(method) + 10);
    const int height = metrics.height() + 4;
    const QRect badge(opt.rect.left() + 2, opt.rect.center().y() - height / 2 + 1, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colorFor(method));
    painter->drawRoundedRect(badge, 3, 3);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(badge, Qt::AlignCenter, method);
    painter->restore();
}

void MethodBadgeDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(m_methodRole).toString().isEmpty())
        option->font.setBold(true);
}

QSize MethodBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (!index.data(m_methodRole).toString().isEmpty()) {
        size.setWidth(std::max(size.width(), badgeWidth(option.font) + 4));
        size.setHeight(std::max(size.height(), QFontMetrics(badgeFont(option.font)).height() + 8));
    }
    return size;
}
