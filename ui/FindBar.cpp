#include "FindBar.h"

#include "json/JsonTreeModel.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextEdit>
#include <QToolButton>
#include <QTreeView>

#include <algorithm>

namespace {
// Counting stops here (the label says "10000+"); highlighting covers the first HighlightLimit,
// which is more than a screen shows and cheap to lay out.
constexpr qsizetype MatchLimit = 10'000;
constexpr qsizetype HighlightLimit = 2'000;
// A tree bigger than this is searched in its first TreeScanLimit values (the label says so):
// decoding each key and value costs, and find must answer while typing.
constexpr qsizetype TreeScanLimit = 500'000;

bool hasText(const QString &haystack, const QString &needle)
{
    return haystack.contains(needle, Qt::CaseInsensitive);
}
} // namespace

FindBar::FindBar(QWidget *scope, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("findBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("findField"));
    m_field->setAccessibleName(tr("Find in the response"));
    m_field->setPlaceholderText(tr("Find in the response"));
    m_field->installEventFilter(this);
    m_previous = new QToolButton(this);
    m_previous->setObjectName(QStringLiteral("findPrevious"));
    m_previous->setText(QStringLiteral("↑"));
    m_previous->setAccessibleName(tr("Previous match"));
    m_next = new QToolButton(this);
    m_next->setObjectName(QStringLiteral("findNext"));
    m_next->setText(QStringLiteral("↓"));
    m_next->setAccessibleName(tr("Next match"));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("findCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("findClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAccessibleName(tr("Close the find bar"));
    m_close->setAutoRaise(true);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_count);
    layout->addWidget(m_close);

    // Keys that work wherever the focus is inside the response, not only in the field.
    const auto addAction = [this, scope](const QString &text, const QList<QKeySequence> &keys, const QString &name) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setProperty("shortcutScope", tr("in the response"));
        scope->addAction(action);
        m_actions.append(action);
        return action;
    };
    QAction *next = addAction(tr("Find Next"), QKeySequence::keyBindings(QKeySequence::FindNext), QStringLiteral("findNextAction"));
    QAction *previous = addAction(tr("Find Previous"), QKeySequence::keyBindings(QKeySequence::FindPrevious), QStringLiteral("findPreviousAction"));
    QAction *close = addAction(tr("Close Find"), {QKeySequence(Qt::Key_Escape)}, QStringLiteral("findCloseAction"));
    m_closeAction = close;
    close->setEnabled(false);
    connect(next, &QAction::triggered, this, &FindBar::findNext);
    connect(previous, &QAction::triggered, this, &FindBar::findPrevious);
    connect(close, &QAction::triggered, this, &FindBar::close);
    connect(m_next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(m_previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(m_close, &QToolButton::clicked, this, &FindBar::close);
    connect(m_field, &QLineEdit::textChanged, this, &FindBar::refresh);
    connect(m_field, &QLineEdit::returnPressed, this, &FindBar::findNext);
    hide();
    updateCount();
}

FindBar::~FindBar() = default;

void FindBar::setTextTarget(QPlainTextEdit *view)
{
    if (m_text == view && !m_tree)
        return;
    if (m_text)
        m_text->setExtraSelections({});
    m_text = view;
    m_tree = nullptr;
    m_model = nullptr;
    refresh();
}

void FindBar::setTreeTarget(QTreeView *view, JsonTreeModel *model)
{
    if (m_tree == view && m_model == model && !m_text)
        return;
    if (m_text)
        m_text->setExtraSelections({});
    m_text = nullptr;
    m_tree = view;
    m_model = model;
    refresh();
}

void FindBar::clearTarget()
{
    if (m_text)
        m_text->setExtraSelections({});
    m_text = nullptr;
    m_tree = nullptr;
    m_model = nullptr;
    refresh();
}

void FindBar::open()
{
    show();
    refresh();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

QString FindBar::text() const
{
    return m_field->text();
}

void FindBar::setText(const QString &text)
{
    m_field->setText(text);
}

int FindBar::matchCount() const
{
    return int(m_text ? m_textMatches.size() : m_treeMatches.size());
}

void FindBar::close()
{
    const bool hadFocus = isAncestorOf(QApplication::focusWidget());
    hide();
    if (m_text)
        m_text->setExtraSelections({});
    // Back where the user was looking.
    if (hadFocus) {
        if (m_text)
            m_text->setFocus(Qt::OtherFocusReason);
        else if (m_tree)
            m_tree->setFocus(Qt::OtherFocusReason);
    }
}

void FindBar::refresh()
{
    if (isHidden()) {
        m_textMatches.clear();
        m_treeMatches.clear();
        m_current = -1;
        updateCount();
        return;
    }
    search();
    highlight();
    if (matchCount() > 0)
        select(0);
    updateCount();
}

void FindBar::search()
{
    m_textMatches.clear();
    m_treeMatches.clear();
    m_capped = false;
    m_current = -1;
    const QString needle = m_field->text();
    if (needle.isEmpty())
        return;
    if (m_text) {
        const QString haystack = m_text->document()->toPlainText();
        for (qsizetype at = haystack.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
             at = haystack.indexOf(needle, at + needle.size(), Qt::CaseInsensitive)) {
            if (qsizetype(m_textMatches.size()) == MatchLimit) {
                m_capped = true;
                break;
            }
            m_textMatches.push_back(at);
        }
    } else if (m_tree && m_model && m_model->tree() && m_model->tree()->isValid()) {
        const JsonTreeModel::Tree &tree = *m_model->tree();
        const qsizetype count = std::min(tree.valueCount(), TreeScanLimit);
        m_capped = count < tree.valueCount();
        for (int node = 0; node < int(count); ++node) {
            const bool container = tree.isContainer(node);
            if ((tree.hasKey(node) && hasText(tree.key(node), needle)) || (!container && hasText(tree.scalarText(node), needle)))
                m_treeMatches.push_back(node);
            if (qsizetype(m_treeMatches.size()) == MatchLimit) {
                m_capped = true;
                break;
            }
        }
        std::sort(m_treeMatches.begin(), m_treeMatches.end(),
                  [&tree](int a, int b) { return tree.sourceOffset(a) < tree.sourceOffset(b); });
    }
}

void FindBar::highlight()
{
    if (!m_text)
        return;
    QList<QTextEdit::ExtraSelection> selections;
    const QColor all = palette().color(QPalette::Highlight).lighter(170);
    const qsizetype length = m_field->text().size();
    for (size_t i = 0; i < m_textMatches.size() && qsizetype(i) < HighlightLimit; ++i) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_text->document());
        selection.cursor.setPosition(int(m_textMatches[i]));
        selection.cursor.setPosition(int(m_textMatches[i] + length), QTextCursor::KeepAnchor);
        selection.format.setBackground(all);
        selection.format.setForeground(palette().color(QPalette::Text).lightness() > 128 ? QColor(Qt::black) : palette().color(QPalette::Text));
        selections.append(selection);
    }
    m_text->setExtraSelections(selections);
}

void FindBar::select(int match)
{
    const int count = matchCount();
    if (count == 0)
        return;
    m_current = (match % count + count) % count;
    if (m_text) {
        // The current match is the view's selection: the strongest highlight, and what Copy takes.
        QTextCursor cursor(m_text->document());
        cursor.setPosition(int(m_textMatches[size_t(m_current)]));
        cursor.setPosition(int(m_textMatches[size_t(m_current)] + m_field->text().size()), QTextCursor::KeepAnchor);
        m_text->setTextCursor(cursor);
        m_text->centerCursor();
    } else if (m_tree && m_model) {
        const QModelIndex index = m_model->indexOfNode(m_treeMatches[size_t(m_current)]);
        for (QModelIndex up = index.parent(); up.isValid(); up = up.parent())
            m_tree->expand(up);
        m_tree->setCurrentIndex(index);
        m_tree->scrollTo(index, QAbstractItemView::PositionAtCenter);
    }
    updateCount();
}

void FindBar::findNext()
{
    if (isHidden()) {
        open();
        return;
    }
    select(m_current + 1);
}

void FindBar::findPrevious()
{
    if (isHidden()) {
        open();
        return;
    }
    select(m_current - 1);
}

void FindBar::updateCount()
{
    const int count = matchCount();
    const bool searchable = m_text || m_tree;
    m_field->setEnabled(searchable);
    m_field->setPlaceholderText(searchable ? tr("Find in the response") : tr("Find works in Pretty, Tree and Raw"));
    m_previous->setEnabled(count > 0);
    m_next->setEnabled(count > 0);
    if (m_field->text().isEmpty() || !searchable)
        m_count->clear();
    else if (count == 0)
        m_count->setText(m_capped ? tr("none in the first %L1 values").arg(TreeScanLimit) : tr("no match"));
    else
        m_count->setText(tr("%L1 of %L2%3").arg(m_current + 1).arg(count).arg(m_capped ? QStringLiteral("+") : QString()));
    m_count->setAccessibleName(m_count->text());
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    // Shift+Enter in the field goes back; Enter (returnPressed) goes on.
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && key->modifiers() == Qt::ShiftModifier) {
            findPrevious();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_closeAction->setEnabled(true);
}

void FindBar::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_closeAction->setEnabled(false);
}
