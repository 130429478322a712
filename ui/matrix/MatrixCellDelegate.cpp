#include "MatrixCellDelegate.h"

#include <QPainter>

void MatrixCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    if (!selected || !index.data(Qt::BackgroundRole).isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem plain = option;
    plain.state.setFlag(QStyle::State_Selected, false);
    // Hover and focus tints (Fusion fills its focus rectangle) would shade the verdict's colour too.
    plain.state.setFlag(QStyle::State_MouseOver, false);
    plain.state.setFlag(QStyle::State_HasFocus, false);
    QStyledItemDelegate::paint(painter, plain, index);
    painter->save();
    QPen frame(option.palette.color(QPalette::Active, QPalette::Highlight));
    frame.setWidth(3);
    frame.setJoinStyle(Qt::MiterJoin);
    painter->setPen(frame);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(option.rect.adjusted(1, 1, -2, -2));
    painter->restore();
}
