#pragma once

#include <QStyledItemDelegate>

// Gives a table's cell editors a name a screen reader can say ("Name, row 2").
class TableCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
