#include "OperationsBrowser.h"

#include "MethodBadgeDelegate.h"
#include "PlainToolTips.h"
#include "contract/OperationFilter.h"
#include "contract/OperationModel.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace {
// Group rows in bold; the token column green where the token grants the scopes, amber where it lacks some.
class OperationRowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(OperationModel::IsGroupRole).toBool()) {
            option->font.setBold(true);
            return;
        }
        if (index.column() != OperationModel::AccessColumn)
            return;
        const auto state = ScopeGrant::State(index.data(OperationModel::AccessRole).toInt());
        if (state == ScopeGrant::State::Granted)
            option->palette.setColor(QPalette::Text, QColor(0x1b, 0x7f, 0x3a));
        else if (state == ScopeGrant::State::Missing)
            option->palette.setColor(QPalette::Text, QColor(0xb2, 0x3b, 0x00));
        if (state == ScopeGrant::State::Granted || state == ScopeGrant::State::Missing)
            option->font.setBold(true);
    }
};
} // namespace

OperationsBrowser::OperationsBrowser(EnvironmentListModel *workspace, Authorizer *authorizer, QWidget *parent)
    : QWidget(parent)
    , m_authorizer(authorizer)
    , m_model(new OperationModel(workspace, this))
    , m_filter(new OperationFilter(this))
{
    setObjectName(QStringLiteral("operationsBrowser"));
    m_filter->setSourceModel(m_model);

    m_filterBox = new QLineEdit(this);
    m_filterBox->setObjectName(QStringLiteral("operationsFilter"));
    m_filterBox->setAccessibleName(tr("Filter operations"));
    m_filterBox->setPlaceholderText(tr("Filter by method, path, name, summary or scope"));
    m_filterBox->setClearButtonEnabled(true);
    connect(m_filterBox, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterText(text);
        onModelReset();
    });

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("operationsView"));
    m_view->setAccessibleName(tr("Operations"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new OperationRowDelegate(m_view));
    m_view->setItemDelegateForColumn(OperationModel::MethodColumn, new MethodBadgeDelegate(OperationModel::MethodRole, m_view));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(OperationModel::MethodColumn, QHeaderView::Fixed);
    // A request sits one level down, behind the group's branch: two indentations before its badge.
    m_view->header()->resizeSection(OperationModel::MethodColumn, 2 * m_view->indentation() + MethodBadgeDelegate::badgeWidth(font()) + 8);
    m_view->header()->resizeSection(OperationModel::PathColumn, 200);
    m_view->header()->resizeSection(OperationModel::AccessColumn, 110);
    m_view->header()->resizeSection(OperationModel::ScopesColumn, 160);
    m_view->installEventFilter(this);
    PlainToolTips::install(m_view); // paths, summaries and scopes come from a document
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        // A double-click tries a request; on a group it folds or unfolds, as the tree does.
        if (!index.data(OperationModel::IsGroupRole).toBool())
            tryItSelected();
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &OperationsBrowser::showContextMenu);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &OperationsBrowser::onModelReset);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &OperationsBrowser::onModelReset);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &OperationsBrowser::updateState);

    m_empty = new QLabel(tr("No saved requests yet. Import an API document (Environment ▸ Import API Document…) "
                            "or save a request (Request ▸ Save Request…) to list it here."),
                         this);
    m_empty->setObjectName(QStringLiteral("operationsEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("operationsCount"));
    m_tryIt = new QPushButton(tr("Try it"), this);
    m_tryIt->setObjectName(QStringLiteral("tryIt"));
    m_tryIt->setAccessibleName(tr("Try the selected operation in a new request tab"));
    m_tryIt->setToolTip(tr("Open the selected operation in a new request tab (Enter or double-click)"));
    connect(m_tryIt, &QPushButton::clicked, this, &OperationsBrowser::tryItSelected);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_count, 1);
    bottom->addWidget(m_tryIt);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_filterBox);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty, 1);
    layout->addLayout(bottom);

    connect(m_authorizer, &Authorizer::tokenChanged, this, [this](const QString &environmentId) {
        if (environmentId == m_environmentId)
            updateHeldScopes();
    });
    onModelReset();
}

void OperationsBrowser::setEnvironment(const QString &environmentId)
{
    m_environmentId = environmentId;
    updateHeldScopes();
}

void OperationsBrowser::updateHeldScopes()
{
    const auto token = m_environmentId.isEmpty() ? std::nullopt : m_authorizer->currentToken(m_environmentId);
    if (!token) {
        m_model->setHeldScopes(std::nullopt);
        return;
    }
    // What the server granted; when it does not say, what the token was asked for is all we know.
    m_model->setHeldScopes(token->scopeSource == AccessToken::ScopeSource::NotReported ? token->requestedScopes : token->grantedScopes);
}

void OperationsBrowser::onModelReset()
{
    // Groups span the row, and every group is open: the list reads like Swagger UI's.
    for (int row = 0; row < m_filter->rowCount(); ++row)
        m_view->setFirstColumnSpanned(row, {}, true);
    m_view->expandAll();
    const int total = m_model->requestCount();
    int shown = 0;
    for (int row = 0; row < m_filter->rowCount(); ++row)
        shown += m_filter->rowCount(m_filter->index(row, 0));
    m_view->setVisible(total > 0);
    m_empty->setVisible(total == 0);
    m_filterBox->setEnabled(total > 0);
    m_count->setVisible(total > 0);
    const QString operations = total == 1 ? tr("1 operation") : tr("%1 operations").arg(total);
    m_count->setText(m_filter->filterText().trimmed().isEmpty() ? operations : tr("%1 of %2").arg(shown).arg(operations));
    updateState();
}

void OperationsBrowser::updateState()
{
    m_tryIt->setEnabled(!selectedRequestId().isEmpty());
}

QString OperationsBrowser::selectedRequestId() const
{
    return m_view->currentIndex().siblingAtColumn(0).data(OperationModel::RequestIdRole).toString();
}

void OperationsBrowser::tryItSelected()
{
    const QString id = selectedRequestId();
    if (!id.isEmpty())
        Q_EMIT tryItRequested(id);
}

bool OperationsBrowser::eventFilter(QObject *watched, QEvent *event)
{
    // Enter tries the selected operation; QTreeView's own Enter (activated) needs an edit-less
    // platform setting, so it is handled here on every platform.
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && key->modifiers() == Qt::NoModifier
            && !selectedRequestId().isEmpty()) {
            tryItSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void OperationsBrowser::showContextMenu(const QPoint &at)
{
    const QModelIndex index = m_view->indexAt(at);
    if (!index.isValid() || index.data(OperationModel::IsGroupRole).toBool())
        return;
    m_view->setCurrentIndex(index);
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Try it"), this, &OperationsBrowser::tryItSelected);
    menu->popup(m_view->viewport()->mapToGlobal(at));
}
