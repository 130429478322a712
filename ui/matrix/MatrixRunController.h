#pragma once

#include "matrix/MatrixRunner.h"
#include "oauth/GrantInteraction.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

class Authorizer;
class HistoryModel;
class HistoryStore;
class HistoryWriter;
class MatrixHistory;
struct Environment;

// A GUI run of the scope matrix: a MatrixRunner over tokens from an Authorizer of the run's own
// (the same keychain and Demo as the window's, so the environment's current token stays what it
// was), its exchanges recorded in the history (MatrixHistory, written off the UI thread), and the
// run's cells told apart from the plan's: its signals name the plan's cell indexes. An interactive
// grant (authorization code, device code) needs the person once per scope set's token:
// interactionRequired says what to show, and stop() gives up the wait with the run.
class MatrixRunController : public QObject
{
    Q_OBJECT

public:
    explicit MatrixRunController(Authorizer *authorizer, QObject *parent = nullptr);
    ~MatrixRunController() override;

    // Where runs record their exchanges, and the model that shows them as they are written.
    void setHistory(HistoryStore *store, HistoryModel *model);

    // Runs these cells (indexes into cells) of the plan on the environment as the workspace holds
    // it; returns why it cannot (and then nothing runs).
    QString start(const Environment &environment, const MatrixPlan &plan, const QList<MatrixCell> &cells, const QList<int> &cellIndexes,
                  const MatrixRunner::Options &options);
    void stop();
    bool isRunning() const { return m_runner != nullptr; }

    // The cells of the last run, and when it and each cell finished.
    const QList<int> &runCells() const { return m_runCells; }
    QDateTime started() const { return m_started; }
    QDateTime finished() const { return m_finished; }
    QDateTime finishedAt(int cellIndex) const { return m_finishedAt.value(cellIndex, m_finished); }
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    // A new plan: no run's times apply to it.
    void forget();

Q_SIGNALS:
    void cellStarted(int cellIndex);
    void cellFinished(int cellIndex, const MatrixCellResult &result);
    void progress(int done, int total);
    void runFinished(bool stopped, qint64 tookMs);
    void historyFailed(const QString &message, int count);
    // The token for these scopes waits for the person (the browser, or the user code); the run goes
    // on once they are done. interactionFinished(scopes) when that token request ends, however.
    void interactionRequired(const QStringList &scopes, const GrantInteraction &interaction);
    void interactionFinished(const QStringList &scopes);

private:
    void onFinished(bool stopped);

    Authorizer *m_authorizer;
    MatrixRunner *m_runner = nullptr; // a child while it runs; deleted once finished
    HistoryStore *m_historyStore = nullptr;
    HistoryWriter *m_historyWriter = nullptr; // writes on its own thread, in batches
    MatrixHistory *m_history = nullptr;
    QList<int> m_runCells; // the runner's cell index → the plan's
    QHash<int, QDateTime> m_finishedAt;
    QElapsedTimer m_clock;
    QDateTime m_started, m_finished;
};
