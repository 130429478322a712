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

    QFont font = opt.font;
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.85);
    const QFontMetrics metrics(font);
    const int width = std::max(metrics.horizontalAdvance(QStringLiteral("DELETE")), metrics.horizontalAdvance(method)) + 10;
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

QSize MethodBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (!index.data(m_methodRole).toString().isEmpty()) {
        QFont font = option.font;
        font.setBold(true);
        font.setPointSizeF(font.pointSizeF() * 0.85);
        const QFontMetrics metrics(font);
        size.setWidth(std::max(size.width(), metrics.horizontalAdvance(QStringLiteral("DELETE")) + 14));
        size.setHeight(std::max(size.height(), metrics.height() + 8));
    }
    return size;
}
