// Renders Tokenbench's screens with the real widgets, driven as a user would, against the
// built-in Demo API, and writes them as PNG files into the folder given as the argument.
#include "AuthorizeDialog.h"
#include "ImportPreviewDialog.h"
#include "OperationsBrowser.h"
#include "contract/ApiDocumentReader.h"
#include "contract/WorkspaceImport.h"
#include "ComposerView.h"
#include "EnvironmentEditor.h"
#include "MainWindow.h"
#include "TokenInspector.h"
#include "matrix/MatrixModel.h"
#include "matrix/MatrixFailureFilter.h"
#include "matrix/MatrixWindow.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/EnvironmentListModel.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QTreeView>
#include <QPlainTextEdit>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScreen>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTableView>
#include <QScrollBar>
#include <QTest>

namespace {
bool save(QWidget *widget, const QString &dir, const QString &name)
{
    QTest::qWait(150); // let layouts settle and the countdown tick once
    const QString path = QDir(dir).filePath(name);
    const bool ok = widget->grab().save(path);
    qInfo("%s %s", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

// The Demo API described as its vendor would: an OpenAPI document whose operations name their scopes.
QByteArray demoDocument(const DemoServer &demo)
{
    return QStringLiteral(R"(openapi: 3.0.3
info: {title: Demo API, version: "1.0"}
servers:
  - url: %1
    description: Sandbox on this computer
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: %2
          scopes:
            accounts:read: List and read accounts and their balances
            accounts:execute: Create accounts
            trades:read: List and read trades
            trades:execute: Place trades
            customers:read: List and read customers
            customers:write: Update customer details
            transfers:read: List and read transfers
            transfers:execute: Start transfers between accounts
paths:
  /accounts:
    get: {operationId: listAccounts, tags: [Accounts], summary: List accounts, security: [{oauth: [accounts:read]}], responses: {"200": {description: OK}}}
    post: {operationId: createAccount, tags: [Accounts], summary: Open an account, security: [{oauth: [accounts:execute]}], responses: {"201": {description: Created}}}
  /accounts/{accountId}:
    get:
      operationId: getAccount
      tags: [Accounts]
      summary: One account and its balance
      parameters: [{name: accountId, in: path, required: true, schema: {type: string}}]
      security: [{oauth: [accounts:read]}]
      responses: {"200": {description: OK}}
  /trades:
    get: {operationId: listTrades, tags: [Trades], summary: List trades, security: [{oauth: [trades:read]}], responses: {"200": {description: OK}}}
    post:
      operationId: createTrade
      tags: [Trades]
      summary: Place a trade
      security: [{oauth: [trades:execute]}]
      requestBody:
        content:
          application/json:
            example: {symbol: BTC-USD, side: buy, amount: "0.5"}
      responses: {"201": {description: Created}}
  /customers:
    get: {operationId: listCustomers, tags: [Customers], summary: List customers, security: [{oauth: [customers:read]}, {oauth: [customers:write]}], responses: {"200": {description: OK}}}
  /customers/{customerId}:
    patch:
      operationId: updateCustomer
      tags: [Customers]
      summary: Update a customer's details
      parameters: [{name: customerId, in: path, required: true, schema: {type: string}}]
      security: [{oauth: [customers:write]}]
      requestBody: {content: {application/json: {schema: {type: object, properties: {email: {type: string}, phone: {type: string}}}}}}
      responses: {"200": {description: OK}}
  /transfers:
    post: {operationId: createTransfer, tags: [Transfers], summary: Move money between accounts, security: [{oauth: [transfers:execute, accounts:read]}], responses: {"201": {description: Created}}}
  /me:
    get: {operationId: whoAmI, summary: The caller as the API sees it, security: [{oauth: []}], responses: {"200": {description: OK}}}
)")
        .arg(demo.apiUrl().toString(), demo.tokenUrl().toString())
        .toUtf8();
}

template<typename T>
T *waitFor(QWidget *parent)
{
    T *found = nullptr;
    const bool shown = QTest::qWaitFor([&] { return (found = parent->findChild<T *>()) && found->isVisible(); }, 5000);
    return shown ? found : nullptr;
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("Tokenbench-screenshots"));
    QApplication::setApplicationName(QStringLiteral("Tokenbench"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/screenshots");
    QDir().mkpath(out);

    QTemporaryDir dir;
    SecretStore secrets(QStringLiteral("Tokenbench-screenshots"));
    DemoServer demo;
    demo.start();
    EnvironmentListModel environments;
    environments.open(dir.filePath(QStringLiteral("ws.json")), nullptr);
    Authorizer authorizer(&secrets);
    authorizer.setBuiltinResolver(demo.environmentResolver());
    authorizer.setWorkspaceId(environments.workspace().id());

    MainWindow window(&environments, &authorizer, &secrets);
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        qWarning("the main window was never exposed");
    bool ok = save(&window, out, QStringLiteral("main-window.png"));

    QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("startAuthorize")), Qt::LeftButton);
    auto *dialog = waitFor<AuthorizeDialog>(&window);
    ok = dialog && save(dialog, out, QStringLiteral("authorize-dialog.png")) && ok;
    if (dialog) {
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("authorizeButton")), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return window.inspector()->hasToken(); }, 5000))
            qWarning("no token after authorizing");
        ok = save(dialog, out, QStringLiteral("authorize-dialog-granted.png")) && ok;
        dialog->reject();
    }
    ok = save(&window, out, QStringLiteral("token-inspector.png")) && ok;

    // The composer: the first request, then a denial explained.
    if (ComposerView *composer = window.currentComposer()) {
        QTest::mouseClick(composer->findChild<QPushButton *>(QStringLiteral("send")), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return composer->lastResult().answered(); }, 5000))
            qWarning("no answer to the first request");
        ok = save(&window, out, QStringLiteral("composer.png")) && ok;
    }
    if (ComposerView *denied = window.newRequest()) {
        RequestDraft draft;
        draft.method = QStringLiteral("POST");
        draft.url = QStringLiteral("/trades");
        draft.body = R"({"symbol": "BTC-USD", "side": "buy", "amount": "0.5"})";
        draft.contentType = QStringLiteral("application/json");
        denied->setDraft(draft);
        QTest::mouseClick(denied->findChild<QPushButton *>(QStringLiteral("send")), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return denied->lastResult().answered(); }, 5000))
            qWarning("no answer to the denied request");
        ok = save(&window, out, QStringLiteral("denial.png")) && ok;
    }
    if (ComposerView *upload = window.newRequest()) {
        // A multipart form with a file, as a dispute's evidence upload would send it.
        const QString evidence = QDir(out).filePath(QStringLiteral("composer.png"));
        RequestDraft draft;
        draft.method = QStringLiteral("POST");
        draft.url = QStringLiteral("/disputes/{{disputeId}}/evidence");
        draft.extraVariables = {{QStringLiteral("disputeId"), QStringLiteral("PP-D-4711")}};
        draft.formParts = {{QStringLiteral("note"), QStringLiteral("Delivered on behalf of {{userId}}"), false, true},
                           {QStringLiteral("evidence_type"), QStringLiteral("PROOF_OF_FULFILLMENT"), false, true},
                           {QStringLiteral("evidence_file"), evidence, true, true}};
        upload->setDraft(draft);
        auto *parts = upload->findChild<QTabWidget *>(QStringLiteral("requestParts"));
        parts->setCurrentIndex(2);
        QTest::qWait(300);
        ok = save(&window, out, QStringLiteral("multipart-form.png")) && ok;
    }

    Environment staging;
    staging.name = QStringLiteral("Cymbio staging");
    staging.tier = Tier::Staging;
    staging.tokenUrl = QUrl(QStringLiteral("https://cymbio3-api-staging.cym.bio/oauth/token"));
    staging.apiBaseUrl = QUrl(QStringLiteral("https://cymbio3-api-staging.cym.bio/"));
    staging.clientId = QStringLiteral("supplier-client");
    staging.clientAuth = ClientAuthStyle::Body;
    staging.scopes = {QStringLiteral("read:orders"), QStringLiteral("write:fulfillments")};
    staging.params = {{QStringLiteral("username"), QStringLiteral("supplier@example.com"), false}, {QStringLiteral("password"), {}, true}};
    staging.headers = {{QStringLiteral("X-On-Behalf-Of"), QStringLiteral("user {{userId}}")}};
    staging.variables = {{QStringLiteral("userId"), QStringLiteral("42")}};
    environments.upsert(staging);

    Environment production = staging;
    production.id.clear();
    production.name = QStringLiteral("Cymbio production");
    production.tier = Tier::Production;
    production.tokenUrl = QUrl(QStringLiteral("https://api.cym.bio/oauth/token"));
    production.apiBaseUrl = QUrl(QStringLiteral("https://api.cym.bio/"));
    const int prodRow = environments.upsert(production);
    auto *list = window.findChild<QListView *>(QStringLiteral("environmentList"));
    list->setCurrentIndex(environments.index(prodRow));
    ok = save(&window, out, QStringLiteral("production.png")) && ok;

    window.editEnvironment();
    if (auto *editor = waitFor<EnvironmentEditor>(&window)) {
        ok = save(editor, out, QStringLiteral("environment-editor.png")) && ok;
        editor->reject();
    }

    // An API document imported: the preview, then the operations marked against the Demo's token.
    QString error;
    if (const auto plan = ApiDocumentReader::read(demoDocument(demo), &error)) {
        auto *preview = new ImportPreviewDialog(&environments, *plan, QStringLiteral("demo-api.openapi.yaml"), &window);
        preview->show();
        ok = save(preview, out, QStringLiteral("import-preview.png")) && ok;
        preview->import();
        if (!QTest::qWaitFor([&] { return !preview->isVisible(); }, 30000))
            qWarning("the import did not finish");
        list->setCurrentIndex(environments.index(0)); // the Demo, authorized above
        auto *operations = window.findChild<QDockWidget *>(QStringLiteral("operationsDock"));
        window.resizeDocks({operations}, {600}, Qt::Horizontal);
        window.resizeDocks({window.findChild<QDockWidget *>(QStringLiteral("environmentsDock")), operations}, {150, 600}, Qt::Vertical);
        auto *view = window.operationsBrowser()->view();
        // Try it on one account: its path parameter waits in the Variables tab.
        view->setCurrentIndex(view->model()->index(2, 0, view->model()->index(0, 0)));
        window.operationsBrowser()->tryItSelected();
        if (ComposerView *tried = window.currentComposer())
            tried->findChild<QTabWidget *>(QStringLiteral("requestParts"))->setCurrentIndex(4);
        ok = save(&window, out, QStringLiteral("operations-browser.png")) && ok;
    } else {
        qWarning("the Demo's API document was refused: %s", qPrintable(error));
        ok = false;
    }
    // QA ▸ Scope Matrix: the Demo's example plan run against the Demo, with the flaw the tests use
    // switched on (only now: the pictures above show the Demo as it is), so one endpoint is
    // over-permissive as a real finding looks; its exchange below the matrix.
    list->setCurrentIndex(environments.index(0));
    window.openScopeMatrix();
    if (MatrixWindow *matrix = window.matrixWindow()) {
        matrix->resize(1560, 860);
        const QString planPath = dir.filePath(QStringLiteral("demo.json"));
        QFile::copy(QStringLiteral(":/plans/demo.json"), planPath);
        matrix->usePlanFile(MatrixPlanLoader::Source::PlanFile, planPath);
        if (!QTest::qWaitFor([&] { return !matrix->isLoading() && matrix->model()->rowCount() > 0; }, 10000))
            qWarning("the Demo's plan was not read: %s", qPrintable(matrix->summaryText()));
        demo.setOverPermissiveForTests(true);
        matrix->run();
        if (!QTest::qWaitFor([&] { return !matrix->isRunning(); }, 30000))
            qWarning("the matrix run did not finish");
        demo.setOverPermissiveForTests(false);
        for (int cell = 0; cell < matrix->model()->cells().size(); ++cell) {
            const auto result = matrix->model()->result(cell);
            if (result && result->verdict == MatrixVerdict::OverPermissive) {
                matrix->view()->setCurrentIndex(matrix->filter()->mapFromSource(matrix->model()->indexOfCell(cell)));
                break;
            }
        }
        matrix->view()->scrollToTop();
        matrix->view()->horizontalScrollBar()->setValue(0);
        ok = save(matrix, out, QStringLiteral("scope-matrix.png")) && ok;
    } else {
        ok = false;
    }
    return ok ? 0 : 1;
}
