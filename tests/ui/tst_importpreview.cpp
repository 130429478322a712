#include "ImportPreviewDialog.h"
#include "TierBanner.h"
#include "contract/WorkspaceImport.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"
#include "support/WidgetTestMain.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

// The import preview: what an import will do is shown before anything changes, Cancel changes
// nothing, Import applies the plan as confirmed (tiers, values typed) and saves the file.
class TestImportPreview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static const QString document() { return u"openapi:Banking API"_s; }

    static ImportPlan plan()
    {
        ImportPlan plan;
        plan.sourceKind = u"OpenAPI 3.1"_s;
        plan.title = u"Banking API"_s;
        plan.document = document();
        plan.version = u"2.0"_s;
        Environment sandbox;
        sandbox.name = u"Banking API sandbox"_s;
        sandbox.tier = Tier::Sandbox;
        sandbox.tokenUrl = QUrl(u"https://auth.sandbox.bank.example/oauth/token"_s);
        sandbox.apiBaseUrl = QUrl(u"https://api.sandbox.bank.example/v2"_s);
        sandbox.scopeCatalog = {{u"accounts:read"_s, u"Read accounts"_s}};
        sandbox.origin = {document(), u"clientCredentials@https://api.sandbox.bank.example/v2"_s, u"2.0"_s};
        Environment production = sandbox;
        production.name = u"Banking API production"_s;
        production.tier = Tier::Production;
        production.tokenUrl = QUrl(u"https://auth.bank.example/oauth/token"_s);
        production.apiBaseUrl = QUrl(u"https://api.bank.example/v2"_s);
        production.origin.key = u"clientCredentials@https://api.bank.example/v2"_s;
        plan.environments = {sandbox, production};
        plan.requests = {request(u"listAccounts"_s, u"/accounts"_s), request(u"getAccount"_s, u"/accounts/{{accountId}}"_s),
                         request(u"listTrades"_s, u"/trades"_s)};
        plan.skipped = {u"operation streamPrices: implicit flow is not supported"_s};
        plan.notes = {u"scope admin is used but not declared"_s};
        plan.inputs = {{sandbox.origin.key, u"clientId"_s, u"Your sandbox client id"_s, QString()},
                       {sandbox.origin.key, u"region"_s, u"Server variable region"_s, u"eu"_s}};
        return plan;
    }

    static SavedRequest request(const QString &name, const QString &url)
    {
        SavedRequest r;
        r.name = name;
        r.folder = u"Accounts"_s;
        r.draft.url = url;
        r.requiredScopes = {{u"oauth"_s, {u"accounts:read"_s}}};
        r.origin = {document(), u"GET "_s + url, u"2.0"_s};
        return r;
    }

    // A workspace that already holds two of the plan's requests from an earlier import: one as
    // the plan has it, one the document has changed since.
    std::unique_ptr<EnvironmentListModel> openWorkspace(const QString &file)
    {
        auto model = std::make_unique<EnvironmentListModel>();
        QString error;
        if (!model->open(m_dir.filePath(file), &error))
            return nullptr;
        const ImportPlan earlier = plan();
        if (!model->saveRequest(earlier.requests.at(0)))
            return nullptr;
        SavedRequest older = earlier.requests.at(1);
        older.requiredScopes = {};
        if (!model->saveRequest(older))
            return nullptr;
        return model;
    }

    static QStringList actionRows(QTreeWidget *tree)
    {
        QStringList rows;
        for (int g = 0; g < tree->topLevelItemCount(); ++g) {
            QTreeWidgetItem *group = tree->topLevelItem(g);
            for (int r = 0; r < group->childCount(); ++r)
                rows << group->child(r)->text(1) + u" "_s + group->child(r)->text(0);
        }
        return rows;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
    }

    void listsWhatTheImportDoes()
    {
        auto model = openWorkspace(u"list.json"_s);
        QVERIFY(model);
        ImportPreviewDialog dialog(model.get(), plan(), u"banking.yaml"_s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QStringList rows = actionRows(dialog.findChild<QTreeWidget *>(u"importActions"_s));
        QCOMPARE(rows, (QStringList{u"Add Banking API sandbox"_s, u"Add Banking API production"_s, u"Unchanged listAccounts"_s,
                                    u"Update getAccount"_s, u"Add listTrades"_s}));
        const QString summary = dialog.findChild<QLabel *>(u"importSummary"_s)->text();
        QVERIFY2(summary.contains(u"adds 2 environment(s) and 1 request(s)"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"updates 0 environment(s) and 1 request(s)"_s), qPrintable(summary));
        QVERIFY(dialog.findChild<QLabel *>(u"importSource"_s)->text().contains(u"Banking API (version 2.0) — OpenAPI 3.1, from banking.yaml"_s));
        // The tier guessed from the document, for the user to confirm, on every new environment.
        auto *environments = dialog.findChild<QTableWidget *>(u"importEnvironments"_s);
        QCOMPARE(environments->rowCount(), 2);
        auto *tier = qobject_cast<QComboBox *>(environments->cellWidget(1, 1));
        QVERIFY(tier);
        QCOMPARE(tier->currentText(), TierBanner::tierLabel(Tier::Production));
        // What the document does not give, to fill in; a server variable's default offered.
        auto *inputs = dialog.findChild<QTableWidget *>(u"importInputs"_s);
        QCOMPARE(inputs->rowCount(), 2);
        QCOMPARE(inputs->item(1, 2)->text(), u"eu"_s);
        const QString skipped = dialog.findChild<QPlainTextEdit *>(u"importSkipped"_s)->toPlainText();
        QVERIFY(skipped.contains(u"Skipped: operation streamPrices: implicit flow is not supported"_s));
        QVERIFY(skipped.contains(u"Note: scope admin is used but not declared"_s));
    }

    void cancelChangesNothing()
    {
        auto model = openWorkspace(u"cancel.json"_s);
        QVERIFY(model);
        const Workspace before = model->workspace();
        QFile file(m_dir.filePath(u"cancel.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray onDisk = file.readAll();
        file.close();
        ImportPreviewDialog dialog(model.get(), plan(), u"banking.yaml"_s);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"cancelImport"_s), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(model->workspace() == before);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), onDisk);
    }

    void importAppliesTheConfirmedPlanAndSaves()
    {
        auto model = openWorkspace(u"import.json"_s);
        QVERIFY(model);
        const int environmentsBefore = model->rowCount();
        ImportPreviewDialog dialog(model.get(), plan(), u"banking.yaml"_s);
        QSignalSpy imported(&dialog, &ImportPreviewDialog::imported);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // The sandbox guess is wrong for this vendor: the user says staging, and types the client id.
        auto *environments = dialog.findChild<QTableWidget *>(u"importEnvironments"_s);
        auto *tier = qobject_cast<QComboBox *>(environments->cellWidget(0, 1));
        tier->setCurrentIndex(tier->findData(int(Tier::Staging)));
        dialog.findChild<QTableWidget *>(u"importInputs"_s)->item(0, 2)->setText(u"my-client"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"importButton"_s), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(imported.size(), 1);
        QVERIFY(imported.first().at(1).toString().contains(u"2 environment(s) and 1 request(s) added, 1 updated"_s));

        QCOMPARE(model->rowCount(), environmentsBefore + 2);
        const Environment *sandbox = model->workspace().find(u"Banking API sandbox"_s);
        QVERIFY(sandbox);
        QCOMPARE(sandbox->tier, Tier::Staging);
        QCOMPARE(sandbox->clientId, u"my-client"_s);
        QVERIFY(sandbox->variables.contains(qMakePair(u"region"_s, u"eu"_s)));
        QCOMPARE(model->workspace().savedRequests().size(), 3);
        QCOMPARE(model->workspace().findRequest(u"getAccount"_s)->requiredScopes, plan().requests.at(1).requiredScopes);

        // Saved like any edit.
        const auto onDisk = WorkspaceStore::load(m_dir.filePath(u"import.json"_s));
        QVERIFY(onDisk.ok());
        QVERIFY(*onDisk.workspace == model->workspace());

        // The same document again: nothing new, nothing duplicated.
        ImportPreviewDialog again(model.get(), plan(), u"banking.yaml"_s);
        for (const ImportAction &action : again.preview().actions)
            QVERIFY2(action.kind != ImportAction::Kind::Add, qPrintable(action.name));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestImportPreview)
#include "tst_importpreview.moc"
