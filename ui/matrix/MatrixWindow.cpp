#include "MatrixWindow.h"

#include "MatrixCellDelegate.h"
#include "MatrixCellDetail.h"
#include "MatrixFailureFilter.h"
#include "MatrixLegend.h"
#include "MatrixModel.h"
#include "MatrixPlanSourcePicker.h"
#include "MatrixAuthorizationPrompt.h"
#include "MatrixRunController.h"
#include "MatrixRunText.h"
#include "MatrixTimeLeft.h"
#include "MatrixVerdictStyle.h"
#include "PlainToolTips.h"
#include "TierBanner.h"
#include "matrix/MatrixReport.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>


MatrixWindow::MatrixWindow(EnvironmentListModel *environments, Authorizer *authorizer, QWidget *parent)
    : QMainWindow(parent)
    , m_environments(environments)
    , m_authorizer(authorizer)
    , m_loader(new MatrixPlanLoader(this))
    , m_model(new MatrixModel(this))
    , m_filter(new MatrixFailureFilter(m_model, this))
    , m_exporter(new MatrixReportExporter(this))
    , m_run(new MatrixRunController(authorizer, this))
    , m_authorizationPrompt(new MatrixAuthorizationPrompt(authorizer->clock(), this))
{
    setObjectName(QStringLiteral("matrixWindow"));
    setWindowTitle(tr("Scope Matrix — Tokenbench"));

    m_runAction = new QAction(tr("&Run"), this);
    m_runAction->setObjectName(QStringLiteral("matrixRunAction"));
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setToolTip(tr("Send every cell of the plan (%1)").arg(m_runAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_runAction, &QAction::triggered, this, &MatrixWindow::run);
    m_stopAction = new QAction(tr("&Stop"), this);
    m_stopAction->setObjectName(QStringLiteral("matrixStopAction"));
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_stopAction->setToolTip(tr("Stop the run: nothing more is sent; what came back stays (Esc)"));
    connect(m_stopAction, &QAction::triggered, this, &MatrixWindow::stop);
    m_rerunAction = new QAction(tr("Re-run &Failed"), this);
    m_rerunAction->setObjectName(QStringLiteral("matrixRerunAction"));
    m_rerunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_rerunAction->setToolTip(tr("Send again only the cells whose verdict is not as expected (%1)")
                                  .arg(m_rerunAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_rerunAction, &QAction::triggered, this, &MatrixWindow::rerunFailed);

    auto *exportMenu = new QMenu(this);
    exportMenu->setObjectName(QStringLiteral("matrixExportMenu"));
    const auto addExport = [this, exportMenu](const QString &text, const QString &name, MatrixReportExporter::Format format) {
        QAction *action = exportMenu->addAction(text, this, [this, format] { exportReport(format); });
        action->setObjectName(name);
    };
    addExport(tr("&JUnit XML…"), QStringLiteral("matrixExportJUnit"), MatrixReportExporter::Format::JUnit);
    addExport(tr("&HTML…"), QStringLiteral("matrixExportHtml"), MatrixReportExporter::Format::Html);
    addExport(tr("J&SON…"), QStringLiteral("matrixExportJson"), MatrixReportExporter::Format::Json);
    m_exportButton = new QToolButton(this);
    m_exportButton->setObjectName(QStringLiteral("matrixExport"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setMenu(exportMenu);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_exportButton->setToolTip(tr("Write the run shown as a JUnit, HTML or JSON report"));

    auto *toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("matrixToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_runAction);
    toolbar->addAction(m_stopAction);
    toolbar->addAction(m_rerunAction);
    toolbar->addSeparator();
    toolbar->addWidget(m_exportButton);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_banner = new TierBanner(central);
    layout->addWidget(m_banner);

    auto *body = new QWidget(central);
    auto *bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(8, 4, 8, 4);
    auto *controls = new QGridLayout;
    m_planSource = new MatrixPlanSourcePicker(body);
    connect(m_planSource, &MatrixPlanSourcePicker::reloadRequested, this, &MatrixWindow::reloadPlan);
    m_environmentBox = new QComboBox(body);
    m_environmentBox->setObjectName(QStringLiteral("matrixEnvironment"));
    m_environmentBox->setAccessibleName(tr("Environment"));
    m_environmentBox->setModel(m_environments);
    m_environmentBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_readOnly = new QCheckBox(tr("Read-only: skip requests that change data"), body);
    m_readOnly->setObjectName(QStringLiteral("matrixReadOnly"));
    m_readOnly->setToolTip(tr("POST, PUT, PATCH, DELETE and other state-changing requests are not sent; their cells say skipped."));
    m_concurrency = new QSpinBox(body);
    m_concurrency->setObjectName(QStringLiteral("matrixConcurrency"));
    m_concurrency->setAccessibleName(tr("Requests at once"));
    m_concurrency->setRange(1, 32);
    m_concurrency->setValue(4);
    m_concurrency->setToolTip(tr("How many requests are in flight at once, on kept-alive connections"));
    m_onlyFailures = new QCheckBox(tr("Only requests with failures"), body);
    m_onlyFailures->setObjectName(QStringLiteral("matrixOnlyFailures"));
    connect(m_onlyFailures, &QCheckBox::toggled, m_filter, &MatrixFailureFilter::setOnlyFailures);

    controls->addWidget(new QLabel(tr("Plan:"), body), 0, 0);
    controls->addWidget(m_planSource, 0, 1);
    controls->addWidget(new QLabel(tr("Environment:"), body), 0, 2);
    controls->addWidget(m_environmentBox, 0, 3);
    auto *optionsRow = new QHBoxLayout;
    optionsRow->addWidget(m_readOnly);
    optionsRow->addSpacing(16);
    optionsRow->addWidget(new QLabel(tr("Requests at once:"), body));
    optionsRow->addWidget(m_concurrency);
    optionsRow->addStretch();
    optionsRow->addWidget(m_onlyFailures);
    controls->addLayout(optionsRow, 1, 0, 1, 4);
    controls->setColumnStretch(1, 1);
    bodyLayout->addLayout(controls);

    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(body);
    m_progress->setObjectName(QStringLiteral("matrixProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(fontMetrics().height());
    m_timeLeft = new QLabel(body);
    m_timeLeft->setObjectName(QStringLiteral("matrixTimeLeft"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_timeLeft);
    bodyLayout->addLayout(progressRow);

    m_view = new QTableView(body);
    m_view->setObjectName(QStringLiteral("matrixView"));
    m_view->setAccessibleName(tr("Scope matrix"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new MatrixCellDelegate(m_view));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the plan's order until a header is clicked
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setWordWrap(false);
    // Each row is headed by its method and path, which stay in view however far the token
    // columns scroll; the Method and Path columns would only repeat them.
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_view->verticalHeader()->setMaximumWidth(360);
    m_view->verticalHeader()->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setDefaultSectionSize(96);
    m_view->horizontalHeader()->setTextElideMode(Qt::ElideMiddle);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setResizeContentsPrecision(200); // a sample of rows sizes the request columns
    PlainToolTips::install(m_view); // paths, names and the runner's detail quote the plan and the server
    // A click or the arrow keys: the current cell's exchange (a click on it again changes nothing).
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) { showCell(current); });

    m_detail = new MatrixCellDetail(body);
    auto *split = new QSplitter(Qt::Vertical, body);
    split->setObjectName(QStringLiteral("matrixSplit"));
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({420, 300});
    bodyLayout->addWidget(split, 1);

    m_legend = new MatrixLegend(body);
    bodyLayout->addWidget(m_legend);
    m_summary = new QLabel(body);
    m_summary->setObjectName(QStringLiteral("matrixSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bodyLayout->addWidget(m_summary);
    m_notesLabel = new QLabel(body);
    m_notesLabel->setObjectName(QStringLiteral("matrixNotes"));
    m_notesLabel->setTextFormat(Qt::PlainText);
    m_notesLabel->setWordWrap(true);
    m_notesLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bodyLayout->addWidget(m_notesLabel);
    layout->addWidget(body, 1);
    setCentralWidget(central);

    connect(m_environmentBox, &QComboBox::currentIndexChanged, this, [this](int row) {
        const Environment *env = m_environments->environmentAt(row);
        const QString id = env ? env->id : QString();
        if (id == m_environmentId)
            return;
        m_environmentId = id;
        updateBanner();
        reloadPlan();
    });
    connect(m_loader, &MatrixPlanLoader::loaded, this, &MatrixWindow::onPlanLoaded);
    connect(m_model, &MatrixModel::countsChanged, this, &MatrixWindow::updateSummary);
    connect(m_exporter, &MatrixReportExporter::exported, this,
            [this](const QString &path) { statusBar()->showMessage(tr("Wrote %1.").arg(QFileInfo(path).fileName()), 8000); });
    connect(m_exporter, &MatrixReportExporter::failed, this, [this](const QString &path, const QString &error) {
        statusBar()->showMessage(tr("%1 was not written: %2").arg(QFileInfo(path).fileName(), error), 10000);
    });
    connect(m_run, &MatrixRunController::cellStarted, m_model, &MatrixModel::setCellRunning);
    connect(m_run, &MatrixRunController::cellFinished, this, &MatrixWindow::onCellFinished);
    connect(m_run, &MatrixRunController::progress, this, &MatrixWindow::onProgress);
    connect(m_run, &MatrixRunController::runFinished, this, &MatrixWindow::onFinished);
    // A grant that needs a person: a consent or a user code per scope set, shown as the run asks.
    connect(m_run, &MatrixRunController::interactionRequired, this, [this](const QStringList &scopes, const GrantInteraction &interaction) {
        m_authorizationPrompt->showInteraction(scopes, interaction, m_tokenPlan.describe(scopes));
    });
    connect(m_run, &MatrixRunController::interactionFinished, m_authorizationPrompt, &MatrixAuthorizationPrompt::interactionFinished);
    connect(m_authorizationPrompt, &MatrixAuthorizationPrompt::cancelRequested, this, &MatrixWindow::stop);
    connect(m_run, &MatrixRunController::historyFailed, this, [this](const QString &message, int count) {
        statusBar()->showMessage(tr("%1 not written to the history: %2").arg(MatrixRunText::requests(count), message), 10000);
    });
    connect(m_environments, &EnvironmentListModel::requestsChanged, this, &MatrixWindow::onWorkspaceChanged);
    connect(m_environments, &QAbstractItemModel::dataChanged, this, &MatrixWindow::onWorkspaceChanged);
    connect(m_environments, &QAbstractItemModel::modelReset, this, &MatrixWindow::onWorkspaceChanged);

    resize(1240, 820);
    updateState();
    updateSummary();
}

MatrixWindow::~MatrixWindow()
{
    // Nothing in flight outlives the window; its answers have nowhere to go.
    disconnect(m_run, nullptr, this, nullptr);
}

bool MatrixWindow::isRunning() const
{
    return m_run->isRunning();
}

const Environment *MatrixWindow::environment() const
{
    return m_environments->findById(m_environmentId);
}

void MatrixWindow::setEnvironment(const QString &environmentId)
{
    const int row = m_environments->rowOf(environmentId);
    if (row < 0 || m_run->isRunning())
        return;
    if (environmentId == m_environmentId && m_environmentBox->currentIndex() == row)
        return;
    m_environmentId = environmentId;
    {
        const QSignalBlocker quiet(m_environmentBox);
        m_environmentBox->setCurrentIndex(row);
    }
    updateBanner();
    reloadPlan();
}

void MatrixWindow::updateBanner()
{
    const Environment *env = environment();
    if (!env) {
        m_banner->clear();
        return;
    }
    m_banner->setEnvironment(*env, m_authorizer->resolved(*env).apiBaseUrl.toDisplayString());
}

void MatrixWindow::setHistory(HistoryStore *store, HistoryModel *model)
{
    m_run->setHistory(store, model);
}

void MatrixWindow::usePlanFile(MatrixPlanLoader::Source source, const QString &path)
{
    if (m_run->isRunning())
        return;
    m_planSource->setSource(source, path);
    reloadPlan();
}

void MatrixWindow::reloadPlan()
{
    if (m_run->isRunning())
        return;
    const Environment *env = environment();
    if (!env) {
        m_model->clear();
        m_summary->setText(tr("Choose an environment to run the plan against."));
        updateState();
        return;
    }
    m_planStale = false;
    m_planSource->setStale(false);
    m_summary->setText(tr("Reading the plan…"));
    m_loader->load(m_planSource->source(), m_planSource->path(), m_environments->workspace(), m_authorizer->resolved(*env));
    updateState();
}

void MatrixWindow::onPlanLoaded(const MatrixPlanLoader::Loaded &loaded)
{
    m_run->forget();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_timeLeft->clear();
    m_detail->clear();
    if (!loaded.plan) {
        m_model->clear();
        m_notes.clear();
        m_notesLabel->clear();
        updateState();
        m_summary->setText(tr("No plan: %1").arg(loaded.error));
        Q_EMIT planLoaded();
        return;
    }
    m_model->setPlan(*loaded.plan, loaded.cells, loaded.layout);
    m_notes = loaded.notes;
    m_notesLabel->setText(m_notes.isEmpty() ? QString()
                                            : (m_notes.size() == 1 ? tr("A note on the plan: %1") : tr("%1 notes on the plan: %2").arg(m_notes.size()))
                                                  .arg(m_notes.join(QStringLiteral("; "))));
    m_notesLabel->setToolTip(PlainToolTips::of(m_notes.join(u'\n')));
    // Widths from what the columns say: measuring every cell of a plan of thousands of requests
    // would stall the window, and a cell holds a glyph and a status.
    const QFontMetrics metrics(m_view->horizontalHeader()->font());
    for (int column = MatrixModel::FirstSetColumn; column < m_model->columnCount(); ++column) {
        int widest = 0;
        for (const QString &line : m_model->headerData(column, Qt::Horizontal).toString().split(u'\n'))
            widest = std::max(widest, metrics.horizontalAdvance(line));
        m_view->setColumnWidth(column, std::clamp(widest + 16, 72, 240));
    }
    m_view->setColumnHidden(MatrixModel::MethodColumn, true);
    m_view->setColumnHidden(MatrixModel::PathColumn, true);
    m_view->resizeColumnToContents(MatrixModel::FolderColumn);
    m_view->setColumnWidth(MatrixModel::FolderColumn, std::min(m_view->columnWidth(MatrixModel::FolderColumn), 140));
    updateState();
    updateSummary();
    Q_EMIT planLoaded();
}

void MatrixWindow::onWorkspaceChanged()
{
    // A plan with results is kept until the user reloads: a run's evidence does not vanish
    // because a saved request was edited.
    if (!m_run->isRunning() && m_model->doneCount() == 0) {
        reloadPlan();
        return;
    }
    m_planStale = true;
    m_planSource->setStale(true);
    updateBanner();
}

void MatrixWindow::run()
{
    if (m_run->isRunning() || m_loader->isLoading() || m_model->cells().isEmpty())
        return;
    QList<int> all(m_model->cells().size());
    std::iota(all.begin(), all.end(), 0);
    confirmAndStart(all);
}

void MatrixWindow::rerunFailed()
{
    if (m_run->isRunning() || m_loader->isLoading())
        return;
    const QList<int> failed = m_model->failedCells();
    if (!failed.isEmpty())
        confirmAndStart(failed);
}

void MatrixWindow::confirmAndStart(const QList<int> &cellIndexes)
{
    const Environment *env = environment();
    if (!env || m_productionQuestion)
        return;
    if (env->tier != Tier::Production) {
        start(cellIndexes, false);
        return;
    }
    // Production: nothing is sent before a clear yes; the default answer sends nothing.
    int changing = 0;
    for (int cellIndex : cellIndexes) {
        const MatrixCell &cell = m_model->cells().at(cellIndex);
        if (m_model->plan().requests.at(cell.request).isStateChanging())
            ++changing;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Run against production?"),
                                tr("The scope matrix sends %1 to %2, a production environment, with a token minted for each scope set.")
                                    .arg(MatrixRunText::requests(int(cellIndexes.size())), env->name),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("matrixProductionConfirmation"));
    box->setTextFormat(Qt::PlainText); // the environment's name
    box->setInformativeText(m_readOnly->isChecked() || changing == 0
                                ? tr("Only requests that read are sent.")
                                : tr("%1 of them change data (not GET, HEAD or OPTIONS). Tick Read-only to skip those.").arg(changing));
    QPushButton *go = box->addButton(tr("Run against production"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_productionQuestion = box;
    connect(box, &QMessageBox::finished, this, [this, box, go, cellIndexes] {
        m_productionQuestion = nullptr;
        if (box->clickedButton() == go) {
            start(cellIndexes, true);
            return;
        }
        statusBar()->showMessage(tr("Not run: running against production was not confirmed. Nothing was sent."), 10000);
        updateState();
    });
    box->open();
    updateState();
}

void MatrixWindow::start(const QList<int> &cellIndexes, bool allowProduction)
{
    const Environment *env = environment();
    if (!env || m_run->isRunning())
        return;
    MatrixRunner::Options options;
    options.concurrency = m_concurrency->value();
    options.readOnly = m_readOnly->isChecked();
    options.allowProduction = allowProduction;
    m_model->resetCells(cellIndexes);
    m_progress->setRange(0, int(cellIndexes.size()));
    m_progress->setValue(0);
    m_timeLeft->setText(tr("0 of %1").arg(MatrixRunText::cells(int(cellIndexes.size()))));
    QList<MatrixCell> runCells;
    for (int cellIndex : cellIndexes)
        runCells.append(m_model->cells().at(cellIndex));
    m_tokenPlan = MatrixTokenPlan(runCells);
    const QString refused = m_run->start(*env, m_model->plan(), m_model->cells(), cellIndexes, options);
    updateState();
    if (!refused.isEmpty()) {
        m_timeLeft->clear();
        statusBar()->showMessage(tr("Not run: %1").arg(refused), 10000);
        updateSummary();
    }
}

void MatrixWindow::onCellFinished(int cellIndex, const MatrixCellResult &result)
{
    m_model->setResult(cellIndex, result);
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid() && m_model->cellAt(m_filter->mapToSource(current)) == cellIndex)
        showCell(current);
}

void MatrixWindow::onProgress(int done, int total)
{
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(done);
    m_timeLeft->setText(tr("%1 of %2 · %3")
                            .arg(done)
                            .arg(MatrixRunText::cells(total), MatrixTimeLeft::text(MatrixTimeLeft::estimate(done, total, m_run->elapsedMs()))));
}

void MatrixWindow::onFinished(bool stopped, qint64 tookMs)
{
    m_authorizationPrompt->dismiss();
    const QList<int> &runCells = m_run->runCells();
    // Cells the stop left unsent are pending again, not "running".
    int done = 0;
    for (int cellIndex : runCells) {
        if (m_model->result(cellIndex))
            ++done;
        else
            m_model->resetCells({cellIndex});
    }
    m_timeLeft->setText(stopped ? tr("Stopped after %1 of %2").arg(done).arg(MatrixRunText::cells(int(runCells.size())))
                                : tr("%1 in %2").arg(MatrixRunText::cells(int(runCells.size())), MatrixRunText::duration(tookMs)));
    updateState();
    updateSummary();
    Q_EMIT runFinished(stopped);
}

void MatrixWindow::stop()
{
    if (m_productionQuestion)
        m_productionQuestion->reject();
    m_run->stop();
}

void MatrixWindow::showCell(const QModelIndex &viewIndex)
{
    const QModelIndex source = m_filter->mapToSource(viewIndex);
    if (!source.isValid()) {
        m_detail->clear();
        return;
    }
    const int cellIndex = m_model->cellAt(source);
    if (cellIndex < 0) {
        m_detail->setPending(source.column() < MatrixModel::FirstSetColumn
                                 ? source.siblingAtColumn(MatrixModel::PathColumn).data(Qt::ToolTipRole).toString()
                                 : tr("This request has no cell for \"%1\".")
                                       .arg(m_model->headerData(source.column(), Qt::Horizontal).toString()));
        return;
    }
    const auto result = m_model->result(cellIndex);
    if (!result) {
        m_detail->setPending(source.data(Qt::ToolTipRole).toString());
        return;
    }
    const Environment *env = environment();
    QStringList contextHeaders;
    if (env) {
        for (const HeaderTemplate &header : env->headers)
            contextHeaders.append(header.name);
    }
    m_detail->setResult(*result, m_run->finishedAt(cellIndex), env ? env->name : QString(), contextHeaders);
}

void MatrixWindow::exportReport(MatrixReportExporter::Format format)
{
    const Environment *env = environment();
    MatrixReport report;
    report.title = m_model->plan().title;
    report.source = m_model->plan().source;
    report.environment = env ? env->name : QString();
    report.tier = env ? Environment::tierName(env->tier) : QString();
    report.tokenbenchVersion = QCoreApplication::applicationVersion();
    report.started = m_run->started();
    report.finished = m_run->finished().isValid() ? m_run->finished() : QDateTime::currentDateTimeUtc();
    // The whole plan, in one run: the CLI's "1/1", with the digest a merge tells plans apart by.
    report.shard = QStringLiteral("1/1");
    QStringList cellIds;
    cellIds.reserve(m_model->cells().size());
    for (const MatrixCell &cell : m_model->cells())
        cellIds.append(cell.id());
    report.planDigest = MatrixReport::planDigestOf(cellIds);
    report.totalCells = int(m_model->cells().size());
    report.plannedCells = report.totalCells;
    report.notes = m_notes;
    report.results = m_model->results();
    m_exporter->chooseFile(format, report);
}

void MatrixWindow::updateState()
{
    const bool running = m_run->isRunning();
    const bool asking = m_productionQuestion != nullptr;
    const bool ready = !running && !asking && !m_loader->isLoading() && !m_model->cells().isEmpty();
    m_runAction->setEnabled(ready);
    m_rerunAction->setEnabled(ready && !m_model->failedCells().isEmpty());
    m_stopAction->setEnabled(running);
    m_exportButton->setEnabled(!running && m_model->doneCount() > 0);
    m_planSource->setEnabled(!running);
    m_environmentBox->setEnabled(!running);
    m_readOnly->setEnabled(!running);
    m_concurrency->setEnabled(!running);
}

QString MatrixWindow::summaryText() const
{
    return m_summary->text();
}

QString MatrixWindow::progressText() const
{
    return m_timeLeft->text();
}

void MatrixWindow::updateSummary()
{
    for (const MatrixVerdict verdict : MatrixVerdictStyle::all())
        m_legend->setCount(verdict, m_model->count(verdict));
    if (!m_run->isRunning())
        updateState();
    if (!m_model->cells().isEmpty())
        m_summary->setText(MatrixRunText::summary(*m_model));
}

void MatrixWindow::closeEvent(QCloseEvent *event)
{
    stop();
    QMainWindow::closeEvent(event);
}
