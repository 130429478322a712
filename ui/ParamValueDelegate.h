#pragma once

#include "TableCellDelegate.h"

#include <functional>

// The value column of the token-parameters table: a secret row shows bullets or where its stored
// value is, and edits through a masked field; its text goes to SecretValueRole only, never to
// Qt::DisplayRole, so neither the view's painting nor accessibility tools ever read it out.
class ParamValueDelegate : public TableCellDelegate
{
    Q_OBJECT

public:
    static constexpr int SecretValueRole = Qt::UserRole + 1;
    static constexpr int NameColumn = 0;
    static constexpr int ValueColumn = 1;
    static constexpr int SecretColumn = 2;

    // What an empty secret cell says for the parameter of that name ("stored in the keychain", …).
    using Placeholder = std::function<QString(const QString &name)>;

    ParamValueDelegate(Placeholder placeholder, QObject *parent);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    static bool isSecretRow(const QModelIndex &index);
    static QString nameOf(const QModelIndex &index);

    Placeholder m_placeholder;
};
