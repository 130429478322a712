#pragma once

#include <QDialog>
#include <QList>
#include <QPair>
#include <QString>

class QAction;
class QTreeWidget;
class QTreeWidgetItem;

// Help ▸ Keyboard Shortcuts: every key the window answers to, read from the actions themselves
// (their text, shortcuts and where they apply), so the list cannot drift from what the keys do.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(QWidget *parent = nullptr);

    // A section titled like its menu: the actions with a shortcut, sub-menus' included. An
    // action that works only somewhere says where through its "shortcutScope" property.
    void addGroup(const QString &title, const QList<QAction *> &actions);
    // Shortcut text → action text, for tests and screen readers alike.
    QList<QPair<QString, QString>> entries() const;

private:
    void addActions(QTreeWidgetItem *group, const QList<QAction *> &actions);

    QTreeWidget *m_list;
};
