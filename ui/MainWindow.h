#pragma once

#include "scopes/ScopeInfo.h"
#include "workspace/Environment.h"

#include <QHash>
#include <QMainWindow>
#include <QStringList>

class Authorizer;
class AuthorizeDialog;
class ComposerView;
class HistoryModel;
class HistoryPanel;
class HistoryStore;
struct HistoryEntry;
struct ApiCallResult;
struct RequestDraft;
class EnvironmentListModel;
class QTabWidget;
class QAction;
struct SavedRequest;
class QMenu;
class QLabel;
class QListView;
class QPushButton;
class EnvironmentDialogs;
class OperationsBrowser;
class RequestExport;
class MatrixWindow;
class ApiDocumentImporter;
class SecretStore;
class TierBanner;
class TokenInspector;
struct TokenResult;

// The window people open every day: environments on the left, the active one in a tier-coloured
// banner, the work area in the middle, and the token inspector on the right.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(EnvironmentListModel *environments, Authorizer *authorizer, SecretStore *secrets, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Turns on the history panel: every exchange is kept there, redacted unless the user opts in.
    void setHistory(HistoryStore *store);
    HistoryModel *historyModel() const;
    HistoryPanel *historyPanel() const { return m_historyPanel; }
    OperationsBrowser *operationsBrowser() const { return m_operations; }
    ApiDocumentImporter *importer() const { return m_importer; }
    // QA ▸ Scope Matrix's window; nullptr until first opened.
    MatrixWindow *matrixWindow() const { return m_matrix; }

    // A problem found while starting (unreadable workspace, no Demo API), shown without blocking.
    void showStartupProblem(const QString &message);

    QString currentEnvironmentId() const { return m_currentId; }
    bool selectEnvironment(const QString &environmentId);
    TokenInspector *inspector() const { return m_inspector; }
    ComposerView *currentComposer() const;
    QTabWidget *requestTabs() const { return m_requests; }
    QStringList scopesFor(const QString &environmentId) const;

public Q_SLOTS:
    ComposerView *newRequest();
    // A new tab with the saved request ready to try: its documented scopes selected, its path
    // parameters among its variables (TryItDraft). The Open Saved Request menu and the
    // operations browser's Try it both come here.
    ComposerView *openSavedRequest(const QString &requestId);
    void closeRequest(int index);
    void openAuthorizeDialog();
    // The dialog with these scopes selected; any the catalog lacks join their resource's group.
    void openAuthorizeDialogWith(const QStringList &scopes);
    void reauthorize();
    void newEnvironment();
    void duplicateEnvironment();
    void editEnvironment();
    void deleteEnvironment();
    void saveRequest();
    void copyAsCurl(bool withToken);
    void pasteCurl();
    void showShortcuts();
    void openPreferences();
    // QA ▸ Scope Matrix…: one window, on the current environment when it is not running.
    void openScopeMatrix();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    AuthorizeDialog *openAuthorizeDialogOn(const Environment &environment, const QStringList &scopes);
    void createActions();
    void createMenus();
    void onCurrentRowChanged(int row);
    void onTokenChanged(const QString &environmentId);
    void onAuthorizationFinished(const QString &environmentId, const TokenResult &result);
    void updateForEnvironment();
    void updateActions();
    const Environment *currentEnvironment() const;
    void restoreSettings();
    void recordExchange(const QString &environmentId, const RequestDraft &draft, const ApiCallResult &result);
    // A new tab with the entry's request as composed, on its environment; sent at once when sendNow.
    void replay(const HistoryEntry &entry, bool sendNow);

    EnvironmentListModel *m_environments;
    Authorizer *m_authorizer;
    SecretStore *m_secrets;
    QString m_currentId;
    QHash<QString, QStringList> m_scopes; // last requested scope set per environment

    TierBanner *m_banner;
    QListView *m_list;
    TokenInspector *m_inspector;
    QTabWidget *m_requests;
    QLabel *m_hint;
    QLabel *m_summary;
    QPushButton *m_authorizeButton;
    QLabel *m_keychainStatus;
    QLabel *m_demoStatus;
    QString m_authFailure; // the status bar's "Authorization failed" for the current environment

    QAction *m_authorizeAction;
    QAction *m_reauthorizeAction;
    QAction *m_logoutAction;
    QAction *m_newAction;
    QAction *m_duplicateAction;
    QAction *m_editAction;
    QAction *m_deleteAction;
    QAction *m_quitAction;
    QAction *m_newRequestAction;
    QAction *m_sendAction;
    QAction *m_closeRequestAction;
    QAction *m_focusUrlAction;
    QAction *m_findAction;
    QAction *m_shortcutsAction;
    QAction *m_preferencesAction;
    QAction *m_saveRequestAction;
    QMenu *m_savedMenu = nullptr;
    QAction *m_copyCurlAction;
    QAction *m_copyCurlWithTokenAction;
    QAction *m_pasteCurlAction;

    HistoryStore *m_history = nullptr;
    HistoryPanel *m_historyPanel = nullptr;
    OperationsBrowser *m_operations;
    ApiDocumentImporter *m_importer;
    QAction *m_importAction;
    QAction *m_matrixAction;
    MatrixWindow *m_matrix = nullptr; // a child window, made when first opened
    EnvironmentDialogs *m_environmentDialogs;
    RequestExport *m_requestExport;
};
