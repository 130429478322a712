#include "EnvironmentTable.h"

#include "TableCellDelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>

#include <algorithm>

EnvironmentTable::EnvironmentTable(const QStringList &headers, const QString &accessibleName, QWidget *parent)
    : QTableWidget(0, static_cast<int>(headers.size()), parent)
{
    setHorizontalHeaderLabels(headers);
    setAccessibleName(accessibleName);
    verticalHeader()->setVisible(false);
    horizontalHeader()->setStretchLastSection(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                    | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    // Tab leaves the table for its buttons instead of walking the cells.
    setTabKeyNavigation(false);
    setWordWrap(false);
    setItemDelegate(new TableCellDelegate(this));
}

void EnvironmentTable::setCheckColumn(int column, const QString &toolTip)
{
    m_checkColumn = column;
    m_checkToolTip = toolTip;
}

QWidget *EnvironmentTable::makeButtons(const QString &addText, const QString &removeText, const QString &addObjectName,
                                       const QString &removeObjectName)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_add = new QPushButton(addText);
    m_add->setObjectName(addObjectName);
    m_add->setAccessibleName(addText);
    m_remove = new QPushButton(removeText);
    m_remove->setObjectName(removeObjectName);
    m_remove->setAccessibleName(removeText);
    m_remove->setEnabled(false);
    layout->addWidget(m_add);
    layout->addWidget(m_remove);
    layout->addStretch(1);
    connect(m_add, &QPushButton::clicked, this, &EnvironmentTable::addRowForUser);
    connect(m_remove, &QPushButton::clicked, this, &EnvironmentTable::removeSelectedRows);
    connect(this, &QTableWidget::itemSelectionChanged, m_remove,
            [this] { m_remove->setEnabled(selectionModel()->hasSelection()); });
    return row;
}

int EnvironmentTable::appendRow()
{
    const int row = rowCount();
    const QSignalBlocker blocker(this);
    insertRow(row);
    for (int column = 0; column < columnCount(); ++column) {
        auto *item = new QTableWidgetItem;
        if (column == m_checkColumn) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
            item->setToolTip(m_checkToolTip);
        }
        setItem(row, column, item);
    }
    return row;
}

void EnvironmentTable::addRowForUser()
{
    const int row = appendRow();
    setCurrentCell(row, 0);
    setFocus(Qt::OtherFocusReason);
    editItem(item(row, 0));
    Q_EMIT rowsChanged();
}

void EnvironmentTable::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && currentRow() >= 0)
        rows.append(currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        removeRow(row);
    Q_EMIT rowsChanged();
}

void EnvironmentTable::clearRows()
{
    setRowCount(0);
}

QString EnvironmentTable::cellText(int row, int column) const
{
    const QTableWidgetItem *cell = item(row, column);
    return cell ? cell->text() : QString();
}

bool EnvironmentTable::isChecked(int row, int column) const
{
    const QTableWidgetItem *cell = item(row, column);
    return cell && cell->checkState() == Qt::Checked;
}
