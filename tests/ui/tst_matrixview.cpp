#include "DesktopFixture.h"
#include "HistoryEntryView.h"
#include "MainWindow.h"
#include "ResponseView.h"
#include "TokenInspector.h"
#include "demo/DemoServer.h"
#include "history/HistoryModel.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "matrix/MatrixCellDetail.h"
#include "matrix/MatrixFailureFilter.h"
#include "matrix/MatrixLegend.h"
#include "matrix/MatrixModel.h"
#include "matrix/MatrixTimeLeft.h"
#include "matrix/MatrixVerdictStyle.h"
#include "matrix/MatrixWindow.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/EventLoopStallMeter.h"
#include "support/ScriptedHttpServer.h"
#include "support/WidgetTestMain.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

// QA ▸ Scope Matrix in the main window, against the built-in Demo API: a plan from the
// workspace's saved requests run for real, its verdicts in the model and in the view's colours,
// a cell's exchange (without the token), stop, re-run failed, the production question and the
// JUnit export.
class TestMatrixView : public QObject, private DesktopFixture
{
    Q_OBJECT

private:
    HistoryStore m_history;

    MatrixWindow *matrix() const { return m_window->matrixWindow(); }
    MatrixModel *cells() const { return matrix()->model(); }
    QAction *action(const QString &name) const { return matrix()->findChild<QAction *>(name); }

    static SavedRequest request(const QString &name, const QString &method, const QString &url, const QStringList &scopes)
    {
        SavedRequest saved;
        saved.name = name;
        saved.folder = u"Demo"_s;
        saved.draft.method = method;
        saved.draft.url = url;
        saved.requiredScopes = {{u"oauth"_s, scopes}};
        return saved;
    }

    // The cell of a request in the column of a scope set label, or -1.
    int cellOf(const QString &requestName, const QString &columnLabel) const
    {
        for (int i = 0; i < cells()->cells().size(); ++i) {
            const MatrixCell &cell = cells()->cells().at(i);
            if (cells()->plan().requests.at(cell.request).name == requestName && cell.set.label() == columnLabel)
                return i;
        }
        return -1;
    }

    int cellWhere(const QString &requestName, ScopeSet::Kind kind, const QString &removed = {}) const
    {
        for (int i = 0; i < cells()->cells().size(); ++i) {
            const MatrixCell &cell = cells()->cells().at(i);
            if (cells()->plan().requests.at(cell.request).name == requestName && cell.set.kind == kind
                && (removed.isEmpty() || cell.set.removed.contains(removed)))
                return i;
        }
        return -1;
    }

    MatrixVerdict verdictOf(int cellIndex) const
    {
        const auto result = cells()->result(cellIndex);
        return result ? result->verdict : MatrixVerdict(-1);
    }

    QModelIndex viewIndexOf(int cellIndex) const
    {
        return matrix()->filter()->mapFromSource(cells()->indexOfCell(cellIndex));
    }

    // What the cell looks like on screen: a pixel of its fill, clear of the centred text.
    QColor paintedColour(int cellIndex) const
    {
        QTableView *view = matrix()->view();
        const QRect rect = view->visualRect(viewIndexOf(cellIndex));
        const QImage image = view->viewport()->grab().toImage();
        return image.pixelColor(rect.left() + 8, rect.center().y());
    }

    // A click on the action's button in the window's toolbar.
    void click(const QString &actionName) const
    {
        QAction *target = action(actionName);
        auto *toolbar = matrix()->findChild<QToolBar *>(u"matrixToolbar"_s);
        QWidget *button = toolbar->widgetForAction(target);
        QVERIFY2(button && button->isEnabled(), qPrintable(actionName));
        QTest::mouseClick(button, Qt::LeftButton);
    }

    bool runToEnd()
    {
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        click(u"matrixRunAction"_s);
        if (!matrix()->isRunning())
            return false;
        return finished.wait(30000) && !finished.first().first().toBool();
    }

    // Every text the widget and its children show.
    static QString shownText(QWidget *root)
    {
        QStringList texts;
        for (auto *label : root->findChildren<QLabel *>())
            texts.append(label->text() + label->toolTip());
        for (auto *edit : root->findChildren<QPlainTextEdit *>())
            texts.append(edit->toPlainText());
        for (auto *table : root->findChildren<QTableWidget *>()) {
            for (int row = 0; row < table->rowCount(); ++row) {
                for (int column = 0; column < table->columnCount(); ++column) {
                    if (table->item(row, column))
                        texts.append(table->item(row, column)->text() + table->item(row, column)->toolTip());
                }
            }
        }
        return texts.join(u'\n');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_history.open(m_dir.filePath(u"history.sqlite"_s)).ok());
        const QString failed = startDesktop(u"tst_matrixview"_s, {.history = &m_history});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        // A first start brings the Demo's example requests: this plan is the test's own.
        const QList<SavedRequest> examples = m_model->workspace().savedRequests();
        for (const SavedRequest &example : examples)
            QVERIFY(m_model->removeRequest(example.id));
        // The Demo checks accounts:read on /accounts and customers:read on /customers. The plan
        // documents more than the first checks (so one cell is over-permissive) and the wrong
        // scope for the second (so its needed cell is an unexpected denial).
        QVERIFY(m_model->saveRequest(request(u"listAccounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s, u"customers:read"_s})));
        QVERIFY(m_model->saveRequest(request(u"listTrades"_s, u"GET"_s, u"/trades"_s, {u"trades:read"_s})));
        QVERIFY(m_model->saveRequest(request(u"listCustomers"_s, u"GET"_s, u"/customers"_s, {u"trades:read"_s})));
    }

    void opensFromTheQaMenuOnTheCurrentEnvironment()
    {
        QAction *open = m_window->findChild<QAction *>(u"scopeMatrixAction"_s);
        QVERIFY(open);
        QCOMPARE(open->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_M));
        QVERIFY(m_window->menuBar()->findChild<QMenu *>(u"qaMenu"_s)->actions().contains(open));
        QVERIFY(!matrix());
        open->trigger();
        QVERIFY(matrix());
        QVERIFY(QTest::qWaitForWindowExposed(matrix()));
        QCOMPARE(matrix()->environmentId(), m_window->currentEnvironmentId());
        // The workspace's saved requests, read off the UI thread, then planned.
        QTRY_VERIFY(!matrix()->isLoading());
        QCOMPARE(cells()->rowCount(), 3);
        QVERIFY(cells()->columnCount() > MatrixModel::FirstSetColumn);
        QCOMPARE(cells()->index(0, MatrixModel::MethodColumn).data().toString(), u"GET"_s);
        QCOMPARE(cells()->index(0, MatrixModel::PathColumn).data().toString(), u"/accounts"_s);
        QCOMPARE(cells()->index(0, MatrixModel::FolderColumn).data().toString(), u"Demo"_s);
        // The method and path head each row, in view however far the token columns scroll.
        QCOMPARE(cells()->headerData(0, Qt::Vertical).toString(), u"GET /accounts"_s);
        QVERIFY(!matrix()->view()->verticalHeader()->isHidden());
        // Every cell pending; a request has no cell in another request's columns.
        const int overPermissive = cellWhere(u"listAccounts"_s, ScopeSet::Kind::MissingScope, u"customers:read"_s);
        QVERIFY(overPermissive >= 0);
        QCOMPARE(cells()->indexOfCell(overPermissive).data(MatrixModel::CellStateRole).toInt(), int(MatrixModel::CellState::Pending));
        const int tradesNeeded = cellWhere(u"listTrades"_s, ScopeSet::Kind::Needed);
        QVERIFY(tradesNeeded >= 0);
        const QModelIndex empty = cells()->index(cells()->rowOfRequest(cells()->cells().at(overPermissive).requestId),
                                                 cells()->indexOfCell(tradesNeeded).column());
        // listAccounts' needed set differs from listTrades': no cell of its own there.
        QCOMPARE(empty.data(MatrixModel::CellIndexRole).toInt(), -1);
        QVERIFY(empty.data().toString().isEmpty());
        QVERIFY(matrix()->summaryText().contains(u"Not run yet"_s));
        QVERIFY(action(u"matrixRunAction"_s)->isEnabled());
        QVERIFY(!action(u"matrixStopAction"_s)->isEnabled());
        QVERIFY(!action(u"matrixRerunAction"_s)->isEnabled());
    }

    void runsEveryCellAndColoursItsVerdict()
    {
        QVERIFY(runToEnd());
        QCOMPARE(cells()->doneCount(), int(cells()->cells().size()));
        const int overPermissive = cellWhere(u"listAccounts"_s, ScopeSet::Kind::MissingScope, u"customers:read"_s);
        const int denied = cellWhere(u"listAccounts"_s, ScopeSet::Kind::MissingScope, u"accounts:read"_s);
        const int noToken = cellWhere(u"listAccounts"_s, ScopeSet::Kind::NoToken);
        const int needed = cellWhere(u"listAccounts"_s, ScopeSet::Kind::Needed);
        const int unexpected = cellWhere(u"listCustomers"_s, ScopeSet::Kind::Needed);
        QCOMPARE(verdictOf(needed), MatrixVerdict::AsExpected);
        QCOMPARE(cells()->indexOfCell(needed).data(MatrixModel::ObservedStatusRole).toInt(), 200);
        QCOMPARE(verdictOf(denied), MatrixVerdict::AsExpected);
        QCOMPARE(cells()->indexOfCell(denied).data(MatrixModel::ObservedStatusRole).toInt(), 403);
        QCOMPARE(verdictOf(noToken), MatrixVerdict::AsExpected);
        QCOMPARE(cells()->indexOfCell(noToken).data(MatrixModel::ObservedStatusRole).toInt(), 401);
        // Succeeded without a scope it is documented to need: the finding.
        QCOMPARE(verdictOf(overPermissive), MatrixVerdict::OverPermissive);
        QCOMPARE(cells()->indexOfCell(overPermissive).data(MatrixModel::ObservedStatusRole).toInt(), 200);
        QCOMPARE(cells()->indexOfCell(overPermissive).data().toString(), u"✗ 200"_s);
        QVERIFY(cells()->indexOfCell(overPermissive).data(Qt::ToolTipRole).toString().contains(u"over-permissive"_s));
        QCOMPARE(verdictOf(unexpected), MatrixVerdict::UnexpectedDenial);
        QCOMPARE(cells()->indexOfCell(unexpected).data(MatrixModel::ObservedStatusRole).toInt(), 403);
        QCOMPARE(cells()->failedCells().size(), 2);

        // The view paints each cell in its verdict's colour.
        QCOMPARE(paintedColour(overPermissive), MatrixVerdictStyle::background(MatrixVerdict::OverPermissive));
        QCOMPARE(paintedColour(unexpected), MatrixVerdictStyle::background(MatrixVerdict::UnexpectedDenial));
        QCOMPARE(paintedColour(needed), MatrixVerdictStyle::background(MatrixVerdict::AsExpected));

        // The legend counts, the summary names the failures, the progress says it is done.
        QCOMPARE(matrix()->legend()->text(MatrixVerdict::OverPermissive), u"over-permissive 1"_s);
        QCOMPARE(matrix()->legend()->text(MatrixVerdict::UnexpectedDenial), u"unexpected denial 1"_s);
        QVERIFY2(matrix()->summaryText().contains(u"1 over-permissive"_s), qPrintable(matrix()->summaryText()));
        QCOMPARE(matrix()->findChild<QProgressBar *>(u"matrixProgress"_s)->value(), int(cells()->cells().size()));
        QVERIFY(action(u"matrixRerunAction"_s)->isEnabled());

        // Only the requests with a failure.
        matrix()->findChild<QCheckBox *>(u"matrixOnlyFailures"_s)->click();
        QCOMPARE(matrix()->view()->model()->rowCount(), 2);
        matrix()->findChild<QCheckBox *>(u"matrixOnlyFailures"_s)->click();
        QCOMPARE(matrix()->view()->model()->rowCount(), 3);
    }

    void aRunIsRecordedInTheHistory()
    {
        // Every exchange of the run, as the composer's sends are recorded: written off the UI
        // thread in batches, marked as the matrix's, redacted, and shown in the History dock.
        // What earlier runs handed to the writer is in the file first.
        auto *writer = matrix()->findChild<HistoryWriter *>();
        QVERIFY(writer);
        QTRY_COMPARE(writer->pending(), 0);
        const qint64 before = m_history.count().count;
        QVERIFY(runToEnd());
        int sent = 0;
        for (int i = 0; i < cells()->cells().size(); ++i)
            sent += cells()->result(i) && !cells()->result(i)->evidence.isEmpty() ? 1 : 0;
        QVERIFY(sent > 4);
        QTRY_COMPARE(m_history.count().count, before + sent);
        const auto recorded = m_history.query(u"matrix"_s, sent);
        QVERIFY2(recorded.ok(), qPrintable(recorded.message));
        QCOMPARE(recorded.entries.size(), sent);
        const int overPermissive = cellWhere(u"listAccounts"_s, ScopeSet::Kind::MissingScope, u"customers:read"_s);
        const auto finding = m_history.query(u"over-permissive"_s, 1); // this run's: the newest
        QCOMPARE(finding.entries.size(), 1);
        const HistoryEntry entry = m_history.entry(finding.entries.first().id).entry;
        QVERIFY2(entry.origin.startsWith(u"Scope matrix"_s), qPrintable(entry.origin));
        QVERIFY2(entry.origin.contains(cells()->cells().at(overPermissive).set.label()), qPrintable(entry.origin));
        QCOMPARE(entry.status, 200);
        QCOMPARE(entry.environmentId, matrix()->environmentId());
        // The request as sent, with the cell's scopes: Replay sends the same cell again.
        QVERIFY(entry.composed);
        QCOMPARE(entry.composed->draft.scopes, cells()->cells().at(overPermissive).set.scopes);
        bool bearerMasked = false;
        for (const auto &[name, value] : entry.requestHeaders) {
            if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
                bearerMasked = value == "Bearer ••••";
        }
        QVERIFY(bearerMasked);
        // The dock's model shows them as they are written.
        HistoryModel *dock = m_window->historyModel();
        QTRY_VERIFY(dock->rowCount() >= sent);
        QVERIFY(dock->summaryAt(0).origin.startsWith(u"Scope matrix"_s));
        // No token of the run nor the Demo's secrets in the file.
        QFile file(m_history.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QFile wal(m_history.path() + u"-wal"_s);
        const QByteArray log = wal.open(QIODevice::ReadOnly) ? wal.readAll() : QByteArray();
        const QStringList secrets = m_authorizer->knownSecrets().values();
        QVERIFY(secrets.size() >= 3);
        for (const QString &secret : secrets) {
            QVERIFY2(!bytes.contains(secret.toUtf8()) && !log.contains(secret.toUtf8()), qPrintable(secret.left(12)));
        }
    }

    void aRunLeavesTheEnvironmentsCurrentTokenAlone()
    {
        // The user's token, as the Authorize dialog gets it: the inspector shows it, the
        // composer reuses it.
        const Environment *demo = m_model->findById(matrix()->environmentId());
        QVERIFY(demo);
        QSignalSpy authorized(m_authorizer.get(), &Authorizer::finished);
        m_authorizer->authorize(*demo, {u"trades:read"_s});
        QVERIFY(authorized.wait(10000));
        const auto before = m_authorizer->currentToken(demo->id);
        QVERIFY(before);
        QTRY_COMPARE(m_window->inspector()->token().value, before->value);
        const int knownBefore = int(m_authorizer->knownSecrets().values().size());

        // A run mints a token per scope set; none of them becomes the environment's.
        QSignalSpy changed(m_authorizer.get(), &Authorizer::tokenChanged);
        QVERIFY(runToEnd());
        QCOMPARE(cells()->doneCount(), int(cells()->cells().size()));
        QCOMPARE(changed.size(), 0);
        const auto after = m_authorizer->currentToken(demo->id);
        QVERIFY(after);
        QCOMPARE(after->value, before->value);
        QCOMPARE(after->grantedScopes, before->grantedScopes);
        QCOMPARE(m_window->inspector()->token().value, before->value);
        // The session still knows the run's tokens, so whatever masks its secrets masks them.
        QVERIFY(int(m_authorizer->knownSecrets().values().size()) > knownBefore);
    }

    void aClickShowsTheExchangeWithoutTheToken()
    {
        const int overPermissive = cellWhere(u"listAccounts"_s, ScopeSet::Kind::MissingScope, u"customers:read"_s);
        QTableView *view = matrix()->view();
        view->scrollTo(viewIndexOf(overPermissive));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(viewIndexOf(overPermissive)).center());
        // Selected, it keeps its verdict's colour (framed, not filled with the selection's).
        QVERIFY(view->selectionModel()->isSelected(viewIndexOf(overPermissive)));
        QCOMPARE(paintedColour(overPermissive), MatrixVerdictStyle::background(MatrixVerdict::OverPermissive));
        MatrixCellDetail *detail = matrix()->detail();
        QVERIFY2(detail->summaryText().contains(u"listAccounts"_s), qPrintable(detail->summaryText()));
        QVERIFY(detail->summaryText().contains(u"Expected 403, observed 200"_s));
        QCOMPARE(detail->findChild<QLabel *>(u"matrixCellVerdict"_s)->text(), u"✗ over-permissive"_s);
        HistoryEntryView *exchange = detail->exchangeView();
        QTRY_VERIFY(!exchange->responseView()->isParsing());
        const QString shown = shownText(detail);
        QVERIFY2(shown.contains(u"GET "_s) && shown.contains(u"/accounts"_s), qPrintable(shown));
        QVERIFY(shown.contains(u"Authorization"_s));
        // The response: the accounts the over-permissive token could read.
        QCOMPARE(exchange->responseView()->body().isEmpty(), false);
        // Not one token of the run, nor the Demo's secret, in anything the pane shows.
        const QStringList secrets = m_authorizer->knownSecrets().values();
        QVERIFY(secrets.size() >= 3);
        for (const QString &secret : secrets) {
            QVERIFY2(!shown.contains(secret), qPrintable(u"shown: "_s + secret.left(12)));
            QVERIFY(!QString::fromUtf8(exchange->responseView()->body()).contains(secret));
        }
    }

    void rerunFailedSendsOnlyTheFailedCells()
    {
        const int asExpected = cellWhere(u"listTrades"_s, ScopeSet::Kind::Needed);
        const auto before = cells()->result(asExpected);
        QVERIFY(before);
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        click(u"matrixRerunAction"_s);
        QVERIFY(matrix()->isRunning());
        // The failed cells are pending again; the others keep their result.
        QCOMPARE(cells()->doneCount(), int(cells()->cells().size()) - 2);
        QCOMPARE(cells()->result(asExpected), before);
        QVERIFY(finished.wait(30000));
        QCOMPARE(matrix()->findChild<QProgressBar *>(u"matrixProgress"_s)->maximum(), 2);
        QCOMPARE(cells()->doneCount(), int(cells()->cells().size()));
        QCOMPARE(cells()->failedCells().size(), 2); // the API did not change
        QVERIFY2(matrix()->progressText().startsWith(u"2 cells in"_s), qPrintable(matrix()->progressText()));
    }

    void exportWritesAJUnitReportThatParses()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"matrix.xml"_s);
        QSignalSpy exported(matrix()->exporter(), &MatrixReportExporter::exported);
        matrix()->findChild<QAction *>(u"matrixExportJUnit"_s)->trigger();
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = matrix()->findChild<QFileDialog *>(u"matrixExportDialog"_s)) && dialog->isVisible());
        QCOMPARE(dialog->acceptMode(), QFileDialog::AcceptSave);
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog's own is protected
        QVERIFY(exported.wait(10000));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int testcases = 0;
        int failures = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"testcase"_s)
                ++testcases;
            else if (xml.name() == u"failure"_s)
                ++failures;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(testcases, int(cells()->cells().size()));
        QCOMPARE(failures, 2);
        file.seek(0);
        const QByteArray report = file.readAll();
        for (const QString &secret : m_authorizer->knownSecrets().values())
            QVERIFY(!report.contains(secret.toUtf8()));
    }

    void stopEndsTheRunAndKeepsWhatCame()
    {
        // One request at a time to an endpoint that answers after 300 ms: a run to stop midway.
        SavedRequest slow = request(u"slow"_s, u"GET"_s, u"/slow?ms=300"_s, {u"accounts:read"_s});
        slow.folder = u"Slow"_s;
        QVERIFY(m_model->saveRequest(slow));
        matrix()->findChild<QPushButton *>(u"matrixReload"_s)->click();
        QTRY_VERIFY(!matrix()->isLoading());
        QCOMPARE(cells()->rowCount(), 4);
        QCOMPARE(cells()->doneCount(), 0); // a new plan: no result yet
        matrix()->findChild<QSpinBox *>(u"matrixConcurrency"_s)->setValue(1);
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        QSignalSpy counted(cells(), &MatrixModel::countsChanged);
        click(u"matrixRunAction"_s);
        QVERIFY(matrix()->isRunning());
        QTRY_VERIFY(cells()->doneCount() >= 2);
        QVERIFY(!matrix()->findChild<QComboBox *>(u"matrixEnvironment"_s)->isEnabled());
        click(u"matrixStopAction"_s);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(!matrix()->isRunning());
        const int done = cells()->doneCount();
        QVERIFY(done >= 2);
        QVERIFY2(done < int(cells()->cells().size()), "stopped before the end");
        // What was not sent is pending, not running; nothing more arrives.
        for (int i = 0; i < cells()->cells().size(); ++i) {
            const auto state = MatrixModel::CellState(cells()->indexOfCell(i).data(MatrixModel::CellStateRole).toInt());
            QVERIFY(state == MatrixModel::CellState::Done || state == MatrixModel::CellState::Pending);
        }
        QTest::qWait(800);
        QCOMPARE(cells()->doneCount(), done);
        QVERIFY(matrix()->progressText().startsWith(u"Stopped after"_s));
        QVERIFY(action(u"matrixRunAction"_s)->isEnabled());
        matrix()->findChild<QSpinBox *>(u"matrixConcurrency"_s)->setValue(4);
        QVERIFY(m_model->removeRequest(m_model->workspace().findRequest(u"slow"_s)->id));
    }

    void productionAsksAndNoSendsNothing()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"prod-token-value-123456","token_type":"Bearer","expires_in":300})"));
        Environment production;
        production.name = u"Production"_s;
        production.tier = Tier::Production;
        production.tokenUrl = server.url(u"/token"_s);
        production.apiBaseUrl = server.url(u"/api"_s);
        production.clientId = u"qa-client"_s;
        production.scopes = {u"accounts:read"_s};
        const int row = m_model->upsert(production);
        const QString id = m_model->environmentAt(row)->id;
        bool stored = false;
        m_secrets.write(SecretStore::keyFor(m_model->workspace().id(), id, SecretStore::clientSecretName()), u"prod-secret-value"_s,
                        [&stored](const SecretResult &) { stored = true; });
        QTRY_VERIFY(stored);
        auto *environments = matrix()->findChild<QComboBox *>(u"matrixEnvironment"_s);
        environments->setCurrentIndex(row);
        QCOMPARE(matrix()->environmentId(), id);
        QTRY_VERIFY(!matrix()->isLoading());
        QVERIFY(cells()->cells().size() > 0);

        click(u"matrixRunAction"_s);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = matrix()->findChild<QMessageBox *>(u"matrixProductionConfirmation"_s)) && box->isVisible());
        QVERIFY(box->text().contains(u"Production"_s));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QVERIFY(!matrix()->isRunning());
        QVERIFY(!action(u"matrixRunAction"_s)->isEnabled()); // one question at a time
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!matrix()->findChild<QMessageBox *>(u"matrixProductionConfirmation"_s));
        QTest::qWait(300);
        QVERIFY(!matrix()->isRunning());
        QCOMPARE(server.connectionCount(), 0);
        QCOMPARE(cells()->doneCount(), 0);
        QVERIFY(!m_authorizer->currentToken(id));

        // Yes runs it.
        QSignalSpy finished(matrix(), &MatrixWindow::runFinished);
        click(u"matrixRunAction"_s);
        QTRY_VERIFY((box = matrix()->findChild<QMessageBox *>(u"matrixProductionConfirmation"_s)) && box->isVisible());
        QPushButton *go = nullptr;
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                go = qobject_cast<QPushButton *>(button);
        }
        QVERIFY(go);
        QTest::mouseClick(go, Qt::LeftButton);
        QVERIFY(matrix()->isRunning());
        QVERIFY(finished.wait(30000));
        QVERIFY(server.connectionCount() > 0);
        QCOMPARE(cells()->doneCount(), int(cells()->cells().size()));

        environments->setCurrentIndex(m_model->rowOf(m_window->currentEnvironmentId()));
        QTRY_VERIFY(!matrix()->isLoading());
    }

    // A plan from a 2 MB OpenAPI document is read and planned while the window handles events.
    void aBigOpenApiPlanNeverStallsTheWindow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.json"_s);
        QJsonObject paths;
        for (int i = 0; i < 10000; ++i) {
            QJsonObject get{{u"operationId"_s, u"getItem%1"_s.arg(i)},
                            {u"tags"_s, QJsonArray{u"Items %1"_s.arg(i % 20)}},
                            {u"summary"_s, u"Read item %1, with a description long enough to make the document realistic in size"_s.arg(i)},
                            {u"security"_s, QJsonArray{QJsonObject{{u"oauth"_s, QJsonArray{u"items:read"_s}}}}},
                            {u"responses"_s, QJsonObject{{u"200"_s, QJsonObject{{u"description"_s, u"OK"_s}}}}}};
            paths.insert(u"/items%1"_s.arg(i), QJsonObject{{u"get"_s, get}});
        }
        const QJsonObject document{
            {u"openapi"_s, u"3.0.3"_s},
            {u"info"_s, QJsonObject{{u"title"_s, u"Big"_s}, {u"version"_s, u"1"_s}}},
            {u"servers"_s, QJsonArray{QJsonObject{{u"url"_s, u"https://api.big.example/v1"_s}}}},
            {u"components"_s,
             QJsonObject{{u"securitySchemes"_s,
                          QJsonObject{{u"oauth"_s,
                                       QJsonObject{{u"type"_s, u"oauth2"_s},
                                                   {u"flows"_s, QJsonObject{{u"clientCredentials"_s,
                                                                             QJsonObject{{u"tokenUrl"_s, u"https://auth.big.example/token"_s},
                                                                                         {u"scopes"_s, QJsonObject{{u"items:read"_s, u"Read"_s}}}}}}}}}}}}},
            {u"paths"_s, paths}};
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(QJsonDocument(document).toJson(QJsonDocument::Compact)) > 2 * 1024 * 1024);
        file.close();

        EventLoopStallMeter meter;
        QSignalSpy loaded(matrix(), &MatrixWindow::planLoaded);
        meter.start();
        matrix()->usePlanFile(MatrixPlanLoader::Source::OpenApi, path);
        QVERIFY(matrix()->isLoading());
        QVERIFY(loaded.wait(30000));
        const qint64 total = meter.elapsed();
        QTest::qWait(50); // the tick after the plan went into the table measures that work too
        meter.stop();
        qInfo("planned a 2 MB OpenAPI document in %lld ms; longest event-loop gap %lld ms, of which the UI thread worked %lld ms", total,
              meter.longestGap(), meter.busiest());
        QVERIFY2(cells()->rowCount() > 1000, qPrintable(matrix()->summaryText()));
        QVERIFY2(meter.busiest() < 250, qPrintable(u"the UI thread worked %1 ms without turning its loop"_s.arg(meter.busiest())));
    }

    void timeLeftFollowsTheRunsRate()
    {
        QVERIFY(!MatrixTimeLeft::estimate(2, 10, 1000)); // too early to say
        QCOMPARE(*MatrixTimeLeft::estimate(5, 20, 1000), 3000);
        QCOMPARE(*MatrixTimeLeft::estimate(20, 20, 4000), 0);
        QCOMPARE(MatrixTimeLeft::text(3000), u"about 3 s left"_s);
        QCOMPARE(MatrixTimeLeft::text(240'000), u"about 4 min left"_s);
        QCOMPARE(MatrixTimeLeft::text(std::nullopt), u"estimating the time left…"_s);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestMatrixView)
#include "tst_matrixview.moc"
