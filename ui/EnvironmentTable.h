#pragma once

#include <QStringList>
#include <QTableWidget>

class QPushButton;

// A name/value table of the environment editor (token parameters, context headers, variables):
// edited in place, rows added and removed with the buttons under it, Tab leaving it for those
// buttons. A check column (the parameters' "Secret") holds a checkbox instead of text.
class EnvironmentTable : public QTableWidget
{
    Q_OBJECT

public:
    EnvironmentTable(const QStringList &headers, const QString &accessibleName, QWidget *parent = nullptr);

    // The column that holds a checkbox, with its tooltip; -1 for none.
    void setCheckColumn(int column, const QString &toolTip);
    // The Add and Remove buttons' row; Remove is enabled while rows are selected.
    QWidget *makeButtons(const QString &addText, const QString &removeText, const QString &addObjectName,
                         const QString &removeObjectName);
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }

    // A row of empty items at the end, with signals blocked (filling from a profile).
    int appendRow();
    // A row the user asked for: appended, made current and opened for editing.
    void addRowForUser();
    void removeSelectedRows();
    // Empties the table and forgets the current cell.
    void clearRows();

    QString cellText(int row, int column) const;
    bool isChecked(int row, int column) const;

Q_SIGNALS:
    // A row was added or removed by the user.
    void rowsChanged();

private:
    int m_checkColumn = -1;
    QString m_checkToolTip;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
};
