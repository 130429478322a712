#pragma once

#include <QStyledItemDelegate>

// Draws a matrix cell in its verdict's colour even when it is the selected one (a selection fill
// would hide the very colour the user clicked on): the selection is a frame around it instead.
class MatrixCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
