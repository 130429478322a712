#include "MainWindow.h"

#include "AboutDialog.h"
#include "ApiDocumentImporter.h"
#include "AuthorizeDialog.h"
#include "GrantInteractionPresenter.h"
#include "ComposerView.h"
#include "EnvironmentDelegate.h"
#include "EnvironmentDialogs.h"
#include "EnvironmentScopeCatalog.h"
#include "IntrospectionPanel.h"
#include "OperationsBrowser.h"
#include "matrix/MatrixWindow.h"
#include "contract/TryItDraft.h"
#include "PreferencesDialog.h"
#include "RequestExport.h"
#include "FindBar.h"
#include "ResponseView.h"
#include "ShortcutsDialog.h"
#include "TierBanner.h"
#include "TokenInspector.h"
#include "WorkspaceConflictPresenter.h"
#include "workspace/BuiltinEnvironmentResolver.h"
#include "HistoryPanel.h"
#include "ReplayNotice.h"
#include "history/HistoryModel.h"
#include "history/HistoryRecorder.h"
#include "history/HistoryStore.h"
#include "history/ReplayPlan.h"
#include "http/ApiCallResult.h"
#include "http/ProxyPolicy.h"
#include "interop/CurlCommand.h"
#include "request/PastedCurl.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
QToolButton *listButton(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    button->setAccessibleName(action->text().remove(QLatin1Char('&')));
    return button;
}
} // namespace

MainWindow::MainWindow(EnvironmentListModel *environments, Authorizer *authorizer, SecretStore *secrets, QWidget *parent)
    : QMainWindow(parent)
    , m_environments(environments)
    , m_authorizer(authorizer)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tokenbench"));
    createActions();
    createMenus();

    // Left: environments.
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 6, 6, 6);
    m_list = new QListView(side);
    m_list->setObjectName(QStringLiteral("environmentList"));
    m_list->setAccessibleName(tr("Environments"));
    m_list->setModel(m_environments);
    m_list->setItemDelegate(new EnvironmentDelegate(m_list));
    m_environmentDialogs = new EnvironmentDialogs(m_environments, m_authorizer, m_secrets, this);
    connect(m_environmentDialogs, &EnvironmentDialogs::added, this, [this](int row) { m_list->setCurrentIndex(m_environments->index(row)); });
    connect(m_environmentDialogs, &EnvironmentDialogs::edited, this, &MainWindow::updateForEnvironment);
    connect(m_environmentDialogs, &EnvironmentDialogs::message, this, [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    m_requestExport = new RequestExport(m_environments, m_authorizer, this);
    connect(m_requestExport, &RequestExport::message, this, [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    // Delete's context is the list (so the key still deletes text in fields): it needs the list
    // among the action's widgets for that context to match.
    m_list->addAction(m_deleteAction);
    auto *sideButtons = new QHBoxLayout;
    for (QAction *action : {m_newAction, m_duplicateAction, m_editAction, m_deleteAction})
        sideButtons->addWidget(listButton(action));
    sideButtons->addStretch();
    sideLayout->addWidget(m_list, 1);
    sideLayout->addLayout(sideButtons);
    auto *sideDock = new QDockWidget(tr("Environments"), this);
    sideDock->setObjectName(QStringLiteral("environmentsDock"));
    sideDock->setWidget(side);
    sideDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, sideDock);

    // Middle: the banner over the work area (the request composer will live here).
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    m_banner = new TierBanner(central);
    centralLayout->addWidget(m_banner);
    auto *start = new QWidget(central);
    start->setObjectName(QStringLiteral("startPanel"));
    auto *startLayout = new QHBoxLayout(start);
    startLayout->setContentsMargins(12, 8, 12, 4);
    m_hint = new QLabel(start);
    m_hint->setObjectName(QStringLiteral("startHint"));
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::RichText);
    m_authorizeButton = new QPushButton(tr("Authorize…"), start);
    m_authorizeButton->setObjectName(QStringLiteral("startAuthorize"));
    m_authorizeButton->setAccessibleName(tr("Authorize"));
    connect(m_authorizeButton, &QPushButton::clicked, this, &MainWindow::openAuthorizeDialog);
    m_summary = new QLabel(start);
    m_summary->setObjectName(QStringLiteral("tokenSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    startLayout->addWidget(m_hint, 1);
    startLayout->addWidget(m_summary);
    startLayout->addWidget(m_authorizeButton);
    centralLayout->addWidget(start);

    // The request area: one composer per tab, all on the active environment.
    m_requests = new QTabWidget(central);
    m_requests->setObjectName(QStringLiteral("requestTabs"));
    m_requests->setAccessibleName(tr("Requests"));
    m_requests->setTabsClosable(true);
    m_requests->setMovable(true);
    m_requests->setDocumentMode(true);
    auto *plus = new QToolButton(m_requests);
    plus->setObjectName(QStringLiteral("newRequestButton"));
    plus->setText(QStringLiteral("+"));
    plus->setAccessibleName(tr("New request"));
    plus->setToolTip(tr("New request (%1)").arg(QKeySequence(QKeySequence::AddTab).toString(QKeySequence::NativeText)));
    plus->setAutoRaise(true);
    connect(plus, &QToolButton::clicked, this, &MainWindow::newRequest);
    m_requests->setCornerWidget(plus, Qt::TopRightCorner);
    connect(m_requests, &QTabWidget::tabCloseRequested, this, &MainWindow::closeRequest);
    centralLayout->addWidget(m_requests, 1);
    setCentralWidget(central);

    // Right: the token inspector.
    m_inspector = new TokenInspector(m_authorizer->clock(), this);
    auto *inspectorDock = new QDockWidget(tr("Token"), this);
    inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    inspectorDock->setWidget(m_inspector);
    inspectorDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock);
    // Below the environments: the workspace's operations, as Swagger UI lists them.
    m_operations = new OperationsBrowser(m_environments, m_authorizer, this);
    connect(m_operations, &OperationsBrowser::tryItRequested, this, &MainWindow::openSavedRequest);
    auto *operationsDock = new QDockWidget(tr("Operations"), this);
    operationsDock->setObjectName(QStringLiteral("operationsDock"));
    operationsDock->setWidget(m_operations);
    operationsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    splitDockWidget(sideDock, operationsDock, Qt::Vertical);
    resizeDocks({sideDock, inspectorDock}, {360, 340}, Qt::Horizontal);
    resizeDocks({sideDock, operationsDock}, {200, 500}, Qt::Vertical);

    QMenu *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu"));
    view->addAction(sideDock->toggleViewAction());
    view->addAction(inspectorDock->toggleViewAction());
    view->addAction(operationsDock->toggleViewAction());

    m_keychainStatus = new QLabel(this);
    m_keychainStatus->setObjectName(QStringLiteral("keychainStatus"));
    m_demoStatus = new QLabel(this);
    m_demoStatus->setObjectName(QStringLiteral("demoStatus"));
    statusBar()->addWidget(m_keychainStatus, 1);
    statusBar()->addPermanentWidget(m_demoStatus);
    const auto showKeychain = [this] { m_keychainStatus->setText(tr("Secrets: %1").arg(m_secrets->statusText())); };
    connect(m_secrets, &SecretStore::keychainAvailabilityChanged, this, showKeychain);
    showKeychain();
    if (!m_secrets->isProbed())
        m_secrets->probe();
    if (const BuiltinEnvironmentResolver *demo = m_authorizer->builtinResolver(); demo && !demo->serverUrl().isEmpty())
        m_demoStatus->setText(tr("Demo API on %1").arg(demo->serverUrl().toDisplayString()));

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current.row()); });
    connect(m_environments, &QAbstractItemModel::dataChanged, this, &MainWindow::updateForEnvironment);
    connect(m_environments, &EnvironmentListModel::saveFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Not saved: %1").arg(message), 15000);
    });
    // Another program (tokenbench-cli, another window) saved the workspace: the list follows it,
    // and a conflict with an edit made here is put to the user.
    new WorkspaceConflictPresenter(m_environments, m_secrets, this);
    connect(m_environments, &EnvironmentListModel::environmentChangedElsewhere, this, [this](const QString &environmentId) {
        // Its token was fetched for the profile as it was.
        m_authorizer->forget(environmentId);
        statusBar()->showMessage(tr("Another program changed the workspace file; the environments shown are what it holds now."), 8000);
    });
    connect(m_authorizer, &Authorizer::tokenChanged, this, &MainWindow::onTokenChanged);
    connect(m_authorizer, &Authorizer::finished, this, &MainWindow::onAuthorizationFinished);
    connect(m_inspector, &TokenInspector::reauthorizeRequested, this, &MainWindow::reauthorize);
    // A grant that needs the person, for an authorization no open dialog shows (a send of an
    // expired token, Re-authorize): the Authorize dialog opens on it.
    new GrantInteractionPresenter(m_authorizer, this, [this](const QString &environmentId) -> AuthorizeDialog * {
        const Environment *env = m_environments->findById(environmentId);
        return env ? openAuthorizeDialogOn(*env, scopesFor(environmentId)) : nullptr;
    }, this);
    connect(m_inspector, &TokenInspector::renewDue, this, [this] {
        // Auto-renew: the refresh token first, the grant only when there is none or it is refused.
        if (const Environment *env = currentEnvironment(); env && !m_authorizer->isBusy(env->id)) {
            // Without a refresh token a grant that needs the person would pop up on a timer: say it instead.
            const auto held = m_authorizer->currentToken(env->id);
            if (Environment::isInteractive(env->grant) && (!held || held->refreshToken.isEmpty()) && !env->keepRefreshToken) {
                statusBar()->showMessage(tr("The token expires soon and no refresh token is held: Re-authorize (%1) to sign in again.")
                                             .arg(m_reauthorizeAction->shortcut().toString(QKeySequence::NativeText)), 15000);
                return;
            }
            AuthorizationCredentials renewal;
            renewal.renew = true;
            m_authorizer->authorize(*env, scopesFor(env->id), renewal);
        }
    });
    connect(m_authorizer, &Authorizer::loggedOut, this, [this](const QString &, bool, const QString &message) {
        statusBar()->showMessage(tr("Logged out: %1.").arg(message), 15000);
    });
    connect(m_inspector->introspectionPanel(), &IntrospectionPanel::introspectRequested, this, [this] { m_authorizer->introspect(m_currentId); });
    connect(m_authorizer, &Authorizer::introspected, this, [this](const QString &environmentId, const IntrospectionResult &result) {
        if (environmentId == m_currentId)
            m_inspector->introspectionPanel()->showResult(result);
    });

    setTabOrder(m_list, m_authorizeButton);
    setTabOrder(m_authorizeButton, m_requests);
    setTabOrder(m_requests, m_inspector);
    restoreSettings();
    // A first request to try, on whatever environment is active.
    ComposerView *first = newRequest();
    RequestDraft example;
    example.url = QStringLiteral("/accounts");
    first->setDraft(example);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    const auto make = [this](const QString &text, const QKeySequence &shortcut, const QString &name, auto slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        action->setToolTip(text.isEmpty() ? QString() : QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")));
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_authorizeAction = make(tr("&Authorize…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), QStringLiteral("authorizeAction"), &MainWindow::openAuthorizeDialog);
    m_reauthorizeAction = make(tr("&Re-authorize"), QKeySequence::Refresh, QStringLiteral("reauthorizeAction"), &MainWindow::reauthorize);
    m_logoutAction = make(tr("&Log out"), QKeySequence(), QStringLiteral("logoutAction"), [this] {
        if (!m_currentId.isEmpty())
            m_authorizer->logout(m_currentId);
    });
    m_importer = new ApiDocumentImporter(m_environments, this);
    connect(m_importer, &ApiDocumentImporter::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    // A new API's first environment is where its operations are tried and its scopes authorized.
    connect(m_importer, &ApiDocumentImporter::environmentsAdded, this, [this](const QStringList &names) {
        if (const Environment *first = m_environments->workspace().find(names.first()))
            selectEnvironment(first->id);
    });
    m_importAction = make(tr("&Import API Document…"), QKeySequence(Qt::CTRL | Qt::Key_I), QStringLiteral("importAction"),
                          [this] { m_importer->chooseFile(); });
    m_newAction = make(tr("&New Environment…"), QKeySequence::New, QStringLiteral("newEnvironmentAction"), &MainWindow::newEnvironment);
    m_duplicateAction = make(tr("&Duplicate Environment"), QKeySequence(Qt::CTRL | Qt::Key_D), QStringLiteral("duplicateEnvironmentAction"),
                             &MainWindow::duplicateEnvironment);
    m_editAction = make(tr("&Edit Environment…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStringLiteral("editEnvironmentAction"), &MainWindow::editEnvironment);
    m_deleteAction = make(tr("De&lete Environment…"), QKeySequence::Delete, QStringLiteral("deleteEnvironmentAction"), &MainWindow::deleteEnvironment);
    m_quitAction = make(tr("&Quit"), QKeySequence::Quit, QStringLiteral("quitAction"), &QWidget::close);
    m_newRequestAction = make(tr("New &Request"), QKeySequence::AddTab, QStringLiteral("newRequestAction"), [this] { newRequest(); });
    m_sendAction = make(tr("&Send Request"), QKeySequence(Qt::CTRL | Qt::Key_Return), QStringLiteral("sendAction"), [this] {
        if (ComposerView *composer = currentComposer())
            composer->send();
    });
    // The one owner of Ctrl+Return (the composer has none of its own: two would be ambiguous and
    // neither would fire): it sends the current tab's request from anywhere in the window.
    m_sendAction->setShortcutContext(Qt::WindowShortcut);
    m_closeRequestAction = make(tr("&Close Request"), QKeySequence::Close, QStringLiteral("closeRequestAction"),
                                [this] { closeRequest(m_requests->currentIndex()); });
    // Every key the platform closes a tab with: Ctrl+W, and Ctrl+F4 where that is the custom too.
    m_closeRequestAction->setShortcuts(QKeySequence::Close);
    m_focusUrlAction = make(tr("Go to &URL"), QKeySequence(Qt::CTRL | Qt::Key_L), QStringLiteral("focusUrlAction"), [this] {
        if (ComposerView *composer = currentComposer())
            composer->focusUrl();
    });
    m_findAction = make(tr("&Find in Response…"), QKeySequence::Find, QStringLiteral("findAction"), [this] {
        if (ComposerView *composer = currentComposer())
            composer->responseView()->find();
    });
    m_shortcutsAction = make(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, QStringLiteral("shortcutsAction"), &MainWindow::showShortcuts);
    // The platform's key where it has one (Ctrl+, on KDE, Cmd+, on macOS), else Ctrl+, as GNOME apps use.
    const QKeySequence preferencesKey = QKeySequence(QKeySequence::Preferences).isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Comma)
                                                                                           : QKeySequence(QKeySequence::Preferences);
    m_preferencesAction = make(tr("&Preferences…"), preferencesKey, QStringLiteral("preferencesAction"), &MainWindow::openPreferences);
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_saveRequestAction = make(tr("Sa&ve Request…"), QKeySequence::Save, QStringLiteral("saveRequestAction"), &MainWindow::saveRequest);
    m_copyCurlAction = make(tr("Copy as &curl"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), QStringLiteral("copyCurlAction"),
                            [this] { copyAsCurl(false); });
    m_copyCurlWithTokenAction = make(tr("Copy as curl &With the Real Token"), QKeySequence(), QStringLiteral("copyCurlWithTokenAction"),
                                     [this] { copyAsCurl(true); });
    m_pasteCurlAction = make(tr("&Paste curl as New Request"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V), QStringLiteral("pasteCurlAction"),
                             &MainWindow::pasteCurl);
    m_matrixAction = make(tr("&Scope Matrix…"), QKeySequence(Qt::CTRL | Qt::Key_M), QStringLiteral("scopeMatrixAction"), &MainWindow::openScopeMatrix);
    m_newAction->setIconText(tr("New"));
    m_duplicateAction->setIconText(tr("Duplicate"));
    m_editAction->setIconText(tr("Edit"));
    m_deleteAction->setIconText(tr("Delete"));
    // Delete only where the list has focus, so the key still deletes text in fields.
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_deleteAction->setProperty("shortcutScope", tr("in the environment list"));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Environment"));
    file->addAction(m_newAction);
    file->addAction(m_duplicateAction);
    file->addAction(m_editAction);
    file->addAction(m_deleteAction);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addSeparator();
    file->addAction(m_preferencesAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *request = menuBar()->addMenu(tr("&Request"));
    request->addAction(m_newRequestAction);
    request->addAction(m_sendAction);
    request->addAction(m_closeRequestAction);
    request->addAction(m_focusUrlAction);
    request->addAction(m_findAction);
    request->addAction(m_saveRequestAction);
    m_savedMenu = request->addMenu(tr("&Open Saved Request"));
    m_savedMenu->setObjectName(QStringLiteral("savedRequestsMenu"));
    // Filled when opened, so it always shows what the workspace holds now.
    connect(m_savedMenu, &QMenu::aboutToShow, this, [this] {
        m_savedMenu->clear();
        const auto &saved = m_environments->workspace().savedRequests();
        if (saved.isEmpty())
            m_savedMenu->addAction(tr("(none yet: Request ▸ Save Request…)"))->setEnabled(false);
        for (const SavedRequest &entry : saved) {
            QAction *open = m_savedMenu->addAction(entry.folder.isEmpty() ? entry.name : entry.folder + QStringLiteral(" / ") + entry.name);
            const QString id = entry.id;
            connect(open, &QAction::triggered, this, [this, id] { openSavedRequest(id); });
        }
    });
    request->addSeparator();
    request->addAction(m_copyCurlAction);
    request->addAction(m_copyCurlWithTokenAction);
    request->addAction(m_pasteCurlAction);
    QMenu *auth = menuBar()->addMenu(tr("&Authorization"));
    auth->addAction(m_authorizeAction);
    auth->addAction(m_reauthorizeAction);
    auth->addAction(m_logoutAction);
    QMenu *qa = menuBar()->addMenu(tr("&QA"));
    qa->setObjectName(QStringLiteral("qaMenu"));
    qa->addAction(m_matrixAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_shortcutsAction);
    QAction *about = help->addAction(tr("&About Tokenbench"), this, [this] {
        // Window-modal and not waited for; versions read now, libcurl's as loaded.
        auto *dialog = new AboutDialog(ComponentVersions::current(), m_secrets, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1180, 760);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString last = settings.value(QStringLiteral("window/lastEnvironment")).toString();
    if (!selectEnvironment(last) && m_environments->rowCount() > 0)
        m_list->setCurrentIndex(m_environments->index(0));
    updateForEnvironment();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/lastEnvironment"), m_currentId);
    event->accept();
}

void MainWindow::openScopeMatrix()
{
    if (!m_matrix) {
        m_matrix = new MatrixWindow(m_environments, m_authorizer, this);
        if (m_history)
            m_matrix->setHistory(m_history, historyModel()); // runs are recorded as sends are
    }
    m_matrix->setEnvironment(m_currentId);
    // Opened again while behind the main window: brought to the front.
    if (m_matrix->isVisible()) {
        m_matrix->raise();
        m_matrix->activateWindow();
    }
    m_matrix->show();
}

void MainWindow::showStartupProblem(const QString &message)
{
    statusBar()->showMessage(message);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Tokenbench"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // never exec(): the window stays responsive
}

bool MainWindow::selectEnvironment(const QString &environmentId)
{
    const int row = m_environments->rowOf(environmentId);
    if (row < 0)
        return false;
    m_list->setCurrentIndex(m_environments->index(row));
    return true;
}

const Environment *MainWindow::currentEnvironment() const
{
    return m_environments->findById(m_currentId);
}

QStringList MainWindow::scopesFor(const QString &environmentId) const
{
    if (m_scopes.contains(environmentId))
        return m_scopes.value(environmentId);
    const Environment *env = m_environments->findById(environmentId);
    return env ? env->scopes : QStringList();
}

void MainWindow::onCurrentRowChanged(int row)
{
    const Environment *env = m_environments->environmentAt(row);
    const QString id = env ? env->id : QString();
    // What the status bar said of the previous environment's authorization is not said of this one.
    if (id != m_currentId && !m_authFailure.isEmpty()) {
        if (statusBar()->currentMessage() == m_authFailure)
            statusBar()->clearMessage();
        m_authFailure.clear();
    }
    m_currentId = id;
    updateForEnvironment();
}

void MainWindow::updateForEnvironment()
{
    const Environment *env = currentEnvironment();
    m_operations->setEnvironment(env ? env->id : QString());
    if (!env) {
        m_demoStatus->hide();
        m_banner->clear();
        m_inspector->clear();
        m_hint->setText(tr("<b>No environment.</b> Create one with <b>Environment ▸ New Environment…</b> (%1).")
                            .arg(m_newAction->shortcut().toString(QKeySequence::NativeText)));
        updateActions();
        return;
    }
    const Environment resolved = m_authorizer->resolved(*env);
    // The Demo server's address is the Demo environment's business only.
    m_demoStatus->setVisible(env->isBuiltinDemo() && !m_demoStatus->text().isEmpty());
    m_banner->setEnvironment(*env, resolved.tokenUrl.toDisplayString());
    for (int i = 0; i < m_requests->count(); ++i)
        static_cast<ComposerView *>(m_requests->widget(i))->setEnvironment(*env);
    setWindowTitle(tr("%1 — Tokenbench").arg(env->name));
    if (env->isBuiltinDemo()) {
        m_hint->setText(tr("<b>Welcome!</b> The <b>Demo</b> is a real OAuth 2 server and API on this computer. "
                           "<b>Authorize…</b> (%1) to see the token on the right, then <b>Send</b> a request below.")
                            .arg(m_authorizeAction->shortcut().toString(QKeySequence::NativeText)));
    } else {
        m_hint->setText(tr("<b>%1</b> — token URL %2, API %3. Authorize (%4), or just send: a token is fetched when needed.")
                            .arg(env->name.toHtmlEscaped(), resolved.tokenUrl.toDisplayString().toHtmlEscaped(),
                                 resolved.apiBaseUrl.toDisplayString().toHtmlEscaped(),
                                 m_authorizeAction->shortcut().toString(QKeySequence::NativeText)));
    }
    onTokenChanged(m_currentId);
    updateActions();
}

void MainWindow::updateActions()
{
    const Environment *env = currentEnvironment();
    const bool has = env != nullptr;
    const bool busy = has && m_authorizer->isBusy(env->id);
    const bool token = has && m_authorizer->currentToken(env->id).has_value();
    m_authorizeAction->setEnabled(has);
    m_authorizeButton->setEnabled(has);
    m_reauthorizeAction->setEnabled(has && !busy);
    m_logoutAction->setEnabled(token);
    m_duplicateAction->setEnabled(has);
    m_editAction->setEnabled(has);
    m_deleteAction->setEnabled(has && !env->isBuiltinDemo());
}

void MainWindow::onTokenChanged(const QString &environmentId)
{
    if (environmentId != m_currentId)
        return;
    const Environment *env = currentEnvironment();
    if (const auto token = m_authorizer->currentToken(environmentId); token && env) {
        // A built-in environment's JWKS, issuer and client are its server's, resolved (never stored: its port changes).
        const Environment keysFrom = m_authorizer->resolved(*env);
        m_inspector->setSignatureKeys(keysFrom.provider.jwksUrl, keysFrom.trustedCertificates, keysFrom.provider.issuer, keysFrom.clientId);
        m_inspector->setSignatureProxy(ProxyPolicy::forEnvironment(keysFrom));
        m_inspector->setClientCertificate(keysFrom.clientCertificate);
        m_inspector->setToken(*token, env->name);
        m_summary->setText(tr("Authorized: %1 token with %2.")
                               .arg(token->tokenType,
                                    token->scopeSource == AccessToken::ScopeSource::NotReported
                                        ? tr("scopes not reported by the server")
                                        : tr("%n scope(s)", nullptr, int(token->grantedScopes.size()))));
    } else {
        m_inspector->clear();
        m_summary->setText(tr("No token yet."));
    }
    updateActions();
}

void MainWindow::onAuthorizationFinished(const QString &environmentId, const TokenResult &result)
{
    updateActions();
    if (environmentId != m_currentId || result.error.kind == OAuthError::Kind::Cancelled)
        return;
    if (result.ok()) {
        // A failure said for this environment is over: the status bar says so rather than keep it.
        if (!m_authFailure.isEmpty() && statusBar()->currentMessage() == m_authFailure)
            statusBar()->showMessage(tr("Authorized."), 5000);
        m_authFailure.clear();
        return;
    }
    m_authFailure = tr("Authorization failed: %1").arg(result.error.summary());
    statusBar()->showMessage(m_authFailure, 15000);
}

ComposerView *MainWindow::currentComposer() const
{
    return qobject_cast<ComposerView *>(m_requests->currentWidget());
}

ComposerView *MainWindow::newRequest()
{
    auto *composer = new ComposerView(m_authorizer, m_requests);
    if (const Environment *env = currentEnvironment())
        composer->setEnvironment(*env);
    const int index = m_requests->addTab(composer, composer->title());
    if (QWidget *close = m_requests->tabBar()->tabButton(index, QTabBar::RightSide))
        close->setAccessibleName(tr("Close this request"));
    connect(composer, &ComposerView::authorizeWithScopesRequested, this, &MainWindow::openAuthorizeDialogWith);
    connect(composer, &ComposerView::exchanged, this, [this, composer](const RequestDraft &draft, const ApiCallResult &result) {
        recordExchange(composer->environment().id, draft, result);
    });
    connect(composer, &ComposerView::titleChanged, this, [this, composer](const QString &title) {
        const int at = m_requests->indexOf(composer);
        if (at >= 0) {
            m_requests->setTabText(at, title.size() > 40 ? title.left(39) + QStringLiteral("…") : title);
            m_requests->setTabToolTip(at, title);
        }
    });
    m_requests->setCurrentIndex(index);
    composer->focusUrl();
    return composer;
}

ComposerView *MainWindow::openSavedRequest(const QString &requestId)
{
    const SavedRequest *found = m_environments->workspace().findRequestById(requestId);
    if (!found)
        return nullptr;
    const SavedRequest request = *found;
    ComposerView *composer = newRequest();
    composer->setDraft(TryItDraft::of(request, currentEnvironment()));
    composer->setProperty("savedRequestId", request.id);
    composer->setProperty("savedRequestName", request.name);
    return composer;
}

void MainWindow::showShortcuts()
{
    // Built from the menus' actions each time, so it lists what the keys really do now.
    auto *dialog = new ShortcutsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    for (QAction *menu : menuBar()->actions()) {
        if (menu->menu())
            dialog->addGroup(menu->text(), menu->menu()->actions());
    }
    if (ComposerView *composer = currentComposer())
        dialog->addGroup(tr("Find in the response"), composer->responseView()->findBar()->shortcutActions());
    dialog->open();
}

void MainWindow::openPreferences()
{
    // Window-modal and not waited for: the event loop goes on (a request keeps receiving).
    auto *dialog = new PreferencesDialog(m_secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::closeRequest(int index)
{
    auto *composer = qobject_cast<ComposerView *>(m_requests->widget(index));
    if (!composer)
        return;
    composer->cancel();
    m_requests->removeTab(index);
    composer->deleteLater();
}

void MainWindow::openAuthorizeDialog()
{
    openAuthorizeDialogWith(scopesFor(m_currentId));
}

void MainWindow::openAuthorizeDialogWith(const QStringList &scopes)
{
    if (const Environment *env = currentEnvironment())
        openAuthorizeDialogOn(*env, scopes);
}

AuthorizeDialog *MainWindow::openAuthorizeDialogOn(const Environment &environment, const QStringList &scopes)
{
    const Environment *env = &environment;
    ScopeCatalog catalog = EnvironmentScopeCatalog::of(*env);
    // A scope a denial named is one the API knows: listed with its resource, not as typed by hand.
    for (const QString &name : scopes) {
        if (std::none_of(catalog.cbegin(), catalog.cend(), [&name](const ScopeInfo &s) { return s.name == name; }))
            catalog.append(ScopeInfo::classify(name));
    }
    auto *dialog = new AuthorizeDialog(m_authorizer, m_secrets, *env, catalog, scopes, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = env->id;
    connect(m_authorizer, &Authorizer::started, dialog, [this, dialog, id](const QString &environmentId) {
        if (environmentId == id)
            m_scopes.insert(id, dialog->selectedScopes());
    });
    dialog->open();
    return dialog;
}

void MainWindow::reauthorize()
{
    const Environment *env = currentEnvironment();
    if (!env)
        return;
    m_authorizer->authorize(*env, scopesFor(env->id));
}

void MainWindow::newEnvironment()
{
    m_environmentDialogs->create();
}

void MainWindow::duplicateEnvironment()
{
    if (const Environment *source = m_environments->environmentAt(m_list->currentIndex().row()))
        m_environmentDialogs->duplicate(*source);
}

void MainWindow::editEnvironment()
{
    if (const Environment *env = currentEnvironment())
        m_environmentDialogs->edit(*env);
}

void MainWindow::deleteEnvironment()
{
    if (const Environment *env = currentEnvironment())
        m_environmentDialogs->remove(*env);
}

void MainWindow::copyAsCurl(bool withToken)
{
    if (ComposerView *composer = currentComposer())
        m_requestExport->copyAsCurl(composer, withToken, m_copyCurlWithTokenAction->text().remove(QLatin1Char('&')));
}

void MainWindow::pasteCurl()
{
    const CurlCommand::ParseResult parsed = CurlCommand::parse(QGuiApplication::clipboard()->text());
    if (!parsed.ok()) {
        statusBar()->showMessage(tr("The clipboard does not hold a curl command: %1").arg(parsed.error), 10000);
        return;
    }
    newRequest()->setDraft(PastedCurl::draft(parsed));
    if (!parsed.warnings.isEmpty())
        statusBar()->showMessage(parsed.warnings.join(QLatin1Char(' ')), 10000);
}

void MainWindow::setHistory(HistoryStore *store)
{
    m_history = store;
    m_historyPanel = new HistoryPanel(store, this);
    connect(m_historyPanel, &HistoryPanel::replayRequested, this, &MainWindow::replay);
    connect(m_historyPanel, &HistoryPanel::message, this, [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    auto *dock = new QDockWidget(tr("History"), this);
    dock->setObjectName(QStringLiteral("historyDock"));
    dock->setWidget(m_historyPanel);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    if (auto *environmentsDock = findChild<QDockWidget *>(QStringLiteral("environmentsDock"))) {
        tabifyDockWidget(environmentsDock, dock);
        environmentsDock->raise();
    }
    QMenu *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu"));
    view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_historyPanel->keepSecretsAction());
}

HistoryModel *MainWindow::historyModel() const
{
    return m_historyPanel ? m_historyPanel->model() : nullptr;
}

void MainWindow::recordExchange(const QString &environmentId, const RequestDraft &draft, const ApiCallResult &result)
{
    if (!m_historyPanel)
        return;
    // The environment as the workspace holds it, so its fingerprint does not depend on the Demo's port.
    const Environment *environment = m_environments->findById(environmentId);
    const HistoryEntry entry = HistoryRecorder::entryFor(environmentId, environment, draft, result);
    // Every secret of the environment (client secret, password, secret parameters: read from the
    // keychain if no token request read them yet) and every token of the session, current or
    // replaced, go to the redactor by value before the entry is written.
    const auto record = [this, entry] {
        for (const QString &secret : m_authorizer->knownSecrets().values())
            m_history->redactor().addSecret(secret);
        if (const auto token = m_authorizer->currentToken(entry.environmentId)) {
            m_history->redactor().addSecret(token->value);
            m_history->redactor().addSecret(token->refreshToken);
        }
        m_historyPanel->record(entry);
    };
    if (environment)
        m_authorizer->learnSecrets(*environment, this, record);
    else
        record();
}

void MainWindow::replay(const HistoryEntry &entry, bool sendNow)
{
    const Environment *env = m_environments->findById(entry.environmentId);
    const ReplayPlan plan = ReplayPlan::forEntry(entry, env);
    if (env && env->id != m_currentId)
        selectEnvironment(env->id);
    ComposerView *composer = newRequest();
    composer->setDraft(plan.draft);
    composer->setReplay(plan, ReplayNotice::describe(entry));
    m_requests->setTabIcon(m_requests->indexOf(composer), style()->standardIcon(QStyle::SP_BrowserReload));
    if (sendNow)
        composer->send();
}

void MainWindow::saveRequest()
{
    if (ComposerView *composer = currentComposer())
        m_requestExport->save(composer, m_currentId);
}
