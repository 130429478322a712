#include "HistoryPanel.h"

#include "HistoryEntryView.h"
#include "PlainToolTips.h"
#include "history/HistoryModel.h"
#include "history/HistoryStore.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

HistoryPanel::HistoryPanel(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new HistoryModel(store, this))
{
    setObjectName(QStringLiteral("historyPanel"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setAccessibleName(tr("Search history"));
    m_search->setPlaceholderText(tr("Search method, URL, status, environment"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_model, &HistoryModel::setFilter);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("historyView"));
    PlainToolTips::install(m_view); // URLs and error texts
    m_view->setAccessibleName(tr("History"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    // What tells one exchange from another comes first and stays in view in a narrow dock:
    // method, status, URL. The rest is a right-click on the header away.
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionsMovable(true);
    header->moveSection(header->visualIndex(HistoryModel::MethodColumn), 0);
    header->moveSection(header->visualIndex(HistoryModel::StatusColumn), 1);
    header->moveSection(header->visualIndex(HistoryModel::UrlColumn), 2);
    for (int column : {HistoryModel::MethodColumn, HistoryModel::StatusColumn})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(HistoryModel::UrlColumn, QHeaderView::Stretch);
    for (int column : {HistoryModel::TimeColumn, HistoryModel::EnvironmentColumn, HistoryModel::DurationColumn, HistoryModel::SizeColumn})
        m_view->setColumnHidden(column, true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &HistoryPanel::showColumnMenu);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QTableView::customContextMenuRequested, this, &HistoryPanel::showRowMenu);
    // Enter or a double-click (the platform decides which) opens the replay.
    connect(m_view, &QTableView::activated, this, &HistoryPanel::replay);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryPanel::showCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPanel::showCurrent);

    m_entryView = new HistoryEntryView(this);

    m_replay = new QPushButton(tr("Replay"), this);
    m_replay->setObjectName(QStringLiteral("historyReplay"));
    m_replay->setAccessibleName(tr("Replay the selected request in a new tab"));
    m_replay->setToolTip(tr("Open the request exactly as it was composed, on its environment, in a new tab"));
    connect(m_replay, &QPushButton::clicked, this, &HistoryPanel::replay);
    m_sendAgain = new QPushButton(tr("Send Again"), this);
    m_sendAgain->setObjectName(QStringLiteral("historySendAgain"));
    m_sendAgain->setAccessibleName(tr("Send the selected request again"));
    m_sendAgain->setToolTip(tr("Replay and send at once; whatever cannot be reproduced exactly is listed for you to confirm first"));
    connect(m_sendAgain, &QPushButton::clicked, this, &HistoryPanel::sendAgain);
    auto *clear = new QPushButton(tr("Clear…"), this);
    clear->setObjectName(QStringLiteral("historyClear"));
    clear->setAccessibleName(tr("Clear history"));
    clear->setToolTip(tr("Delete every entry from the disk"));
    connect(clear, &QPushButton::clicked, this, &HistoryPanel::clearHistory);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_replay);
    buttons->addWidget(m_sendAgain);
    buttons->addStretch();
    buttons->addWidget(clear);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_search);
    topLayout->addWidget(m_view, 1);
    topLayout->addLayout(buttons);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("historySplit"));
    split->addWidget(top);
    split->addWidget(m_entryView);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(split);

    m_keepSecrets = new QAction(tr("Keep Secrets in History (not recommended)"), this);
    m_keepSecrets->setObjectName(QStringLiteral("keepSecretsAction"));
    m_keepSecrets->setCheckable(true);
    m_keepSecrets->setToolTip(tr("Off: tokens, secrets, Authorization and cookies are replaced by •••• before anything is written."));
    connect(m_keepSecrets, &QAction::toggled, this, [this](bool keep) { m_store->redactor().setKeepEverything(keep); });
    connect(m_model, &HistoryModel::errorOccurred, this, [this](const QString &text) { Q_EMIT message(tr("History: %1").arg(text)); });
    showCurrent();
}

void HistoryPanel::record(const HistoryEntry &entry)
{
    m_model->append(entry);
}

std::optional<HistoryEntry> HistoryPanel::currentEntry()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const auto loaded = m_store->entry(m_model->idAt(current.row()));
    if (!loaded.ok()) {
        Q_EMIT message(loaded.message);
        return std::nullopt;
    }
    return loaded.entry;
}

void HistoryPanel::showCurrent()
{
    const bool has = m_view->currentIndex().isValid();
    m_replay->setEnabled(has);
    m_sendAgain->setEnabled(has);
    if (!has) {
        m_entryView->clear();
        return;
    }
    if (const auto entry = currentEntry())
        m_entryView->setEntry(*entry);
    else
        m_entryView->clear();
}

void HistoryPanel::replay()
{
    if (const auto entry = currentEntry())
        Q_EMIT replayRequested(*entry, false);
}

void HistoryPanel::sendAgain()
{
    if (const auto entry = currentEntry())
        Q_EMIT replayRequested(*entry, true);
}

void HistoryPanel::showColumnMenu(const QPoint &at)
{
    QMenu menu(this);
    for (int column = 0; column < m_model->columnCount(); ++column) {
        QAction *toggle = menu.addAction(m_model->headerData(column, Qt::Horizontal).toString());
        toggle->setCheckable(true);
        toggle->setChecked(!m_view->isColumnHidden(column));
        connect(toggle, &QAction::toggled, this, [this, column](bool shown) { m_view->setColumnHidden(column, !shown); });
    }
    menu.exec(m_view->horizontalHeader()->mapToGlobal(at));
}

void HistoryPanel::showRowMenu(const QPoint &at)
{
    const QModelIndex index = m_view->indexAt(at);
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    QMenu menu(this);
    menu.addAction(tr("Replay in a New Tab"), this, &HistoryPanel::replay);
    menu.addAction(tr("Send Again"), this, &HistoryPanel::sendAgain);
    menu.addSeparator();
    menu.addAction(tr("Delete This Entry"), this, [this, row = index.row()] {
        const auto result = m_model->removeEntry(row);
        if (!result.ok())
            Q_EMIT message(result.message);
    });
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

void HistoryPanel::clearHistory()
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Clear history"),
                                tr("Delete every request and response kept in the history? They are removed from the disk, not hidden."),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("clearHistoryConfirmation"));
    QPushButton *clear = box->addButton(tr("Clear"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, clear] {
        if (box->clickedButton() != clear)
            return;
        const auto result = m_model->clear();
        Q_EMIT message(result.ok() ? tr("History cleared.") : result.message);
    });
    box->open();
}
