#include "ImportPreviewDialog.h"

#include "PlainToolTips.h"
#include "TierBanner.h"
#include "workspace/EnvironmentListModel.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
enum EnvironmentColumn { EnvNameColumn, EnvTierColumn, EnvTokenUrlColumn, EnvApiUrlColumn };
enum InputColumn { InputEnvironmentColumn, InputNameColumn, InputValueColumn, InputDescriptionColumn };

QString actionLabel(ImportAction::Kind kind)
{
    switch (kind) {
    case ImportAction::Kind::Add: return ImportPreviewDialog::tr("Add");
    case ImportAction::Kind::Update: return ImportPreviewDialog::tr("Update");
    case ImportAction::Kind::Unchanged: return ImportPreviewDialog::tr("Unchanged");
    }
    return {};
}

// Plain text in every cell: names, URLs and descriptions come from a document someone else wrote.
QTableWidgetItem *readOnlyItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}
} // namespace

ImportPreviewDialog::ImportPreviewDialog(EnvironmentListModel *workspace, const ImportPlan &plan, const QString &sourceName, QWidget *parent)
    : ImportPreviewDialog(workspace, plan, WorkspaceImport::preview(workspace->workspace(), plan), sourceName, parent)
{
}

ImportPreviewDialog::ImportPreviewDialog(EnvironmentListModel *workspace, const ImportPlan &plan, const ImportOutcome &preview,
                                         const QString &sourceName, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_plan(plan)
    , m_preview(preview)
{
    setObjectName(QStringLiteral("importPreview"));
    setWindowTitle(tr("Import %1").arg(plan.title.isEmpty() ? sourceName : plan.title));
    resize(860, 620);

    auto *title = new QLabel(this);
    title->setObjectName(QStringLiteral("importSource"));
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    QString source = plan.title.isEmpty() ? sourceName : plan.title;
    if (!plan.version.isEmpty())
        source += tr(" (version %1)").arg(plan.version);
    title->setText(tr("%1 — %2, from %3").arg(source, plan.sourceKind, sourceName));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    using K = ImportAction::Kind;
    using I = ImportAction::Item;
    const auto count = [this](K kind, I item) { return m_preview.count(kind, item); };
    QStringList parts;
    parts << tr("adds %1 environment(s) and %2 request(s)").arg(count(K::Add, I::Environment)).arg(count(K::Add, I::Request));
    if (count(K::Update, I::Environment) + count(K::Update, I::Request) > 0)
        parts << tr("updates %1 environment(s) and %2 request(s)").arg(count(K::Update, I::Environment)).arg(count(K::Update, I::Request));
    if (count(K::Unchanged, I::Environment) + count(K::Unchanged, I::Request) > 0)
        parts << tr("leaves %1 as they are").arg(count(K::Unchanged, I::Environment) + count(K::Unchanged, I::Request));
    if (!m_preview.skipped.isEmpty())
        parts << tr("skips %1").arg(m_preview.skipped.size());
    m_summary->setText(tr("Importing %1. Nothing changes until you click Import.").arg(parts.join(QStringLiteral("; "))));

    m_actions = new QTreeWidget(this);
    m_actions->setObjectName(QStringLiteral("importActions"));
    m_actions->setAccessibleName(tr("What the import does"));
    m_actions->setHeaderLabels({tr("Name"), tr("Action"), tr("What"), tr("Changes")});
    m_actions->setRootIsDecorated(true);
    m_actions->setUniformRowHeights(true);
    PlainToolTips::install(m_actions);
    buildActions();

    m_environments = new QTableWidget(0, 4, this);
    m_environments->setObjectName(QStringLiteral("importEnvironments"));
    m_environments->setAccessibleName(tr("Environments to import, with their tier"));
    m_environments->setHorizontalHeaderLabels({tr("Environment"), tr("Tier"), tr("Token URL"), tr("API URL")});
    m_environments->verticalHeader()->hide();
    m_environments->horizontalHeader()->setStretchLastSection(true);
    PlainToolTips::install(m_environments);
    buildEnvironments();

    m_inputs = new QTableWidget(0, 4, this);
    m_inputs->setObjectName(QStringLiteral("importInputs"));
    m_inputs->setAccessibleName(tr("Values the document does not give"));
    m_inputs->setHorizontalHeaderLabels({tr("Environment"), tr("Value"), tr("Enter"), tr("What it is")});
    m_inputs->verticalHeader()->hide();
    m_inputs->horizontalHeader()->setStretchLastSection(true);
    PlainToolTips::install(m_inputs);
    buildInputs();

    m_skipped = new QPlainTextEdit(this);
    m_skipped->setObjectName(QStringLiteral("importSkipped"));
    m_skipped->setAccessibleName(tr("Skipped and notes"));
    m_skipped->setReadOnly(true);
    QStringList lines;
    for (const QString &line : std::as_const(m_preview.skipped))
        lines << tr("Skipped: %1").arg(line);
    for (const QString &line : std::as_const(plan.notes))
        lines << tr("Note: %1").arg(line);
    m_skipped->setPlainText(lines.isEmpty() ? tr("Nothing skipped, no notes.") : lines.join(QLatin1Char('\n')));

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("importTabs"));
    tabs->addTab(m_actions, tr("Changes (%1)").arg(m_preview.actions.size()));
    tabs->addTab(m_environments, tr("Environments (%1)").arg(m_plan.environments.size()));
    const int inputsTab = tabs->addTab(m_inputs, tr("To fill in (%1)").arg(m_plan.inputs.size()));
    tabs->setTabEnabled(inputsTab, !m_plan.inputs.isEmpty());
    tabs->addTab(m_skipped, tr("Skipped and notes (%1)").arg(m_preview.skipped.size() + plan.notes.size()));

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("importError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_importButton = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelImport"));
    connect(m_importButton, &QPushButton::clicked, this, &ImportPreviewDialog::import);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_summary);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

void ImportPreviewDialog::buildActions()
{
    QTreeWidgetItem *environments = new QTreeWidgetItem(m_actions, {tr("Environments")});
    QTreeWidgetItem *requests = new QTreeWidgetItem(m_actions, {tr("Requests")});
    for (QTreeWidgetItem *group : {environments, requests}) {
        QFont font = group->font(0);
        font.setBold(true);
        group->setFont(0, font);
        group->setFirstColumnSpanned(true);
    }
    for (const ImportAction &action : std::as_const(m_preview.actions)) {
        QTreeWidgetItem *parentItem = action.item == ImportAction::Item::Environment ? environments : requests;
        auto *row = new QTreeWidgetItem(parentItem, {action.name, actionLabel(action.kind), whatOf(action), action.changes.join(QStringLiteral(", "))});
        row->setData(0, Qt::UserRole, action.key);
        row->setToolTip(2, row->text(2));
        row->setToolTip(3, action.changes.join(QLatin1Char('\n')));
    }
    environments->setText(0, tr("Environments (%1)").arg(environments->childCount()));
    requests->setText(0, tr("Requests (%1)").arg(requests->childCount()));
    m_actions->expandAll();
    m_actions->header()->resizeSection(0, 260);
    m_actions->header()->resizeSection(1, 80);
    m_actions->header()->resizeSection(2, 300);
}

QString ImportPreviewDialog::whatOf(const ImportAction &action) const
{
    // The request's method and path, the environment's API: what a name alone does not say.
    if (action.item == ImportAction::Item::Environment) {
        const Environment *env = planEnvironment(action.key);
        return env ? env->apiBaseUrl.toDisplayString() : QString();
    }
    for (const SavedRequest &request : m_plan.requests) {
        if (request.origin.key == action.key)
            return request.draft.method.toUpper() + QLatin1Char(' ') + request.draft.url;
    }
    return {};
}

const Environment *ImportPreviewDialog::planEnvironment(const QString &key) const
{
    for (const Environment &env : m_plan.environments) {
        if (env.origin.key == key)
            return &env;
    }
    return nullptr;
}

void ImportPreviewDialog::buildEnvironments()
{
    for (const Environment &env : std::as_const(m_plan.environments)) {
        const auto action = std::find_if(m_preview.actions.cbegin(), m_preview.actions.cend(), [&env](const ImportAction &a) {
            return a.item == ImportAction::Item::Environment && a.key == env.origin.key;
        });
        const bool added = action == m_preview.actions.cend() || action->kind == ImportAction::Kind::Add;
        const int row = m_environments->rowCount();
        m_environments->insertRow(row);
        auto *name = readOnlyItem(action != m_preview.actions.cend() ? action->name : env.name);
        name->setData(Qt::UserRole, env.origin.key);
        m_environments->setItem(row, EnvNameColumn, name);
        m_environments->setItem(row, EnvTokenUrlColumn, readOnlyItem(env.tokenUrl.toDisplayString()));
        m_environments->setItem(row, EnvApiUrlColumn, readOnlyItem(env.apiBaseUrl.toDisplayString()));
        if (!added) {
            // An environment already in the workspace keeps the tier its user gave it.
            const Environment *existing = nullptr;
            for (const Environment &candidate : m_workspace->workspace().environments()) {
                if (candidate.origin.sameItem(env.origin))
                    existing = &candidate;
            }
            auto *tier = readOnlyItem(TierBanner::tierLabel(existing ? existing->tier : env.tier));
            tier->setToolTip(tr("Already in the workspace: its tier stays as you set it."));
            m_environments->setItem(row, EnvTierColumn, tier);
            continue;
        }
        auto *tier = new QComboBox(m_environments);
        tier->setObjectName(QStringLiteral("importTier"));
        tier->setAccessibleName(tr("Tier of %1").arg(env.name));
        for (Tier t : {Tier::Sandbox, Tier::Staging, Tier::Production, Tier::Custom})
            tier->addItem(TierBanner::tierLabel(t), int(t));
        tier->setCurrentIndex(tier->findData(int(env.tier)));
        tier->setToolTip(tr("Guessed from the server's URL and description: confirm or change it."));
        m_environments->setCellWidget(row, EnvTierColumn, tier);
    }
    m_environments->resizeColumnsToContents();
}

void ImportPreviewDialog::buildInputs()
{
    for (const ImportPlan::Input &input : std::as_const(m_plan.inputs)) {
        const Environment *env = planEnvironment(input.environmentKey);
        const int row = m_inputs->rowCount();
        m_inputs->insertRow(row);
        auto *owner = readOnlyItem(env ? env->name : input.environmentKey);
        owner->setData(Qt::UserRole, input.environmentKey);
        m_inputs->setItem(row, InputEnvironmentColumn, owner);
        m_inputs->setItem(row, InputNameColumn, readOnlyItem(input.name));
        auto *value = new QTableWidgetItem(input.defaultValue);
        value->setToolTip(tr("Leave empty to fill it in later (Edit Environment, or tokenbench-cli env set)."));
        m_inputs->setItem(row, InputValueColumn, value);
        m_inputs->setItem(row, InputDescriptionColumn, readOnlyItem(input.description));
    }
    m_inputs->resizeColumnsToContents();
}

ImportPlan ImportPreviewDialog::confirmedPlan() const
{
    ImportPlan plan = m_plan;
    for (int row = 0; row < m_environments->rowCount(); ++row) {
        const auto *tier = qobject_cast<QComboBox *>(m_environments->cellWidget(row, EnvTierColumn));
        if (!tier)
            continue;
        const QString key = m_environments->item(row, EnvNameColumn)->data(Qt::UserRole).toString();
        for (Environment &env : plan.environments) {
            if (env.origin.key == key)
                env.tier = Tier(tier->currentData().toInt());
        }
    }
    for (int row = 0; row < m_inputs->rowCount(); ++row) {
        const QString key = m_inputs->item(row, InputEnvironmentColumn)->data(Qt::UserRole).toString();
        const QString name = m_inputs->item(row, InputNameColumn)->text();
        const QString value = m_inputs->item(row, InputValueColumn)->text().trimmed();
        if (value.isEmpty())
            continue;
        for (Environment &env : plan.environments) {
            if (env.origin.key != key)
                continue;
            if (name == QLatin1String("clientId")) {
                env.clientId = value;
            } else if (name == QLatin1String("username")) {
                env.username = value;
            } else {
                auto found = std::find_if(env.variables.begin(), env.variables.end(), [&name](const auto &v) { return v.first == name; });
                if (found != env.variables.end())
                    found->second = value;
                else
                    env.variables.append({name, value});
            }
        }
    }
    return plan;
}

void ImportPreviewDialog::import()
{
    if (m_importing)
        return;
    // Against the workspace as the file holds it now: another program's change is taken in first.
    m_workspace->syncWithDisk();
    struct Applied
    {
        Workspace workspace;
        ImportOutcome outcome;
        QString error;
        bool ok = false;
    };
    m_importing = true;
    m_importButton->setEnabled(false);
    m_error->setStyleSheet(QString());
    m_error->setText(tr("Importing…"));
    m_error->show();
    // Thousands of operations take a while to scan and merge: on a worker, against a copy.
    const Workspace base = m_workspace->workspace();
    auto promise = std::make_shared<QPromise<Applied>>();
    promise->start();
    auto *watcher = new QFutureWatcher<Applied>(this);
    connect(watcher, &QFutureWatcher<Applied>::finished, this, [this, watcher, base] {
        watcher->deleteLater();
        Applied applied = watcher->future().result();
        // The workspace changed meanwhile (another process, another window): apply to what it is now.
        if (applied.ok && !(m_workspace->workspace() == base)) {
            applied.workspace = m_workspace->workspace();
            applied.ok = WorkspaceImport::apply(&applied.workspace, confirmedPlan(), &applied.error, &applied.outcome);
        }
        m_importing = false;
        if (!applied.ok) {
            m_importButton->setEnabled(true);
            m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
            m_error->setText(tr("Not imported: %1").arg(applied.error));
            return;
        }
        m_workspace->replaceWorkspace(applied.workspace);
        using K = ImportAction::Kind;
        using I = ImportAction::Item;
        const QString summary = tr("Imported %1: %2 environment(s) and %3 request(s) added, %4 updated.")
                                    .arg(m_plan.title.isEmpty() ? m_plan.sourceKind : m_plan.title)
                                    .arg(applied.outcome.count(K::Add, I::Environment))
                                    .arg(applied.outcome.count(K::Add, I::Request))
                                    .arg(applied.outcome.count(K::Update, I::Environment) + applied.outcome.count(K::Update, I::Request));
        Q_EMIT imported(applied.outcome, summary);
        accept();
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, base, plan = confirmedPlan()] {
        Applied applied;
        applied.workspace = base;
        applied.ok = WorkspaceImport::apply(&applied.workspace, plan, &applied.error, &applied.outcome);
        promise->addResult(std::move(applied));
        promise->finish();
    });
}
