#pragma once

#include <QColor>
#include <QStyledItemDelegate>

// Draws an HTTP method as Swagger UI does, a coloured badge (GET blue, POST green, PUT orange,
// DELETE red, …), so a list of operations reads at a glance. Rows without a method (a group)
// are drawn as usual.
class MethodBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit MethodBadgeDelegate(int methodRole, QObject *parent = nullptr);

    static QColor colorFor(const QString &method);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_methodRole;
};
