#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;
class QTableWidget;

// The composer's Variables tab: the request's own {{variables}} (a path parameter of an imported
// operation, a value to try), which win over the environment's. A row with an empty name is
// left out.
class RequestVariablesEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RequestVariablesEditor(QWidget *parent = nullptr);

    void setVariables(const QList<QPair<QString, QString>> &variables);
    QList<QPair<QString, QString>> variables() const;
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void changed();

private:
    void addRow(const QString &name, const QString &value);

    QTableWidget *m_table;
    bool m_loading = false;
};
