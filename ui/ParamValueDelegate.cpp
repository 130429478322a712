#include "ParamValueDelegate.h"

#include <QLineEdit>

ParamValueDelegate::ParamValueDelegate(Placeholder placeholder, QObject *parent)
    : TableCellDelegate(parent)
    , m_placeholder(std::move(placeholder))
{
}

QWidget *ParamValueDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!isSecretRow(index))
        return TableCellDelegate::createEditor(parent, option, index);
    auto *editor = new QLineEdit(parent);
    editor->setFrame(false);
    editor->setEchoMode(QLineEdit::Password);
    editor->setPlaceholderText(m_placeholder(nameOf(index)));
    editor->setAccessibleName(tr("Secret value of %1").arg(nameOf(index)));
    return editor;
}

void ParamValueDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *line = qobject_cast<QLineEdit *>(editor); line && isSecretRow(index))
        line->setText(index.data(SecretValueRole).toString());
    else
        TableCellDelegate::setEditorData(editor, index);
}

void ParamValueDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    if (auto *line = qobject_cast<QLineEdit *>(editor); line && isSecretRow(index))
        model->setData(index, line->text(), SecretValueRole);
    else
        TableCellDelegate::setModelData(editor, model, index);
}

void ParamValueDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    TableCellDelegate::initStyleOption(option, index);
    if (!isSecretRow(index))
        return;
    const QString typed = index.data(SecretValueRole).toString();
    if (!typed.isEmpty()) {
        // A fixed count, so not even the length of the secret shows.
        option->text = QString(8, QChar(0x2022));
    } else {
        option->text = m_placeholder(nameOf(index));
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    }
}

bool ParamValueDelegate::isSecretRow(const QModelIndex &index)
{
    return index.column() == ValueColumn && index.siblingAtColumn(SecretColumn).data(Qt::CheckStateRole).toInt() == Qt::Checked;
}

QString ParamValueDelegate::nameOf(const QModelIndex &index)
{
    return index.siblingAtColumn(NameColumn).data().toString().trimmed();
}
