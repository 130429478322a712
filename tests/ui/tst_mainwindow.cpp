#include "AuthorizeDialog.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "ResponseView.h"
#include "FindBar.h"
#include "ScopePicker.h"
#include "ShortcutsDialog.h"
#include "TierBanner.h"
#include "TokenInspector.h"
#include "ComposerView.h"
#include "HistoryEntryView.h"
#include "ReplayNotice.h"
#include "ResponseView.h"
#include "history/HistoryModel.h"
#include "history/HistoryStore.h"
#include "demo/DemoServer.h"
#include "http/RequestBuilder.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"
#include "support/WidgetTestMain.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QCheckBox>
#include <QInputDialog>
#include <QMenu>
#include <QMimeData>
#include <QComboBox>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QUrl>
#include <QDockWidget>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTableWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTableWidget>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

// The main window driven as a user would, against the built-in Demo API.
class TestMainWindow : public QObject, private DesktopFixture
{
    Q_OBJECT

private:
    HistoryStore m_history;

    template<typename T>
    T *child(QObject *parent, const QString &name)
    {
        T *found = parent->findChild<T *>(name);
        if (!found)
            qWarning("no child %s", qPrintable(name));
        return found;
    }

    AuthorizeDialog *openDialog()
    {
        QTest::mouseClick(child<QPushButton>(m_window.get(), u"startAuthorize"_s), Qt::LeftButton);
        AuthorizeDialog *dialog = nullptr;
        const bool shown = QTest::qWaitFor([&] {
            dialog = m_window->findChild<AuthorizeDialog *>();
            return dialog && dialog->isVisible();
        });
        return shown ? dialog : nullptr;
    }

    void selectRow(int row)
    {
        auto *list = child<QListView>(m_window.get(), u"environmentList"_s);
        const QRect rect = list->visualRect(m_model->index(row));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    }

    static int rowNamed(QTableWidget *table, const QString &name)
    {
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0) && table->item(row, 0)->text().compare(name, Qt::CaseInsensitive) == 0)
                return row;
        }
        return -1;
    }

    // Clicks a history row as a user would (the History dock brought to the front first).
    void clickHistoryRow(int row)
    {
        m_window->findChild<QDockWidget *>(u"historyDock"_s)->raise();
        auto *view = child<QTableView>(m_window.get(), u"historyView"_s);
        QTRY_VERIFY(view->isVisible());
        const QRect rect = view->visualRect(m_window->historyModel()->index(row, HistoryModel::UrlColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    }

    // Sends a POST /trades on behalf of the blocked user (the injected header overridden in the
    // table, as a user does it) and returns the composer once the 409 is in.
    ComposerView *sendAsBlockedUser()
    {
        selectRow(0); // the Demo
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/trades"_s;
        draft.body = R"({"symbol": "BTC-USD", "side": "buy"})";
        draft.contentType = u"application/json"_s;
        draft.scopes = {u"trades:execute"_s, u"core.users:act-on-behalf-of"_s};
        composer->setDraft(draft);
        auto *headers = composer->findChild<QTableWidget *>(u"headers"_s);
        const int row = rowNamed(headers, u"X-On-Behalf-Of"_s);
        if (row < 0)
            return nullptr;
        headers->item(row, 1)->setText(u"user blocked-user"_s);
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !composer->isSending() && composer->lastResult().answered(); }, 15000))
            return nullptr;
        return composer;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_history.open(m_dir.filePath(u"history.sqlite"_s)).ok());
        const QString error = startDesktop(u"tst_mainwindow"_s, {.history = &m_history});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void firstStartOpensOnTheDemo()
    {
        auto *banner = child<TierBanner>(m_window.get(), u"tierBanner"_s);
        QVERIFY(banner->text().contains(u"Demo"_s));
        QVERIFY(child<QLabel>(m_window.get(), u"startHint"_s)->text().contains(u"Authorize"_s));
        QCOMPARE(m_window->currentEnvironmentId(), m_model->environmentAt(0)->id);
        QVERIFY(!m_window->inspector()->hasToken());
        // Every action a user can trigger has a name a screen reader can say.
        for (auto *button : m_window->findChildren<QAbstractButton *>()) {
            if (button->isVisible())
                QVERIFY2(!button->accessibleName().isEmpty() || !button->text().isEmpty(), qPrintable(button->objectName()));
        }
    }

    void authorizeByMouseAndWatchTheCountdown()
    {
        AuthorizeDialog *dialog = openDialog();
        QVERIFY(dialog);
        // Keyboard users reach every control, and screen readers can name each one.
        for (QWidget *top : {static_cast<QWidget *>(m_window.get()), static_cast<QWidget *>(dialog)}) {
            for (QWidget *w : top->findChildren<QWidget *>()) {
                if (!w->isVisible() || !(w->focusPolicy() & Qt::TabFocus) || qobject_cast<QAbstractScrollArea *>(w->parentWidget())
                    || w->objectName().startsWith(u"qt_"_s) || qobject_cast<QComboBox *>(w->parentWidget()) || qobject_cast<QTabBar *>(w)) // a tab bar is named by its tabs; internals of a named composite (spin box, combo)
                    continue;
                const auto *button = qobject_cast<QAbstractButton *>(w);
                const bool named = !w->accessibleName().isEmpty() || (button && !button->text().isEmpty());
                QVERIFY2(named, qPrintable(u"%1 (%2) has no accessible name"_s.arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()))));
            }
        }
        // Pick one more scope in the picker, as a user would, through its model.
        ScopeModel *model = dialog->scopePicker()->model();
        QModelIndexList hits = model->match(model->index(0, 0), ScopeModel::NameRole, u"customers:read"_s, 1,
                                            Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(hits.size(), 1);
        QVERIFY(model->setData(hits.first(), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(dialog->selectedScopes().contains(u"customers:read"_s));

        QTest::mouseClick(child<QPushButton>(dialog, u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(m_window->inspector()->hasToken());
        QTRY_VERIFY(child<QLabel>(dialog, u"authorizeStatus"_s)->text().contains(u"every requested scope"_s));
        const auto token = m_authorizer->currentToken(m_window->currentEnvironmentId());
        QVERIFY(token);
        QVERIFY(token->grantedScopes.contains(u"customers:read"_s));
        QVERIFY(m_window->scopesFor(m_window->currentEnvironmentId()).contains(u"customers:read"_s));

        auto *countdown = child<QLabel>(m_window->inspector(), u"countdown"_s);
        const QString before = countdown->text();
        m_clock.advance(61);
        m_window->inspector()->refresh();
        QVERIFY2(countdown->text() != before, qPrintable(countdown->text()));
        QVERIFY2(countdown->text().contains(u"03:59"_s), qPrintable(countdown->text()));
        m_clock.advance(240);
        m_window->inspector()->refresh();
        QCOMPARE(m_window->inspector()->lifeState(), u"expired"_s);

        QTest::mouseClick(child<QPushButton>(dialog, u"closeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<AuthorizeDialog *>());
    }

    void wrongSecretShowsAnInlineError()
    {
        Environment local;
        local.name = u"Local sandbox"_s;
        local.tier = Tier::Sandbox;
        local.tokenUrl = m_demo.tokenUrl();
        local.apiBaseUrl = m_demo.apiUrl();
        local.clientId = DemoServer::clientId();
        local.scopes = {u"accounts:read"_s};
        const int row = m_model->upsert(local);
        selectRow(row);
        QCOMPARE(m_window->currentEnvironmentId(), m_model->environmentAt(row)->id);
        // Switching environment switches the inspected token.
        QVERIFY(!m_window->inspector()->hasToken());

        AuthorizeDialog *dialog = openDialog();
        QVERIFY(dialog);
        auto *secret = child<QLineEdit>(dialog, u"clientSecret"_s);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        secret->setFocus();
        QTest::keyClicks(secret, u"not-the-secret"_s);
        QTest::mouseClick(child<QPushButton>(dialog, u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!dialog->errorText().isEmpty());
        QVERIFY2(dialog->errorText().contains(u"invalid_client"_s), qPrintable(dialog->errorText()));
        QVERIFY(dialog->errorText().contains(u"client ID and secret"_s)); // the hint
        QVERIFY(!m_window->inspector()->hasToken());

        secret->clear();
        QTest::keyClicks(secret, DemoServer::clientSecret());
        QTest::mouseClick(child<QPushButton>(dialog, u"authorizeButton"_s), Qt::LeftButton);
        QTRY_VERIFY(m_window->inspector()->hasToken());
        QVERIFY(dialog->errorText().isEmpty());
        dialog->reject();

        selectRow(0);
        QVERIFY(m_window->inspector()->hasToken()); // the Demo's token is still there
    }

    void productionIsUnmistakableAndDeletionAsks()
    {
        Environment prod;
        prod.name = u"Bank production"_s;
        prod.tier = Tier::Production;
        prod.tokenUrl = QUrl(u"https://id.bank.example/oauth/token"_s);
        prod.apiBaseUrl = QUrl(u"https://api.bank.example/"_s);
        prod.clientId = u"prod-client"_s;
        const int row = m_model->upsert(prod);
        selectRow(row);
        auto *banner = child<TierBanner>(m_window.get(), u"tierBanner"_s);
        QCOMPARE(banner->tier(), Tier::Production);
        QVERIFY(banner->text().contains(u"PRODUCTION"_s));
        QVERIFY(banner->text().contains(u"real data"_s));
        QVERIFY(m_window->windowTitle().contains(u"Bank production"_s));

        auto *remove = child<QAction>(m_window.get(), u"deleteEnvironmentAction"_s);
        QVERIFY(remove->isEnabled());
        const int before = m_model->rowCount();
        remove->trigger();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s)) && box->isVisible());
        QVERIFY(box->text().contains(u"Bank production"_s));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QCOMPARE(m_model->rowCount(), before);

        remove->trigger();
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s)) && box->isVisible());
        QAbstractButton *confirm = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                confirm = b;
        }
        QVERIFY(confirm);
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_COMPARE(m_model->rowCount(), before - 1);

        // The built-in Demo cannot be deleted.
        selectRow(0);
        QVERIFY(!remove->isEnabled());
    }

    void historyCurlAndReplay()
    {
        selectRow(0); // the Demo
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.url = u"/accounts?page=1"_s;
        composer->setDraft(draft);
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(composer->lastResult().answered(), 10000);
        QCOMPARE(composer->lastResult().exchange.status, 200);
        const QString token = m_authorizer->currentToken(m_window->currentEnvironmentId())->value;

        HistoryModel *history = m_window->historyModel();
        QTRY_VERIFY(history->rowCount() >= 1);
        QVERIFY(history->index(0, 3).data().toString().contains(u"/accounts"_s));
        QCOMPARE(history->index(0, 4).data(HistoryModel::StatusCodeRole).toInt(), 200);
        // Nothing of the token reaches the disk.
        for (const QString &suffix : {QString(), u"-wal"_s}) {
            QFile file(m_dir.filePath(u"history.sqlite"_s) + suffix);
            if (file.open(QIODevice::ReadOnly)) {
                const QByteArray bytes = file.readAll();
                QVERIFY(!bytes.contains(token.toUtf8()));
                QVERIFY(!bytes.contains(token.toUtf8().toBase64()));
            }
        }

        // Copy as curl: a placeholder unless the real token is asked for.
        m_window->findChild<QAction *>(u"copyCurlAction"_s)->trigger();
        const QString curl = QGuiApplication::clipboard()->text();
        QVERIFY2(curl.contains(u"$TOKENBENCH_TOKEN"_s), qPrintable(curl));
        QVERIFY(!curl.contains(token));
        QVERIFY(curl.contains(u"/api/accounts?page=1"_s));
        m_window->findChild<QAction *>(u"copyCurlWithTokenAction"_s)->trigger();
        QVERIFY(QGuiApplication::clipboard()->text().contains(token));
        QCOMPARE(QGuiApplication::clipboard()->mimeData()->data(u"x-kde-passwordManagerHint"_s), QByteArray("secret"));

        // Paste it back: a new tab with the same request, the token literal left as the user's header.
        QGuiApplication::clipboard()->setText(curl);
        const int tabs = m_window->requestTabs()->count();
        m_window->findChild<QAction *>(u"pasteCurlAction"_s)->trigger();
        QCOMPARE(m_window->requestTabs()->count(), tabs + 1);
        QVERIFY(m_window->currentComposer()->draft().url.contains(u"/api/accounts?page=1"_s));
        // Swagger UI's multipart curl opens as a form, the file as a file field.
        QGuiApplication::clipboard()->setText(u"curl -X 'POST' 'https://petstore3.swagger.io/api/v3/pet/10/uploadImage' "
                                               "-H 'Content-Type: multipart/form-data' -F 'file=@photo.png;type=image/png' -F 'tag=front'"_s);
        m_window->findChild<QAction *>(u"pasteCurlAction"_s)->trigger();
        QCOMPARE(m_window->requestTabs()->count(), tabs + 2);
        const RequestDraft pasted = m_window->currentComposer()->draft();
        QCOMPARE(pasted.method, u"POST"_s);
        QCOMPARE(pasted.formParts, (QList<RequestDraft::FormPart>{{u"file"_s, u"photo.png"_s, true, true}, {u"tag"_s, u"front"_s, false, true}}));
        QVERIFY(pasted.body.isEmpty());
        // Pasted text is data: {{…}} in it is sent as written, in a form and in a body alike.
        QGuiApplication::clipboard()->setText(u"curl https://x.example/api/notes -F 'note=for {{userId}}' "_s);
        m_window->findChild<QAction *>(u"pasteCurlAction"_s)->trigger();
        ComposerView *literal = m_window->currentComposer();
        QVERIFY(!literal->draft().expandBodyVariables);
        QVERIFY(!literal->findChild<QCheckBox *>(u"bodyVariables"_s)->isChecked());
        Environment withUser = Workspace::demoEnvironment();
        withUser.variables = {{u"userId"_s, u"someone"_s}};
        QVERIFY(RequestBuilder::build(literal->draft(), withUser).body.contains("\r\n\r\nfor {{userId}}\r\n"));
        literal->findChild<QCheckBox *>(u"bodyVariables"_s)->setChecked(true); // the user's choice
        QVERIFY(RequestBuilder::build(literal->draft(), withUser).body.contains("\r\n\r\nfor someone\r\n"));
        Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->currentIndex());
        Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->currentIndex());
        QCOMPARE(m_window->requestTabs()->count(), tabs + 1);

        // Replay from history opens the request again.
        auto *view = m_window->findChild<QTableView *>(u"historyView"_s);
        view->setCurrentIndex(history->index(0, 0));
        QTest::mouseClick(m_window->findChild<QPushButton *>(u"historyReplay"_s), Qt::LeftButton);
        QCOMPARE(m_window->requestTabs()->count(), tabs + 2);
        QCOMPARE(m_window->currentComposer()->draft().method, u"GET"_s);
        QVERIFY(m_window->currentComposer()->draft().url.contains(u"/accounts"_s));

        // Clearing really deletes.
        QTest::mouseClick(m_window->findChild<QPushButton *>(u"historyClear"_s), Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"clearHistoryConfirmation"_s)) && box->isVisible());
        QAbstractButton *clear = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                clear = b;
        }
        QTest::mouseClick(clear, Qt::LeftButton);
        QTRY_COMPARE(history->rowCount(), 0);
        QFile file(m_dir.filePath(u"history.sqlite"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("/api/accounts"));
    }

    void replaySendsWhatWasSent()
    {
        HistoryModel *history = m_window->historyModel();
        const int rows = history->rowCount();
        ComposerView *original = sendAsBlockedUser();
        QVERIFY(original);
        QCOMPARE(original->lastResult().exchange.status, 409);
        QTRY_COMPARE(history->rowCount(), rows + 1);

        // Send Again: the same override goes out, so the same 409 comes back — never the
        // environment's own user, never a 201 written as someone else.
        clickHistoryRow(0);
        QTest::mouseClick(child<QPushButton>(m_window.get(), u"historySendAgain"_s), Qt::LeftButton);
        ComposerView *replayed = m_window->currentComposer();
        QVERIFY(replayed != original);
        QVERIFY(replayed->replayNotice()->isVisible());
        QVERIFY2(replayed->replayNotice()->text().contains(u"exact"_s), qPrintable(replayed->replayNotice()->text()));
        QVERIFY(!m_window->findChild<QMessageBox *>(u"replayConfirmation"_s)); // exact: nothing to confirm
        QTRY_VERIFY_WITH_TIMEOUT(!replayed->isSending() && replayed->lastResult().answered(), 15000);
        QCOMPARE(replayed->lastResult().exchange.status, 409);
        QVERIFY(replayed->lastResult().readout.reasons.contains(u"user-blocked"_s));
        QCOMPARE(replayed->lastResult().request.headers.value("X-On-Behalf-Of"), QByteArray("user blocked-user"));
        // The recorded exchange says the same.
        QTRY_COMPARE(history->rowCount(), rows + 2);
        const HistoryEntry recorded = m_history.entry(history->idAt(0)).entry;
        QCOMPARE(recorded.status, 409);
        QVERIFY(recorded.requestHeaders.contains(qMakePair(QByteArray("X-On-Behalf-Of"), QByteArray("user blocked-user"))));
        QCOMPARE(recorded.composed->draft, original->draft());

        // Replay (open only) puts the request back as composed: override, scopes, relative URL.
        clickHistoryRow(0);
        QTest::mouseClick(child<QPushButton>(m_window.get(), u"historyReplay"_s), Qt::LeftButton);
        ComposerView *opened = m_window->currentComposer();
        QVERIFY(opened != replayed);
        QVERIFY(!opened->isSending());
        QCOMPARE(opened->draft(), original->draft());
        QCOMPARE(opened->draft().url, u"/trades"_s);
        QCOMPARE(opened->draft().switchFor(u"X-On-Behalf-Of"_s)->value, std::optional<QString>(u"user blocked-user"_s));
        // On another environment it is no longer the same request: said at once, asked before sending.
        int other = -1;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->environmentAt(row)->name == u"Local sandbox"_s)
                other = row;
        }
        QVERIFY(other > 0);
        selectRow(other);
        QVERIFY2(opened->replayNotice()->text().contains(u"Local sandbox"_s), qPrintable(opened->replayNotice()->text()));
        QTest::mouseClick(opened->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"replayConfirmation"_s)) && box->isVisible());
        QVERIFY2(box->informativeText().contains(u"this tab is now on \"Local sandbox\""_s), qPrintable(box->informativeText()));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<QMessageBox *>(u"replayConfirmation"_s));
        QVERIFY(!opened->isSending());
        QCOMPARE(history->rowCount(), rows + 2); // nothing sent
        selectRow(0);
        QVERIFY(!opened->replayNotice()->text().contains(u"Local sandbox"_s));
        for (ComposerView *tab : {original, replayed, opened})
            Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->indexOf(tab));
    }

    void selectingAHistoryRowShowsTheExchange()
    {
        HistoryModel *history = m_window->historyModel();
        QVERIFY(history->rowCount() >= 1); // the replayed 409 above
        m_window->findChild<QDockWidget *>(u"historyDock"_s)->raise();
        auto *view = child<QTableView>(m_window.get(), u"historyView"_s);
        QTRY_VERIFY(view->isVisible());
        // Method, status and URL fit the dock at its default width.
        QHeaderView *header = view->horizontalHeader();
        for (int column : {HistoryModel::MethodColumn, HistoryModel::StatusColumn, HistoryModel::UrlColumn}) {
            QVERIFY(!header->isSectionHidden(column));
            QVERIFY2(header->sectionViewportPosition(column) >= 0
                         && header->sectionViewportPosition(column) + header->sectionSize(column) <= view->viewport()->width(),
                     qPrintable(u"column %1 at %2+%3 in %4"_s.arg(column).arg(header->sectionViewportPosition(column)).arg(header->sectionSize(column)).arg(view->viewport()->width())));
        }
        QVERIFY2(header->sectionSize(HistoryModel::UrlColumn) >= 80, qPrintable(QString::number(header->sectionSize(HistoryModel::UrlColumn))));

        clickHistoryRow(0);
        auto *entryView = child<HistoryEntryView>(m_window.get(), u"historyEntryView"_s);
        QTRY_COMPARE(entryView->entryId(), history->idAt(0));
        const QString line = child<QLabel>(entryView, u"historyRequestLine"_s)->text();
        QVERIFY2(line.startsWith(u"POST "_s) && line.contains(u"/api/trades"_s), qPrintable(line));
        auto *headers = child<QTableWidget>(entryView, u"historyRequestHeaders"_s);
        const int onBehalf = rowNamed(headers, u"X-On-Behalf-Of"_s);
        QVERIFY(onBehalf >= 0);
        QCOMPARE(headers->item(onBehalf, 1)->text(), u"user blocked-user"_s);
        QVERIFY2(headers->item(onBehalf, 2)->text().contains(u"overridden"_s), qPrintable(headers->item(onBehalf, 2)->text()));
        const int authorization = rowNamed(headers, u"Authorization"_s);
        QVERIFY(authorization >= 0);
        QCOMPARE(headers->item(authorization, 1)->text(), u"Bearer ••••"_s);
        QVERIFY(child<QPlainTextEdit>(entryView, u"historyRequestBody"_s)->toPlainText().contains(u"BTC-USD"_s));
        // The response as the response viewer shows any: status, explanation, body.
        auto *response = child<ResponseView>(entryView, u"historyResponse"_s);
        QVERIFY(response->hasResponse());
        QVERIFY(child<QLabel>(response, u"statusLine"_s)->text().contains(u"409"_s));
        QVERIFY(child<QLabel>(response, u"readout"_s)->text().contains(u"user-blocked"_s));
        QVERIFY(response->body().contains("user-blocked"));
    }

    void replayAsksBeforeSendingWhatItCannotReproduce()
    {
        selectRow(0);
        HistoryModel *history = m_window->historyModel();
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.url = u"/accounts"_s;
        draft.headers = {{u"X-Api-Key"_s, u"k3y-literal-9f2"_s, true}};
        composer->setDraft(draft);
        const int rows = history->rowCount();
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending() && composer->lastResult().answered(), 15000);
        QTRY_COMPARE(history->rowCount(), rows + 1);

        clickHistoryRow(0);
        QTest::mouseClick(child<QPushButton>(m_window.get(), u"historySendAgain"_s), Qt::LeftButton);
        ComposerView *replayed = m_window->currentComposer();
        QVERIFY(replayed != composer);
        // The redacted key is named before anything is sent, and nothing is sent meanwhile.
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"replayConfirmation"_s)) && box->isVisible());
        QVERIFY2(box->informativeText().contains(u"header X-Api-Key"_s), qPrintable(box->informativeText()));
        QVERIFY(replayed->replayNotice()->text().contains(u"X-Api-Key"_s));
        QTest::qWait(300);
        QVERIFY(!replayed->isSending());
        QCOMPARE(replayed->lastResult().outcome, ApiCallResult::Outcome::NotSent);
        QCOMPARE(history->rowCount(), rows + 1);
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTest::qWait(300);
        QCOMPARE(history->rowCount(), rows + 1);
        QVERIFY(!replayed->lastResult().answered());

        // Send asks again; only "Send anyway" sends, with the mask it was told about.
        QTest::mouseClick(replayed->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"replayConfirmation"_s)) && box->isVisible());
        QAbstractButton *go = nullptr;
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::AcceptRole)
                go = b;
        }
        QVERIFY(go);
        QTest::mouseClick(go, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!replayed->isSending() && replayed->lastResult().answered(), 15000);
        QTRY_COMPARE(history->rowCount(), rows + 2);
        QCOMPARE(replayed->lastResult().request.headers.value("X-Api-Key"), Redactor::maskUtf8());

        // Typing the redacted value again makes the replay whole: it is sent without a question.
        clickHistoryRow(1); // the original exchange
        QTest::mouseClick(child<QPushButton>(m_window.get(), u"historyReplay"_s), Qt::LeftButton);
        ComposerView *retyped = m_window->currentComposer();
        QVERIFY(retyped != replayed);
        QVERIFY(!retyped->isSending());
        auto *headers = retyped->findChild<QTableWidget *>(u"headers"_s);
        const int key = rowNamed(headers, u"X-Api-Key"_s);
        QVERIFY(key >= 0);
        QCOMPARE(headers->item(key, 1)->text(), Redactor::mask());
        headers->item(key, 1)->setText(u"k3y-literal-9f2"_s);
        QTest::mouseClick(retyped->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!retyped->isSending() && retyped->lastResult().answered(), 15000);
        QVERIFY(!m_window->findChild<QMessageBox *>(u"replayConfirmation"_s));
        QCOMPARE(retyped->lastResult().request.headers.value("X-Api-Key"), QByteArray("k3y-literal-9f2"));
        QVERIFY(retyped->replayNotice()->text().contains(u"typed again"_s));
        for (ComposerView *tab : {composer, replayed, retyped})
            Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->indexOf(tab));
    }

    void saveAndReopenARequest()
    {
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/trades"_s;
        draft.headers = {{u"X-Trace"_s, u"{{userId}}-1"_s, true}};
        draft.body = R"({"symbol":"BTC-USD","side":"buy"})";
        composer->setDraft(draft);
        m_window->findChild<QAction *>(u"saveRequestAction"_s)->trigger();
        QInputDialog *ask = nullptr;
        QTRY_VERIFY((ask = m_window->findChild<QInputDialog *>(u"saveRequestDialog"_s)) && ask->isVisible());
        ask->setTextValue(u"Buy BTC"_s);
        ask->accept();
        QTRY_VERIFY(m_model->workspace().findRequest(u"Buy BTC"_s));
        // It is in the file, and a reopened copy is the same request.
        const auto loaded = WorkspaceStore::load(m_model->path());
        QVERIFY(loaded.ok());
        QVERIFY(loaded.workspace->findRequest(u"Buy BTC"_s));
        QCOMPARE(loaded.workspace->findRequest(u"Buy BTC"_s)->draft.body, draft.body);

        QMenu *saved = m_window->findChild<QMenu *>(u"savedRequestsMenu"_s);
        QVERIFY(saved);
        Q_EMIT saved->aboutToShow();
        QAction *open = nullptr;
        for (QAction *action : saved->actions()) {
            if (action->text() == u"Buy BTC"_s)
                open = action;
        }
        QVERIFY(open);
        const int tabs = m_window->requestTabs()->count();
        open->trigger();
        QCOMPARE(m_window->requestTabs()->count(), tabs + 1);
        QCOMPARE(m_window->currentComposer()->draft().method, u"POST"_s);
        QCOMPARE(m_window->currentComposer()->draft().body, draft.body);
        QCOMPARE(m_window->currentComposer()->draft().headers.first().value, u"{{userId}}-1"_s);
    }

    void saveAndCopyRefuseACredentialAndSayWhere()
    {
        selectRow(0); // the Demo: its client secret is known to the session
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/trades"_s;
        draft.body = "{\"note\":\"" + DemoServer::clientSecret().toUtf8() + "\"}";
        composer->setDraft(draft);
        const auto saveAs = [this](const QString &name) {
            m_window->findChild<QAction *>(u"saveRequestAction"_s)->trigger();
            QInputDialog *ask = nullptr;
            QTRY_VERIFY((ask = m_window->findChild<QInputDialog *>(u"saveRequestDialog"_s)) && ask->isVisible());
            ask->setTextValue(name);
            ask->accept();
        };
        const auto expectRefusal = [this](const QString &where) {
            QMessageBox *box = nullptr;
            QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"credentialRefusal"_s)) && box->isVisible());
            QVERIFY2(box->informativeText().contains(where), qPrintable(box->informativeText()));
            QVERIFY2(box->informativeText().contains(u"keychain"_s) || box->informativeText().contains(u"Real Token"_s), qPrintable(box->informativeText()));
            QVERIFY2(m_window->statusBar()->currentMessage().contains(where), qPrintable(m_window->statusBar()->currentMessage()));
            QTest::mouseClick(box->button(QMessageBox::Ok), Qt::LeftButton);
            QTRY_VERIFY(!m_window->findChild<QMessageBox *>(u"credentialRefusal"_s));
        };
        saveAs(u"Leaky body"_s);
        expectRefusal(u"body: holds the client secret"_s);
        QVERIFY(!m_model->workspace().findRequest(u"Leaky body"_s));

        draft.body.clear();
        draft.headers = {{u"X-Api-Key"_s, u"k3y-literal-9f2"_s, true}};
        composer->setDraft(draft);
        saveAs(u"Leaky key"_s);
        expectRefusal(u"header X-Api-Key: holds a credential"_s);
        QVERIFY(!m_model->workspace().findRequest(u"Leaky key"_s));
        QVERIFY(!WorkspaceStore::load(m_model->path()).workspace->findRequest(u"Leaky key"_s));

        // Copy as curl promises a command without credentials: it refuses too, and says how to reveal.
        QGuiApplication::clipboard()->clear();
        m_window->findChild<QAction *>(u"copyCurlAction"_s)->trigger();
        expectRefusal(u"header X-Api-Key: holds a credential"_s);
        QVERIFY(!QGuiApplication::clipboard()->text().contains(u"k3y-literal-9f2"_s));
        Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->indexOf(composer));
    }

    void historyKeepsNoSecretOfTheEnvironment()
    {
        // The client secret in a URL and a header, where no rule by name would find it: only its
        // value gives it away, so the redactor has to be told it (it was told only the tokens).
        selectRow(0);
        const QString secret = DemoServer::clientSecret();
        const QByteArray basic = (DemoServer::clientId() + u':' + secret).toUtf8().toBase64();
        ComposerView *composer = m_window->newRequest();
        RequestDraft draft;
        draft.url = u"/me?leak="_s + QString::fromLatin1(QUrl::toPercentEncoding(secret));
        draft.headers = {{u"X-Note"_s, u"Basic "_s + QString::fromLatin1(basic), true}};
        composer->setDraft(draft);
        HistoryModel *history = m_window->historyModel();
        const int rows = history->rowCount();
        QTest::mouseClick(composer->findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending() && composer->lastResult().answered(), 15000);
        QTRY_COMPARE(history->rowCount(), rows + 1);
        const auto stored = m_history.entry(history->idAt(0));
        QVERIFY(stored.ok());
        QVERIFY2(stored.entry.url.contains(u"leak="_s), qPrintable(stored.entry.url));
        QByteArray onDisk;
        for (const QString &file : {m_history.path(), m_history.path() + u"-wal"_s}) {
            QFile in(file);
            if (in.open(QIODevice::ReadOnly))
                onDisk += in.readAll();
        }
        QVERIFY(!onDisk.isEmpty());
        QByteArray form = QUrl::toPercentEncoding(secret, " ");
        form.replace(' ', '+');
        for (const QByteArray &spelling : {secret.toUtf8(), QUrl::toPercentEncoding(secret), form, secret.toUtf8().toBase64(), basic})
            QVERIFY2(!onDisk.contains(spelling), spelling.constData());
        Q_EMIT m_window->requestTabs()->tabCloseRequested(m_window->requestTabs()->indexOf(composer));
    }

    void statusBarSaysWhatIsTrueOfTheCurrentEnvironment()
    {
        Environment local;
        local.name = u"Status sandbox"_s;
        local.tier = Tier::Sandbox;
        local.tokenUrl = m_demo.tokenUrl();
        local.apiBaseUrl = m_demo.apiUrl();
        local.clientId = DemoServer::clientId();
        local.scopes = {u"accounts:read"_s};
        const int row = m_model->upsert(local);
        selectRow(row);
        const Environment env = *m_model->environmentAt(row);
        auto *demoStatus = child<QLabel>(m_window.get(), u"demoStatus"_s);
        // The Demo server's address is not this environment's.
        QVERIFY(!demoStatus->isVisible());

        QSignalSpy done(m_authorizer.get(), &Authorizer::finished);
        m_authorizer->authorize(env, env.scopes, {u"not-the-secret"_s, {}, false});
        QVERIFY(done.wait(10000));
        QVERIFY2(m_window->statusBar()->currentMessage().contains(u"Authorization failed"_s), qPrintable(m_window->statusBar()->currentMessage()));
        m_authorizer->authorize(env, env.scopes, {DemoServer::clientSecret(), {}, false});
        QVERIFY(done.wait(10000));
        QVERIFY2(!m_window->statusBar()->currentMessage().contains(u"failed"_s), qPrintable(m_window->statusBar()->currentMessage()));

        // A failure is this environment's: switching to another takes it off the status bar.
        m_authorizer->authorize(env, env.scopes, {u"not-the-secret"_s, {}, false});
        QVERIFY(done.wait(10000));
        QVERIFY(m_window->statusBar()->currentMessage().contains(u"Authorization failed"_s));
        selectRow(0);
        QVERIFY2(!m_window->statusBar()->currentMessage().contains(u"failed"_s), qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY(demoStatus->isVisible());
        QVERIFY(demoStatus->text().contains(m_demo.baseUrl().toDisplayString()));

        // Delete, with the focus in the environment list, asks to delete the one selected (the
        // action used to sit on no widget of its context, so the key did nothing).
        selectRow(row);
        auto *list = child<QListView>(m_window.get(), u"environmentList"_s);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s)) && box->isVisible());
        QVERIFY(box->text().contains(u"Status sandbox"_s));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<QMessageBox *>(u"deleteConfirmation"_s));
        m_model->removeAt(row);
    }

    void everyShortcutHasOneOwnerAndIsListed()
    {
        selectRow(0); // the Demo
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTabWidget *tabs = m_window->requestTabs();

        // Ctrl+T: a new tab, its URL ready for typing.
        const int count = tabs->count();
        QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : m_window.get(), Qt::Key_T, Qt::ControlModifier);
        QCOMPARE(tabs->count(), count + 1);
        ComposerView *composer = m_window->currentComposer();
        auto *url = composer->findChild<QLineEdit *>(u"url"_s);
        QCOMPARE(QApplication::focusWidget(), url);
        QTest::keyClicks(url, u"/accounts"_s);
        QSignalSpy sent(composer, &ComposerView::exchanged);

        // Ctrl+Return from the URL field, the body and a table (the composer used to own one
        // too: "Ambiguous shortcut overload", and nothing was sent).
        QTest::keyClick(url, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, 10000);
        auto *parts = composer->findChild<QTabWidget *>(u"requestParts"_s);
        auto *bodyType = composer->findChild<QComboBox *>(u"bodyType"_s);
        parts->setCurrentIndex(parts->indexOf(bodyType->parentWidget()));
        bodyType->setCurrentIndex(bodyType->findText(u"Raw text"_s));
        auto *body = composer->findChild<QPlainTextEdit *>(u"body"_s);
        body->setFocus();
        QTest::keyClicks(body, u"note"_s);
        QTest::keyClick(body, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 2, 10000);
        QCOMPARE(body->toPlainText(), u"note"_s); // no new line typed
        auto *headers = composer->findChild<QTableWidget *>(u"headers"_s);
        parts->setCurrentIndex(parts->indexOf(headers->parentWidget()));
        headers->setFocus();
        QTest::keyClick(headers, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 3, 10000);
        // While a cell is being edited, what it shows is what is sent.
        auto *params = composer->findChild<QTableWidget *>(u"params"_s);
        parts->setCurrentIndex(parts->indexOf(params->parentWidget()));
        QTest::mouseClick(composer->findChild<QToolButton *>(u"paramsAdd"_s), Qt::LeftButton);
        QWidget *editor = QApplication::focusWidget();
        QVERIFY(editor && params->isAncestorOf(editor));
        QTest::keyClicks(editor, u"page"_s);
        QTest::keyClick(editor, Qt::Key_Tab);
        QTRY_VERIFY(QApplication::focusWidget() != editor);
        editor = QApplication::focusWidget();
        QTest::keyClicks(editor, u"2"_s);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 4, 10000);
        QVERIFY2(composer->lastResult().request.url.toString().contains(u"page=2"_s), qPrintable(composer->lastResult().request.url.toString()));

        // Ctrl+L: back to the URL, selected.
        params->setFocus();
        QTest::keyClick(params, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), url);
        QCOMPARE(url->selectedText(), url->text());

        // Ctrl+F: find in the response; Esc closes the bar.
        QTest::keyClick(url, Qt::Key_F, Qt::ControlModifier);
        auto *find = composer->responseView()->findBar();
        QVERIFY(find->isVisible());
        auto *field = find->findChild<QLineEdit *>(u"findField"_s);
        QCOMPARE(QApplication::focusWidget(), field);
        QTest::keyClicks(field, u"acc-"_s);
        QTRY_VERIFY(find->matchCount() > 0);
        QTest::keyClick(field, Qt::Key_Escape);
        QVERIFY(!find->isVisible());

        // Help ▸ Keyboard Shortcuts lists them, read from the actions.
        m_window->findChild<QAction *>(u"shortcutsAction"_s)->trigger();
        ShortcutsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<ShortcutsDialog *>()) && dialog->isVisible());
        const auto entries = dialog->entries();
        const auto listed = [&entries](const QKeySequence &keys, const QString &what) {
            const QString text = keys.toString(QKeySequence::NativeText);
            return std::any_of(entries.cbegin(), entries.cend(), [&](const auto &entry) { return entry.first.contains(text) && entry.second.startsWith(what); });
        };
        QVERIFY(listed(QKeySequence(Qt::CTRL | Qt::Key_Return), u"Send Request"_s));
        QVERIFY(listed(QKeySequence(QKeySequence::AddTab), u"New Request"_s));
        QVERIFY(listed(QKeySequence(QKeySequence::Close), u"Close Request"_s));
        QVERIFY(listed(QKeySequence(Qt::CTRL | Qt::Key_L), u"Go to URL"_s));
        QVERIFY(listed(QKeySequence(QKeySequence::Find), u"Find in Response"_s));
        QVERIFY(listed(QKeySequence(Qt::Key_F3), u"Find Next (in the response)"_s));
        QVERIFY(listed(QKeySequence(QKeySequence::Delete), u"Delete Environment (in the environment list)"_s));
        // Every action with a key is there: the list cannot leave one out.
        for (QAction *action : m_window->findChildren<QAction *>()) {
            if (!action->shortcut().isEmpty() && action->parent() == m_window.get())
                QVERIFY2(listed(action->shortcut(), action->text().remove(u'&').remove(u"…"_s)), qPrintable(action->text()));
        }
        dialog->reject();

        // Ctrl+W closes the tab.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        url->setFocus();
        QTest::keyClick(url, Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(tabs->count(), count);
    }

    void remembersTheLastEnvironment()
    {
        selectRow(1);
        const QString id = m_window->currentEnvironmentId();
        m_window->close();
        QCOMPARE(QSettings().value(u"window/lastEnvironment"_s).toString(), id);
        MainWindow again(m_model.get(), m_authorizer.get(), &m_secrets);
        QCOMPARE(again.currentEnvironmentId(), id);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
