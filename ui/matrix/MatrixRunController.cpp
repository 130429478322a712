#include "MatrixRunController.h"

#include "history/HistoryModel.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "http/AuthorizerTokenSource.h"
#include "matrix/MatrixHistory.h"
#include "session/Authorizer.h"

MatrixRunController::MatrixRunController(Authorizer *authorizer, QObject *parent)
    : QObject(parent)
    , m_authorizer(authorizer)
{
}

MatrixRunController::~MatrixRunController()
{
    // Nothing in flight outlives the window; its answers have nowhere to go.
    if (m_runner) {
        disconnect(m_runner, nullptr, this, nullptr);
        m_runner->stop();
    }
}

void MatrixRunController::setHistory(HistoryStore *store, HistoryModel *model)
{
    if (m_historyWriter || !store || !store->isOpen())
        return;
    m_historyStore = store;
    m_historyWriter = new HistoryWriter(store->path(), this);
    m_history = new MatrixHistory(m_historyWriter, this);
    if (model)
        connect(m_historyWriter, &HistoryWriter::written, model, &HistoryModel::showStored);
    connect(m_historyWriter, &HistoryWriter::failed, this, &MatrixRunController::historyFailed);
}

QString MatrixRunController::start(const Environment &environment, const MatrixPlan &plan, const QList<MatrixCell> &cells,
                                   const QList<int> &cellIndexes, const MatrixRunner::Options &options)
{
    if (m_runner)
        return tr("a matrix run is already going");
    const Environment resolved = m_authorizer->resolved(environment);
    QList<MatrixCell> run;
    run.reserve(cellIndexes.size());
    for (int cellIndex : cellIndexes)
        run.append(cells.at(cellIndex));

    // Tokens as the rest of the window gets them (the keychain's secrets or the Demo's, never a
    // dialog), but from an Authorizer of the run's own: the environment's current token, the one
    // the inspector shows and the composer reuses, stays what it was.
    Authorizer *runAuthorizer = m_authorizer->detached(this);
    auto *tokens = new AuthorizerTokenSource(runAuthorizer, resolved, {}, runAuthorizer);
    auto *runner = new MatrixRunner(tokens, this);
    runAuthorizer->setParent(runner);
    // Nobody else watches this Authorizer: without these a run would wait for a person nobody asked.
    connect(tokens, &TokenSource::interactionRequired, this, &MatrixRunController::interactionRequired);
    connect(tokens, &TokenSource::interactionFinished, this, &MatrixRunController::interactionFinished);
    if (m_history) {
        // The history's redactor (its secrets, the choice to keep them) and every secret of the
        // session; the run adds its own tokens as it mints them.
        Redactor redactor = m_historyStore->redactor();
        for (const QString &secret : m_authorizer->knownSecrets().values())
            redactor.addSecret(secret);
        m_history->follow(runner, environment, plan.title, redactor);
    }
    connect(runner, &MatrixRunner::cellStarted, this, [this](int runIndex) {
        if (const int cellIndex = m_runCells.value(runIndex, -1); cellIndex >= 0)
            Q_EMIT cellStarted(cellIndex);
    });
    connect(runner, &MatrixRunner::cellFinished, this, [this](int runIndex, const MatrixCellResult &result) {
        const int cellIndex = m_runCells.value(runIndex, -1);
        if (cellIndex < 0)
            return;
        m_finishedAt.insert(cellIndex, QDateTime::currentDateTimeUtc());
        Q_EMIT cellFinished(cellIndex, result);
    });
    connect(runner, &MatrixRunner::progress, this, &MatrixRunController::progress);
    connect(runner, &MatrixRunner::finished, this, [this](const QList<MatrixCellResult> &, bool stopped) { onFinished(stopped); });

    m_runCells = cellIndexes;
    for (int cellIndex : cellIndexes)
        m_finishedAt.remove(cellIndex);
    m_runner = runner;
    m_clock.start();
    m_started = QDateTime::currentDateTimeUtc();
    m_finished = {};
    const QString refused = runner->start(resolved, plan, run, options);
    if (!refused.isEmpty()) {
        m_runner = nullptr;
        runner->deleteLater();
    }
    return refused;
}

void MatrixRunController::stop()
{
    if (m_runner)
        m_runner->stop();
}

void MatrixRunController::forget()
{
    m_finishedAt.clear();
    m_started = {};
    m_finished = {};
}

void MatrixRunController::onFinished(bool stopped)
{
    if (m_runner)
        m_runner->deleteLater();
    m_runner = nullptr;
    m_finished = QDateTime::currentDateTimeUtc();
    Q_EMIT runFinished(stopped, m_clock.elapsed());
}
