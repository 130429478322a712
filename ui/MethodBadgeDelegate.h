#pragma once

#include <QColor>
#include <QStyledItemDelegate>

// Draws an HTTP method as Swagger UI does, a coloured badge (GET blue, POST green, PUT orange,
// DELETE red, …), so a list of operations reads at a glance. Rows without a method (a group)
// are drawn in bold, as group headings.
class MethodBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MethodBadgeDelegate(int methodRole, QObject *parent = nullptr);

    static QColor colorFor(const QString &method);
    // The width every badge takes in this font (DELETE's), so a column of them lines up.
    static int badgeWidth(const QFont &font);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    // A row without a method heads a group: in bold.
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_methodRole;
};
