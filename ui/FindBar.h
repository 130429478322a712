#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

#include <vector>

class JsonTreeModel;
class QAction;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;
class QTreeView;

// Find in a response: a text field, previous/next, "3 of 12", and a close button. It searches
// the view it is given — a text view (Pretty, Raw: every match highlighted, the current one
// selected and scrolled to) or the JSON tree (keys and values; the current match selected, its
// branch opened) — case-insensitively. Enter and F3 go to the next match, Shift+Enter and
// Shift+F3 to the previous one, Esc closes the bar; those keys work anywhere inside `scope`.
class FindBar : public QWidget
{
    Q_OBJECT

public:
    FindBar(QWidget *scope, QWidget *parent = nullptr);
    ~FindBar() override;

    void setTextTarget(QPlainTextEdit *view);
    void setTreeTarget(QTreeView *view, JsonTreeModel *model);
    // No view to search (the headers): the field says so.
    void clearTarget();

    // Shows the bar with its text selected for typing over, and searches again.
    void open();
    QString text() const;
    void setText(const QString &text);
    int matchCount() const;
    int currentMatch() const { return m_current; } // 0-based; -1 when none
    // The keys this bar answers to, for Help ▸ Keyboard Shortcuts.
    QList<QAction *> shortcutActions() const { return m_actions; }

public Q_SLOTS:
    void findNext();
    void findPrevious();
    void close();
    // The target's content changed (another response, more text shown): search again.
    void refresh();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void search();
    void select(int match);
    void highlight();
    void updateCount();

    QPointer<QPlainTextEdit> m_text;
    QPointer<QTreeView> m_tree;
    QPointer<JsonTreeModel> m_model;
    std::vector<qsizetype> m_textMatches; // start positions in the text view's document
    std::vector<int> m_treeMatches;       // nodes of the tree, in document order
    bool m_capped = false;                // more matches than are counted
    int m_current = -1;

    QLineEdit *m_field;
    QToolButton *m_previous;
    QToolButton *m_next;
    QToolButton *m_close;
    QLabel *m_count;
    QList<QAction *> m_actions;
    QAction *m_closeAction = nullptr; // Esc: enabled only while the bar shows, else Esc is left alone
};
