#include "ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
enum Column { ActionColumn, KeysColumn };

QString plain(QString text)
{
    // "&Send Request…" → "Send Request"
    text.remove(QStringLiteral("…"));
    for (qsizetype at = text.indexOf(QLatin1Char('&')); at >= 0; at = text.indexOf(QLatin1Char('&'), at + 1))
        text.remove(at, 1);
    return text.trimmed();
}
} // namespace

ShortcutsDialog::ShortcutsDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("shortcutsList"));
    m_list->setAccessibleName(tr("Keyboard shortcuts"));
    m_list->setColumnCount(2);
    m_list->setHeaderLabels({tr("Action"), tr("Keys")});
    m_list->setRootIsDecorated(false);
    m_list->setItemsExpandable(false);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setSectionResizeMode(ActionColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(KeysColumn, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(520, 560);
}

void ShortcutsDialog::addGroup(const QString &title, const QList<QAction *> &actions)
{
    auto *group = new QTreeWidgetItem(m_list, {plain(title)});
    QFont bold = group->font(ActionColumn);
    bold.setBold(true);
    group->setFont(ActionColumn, bold);
    group->setFlags(Qt::ItemIsEnabled);
    addActions(group, actions);
    if (group->childCount() == 0)
        delete group;
    else
        group->setExpanded(true);
}

void ShortcutsDialog::addActions(QTreeWidgetItem *group, const QList<QAction *> &actions)
{
    for (QAction *action : actions) {
        if (QMenu *menu = action->menu()) {
            addActions(group, menu->actions());
            continue;
        }
        if (action->isSeparator() || action->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence &key : action->shortcuts())
            keys.append(key.toString(QKeySequence::NativeText));
        QString text = plain(action->text());
        const QString scope = action->property("shortcutScope").toString();
        if (!scope.isEmpty())
            text = tr("%1 (%2)").arg(text, scope);
        auto *item = new QTreeWidgetItem(group, {text, keys.join(tr(" or "))});
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    }
}

QList<QPair<QString, QString>> ShortcutsDialog::entries() const
{
    QList<QPair<QString, QString>> out;
    for (int g = 0; g < m_list->topLevelItemCount(); ++g) {
        const QTreeWidgetItem *group = m_list->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            out.append({group->child(i)->text(KeysColumn), group->child(i)->text(ActionColumn)});
    }
    return out;
}
