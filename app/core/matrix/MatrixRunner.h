#pragma once

#include "http/ApiCallResult.h"
#include "http/ResponseLimit.h"
#include "oauth/AccessToken.h"
#include "matrix/MatrixCell.h"
#include "matrix/MatrixPlan.h"
#include "matrix/MatrixResult.h"
#include "workspace/Environment.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class ApiCall;
class KnownSecrets;
class MatrixEvidence;
class MatrixTokens;
class QTimer;
class TokenSource;
struct ApiCallResult;
struct TokenResult;

// Runs the cells of a scope matrix (issue 12, item 2) and judges each answer. One token per
// distinct scope set, minted once and reused by every cell that needs it (MatrixTokens); cells
// without a token go with the Authorization injection switched off. Requests go through ApiCall
// (origin guard, redaction, DenialReadout), up to Options::concurrency at once on the thread's
// kept-alive connections. A 429 with Retry-After is waited out (bounded) and the cell sent
// again. Never blocks; every signal comes from the event loop, never from inside start().
class MatrixRunner : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int concurrency = 4;
        bool readOnly = false;        // state-changing requests are not sent (verdict Skipped)
        bool allowProduction = false; // a production environment is refused without it
        int timeoutMs = 30000;        // per request
        qint64 maxResponseBytes = ResponseLimit::defaultBodyBytes;
        QByteArray extraCaPem;
        int maxRateLimitRetries = 3;  // 429s waited out per cell; the next one is the cell's answer
        int maxRetryWaitMs = 60000;   // a Retry-After longer than this is not waited for
    };
    static constexpr int maxConcurrency = 64;

    explicit MatrixRunner(TokenSource *tokens, QObject *parent = nullptr);
    ~MatrixRunner() override;

    // Starts the run; returns why it cannot (a production environment without allowProduction,
    // a run already going, a concurrency out of range), and then starts nothing. environment as
    // resolved for use (Authorizer::resolved for the built-in Demo).
    QString start(const Environment &environment, const MatrixPlan &plan, const QList<MatrixCell> &cells, const Options &options);
    // Cancels every request and token request in flight; finished(…, true) follows at once.
    void stop();
    bool isRunning() const { return m_running; }
    // The results of the cells finished so far, in cell order.
    QList<MatrixCellResult> results() const;

    // The run's secrets: the token source's and every token minted for the run.
    const KnownSecrets &knownSecrets() const;

    // Why a run may not go to this environment as the options stand; empty when it may.
    static QString refusal(const Environment &environment, const Options &options);

Q_SIGNALS:
    void cellStarted(int cellIndex);
    void cellFinished(int cellIndex, const MatrixCellResult &result);
    // A cell's request went and the exchange came back (or failed on the wire), just before
    // cellFinished: what the history records. draft: as sent, with the cell's scopes. Only
    // emitted while something is connected to it.
    void exchanged(const MatrixCellResult &result, const ApiCallResult &call, const RequestDraft &draft);
    void progress(int done, int total);
    void finished(const QList<MatrixCellResult> &results, bool stopped);

private:
    struct Worker
    {
        ApiCall *call = nullptr;
        QTimer *retry = nullptr;
        int cell = -1;          // -1: free
        int generation = 0;     // stale token answers and calls are told by it
        int rateLimited = 0;    // 429s waited out for this cell
        QElapsedTimer clock;
        std::optional<AccessToken> token; // what the cell's token was granted, value dropped
        QString note;           // a sentence for the detail (granted scopes not reported, waits)
    };

    void schedulePump();
    void pump();
    void begin(int workerIndex);
    void onToken(int workerIndex, const TokenResult &token);
    void send(int workerIndex);
    void onCallFinished(int workerIndex, const ApiCallResult &result);
    void complete(int cellIndex, MatrixCellResult result);
    void release(int workerIndex);
    void end(bool stopped);
    RequestDraft draftFor(const MatrixCell &cell) const;
    MatrixCellResult resultFor(int cellIndex) const;
    QString resolvedUrl(const RequestDraft &draft);
    // The redactor for the run's secrets as they are now (a token minted since is one more);
    // a cell's evidence keeps the one it finished with until it is built.
    std::shared_ptr<const MatrixEvidence> evidence();

    TokenSource *m_source;
    MatrixTokens *m_tokens; // the run's tokens, one per scope set; reset by start()
    std::vector<Worker> m_workers;
    Environment m_environment;
    MatrixPlan m_plan;
    QList<MatrixCell> m_cells;
    Options m_options;
    QList<std::optional<MatrixCellResult>> m_results;
    int m_next = 0;
    int m_done = 0;
    bool m_running = false;
    bool m_pumpQueued = false;
    std::shared_ptr<const MatrixEvidence> m_evidence;
    QStringList m_evidenceSecrets;
};
