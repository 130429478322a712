#include "MatrixPlanLoader.h"

#include "matrix/MatrixPlanReader.h"
#include "matrix/MatrixPlanner.h"
#include "workspace/WorkspaceFile.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

#include <memory>

MatrixPlanLoader::MatrixPlanLoader(QObject *parent)
    : QObject(parent)
{
}

MatrixPlanLoader::Loaded MatrixPlanLoader::loadNow(Source source, const QString &path, const Workspace &workspace, const Environment &environment)
{
    Loaded loaded;
    if (source == Source::Workspace) {
        loaded.plan = MatrixPlanReader::fromWorkspace(workspace);
    } else if (source == Source::PlanFile) {
        // A plan file may name the workspace's saved requests instead of repeating them.
        loaded.plan = MatrixPlanReader::readFile(path, &loaded.error, &workspace);
    } else {
        const WorkspaceFile::Result file = WorkspaceFile::read(path, MaxDocumentBytes);
        if (!file.ok()) {
            loaded.error = file.status == WorkspaceFile::Status::TooLarge
                ? tr("%1 is larger than %2.").arg(QFileInfo(path).fileName(), WorkspaceFile::describeSize(MaxDocumentBytes))
                : tr("%1 cannot be read: %2").arg(QFileInfo(path).fileName(), file.problem);
            return loaded;
        }
        loaded.plan = MatrixPlanReader::fromOpenApi(file.bytes, QFileInfo(path).fileName(), &loaded.error);
    }
    if (!loaded.plan)
        return loaded;
    loaded.notes = loaded.plan->notes;
    loaded.cells = MatrixPlanner::cells(*loaded.plan, environment, &loaded.notes);
    loaded.layout = MatrixLayout::of(loaded.cells);
    return loaded;
}

void MatrixPlanLoader::load(Source source, const QString &path, const Workspace &workspace, const Environment &environment)
{
    const quint64 ticket = ++m_ticket;
    ++m_pending;
    auto promise = std::make_shared<QPromise<Loaded>>();
    promise->start();
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, ticket] {
        watcher->deleteLater();
        --m_pending;
        if (ticket != m_ticket)
            return; // a newer load supersedes this one
        Loaded failed;
        failed.error = tr("The plan could not be read.");
        Q_EMIT loaded(watcher->future().resultCount() > 0 ? watcher->future().result() : failed);
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, source, path, workspace, environment] {
        promise->addResult(loadNow(source, path, workspace, environment));
        promise->finish();
    });
}
