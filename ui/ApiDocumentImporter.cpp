#include "ApiDocumentImporter.h"

#include "ImportPreviewDialog.h"
#include "contract/ApiDocumentReader.h"
#include "workspace/EnvironmentListModel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QPromise>
#include <QStandardPaths>
#include <QThreadPool>

ApiDocumentImporter::ApiDocumentImporter(EnvironmentListModel *workspace, QWidget *window)
    : QObject(window)
    , m_workspace(workspace)
    , m_window(window)
{
    const auto changed = [this] { ++m_generation; };
    connect(m_workspace, &EnvironmentListModel::requestsChanged, this, changed);
    connect(m_workspace, &QAbstractItemModel::dataChanged, this, changed);
    connect(m_workspace, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m_workspace, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(m_workspace, &QAbstractItemModel::modelReset, this, changed);
}

void ApiDocumentImporter::chooseFile()
{
    auto *dialog = new QFileDialog(m_window, tr("Import API Document"),
                                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
                                   tr("API documents (*.json *.yaml *.yml);;All files (*)"));
    dialog->setObjectName(QStringLiteral("importFileDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &ApiDocumentImporter::importFile);
    dialog->open();
}

void ApiDocumentImporter::importFile(const QString &path)
{
    if (m_reading) {
        Q_EMIT message(tr("Still reading the previous document."));
        return;
    }
    m_reading = true;
    const QString name = QFileInfo(path).fileName();
    Q_EMIT message(tr("Reading %1…").arg(name));
    auto promise = std::make_shared<QPromise<Parsed>>();
    promise->start();
    auto *watcher = new QFutureWatcher<Parsed>(this);
    connect(watcher, &QFutureWatcher<Parsed>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        m_reading = false;
        const auto future = watcher->future();
        Parsed failed;
        failed.error = tr("The document could not be read.");
        showResult(path, future.resultCount() > 0 ? future.result() : failed);
    });
    watcher->setFuture(promise->future());
    // The preview is worked out there too, against the workspace as it is now: thousands of
    // operations take a while to compare.
    QThreadPool::globalInstance()->start([promise, path, workspace = m_workspace->workspace(), generation = m_generation] {
        Parsed parsed;
        parsed.workspaceGeneration = generation;
        parsed.plan = ApiDocumentReader::readFile(path, &parsed.error);
        if (parsed.plan)
            parsed.preview = WorkspaceImport::preview(workspace, *parsed.plan);
        promise->addResult(std::move(parsed));
        promise->finish();
    });
}

void ApiDocumentImporter::showResult(const QString &path, const Parsed &parsed)
{
    const QString name = QFileInfo(path).fileName();
    if (!parsed.plan) {
        Q_EMIT message(tr("Not imported: %1").arg(parsed.error));
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Import API Document"), tr("%1 cannot be imported.").arg(name),
                                    QMessageBox::Ok, m_window);
        box->setObjectName(QStringLiteral("importRefused"));
        box->setTextFormat(Qt::PlainText);
        box->setInformativeText(parsed.error);
        // The reason quotes the document: QMessageBox would guess its format.
        if (auto *informative = box->findChild<QLabel *>(QStringLiteral("qt_msgbox_informativelabel")))
            informative->setTextFormat(Qt::PlainText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        Q_EMIT previewReady(nullptr);
        return;
    }
    Q_EMIT message(tr("Read %1: review what it adds, then Import.").arg(name));
    m_preview = parsed.workspaceGeneration == m_generation ? new ImportPreviewDialog(m_workspace, *parsed.plan, parsed.preview, name, m_window)
                                                           : new ImportPreviewDialog(m_workspace, *parsed.plan, name, m_window);
    m_preview->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_preview, &ImportPreviewDialog::imported, this, [this](const ImportOutcome &outcome, const QString &summary) {
        Q_EMIT message(summary);
        QStringList added;
        for (const ImportAction &action : outcome.actions) {
            if (action.kind == ImportAction::Kind::Add && action.item == ImportAction::Item::Environment)
                added.append(action.name);
        }
        if (!added.isEmpty())
            Q_EMIT environmentsAdded(added);
    });
    m_preview->open();
    Q_EMIT previewReady(m_preview);
}
