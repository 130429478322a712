#include "ScopePicker.h"

#include "PlainToolTips.h"
#include "scopes/ScopeModel.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

// Colours derived from the palette, so a dark theme gets light tints and a light theme dark ones;
// none of them is ever the only signal (the texts say the same).
QColor negativeText(const QPalette &palette)
{
    return isDark(palette) ? QColor(255, 138, 128) : QColor(180, 30, 30);
}

QColor dimText(const QPalette &palette)
{
    return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.4);
}

QColor badgeHue(const QModelIndex &index)
{
    if (index.data(ScopeModel::ActsOnBehalfOfRole).toBool())
        return QColor(214, 64, 110);
    if (index.data(ScopeModel::PrivilegedRole).toBool())
        return QColor(230, 140, 20);
    return {}; // account restriction: neutral
}

} // namespace

// Filters by name or description and adds what the view shows on top of ScopeModel's roles:
// bold privileged scopes, badges, the grant marker in the description column and its colour.
class ScopeViewModel : public QSortFilterProxyModel
{
public:
    ScopeViewModel(QWidget *view, QObject *parent)
        : QSortFilterProxyModel(parent)
        , m_view(view)
    {
        setRecursiveFilteringEnabled(true);
        // A group found by its title shows all its scopes.
        setAutoAcceptChildRows(true);
    }

    void setFilterText(const QString &text)
    {
        m_filter = text.trimmed();
        invalidateFilter();
    }
    bool isFiltering() const { return !m_filter.isEmpty(); }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid())
            return {};
        // Everything is decided on the source row: asking this proxy would come back here.
        const QModelIndex source = mapToSource(index);
        const QModelIndex sourceName = source.siblingAtColumn(0);
        const bool isGroup = sourceName.data(ScopeModel::IsGroupRole).toBool();
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == 1 && !isGroup)
                return withGrantMarker(source);
            break;
        case Qt::FontRole:
            if (index.column() == 0 && !isGroup && sourceName.data(ScopeModel::PrivilegedRole).toBool()) {
                QFont font = m_view->font();
                font.setBold(true);
                return font;
            }
            break;
        case Qt::ForegroundRole:
            if (isGroup && index.column() == 1)
                return dimText(m_view->palette());
            if (!isGroup && isRefused(grant(sourceName)))
                return negativeText(m_view->palette());
            break;
        case Qt::DecorationRole:
            // Marked where the name is, not only in the description: that column may be scrolled
            // or elided out of sight.
            if (index.column() == 0 && !isGroup && isRefused(grant(sourceName)))
                return m_view->style()->standardIcon(QStyle::SP_MessageBoxWarning);
            break;
        case ScopePicker::BadgeRole:
            return index.column() == 0 && !isGroup ? badge(sourceName) : QString();
        case Qt::AccessibleTextRole:
            if (index.column() == 0 && !isGroup) {
                const QString badgeText = badge(sourceName);
                const QString name = source.data(Qt::DisplayRole).toString();
                return badgeText.isEmpty() ? name : ScopePicker::tr("%1, %2").arg(name, badgeText);
            }
            break;
        case Qt::AccessibleDescriptionRole:
            return source.data(Qt::ToolTipRole);
        default:
            break;
        }
        return source.data(role);
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override
    {
        if (m_filter.isEmpty())
            return true;
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        const auto matches = [this, &index](int role) {
            return index.data(role).toString().contains(m_filter, Qt::CaseInsensitive);
        };
        if (index.data(ScopeModel::IsGroupRole).toBool())
            return matches(Qt::DisplayRole);
        return matches(ScopeModel::NameRole) || matches(ScopeModel::DescriptionRole);
    }

private:
    // These take ScopeModel indexes.
    static ScopeModel::GrantState grant(const QModelIndex &index)
    {
        return static_cast<ScopeModel::GrantState>(index.data(ScopeModel::GrantStateRole).toInt());
    }

    static bool isRefused(ScopeModel::GrantState state)
    {
        return state == ScopeModel::GrantState::NotGranted || state == ScopeModel::GrantState::Refused;
    }

    static QString badge(const QModelIndex &index)
    {
        if (index.data(ScopeModel::ActsOnBehalfOfRole).toBool())
            return ScopePicker::tr("on behalf of user");
        switch (static_cast<ScopeInfo::Level>(index.data(ScopeModel::LevelRole).toInt())) {
        case ScopeInfo::Level::Write:
            return ScopePicker::tr("write");
        case ScopeInfo::Level::Execute:
            return ScopePicker::tr("execute");
        case ScopeInfo::Level::Read:
        case ScopeInfo::Level::Other:
            break;
        }
        if (index.data(ScopeModel::AccountRestrictedRole).toBool())
            return ScopePicker::tr("one account");
        return {};
    }

    static QString withGrantMarker(const QModelIndex &source)
    {
        const QString description = source.data(Qt::DisplayRole).toString();
        QString marker;
        switch (grant(source.siblingAtColumn(0))) {
        case ScopeModel::GrantState::NotAuthorized:
            return description;
        case ScopeModel::GrantState::Granted:
            marker = ScopePicker::tr("✓ granted");
            break;
        case ScopeModel::GrantState::NotGranted:
            marker = ScopePicker::tr("✗ not granted");
            break;
        case ScopeModel::GrantState::NotReported:
            marker = ScopePicker::tr("grant not reported");
            break;
        case ScopeModel::GrantState::Refused:
            marker = ScopePicker::tr("✗ refused by the server");
            break;
        }
        // A prefix rather than a suffix: eliding a long description must not hide it.
        return description.isEmpty() ? marker : ScopePicker::tr("%1 — %2").arg(marker, description);
    }

    QWidget *m_view;
    QString m_filter;
};

namespace {

// Draws the name column with a small badge ("write", "execute", …) right after the scope name.
class ScopeNameDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static constexpr int Spacing = 6;
    static constexpr int BadgePadding = 5;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        const QString text = index.data(ScopePicker::BadgeRole).toString();
        if (!text.isEmpty()) {
            const QFontMetrics metrics(badgeFont(option.font));
            size.rwidth() += Spacing + metrics.horizontalAdvance(text) + 2 * BadgePadding;
            size.setHeight(std::max(size.height(), metrics.height() + 4));
        }
        return size;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QString text = index.data(ScopePicker::BadgeRole).toString();
        if (text.isEmpty()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        const QFont smallFont = badgeFont(opt.font);
        const QFontMetrics badgeMetrics(smallFont);
        const int badgeWidth = badgeMetrics.horizontalAdvance(text) + 2 * BadgePadding;

        // Elide the name ourselves so the badge always has room after it.
        const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const int available = textRect.width() - 2 * margin - Spacing - badgeWidth;
        const QString name = opt.fontMetrics.elidedText(opt.text, Qt::ElideMiddle, std::max(available, 0));
        opt.text = name;
        opt.textElideMode = Qt::ElideNone;
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const int nameWidth = opt.fontMetrics.horizontalAdvance(name);
        const QRect badge(textRect.left() + margin + nameWidth + Spacing, opt.rect.center().y() - badgeMetrics.height() / 2,
                          badgeWidth, badgeMetrics.height());
        if (badge.right() > opt.rect.right())
            return;

        const QPalette palette = widget ? widget->palette() : opt.palette;
        const QColor base = palette.color(QPalette::Base);
        const QColor textColour = palette.color(QPalette::Text);
        const QColor hue = badgeHue(index);
        const QColor fill = hue.isValid() ? mix(base, hue, isDark(palette) ? 0.45 : 0.3) : mix(base, textColour, 0.1);
        const QColor border = hue.isValid() ? mix(textColour, hue, 0.6) : mix(base, textColour, 0.45);

        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(border);
        painter->setBrush(fill);
        const qreal radius = badge.height() / 2.0;
        painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        painter->setFont(smallFont);
        painter->setPen(textColour);
        painter->drawText(badge, Qt::AlignCenter, text);
        painter->restore();
    }

private:
    static QFont badgeFont(const QFont &itemFont)
    {
        QFont font = itemFont;
        font.setBold(false);
        if (font.pointSizeF() > 0)
            font.setPointSizeF(font.pointSizeF() * 0.85);
        else
            font.setPixelSize(std::max(8, font.pixelSize() * 85 / 100));
        return font;
    }
};

} // namespace

ScopePicker::ScopePicker(QWidget *parent)
    : QWidget(parent)
    , m_model(new ScopeModel(this))
{
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(u"scopeFilter"_s);
    m_filter->setPlaceholderText(tr("Filter scopes"));
    m_filter->setAccessibleName(tr("Filter scopes"));
    m_filter->setToolTip(tr("Shows the scopes whose name or description contains this text"));
    m_filter->setClearButtonEnabled(true);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"scopeTree"_s);
    PlainToolTips::install(m_tree); // descriptions come from the server's catalog, refusals from its errors
    m_tree->setAccessibleName(tr("Scopes"));
    m_tree->setAccessibleDescription(tr("Check the scopes to request; Space checks or unchecks the current one"));
    m_view = new ScopeViewModel(m_tree, this);
    m_view->setSourceModel(m_model);
    m_tree->setModel(m_view);
    m_tree->setItemDelegateForColumn(0, new ScopeNameDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setMinimumHeight(180);

    m_selectAll = new QPushButton(this);
    m_selectAll->setObjectName(u"scopeSelectAll"_s);
    m_selectNone = new QPushButton(this);
    m_selectNone->setObjectName(u"scopeSelectNone"_s);
    m_groupAll = new QPushButton(this);
    m_groupAll->setObjectName(u"scopeGroupSelectAll"_s);
    m_groupNone = new QPushButton(this);
    m_groupNone->setObjectName(u"scopeGroupSelectNone"_s);

    m_addEdit = new QLineEdit(this);
    m_addEdit->setObjectName(u"scopeAddEdit"_s);
    m_addEdit->setPlaceholderText(tr("Scopes the list lacks, separated by spaces"));
    m_addEdit->setAccessibleName(tr("Scopes to add"));
    m_addButton = new QPushButton(tr("&Add"), this);
    m_addButton->setObjectName(u"scopeAddButton"_s);
    m_addButton->setAccessibleName(tr("Add scopes"));
    m_addButton->setEnabled(false);

    m_rejected = new QLabel(this);
    m_rejected->setObjectName(u"scopeRejected"_s);
    m_rejected->setAccessibleName(tr("Scopes not added"));
    m_rejected->setWordWrap(true);
    m_rejected->setTextFormat(Qt::PlainText); // it quotes what was typed
    m_rejected->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rejected->hide();
    updateRejectionPalette();

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"scopeSummary"_s);
    m_summary->setAccessibleName(tr("Scope summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_selectAll);
    buttons->addWidget(m_selectNone);
    buttons->addSpacing(style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing) * 2);
    buttons->addWidget(m_groupAll);
    buttons->addWidget(m_groupNone);
    buttons->addStretch();

    auto *add = new QHBoxLayout;
    add->addWidget(m_addEdit, 1);
    add->addWidget(m_addButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins({});
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);
    layout->addLayout(add);
    layout->addWidget(m_rejected);
    layout->addWidget(m_summary);

    // Inside a dialog a focused push button would become its default: Return after clicking one
    // of these must not press it again, nor pass the default on to whatever takes the focus next.
    for (QPushButton *button : {m_selectAll, m_selectNone, m_groupAll, m_groupNone, m_addButton})
        button->setAutoDefault(false);

    setTabOrder(m_filter, m_tree);
    setTabOrder(m_tree, m_selectAll);
    setTabOrder(m_selectAll, m_selectNone);
    setTabOrder(m_selectNone, m_groupAll);
    setTabOrder(m_groupAll, m_groupNone);
    setTabOrder(m_groupNone, m_addEdit);
    setTabOrder(m_addEdit, m_addButton);

    // Return in either line edit must not reach a dialog's default button; Space in the tree
    // toggles the current row whichever column is current.
    m_filter->installEventFilter(this);
    m_addEdit->installEventFilter(this);
    m_tree->installEventFilter(this);

    connect(m_filter, &QLineEdit::textChanged, this, &ScopePicker::onFilterChanged);
    connect(m_addEdit, &QLineEdit::textChanged, this, [this](const QString &text) { m_addButton->setEnabled(!text.trimmed().isEmpty()); });
    connect(m_addButton, &QPushButton::clicked, this, &ScopePicker::addFreeText);
    connect(m_selectAll, &QPushButton::clicked, this, [this] { setShownChecked(true); });
    connect(m_selectNone, &QPushButton::clicked, this, [this] { setShownChecked(false); });
    connect(m_groupAll, &QPushButton::clicked, this, [this] { setCurrentGroupChecked(true); });
    connect(m_groupNone, &QPushButton::clicked, this, [this] { setCurrentGroupChecked(false); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ScopePicker::updateButtons);
    connect(m_tree->header(), &QHeaderView::sectionResized, this, [this](int section) {
        if (section == 0 && !m_fittingColumn && isVisible())
            m_columnResizedByUser = true;
    });
    connect(m_view, &QAbstractItemModel::modelReset, this, &ScopePicker::afterRowsChanged);
    connect(m_view, &QAbstractItemModel::rowsInserted, this, &ScopePicker::afterRowsChanged);
    connect(m_view, &QAbstractItemModel::rowsRemoved, this, &ScopePicker::afterRowsChanged);
    connect(m_view, &QAbstractItemModel::layoutChanged, this, &ScopePicker::afterRowsChanged);
    // Refit the names only when the scopes change, not while filtering: the columns stay put.
    connect(m_model, &QAbstractItemModel::modelReset, this, &ScopePicker::fitNameColumn);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ScopePicker::fitNameColumn);
    connect(m_model, &ScopeModel::selectionChanged, this, &ScopePicker::updateSummary);
    connect(m_model, &ScopeModel::selectionChanged, this, &ScopePicker::selectionChanged);

    afterRowsChanged();
    updateSummary();
}

void ScopePicker::setCatalog(const ScopeCatalog &catalog)
{
    m_model->setCatalog(catalog);
    updateSummary();
}

void ScopePicker::setSelectedScopes(const QStringList &scopes)
{
    m_model->setSelectedScopes(scopes);
}

QStringList ScopePicker::selectedScopes() const
{
    return m_model->selectedScopes();
}

void ScopePicker::setGrantResult(const QStringList &requested, const QStringList &granted, bool reported)
{
    m_model->setGrantResult(requested, granted, reported);
    updateSummary();
}

void ScopePicker::setRefusedScopes(const QStringList &refused, const QString &reason)
{
    m_model->setRefusedScopes(refused, reason);
    updateSummary();
}

void ScopePicker::clearGrantResult()
{
    m_model->clearGrantResult();
    updateSummary();
}

void ScopePicker::setEmptySelectionText(const QString &text)
{
    m_emptySelectionText = text;
    updateSummary();
}

ScopeModel *ScopePicker::model() const
{
    return m_model;
}

bool ScopePicker::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;

    if (watched == m_addEdit && enter) {
        addFreeText();
        return true;
    }
    if (watched == m_filter) {
        if (enter || key->key() == Qt::Key_Down) {
            // From the filter straight to the first match, ready for Space.
            const QModelIndex current = m_tree->currentIndex();
            const bool onScope = current.isValid() && !current.data(ScopeModel::IsGroupRole).toBool();
            if (!onScope && m_view->rowCount() > 0) {
                const QModelIndex group = m_view->index(0, 0);
                m_tree->setCurrentIndex(m_view->rowCount(group) > 0 ? m_view->index(0, 0, group) : group);
            }
            m_tree->setFocus(Qt::TabFocusReason);
            return true;
        }
        if (key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
    }
    if (watched == m_tree && (key->key() == Qt::Key_Space || key->key() == Qt::Key_Select) && key->modifiers() == Qt::NoModifier) {
        toggleCurrent();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ScopePicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateRejectionPalette();
    QWidget::changeEvent(event);
}

void ScopePicker::onFilterChanged(const QString &text)
{
    m_view->setFilterText(text);
    afterRowsChanged();
}

void ScopePicker::addFreeText()
{
    const QStringList entries = m_addEdit->text().simplified().split(u' ', Qt::SkipEmptyParts);
    if (entries.isEmpty())
        return;
    QStringList kept;
    QStringList reasons;
    QString lastAdded;
    for (const auto &entry : entries) {
        const QString problem = ScopeInfo::syntaxProblem(entry);
        if (problem.isEmpty() && m_model->addScope(entry)) {
            lastAdded = entry;
            continue;
        }
        kept.append(entry);
        reasons.append(tr("• “%1”: %2").arg(entry, problem));
    }
    // What was refused stays in the field to be corrected; what was added is gone from it. The
    // button goes disabled with an empty field: the focus stays here instead of wandering off to
    // the next button in the window (which, in the Authorize dialog, was Log out).
    const bool hadFocus = m_addButton->hasFocus();
    m_addEdit->setText(kept.join(u' '));
    if (hadFocus)
        m_addEdit->setFocus(Qt::OtherFocusReason);
    m_rejected->setText(reasons.isEmpty() ? QString() : tr("Not added:") + u'\n' + reasons.join(u'\n'));
    m_rejected->setVisible(!reasons.isEmpty());

    if (!lastAdded.isEmpty()) {
        const QModelIndexList found = m_view->match(m_view->index(0, 0), ScopeModel::NameRole, lastAdded, 1,
                                                    Qt::MatchExactly | Qt::MatchRecursive);
        if (!found.isEmpty())
            m_tree->scrollTo(found.first());
    }
}

void ScopePicker::toggleCurrent()
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    const QModelIndex name = current.siblingAtColumn(0);
    const auto state = static_cast<Qt::CheckState>(name.data(Qt::CheckStateRole).toInt());
    m_view->setData(name, state == Qt::Checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
}

void ScopePicker::setShownChecked(bool checked)
{
    QStringList names;
    for (int row = 0; row < m_view->rowCount(); ++row)
        names += shownScopes(m_view->index(row, 0));
    m_model->setScopesChecked(names, checked);
}

void ScopePicker::setCurrentGroupChecked(bool checked)
{
    const QModelIndex group = currentGroup();
    if (group.isValid())
        m_model->setScopesChecked(shownScopes(group), checked);
}

QModelIndex ScopePicker::currentGroup() const
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return {};
    const QModelIndex name = current.siblingAtColumn(0);
    return name.data(ScopeModel::IsGroupRole).toBool() ? name : name.parent();
}

QStringList ScopePicker::shownScopes(const QModelIndex &group) const
{
    QStringList names;
    for (int row = 0; row < m_view->rowCount(group); ++row)
        names.append(m_view->index(row, 0, group).data(ScopeModel::NameRole).toString());
    return names;
}

void ScopePicker::afterRowsChanged()
{
    m_tree->expandAll();
    updateButtons();
}

void ScopePicker::fitNameColumn()
{
    // Until the user drags the divider: fit the names. A name cut short is a different scope, a
    // description cut short is still itself (and whole in the tooltip), so the descriptions give
    // way first, down to a readable minimum. Before the first show the width is not known yet.
    if (m_columnResizedByUser || !isVisible())
        return;
    m_fittingColumn = true;
    m_tree->resizeColumnToContents(0);
    const int viewport = m_tree->viewport()->width();
    const int descriptionMinimum = std::max(viewport / 4, m_tree->fontMetrics().averageCharWidth() * 14);
    const int limit = std::max(viewport - descriptionMinimum, 160);
    if (m_tree->columnWidth(0) > limit)
        m_tree->setColumnWidth(0, limit);
    m_fittingColumn = false;
}

void ScopePicker::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitNameColumn();
}

void ScopePicker::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitNameColumn();
}

void ScopePicker::updateButtons()
{
    const bool filtering = m_view->isFiltering();
    m_selectAll->setText(filtering ? tr("Select all shown") : tr("Select all"));
    m_selectNone->setText(filtering ? tr("Select none shown") : tr("Select none"));
    m_selectAll->setToolTip(filtering ? tr("Select every scope the filter shows") : tr("Select every scope"));
    m_selectNone->setToolTip(filtering ? tr("Clear every scope the filter shows") : tr("Clear every scope"));
    m_selectAll->setAccessibleName(m_selectAll->text());
    m_selectNone->setAccessibleName(m_selectNone->text());
    const bool any = m_view->rowCount() > 0;
    m_selectAll->setEnabled(any);
    m_selectNone->setEnabled(any);

    const QModelIndex group = currentGroup();
    const QString title = group.data().toString();
    if (title.isEmpty()) {
        m_groupAll->setText(tr("All in group"));
        m_groupNone->setText(tr("None in group"));
        m_groupAll->setToolTip(tr("Select the scopes of the current item's group; choose an item first"));
        m_groupNone->setToolTip(tr("Clear the scopes of the current item's group; choose an item first"));
    } else {
        const QString shortTitle = fontMetrics().elidedText(title, Qt::ElideMiddle, fontMetrics().averageCharWidth() * 18);
        m_groupAll->setText(tr("All in “%1”").arg(shortTitle));
        m_groupNone->setText(tr("None in “%1”").arg(shortTitle));
        m_groupAll->setToolTip(tr("Select every shown scope in %1").arg(title));
        m_groupNone->setToolTip(tr("Clear every shown scope in %1").arg(title));
    }
    m_groupAll->setAccessibleName(title.isEmpty() ? tr("Select all in group") : tr("Select all in %1").arg(title));
    m_groupNone->setAccessibleName(title.isEmpty() ? tr("Select none in group") : tr("Select none in %1").arg(title));
    m_groupAll->setEnabled(group.isValid());
    m_groupNone->setEnabled(group.isValid());
}

void ScopePicker::updateSummary()
{
    const QList<ScopeInfo> selected = m_model->selectedScopeInfos();
    const auto count = selected.size();
    const auto changesData = std::count_if(selected.cbegin(), selected.cend(),
                                           [](const ScopeInfo &info) { return info.isPrivileged() && !info.actsOnBehalfOf; });
    const auto onBehalf = std::count_if(selected.cbegin(), selected.cend(), [](const ScopeInfo &info) { return info.actsOnBehalfOf; });
    int notGranted = 0;
    int refused = 0;
    for (int groupRow = 0; groupRow < m_model->rowCount(); ++groupRow) {
        const QModelIndex group = m_model->index(groupRow, 0);
        for (int row = 0; row < m_model->rowCount(group); ++row) {
            const auto state = static_cast<ScopeModel::GrantState>(m_model->index(row, 0, group).data(ScopeModel::GrantStateRole).toInt());
            notGranted += state == ScopeModel::GrantState::NotGranted ? 1 : 0;
            refused += state == ScopeModel::GrantState::Refused ? 1 : 0;
        }
    }

    // Whole sentences per number rather than "%n scope(s)": there is no English plural catalogue.
    QStringList parts;
    if (count == 0)
        parts.append(m_emptySelectionText.isEmpty() ? tr("No scopes selected: the server decides what the token may do") : m_emptySelectionText);
    else
        parts.append(count == 1 ? tr("1 scope selected") : tr("%1 scopes selected").arg(count));
    if (changesData > 0)
        parts.append(changesData == 1 ? tr("1 changes data") : tr("%1 change data").arg(changesData));
    if (onBehalf > 0)
        parts.append(onBehalf == 1 ? tr("1 acts on behalf of a user") : tr("%1 act on behalf of a user").arg(onBehalf));
    if (notGranted > 0)
        parts.append(notGranted == 1 ? tr("1 requested scope not granted") : tr("%1 requested scopes not granted").arg(notGranted));
    if (refused > 0)
        parts.append(refused == 1 ? tr("1 scope refused by the server") : tr("%1 scopes refused by the server").arg(refused));
    m_summary->setText(parts.join(tr(", ")));
}

void ScopePicker::updateRejectionPalette()
{
    QPalette palette = m_rejected->palette();
    palette.setColor(QPalette::WindowText, negativeText(this->palette()));
    m_rejected->setPalette(palette);
}
