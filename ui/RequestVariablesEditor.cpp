#include "RequestVariablesEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

RequestVariablesEditor::RequestVariablesEditor(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("requestVariables"));
    m_table = new QTableWidget(0, 2, this);
    m_table->setObjectName(QStringLiteral("variables"));
    m_table->setAccessibleName(tr("The request's variables"));
    m_table->setHorizontalHeaderLabels({tr("Variable"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(0, 180);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_loading)
            Q_EMIT changed();
    });
    auto *add = new QToolButton(this);
    add->setObjectName(QStringLiteral("variablesAdd"));
    add->setText(tr("Add variable"));
    add->setAccessibleName(add->text());
    connect(add, &QToolButton::clicked, this, [this] {
        addRow({}, {});
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    auto *remove = new QToolButton(this);
    remove->setObjectName(QStringLiteral("variablesRemove"));
    remove->setText(tr("Remove"));
    remove->setAccessibleName(tr("Remove the selected variable"));
    connect(remove, &QToolButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) {
            m_table->removeRow(m_table->currentRow());
            Q_EMIT changed();
        }
    });
    auto *hint = new QLabel(tr("Used as {{name}} in the URL, parameters, headers and body; they win over the environment's."), this);
    hint->setWordWrap(true);
    hint->setTextFormat(Qt::PlainText);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(hint, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
}

void RequestVariablesEditor::addRow(const QString &name, const QString &value)
{
    const bool was = m_loading;
    m_loading = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
    m_loading = was;
}

void RequestVariablesEditor::setVariables(const QList<QPair<QString, QString>> &variables)
{
    m_loading = true;
    m_table->setRowCount(0);
    for (const auto &[name, value] : variables)
        addRow(name, value);
    m_loading = false;
}

QList<QPair<QString, QString>> RequestVariablesEditor::variables() const
{
    QList<QPair<QString, QString>> list;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, 0);
        const QTableWidgetItem *value = m_table->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            list.append({name->text().trimmed(), value ? value->text() : QString()});
    }
    return list;
}
