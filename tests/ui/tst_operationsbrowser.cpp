#include "ApiDocumentImporter.h"
#include "AuthorizeDialog.h"
#include "ImportPreviewDialog.h"
#include "ComposerView.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "OperationsBrowser.h"
#include "RequestVariablesEditor.h"
#include "ScopePicker.h"
#include "contract/OperationFilter.h"
#include "contract/OperationModel.h"
#include "demo/DemoServer.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"
#include "support/EventLoopStallMeter.h"
#include "support/WidgetTestMain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QLabel>
#include <QTimer>
#include <QMessageBox>
#include <QTreeWidget>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;

// The operations browser and "Try it" in the main window, against the built-in Demo API: the
// saved requests an import makes, listed, filtered, marked against the held token and opened.
class TestOperationsBrowser : public QObject, private DesktopFixture
{
    Q_OBJECT

private:

    OperationsBrowser *browser() const { return m_window->operationsBrowser(); }
    QTreeView *view() const { return browser()->findChild<QTreeView *>(u"operationsView"_s); }
    QLineEdit *filterBox() const { return browser()->findChild<QLineEdit *>(u"operationsFilter"_s); }

    static SavedRequest operation(const QString &name, const QString &folder, const QString &method, const QString &url,
                                  const QString &summary, const QList<ScopeRequirement> &required)
    {
        SavedRequest request;
        request.name = name;
        request.folder = folder;
        request.summary = summary;
        request.draft.method = method;
        request.draft.url = url;
        request.requiredScopes = required;
        request.origin = {u"openapi:Demo"_s, name, u"1.0"_s};
        return request;
    }

    // The rows the view shows now, requests only: name → (group, row) in the view's model.
    QModelIndex shownRequest(const QString &name) const
    {
        QAbstractItemModel *shown = view()->model();
        for (int g = 0; g < shown->rowCount(); ++g) {
            const QModelIndex group = shown->index(g, 0);
            for (int r = 0; r < shown->rowCount(group); ++r) {
                const QModelIndex row = shown->index(r, 0, group);
                const QString id = row.data(OperationModel::RequestIdRole).toString();
                if (const SavedRequest *request = m_model->workspace().findRequestById(id); request && request->name == name)
                    return row;
            }
        }
        return {};
    }

    int shownRequestCount() const
    {
        QAbstractItemModel *shown = view()->model();
        int count = 0;
        for (int g = 0; g < shown->rowCount(); ++g)
            count += shown->rowCount(shown->index(g, 0));
        return count;
    }

    QString mark(const QString &name) const
    {
        return shownRequest(name).siblingAtColumn(OperationModel::AccessColumn).data().toString();
    }

    void filterBy(const QString &text)
    {
        filterBox()->clear();
        QTest::keyClicks(filterBox(), text);
    }

    void selectEnvironment(int row)
    {
        auto *list = m_window->findChild<QListView *>(u"environmentList"_s);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(m_model->index(row)).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_operationsbrowser"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void emptyWorkspaceSaysHowToFillIt()
    {
        QVERIFY(browser()->isVisible());
        QVERIFY(browser()->findChild<QLabel *>(u"operationsEmpty"_s)->isVisible());
        QVERIFY(!view()->isVisible());
        QVERIFY(!browser()->findChild<QPushButton *>(u"tryIt"_s)->isEnabled());
    }

    void listsSavedRequestsByFolderAsTheWorkspaceChanges()
    {
        const QString oauth = u"oauth"_s;
        QVERIFY(m_model->saveRequest(operation(u"listAccounts"_s, u"Accounts"_s, u"GET"_s, u"/accounts"_s, u"List accounts"_s,
                                               {{oauth, {u"accounts:read"_s}}})));
        SavedRequest getAccount = operation(u"getAccount"_s, u"Accounts"_s, u"GET"_s, u"/accounts/{{accountId}}"_s, u"One account"_s,
                                            {{oauth, {u"accounts:read"_s}}, {oauth, {u"accounts:write"_s}}});
        getAccount.draft.queryParams.append({u"expand"_s, u"{{expand}}"_s, true});
        getAccount.draft.extraVariables.append({u"expand"_s, u"owner"_s});
        QVERIFY(m_model->saveRequest(getAccount));
        SavedRequest trade = operation(u"createTrade"_s, u"Trades"_s, u"POST"_s, u"/trades"_s, u"Place a trade"_s,
                                       {{oauth, {u"trades:execute"_s}}, {u"other"_s, {u"trades:read"_s, u"accounts:read"_s}}});
        trade.draft.body = R"({"symbol": "", "side": "buy"})";
        trade.draft.contentType = u"application/json"_s;
        QVERIFY(m_model->saveRequest(trade));
        QVERIFY(m_model->saveRequest(operation(u"health"_s, QString(), u"GET"_s, u"/health"_s, QString(), {})));

        // Added through the workspace, shown without anything else being done.
        QTRY_VERIFY(view()->isVisible());
        QAbstractItemModel *shown = view()->model();
        QCOMPARE(shown->rowCount(), 3);
        QVERIFY(shown->index(0, 0).data().toString().startsWith(u"Accounts"_s));
        QVERIFY(shown->index(1, 0).data().toString().startsWith(u"Trades"_s));
        QVERIFY(shown->index(2, 0).data().toString().startsWith(u"Other requests"_s)); // no folder: last
        QCOMPARE(shown->rowCount(shown->index(0, 0)), 2);
        QVERIFY(view()->isExpanded(shown->index(0, 0)));
        const QModelIndex row = shownRequest(u"createTrade"_s);
        QCOMPARE(row.siblingAtColumn(OperationModel::MethodColumn).data().toString(), u"POST"_s);
        QCOMPARE(row.siblingAtColumn(OperationModel::PathColumn).data().toString(), u"/trades"_s);
        QCOMPARE(row.siblingAtColumn(OperationModel::SummaryColumn).data().toString(), u"Place a trade"_s);
        // Alternatives as "a b | c", never merged.
        QCOMPARE(row.siblingAtColumn(OperationModel::ScopesColumn).data().toString(), u"trades:execute | trades:read accounts:read"_s);
        // Without a summary, the name says what it is.
        QCOMPARE(shownRequest(u"health"_s).siblingAtColumn(OperationModel::SummaryColumn).data().toString(), u"health"_s);
        QCOMPARE(browser()->findChild<QLabel *>(u"operationsCount"_s)->text(), u"4 operations"_s);
    }

    void filterMatchesMethodPathNameSummaryAndScope()
    {
        filterBy(u"trades:execute"_s);
        QCOMPARE(shownRequestCount(), 1);
        QVERIFY(shownRequest(u"createTrade"_s).isValid());
        QCOMPARE(view()->model()->rowCount(), 1); // groups without a match go

        filterBy(u"post"_s); // the method, any case
        QCOMPARE(shownRequestCount(), 1);
        filterBy(u"/accounts/"_s); // the path
        QCOMPARE(shownRequestCount(), 1);
        QVERIFY(shownRequest(u"getAccount"_s).isValid());
        filterBy(u"health"_s); // the name
        QCOMPARE(shownRequestCount(), 1);
        filterBy(u"ONE ACCOUNT"_s); // the summary, every word
        QCOMPARE(shownRequestCount(), 1);
        filterBy(u"get accounts:read"_s); // words anywhere: a method and a scope
        QCOMPARE(shownRequestCount(), 2);
        filterBy(u"accounts:read"_s); // an alternative's scope counts too
        QCOMPARE(shownRequestCount(), 3);
        filterBy(u"nothing-like-this"_s);
        QCOMPARE(shownRequestCount(), 0);
        QCOMPARE(browser()->findChild<QLabel *>(u"operationsCount"_s)->text(), u"0 of 4 operations"_s);

        filterBox()->clear();
        QCOMPARE(shownRequestCount(), 4);
    }

    void marksFollowTheCurrentToken()
    {
        selectEnvironment(0); // the Demo
        // No token: nothing to judge.
        QCOMPARE(mark(u"listAccounts"_s), QString());
        QCOMPARE(mark(u"createTrade"_s), QString());

        m_authorizer->authorize(*m_model->environmentAt(0), {u"accounts:read"_s});
        QTRY_VERIFY(m_authorizer->currentToken(m_model->environmentAt(0)->id).has_value());
        QTRY_COMPARE(mark(u"listAccounts"_s), u"✓"_s);
        QCOMPARE(mark(u"getAccount"_s), u"✓"_s); // its first alternative is granted
        // Neither alternative granted: the closest one's missing scope.
        QCOMPARE(mark(u"createTrade"_s), u"missing trades:execute"_s);
        QCOMPARE(shownRequest(u"createTrade"_s).siblingAtColumn(OperationModel::AccessColumn).data(OperationModel::MissingScopesRole).toStringList(),
                 QStringList{u"trades:execute"_s});
        QCOMPARE(mark(u"health"_s), u"–"_s); // nothing documented

        // A token with the second alternative's scopes grants it.
        m_authorizer->authorize(*m_model->environmentAt(0), {u"trades:read"_s, u"accounts:read"_s});
        QTRY_COMPARE(mark(u"createTrade"_s), u"✓"_s);

        // Another environment, with no token: neutral again; back on the Demo, its token counts.
        Environment other;
        other.name = u"Elsewhere"_s;
        other.tokenUrl = m_demo.tokenUrl();
        other.apiBaseUrl = m_demo.apiUrl();
        other.clientId = DemoServer::clientId();
        selectEnvironment(m_model->upsert(other));
        QTRY_COMPARE(mark(u"createTrade"_s), QString());
        selectEnvironment(0);
        QCOMPARE(mark(u"createTrade"_s), u"✓"_s);

        m_authorizer->logout(m_model->environmentAt(0)->id);
        QTRY_COMPARE(mark(u"createTrade"_s), QString());
    }

    void enterOpensAComposerReadyToTry()
    {
        selectEnvironment(0);
        const int tabs = m_window->requestTabs()->count();
        view()->setFocus();
        view()->setCurrentIndex(shownRequest(u"getAccount"_s));
        QVERIFY(browser()->findChild<QPushButton *>(u"tryIt"_s)->isEnabled());
        QTest::keyClick(view(), Qt::Key_Return);
        QCOMPARE(m_window->requestTabs()->count(), tabs + 1);
        ComposerView *composer = m_window->currentComposer();
        const RequestDraft draft = composer->draft();
        QCOMPARE(draft.method, u"GET"_s);
        QCOMPARE(draft.url, u"/accounts/{{accountId}}"_s);
        // The first alternative, exactly: the token fetched has those scopes and no more.
        QCOMPARE(draft.scopes, QStringList{u"accounts:read"_s});
        QCOMPARE(draft.scopeMatch, ScopeMatch::Exact);
        // Checked in the Scopes tab's picker, among the environment's catalog.
        auto *picker = composer->findChild<ScopePicker *>(u"requestScopes"_s);
        QVERIFY(picker);
        const QAbstractItemModel *pickerView = picker->findChild<QTreeView *>(u"scopeTree"_s)->model();
        const auto checkOf = [pickerView](const QString &scope) {
            const QModelIndexList found = pickerView->match(pickerView->index(0, 0), ScopeModel::NameRole, scope, 1,
                                                            Qt::MatchExactly | Qt::MatchRecursive);
            return found.isEmpty() ? -1 : found.first().data(Qt::CheckStateRole).toInt();
        };
        QCOMPARE(checkOf(u"accounts:read"_s), int(Qt::Checked));
        QCOMPARE(checkOf(u"trades:read"_s), int(Qt::Unchecked));
        // The path parameter is a variable to fill in, beside the document's example for the query.
        auto *variables = composer->findChild<RequestVariablesEditor *>(u"requestVariables"_s);
        QVERIFY(variables);
        const QList<QPair<QString, QString>> expected{{u"expand"_s, u"owner"_s}, {u"accountId"_s, QString()}};
        QCOMPARE(variables->variables(), expected);
        // Filling it in, in the Variables tab, is what the request sends.
        QTableWidget *table = variables->table();
        QCOMPARE(table->item(1, 0)->text(), u"accountId"_s);
        table->item(1, 1)->setText(u"acc-42"_s);
        auto *preview = composer->findChild<QPlainTextEdit *>(u"preview"_s);
        QTRY_VERIFY2(preview->toPlainText().contains(u"/accounts/acc-42?expand=owner"_s), qPrintable(preview->toPlainText()));
        QCOMPARE(composer->property("savedRequestName").toString(), u"getAccount"_s);
    }

    void doubleClickAndTheButtonTryItToo()
    {
        const int tabs = m_window->requestTabs()->count();
        const QModelIndex trade = shownRequest(u"createTrade"_s);
        const QRect rect = view()->visualRect(trade.siblingAtColumn(OperationModel::PathColumn));
        QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(m_window->requestTabs()->count(), tabs + 1);
        RequestDraft draft = m_window->currentComposer()->draft();
        QCOMPARE(draft.method, u"POST"_s);
        QCOMPARE(draft.scopes, QStringList{u"trades:execute"_s});
        QCOMPARE(draft.body, QByteArray(R"({"symbol": "", "side": "buy"})")); // the body skeleton

        view()->setCurrentIndex(shownRequest(u"listAccounts"_s));
        QTest::mouseClick(browser()->findChild<QPushButton *>(u"tryIt"_s), Qt::LeftButton);
        QCOMPARE(m_window->requestTabs()->count(), tabs + 2);
        draft = m_window->currentComposer()->draft();
        QCOMPARE(draft.url, u"/accounts"_s);
        QVERIFY(draft.extraVariables.isEmpty()); // nothing to fill in

        // A group row is no operation: Enter on it opens nothing.
        view()->setCurrentIndex(view()->model()->index(0, 0));
        QVERIFY(!browser()->findChild<QPushButton *>(u"tryIt"_s)->isEnabled());
        QTest::keyClick(view(), Qt::Key_Return);
        QCOMPARE(m_window->requestTabs()->count(), tabs + 2);
    }

    void authorizeDialogOffersTheImportedCatalog()
    {
        Environment imported;
        imported.name = u"Imported API"_s;
        imported.tokenUrl = m_demo.tokenUrl();
        imported.apiBaseUrl = m_demo.apiUrl();
        imported.clientId = DemoServer::clientId();
        imported.scopes = {u"accounts:read"_s};
        imported.scopeCatalog = {{u"accounts:read"_s, u"Read the accounts you hold"_s}, {u"trades:execute"_s, u"Place trades for you"_s}};
        imported.origin = {u"openapi:Demo"_s, u"clientCredentials@https://demo"_s, u"1.0"_s};
        selectEnvironment(m_model->upsert(imported));

        QTest::mouseClick(m_window->findChild<QPushButton *>(u"startAuthorize"_s), Qt::LeftButton);
        AuthorizeDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<AuthorizeDialog *>()) && dialog->isVisible());
        ScopeModel *scopes = dialog->scopePicker()->model();
        QStringList offered;
        QStringList descriptions;
        for (int g = 0; g < scopes->rowCount(); ++g) {
            const QModelIndex group = scopes->index(g, 0);
            for (int r = 0; r < scopes->rowCount(group); ++r) {
                offered.append(scopes->index(r, 0, group).data(ScopeModel::NameRole).toString());
                descriptions.append(scopes->index(r, 0, group).data(ScopeModel::DescriptionRole).toString());
            }
        }
        offered.sort();
        descriptions.sort();
        // Exactly the catalog — none of the Demo's other scopes — with the document's descriptions.
        QCOMPARE(offered, (QStringList{u"accounts:read"_s, u"trades:execute"_s}));
        QCOMPARE(descriptions, (QStringList{u"Place trades for you"_s, u"Read the accounts you hold"_s}));
        QCOMPARE(dialog->selectedScopes(), QStringList{u"accounts:read"_s});
        dialog->reject();
        QTRY_VERIFY(!m_window->findChild<AuthorizeDialog *>());
    }

    // Environment ▸ Import API Document…: read off the UI thread, previewed, imported, listed.
    void importADocumentThroughTheWindow()
    {
        ApiDocumentImporter *importer = m_window->importer();
        const int requestsBefore = int(m_model->workspace().savedRequests().size());
        const QString path = qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/postman/xero-oauth2.postman-v2.1.json"_s;
        importer->importFile(path);
        // Parsing runs on a worker: the call returns at once, before any preview exists.
        QVERIFY(importer->isReading());
        QVERIFY(!m_window->findChild<ImportPreviewDialog *>());
        ImportPreviewDialog *preview = nullptr;
        QTRY_VERIFY((preview = m_window->findChild<ImportPreviewDialog *>()) && preview->isVisible());
        QVERIFY(!importer->isReading());
        QVERIFY(preview->windowTitle().contains(u"Xero"_s, Qt::CaseInsensitive));
        QVERIFY(preview->preview().count(ImportAction::Kind::Add, ImportAction::Item::Request) > 0);
        QCOMPARE(int(m_model->workspace().savedRequests().size()), requestsBefore); // nothing yet
        QTest::mouseClick(preview->findChild<QPushButton *>(u"importButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<ImportPreviewDialog *>());
        const int added = int(m_model->workspace().savedRequests().size()) - requestsBefore;
        QVERIFY(added > 0);
        QCOMPARE(browser()->model()->requestCount(), requestsBefore + added); // the browser lists them
    }

    // A real OpenAPI document in YAML, told from a collection by its content.
    void importAnOpenApiDocument()
    {
        const QString path = qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/openapi/xero-app-store.openapi-3.0.yaml"_s;
        const int before = browser()->model()->requestCount();
        m_window->importer()->importFile(path);
        ImportPreviewDialog *preview = nullptr;
        QTRY_VERIFY((preview = m_window->findChild<ImportPreviewDialog *>()) && preview->isVisible());
        QVERIFY2(preview->findChild<QLabel *>(u"importSource"_s)->text().contains(u"OpenAPI 3.0"_s),
                 qPrintable(preview->findChild<QLabel *>(u"importSource"_s)->text()));
        QVERIFY(preview->findChild<QTableWidget *>(u"importEnvironments"_s)->rowCount() > 0);
        QTest::mouseClick(preview->findChild<QPushButton *>(u"importButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<ImportPreviewDialog *>());
        QVERIFY(browser()->model()->requestCount() > before);
        // Its first environment is the current one now: its Authorize dialog offers the document's scopes.
        const Environment *current = m_model->findById(m_window->currentEnvironmentId());
        QVERIFY(current);
        QCOMPARE(current->origin.document.startsWith(u"openapi:"_s), true);
        QVERIFY(!current->scopeCatalog.isEmpty());
        // Its operations carry the scopes the document requires.
        filterBy(u"marketplace.billing"_s);
        QVERIFY(shownRequestCount() > 0);
        filterBox()->clear();
    }

    // A 2 MB document is parsed while the window goes on handling events.
    void aBigDocumentNeverStallsTheWindow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const auto object = [](const QString &json) { return QJsonDocument::fromJson(json.toUtf8()).object(); };
        QJsonObject paths;
        for (int i = 0; QJsonDocument(paths).toJson(QJsonDocument::Compact).size() < 2 * 1024 * 1024; i += 100) {
            for (int j = i; j < i + 100; ++j) {
                QJsonObject get = object(u"{'parameters': [{'name': 'id', 'in': 'path', 'required': true, 'schema': {'type': 'string'}}],"
                                         " 'security': [{'oauth': ['items:read']}], 'responses': {'200': {'description': 'OK'}}}"_s.replace(u'\'', u'"'));
                get.insert(u"operationId"_s, u"getItem%1"_s.arg(j));
                get.insert(u"tags"_s, QJsonArray{u"Items %1"_s.arg(j % 20)});
                get.insert(u"summary"_s, u"Read item %1, with a description long enough to make the document realistic in size"_s.arg(j));
                paths.insert(u"/items%1/{id}"_s.arg(j), QJsonObject{{u"get"_s, get}});
            }
        }
        QJsonObject document = object(u"{'openapi': '3.0.3', 'info': {'title': 'Big', 'version': '1'}, 'servers': [{'url': 'https://api.big.example/v1'}],"
                                      " 'components': {'securitySchemes': {'oauth': {'type': 'oauth2', 'flows': {'clientCredentials':"
                                      " {'tokenUrl': 'https://auth.big.example/token', 'scopes': {'items:read': 'Read items'}}}}}}}"_s.replace(u'\'', u'"'));
        document.insert(u"paths"_s, paths);
        file.write(QJsonDocument(document).toJson(QJsonDocument::Compact));
        file.close();

        EventLoopStallMeter meter;
        meter.start();
        m_window->importer()->importFile(path);
        QVERIFY(m_window->importer()->isReading());
        ImportPreviewDialog *preview = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((preview = m_window->findChild<ImportPreviewDialog *>()) && preview->isVisible(), 30000);
        const qint64 total = meter.elapsed();
        meter.stop();
        qInfo("read and parsed 2 MB in %lld ms (preview built included); longest event-loop gap %lld ms, of which the UI thread worked %lld ms",
              total, meter.longestGap(), meter.busiest());
        QVERIFY(preview->preview().count(ImportAction::Kind::Add, ImportAction::Item::Request) > 1000);
        // Building the preview's dialog happens on the UI thread; the parse must not.
        QVERIFY2(meter.busiest() < 250, qPrintable(u"the UI thread worked %1 ms without turning its loop"_s.arg(meter.busiest())));

        // Importing its thousands of operations goes on a worker too.
        const int before = browser()->model()->requestCount();
        meter.start();
        QTest::mouseClick(preview->findChild<QPushButton *>(u"importButton"_s), Qt::LeftButton);
        QVERIFY(preview->isImporting());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<ImportPreviewDialog *>(), 30000);
        const qint64 importTotal = meter.elapsed();
        meter.stop();
        qInfo("imported in %lld ms; longest event-loop gap %lld ms, of which the UI thread worked %lld ms", importTotal, meter.longestGap(),
              meter.busiest());
        QVERIFY(browser()->model()->requestCount() > before + 1000);
        QVERIFY2(meter.busiest() < 250, qPrintable(u"the UI thread worked %1 ms without turning its loop"_s.arg(meter.busiest())));
    }

    void aRefusedDocumentSaysWhyAndChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cut.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // A collection cut short.
        file.write("{\"info\": {\"name\": \"cut\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"}, \"item\": [");
        file.close();
        const Workspace before = m_model->workspace();
        m_window->importer()->importFile(path);
        QMessageBox *refused = nullptr;
        QTRY_VERIFY((refused = m_window->findChild<QMessageBox *>(u"importRefused"_s)) && refused->isVisible());
        QVERIFY(!refused->informativeText().isEmpty());
        QVERIFY(!m_window->findChild<ImportPreviewDialog *>());
        QVERIFY(m_model->workspace() == before);
        refused->close();
    }

    void cleanupTestCase()
    {
        m_window.reset();
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOperationsBrowser)
#include "tst_operationsbrowser.moc"
