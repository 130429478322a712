#include "matrix/MatrixRunner.h"

#include "http/ApiCall.h"
#include "http/RequestBuilder.h"
#include "http/TokenScopes.h"
#include "matrix/MatrixEvidence.h"
#include "matrix/MatrixJudge.h"
#include "matrix/MatrixTokens.h"

#include <QMetaMethod>
#include <QMetaObject>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// What a result may hold of a token: what it was asked for and granted, never the credential.
AccessToken withoutValue(AccessToken token)
{
    token.value.clear();
    token.refreshToken.clear();
    return token;
}
} // namespace

MatrixRunner::MatrixRunner(TokenSource *tokens, QObject *parent)
    : QObject(parent)
    , m_source(tokens)
    , m_tokens(new MatrixTokens(tokens, this))
{
}

MatrixRunner::~MatrixRunner()
{
    // No signal from a runner being destroyed: its receivers may be going too.
    m_running = false;
    for (Worker &worker : m_workers) {
        if (worker.call)
            worker.call->cancel();
    }
}

QString MatrixRunner::refusal(const Environment &environment, const Options &options)
{
    if (environment.tier == Tier::Production && !options.allowProduction) {
        return tr("%1 is a production environment: a scope matrix sends every request with tokens that lack its scopes"
                  "%2; allow production explicitly to run it there")
            .arg(environment.name, options.readOnly ? QString() : tr(", state-changing requests included"));
    }
    if (options.concurrency < 1 || options.concurrency > maxConcurrency)
        return tr("the concurrency must be from 1 to %1, not %2").arg(maxConcurrency).arg(options.concurrency);
    return {};
}

QString MatrixRunner::start(const Environment &environment, const MatrixPlan &plan, const QList<MatrixCell> &cells,
                            const Options &options)
{
    if (m_running)
        return tr("a matrix run is already going");
    if (const QString why = refusal(environment, options); !why.isEmpty())
        return why;
    for (const MatrixCell &cell : cells) {
        if (cell.request < 0 || cell.request >= plan.requests.size())
            return tr("the cell %1 names no request of the plan").arg(cell.id());
    }

    m_environment = environment;
    m_plan = plan;
    m_cells = cells;
    m_options = options;
    m_results = QList<std::optional<MatrixCellResult>>(cells.size());
    m_next = 0;
    m_done = 0;
    m_running = true;
    m_tokens->reset();

    // Workers (each an ApiCall) are kept from run to run: their Exchanges share the thread's
    // connections either way, and a re-run of the failed cells need not make them again.
    for (Worker &worker : m_workers) {
        worker.cell = -1;
        ++worker.generation;
    }
    while (int(m_workers.size()) < options.concurrency) {
        const int index = int(m_workers.size());
        Worker worker;
        worker.call = new ApiCall(m_tokens, this);
        worker.retry = new QTimer(this);
        worker.retry->setSingleShot(true);
        connect(worker.call, &ApiCall::finished, this, [this, index](const ApiCallResult &result) { onCallFinished(index, result); });
        connect(worker.retry, &QTimer::timeout, this, [this, index] { send(index); });
        m_workers.push_back(std::move(worker));
    }
    schedulePump();
    return {};
}

void MatrixRunner::stop()
{
    if (!m_running)
        return;
    m_running = false;
    for (Worker &worker : m_workers) {
        ++worker.generation;
        worker.retry->stop();
        worker.cell = -1;
        worker.call->cancel(); // its finished() comes now, and is ignored: the run is over
    }
    m_tokens->cancelTokenRequests(); // a grant waiting for a person is given up, not left waiting
    m_tokens->reset();
    end(true);
}

QList<MatrixCellResult> MatrixRunner::results() const
{
    QList<MatrixCellResult> out;
    for (const auto &result : m_results) {
        if (result)
            out.append(*result);
    }
    return out;
}

void MatrixRunner::schedulePump()
{
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    // Not tied to the run that asked: a pump queued as a run ended serves the next one.
    QMetaObject::invokeMethod(this, [this] {
        m_pumpQueued = false;
        if (m_running)
            pump();
    }, Qt::QueuedConnection);
}

void MatrixRunner::pump()
{
    if (m_running && m_cells.isEmpty()) {
        end(false);
        return;
    }
    const int active = std::min(int(m_workers.size()), m_options.concurrency);
    for (int index = 0; index < active && m_running && m_next < m_cells.size(); ++index) {
        if (m_workers[size_t(index)].cell >= 0)
            continue;
        const int cellIndex = m_next++;
        const MatrixCell &cell = m_cells.at(cellIndex);
        const PlanRequest &request = m_plan.requests.at(cell.request);
        if (m_options.readOnly && request.isStateChanging()) {
            MatrixCellResult result = resultFor(cellIndex);
            result.verdict = MatrixVerdict::Skipped;
            result.detail = tr("not sent: %1 changes state, and the run is read-only").arg(request.draft.method.toUpper());
            result.url = resolvedUrl(draftFor(cell));
            --index; // the worker is still free
            complete(cellIndex, result);
            continue;
        }
        Worker &worker = m_workers[size_t(index)];
        worker.cell = cellIndex;
        ++worker.generation;
        worker.rateLimited = 0;
        worker.token.reset();
        worker.note.clear();
        worker.clock.start();
        Q_EMIT cellStarted(cellIndex);
        begin(index);
    }
}

void MatrixRunner::begin(int workerIndex)
{
    Worker &worker = m_workers[size_t(workerIndex)];
    const MatrixCell &cell = m_cells.at(worker.cell);
    if (cell.set.kind == ScopeSet::Kind::NoToken) {
        send(workerIndex);
        return;
    }
    // A token already held goes at once: a trip through the event loop per cell is what a long
    // run of one column would otherwise pay.
    if (const auto token = m_tokens->heldToken(cell.set.scopes)) {
        onToken(workerIndex, {*token, {}});
        return;
    }
    TokenScopes scopes;
    scopes.scopes = cell.set.scopes;
    scopes.match = TokenScopes::Match::Exact;
    const int generation = worker.generation;
    m_tokens->obtainToken(scopes, {}, worker.call, [this, workerIndex, generation](const TokenResult &token) {
        if (m_running && m_workers[size_t(workerIndex)].generation == generation)
            onToken(workerIndex, token);
    });
}

void MatrixRunner::onToken(int workerIndex, const TokenResult &token)
{
    Worker &worker = m_workers[size_t(workerIndex)];
    const int cellIndex = worker.cell;
    const MatrixCell &cell = m_cells.at(cellIndex);
    if (!token.ok()) {
        MatrixCellResult result = resultFor(cellIndex);
        result.url = resolvedUrl(draftFor(cell));
        result.detail = tr("no token for %1: %2")
                            .arg(cell.set.scopes.isEmpty() ? tr("no scope") : cell.set.scopes.join(u' '),
                                 m_tokens->knownSecrets().mask(token.error.summary()));
        result.elapsedMs = worker.clock.elapsed();
        release(workerIndex);
        complete(cellIndex, result);
        return;
    }
    worker.token = withoutValue(*token.token);
    if (const auto early = MatrixJudge::beforeSending(cell, *token.token, &worker.note)) {
        MatrixCellResult result = resultFor(cellIndex);
        result.grantedScopes = token.token->grantedScopes;
        result.grantedReported = true;
        result.url = resolvedUrl(draftFor(cell));
        result.verdict = early->verdict;
        result.detail = early->detail;
        result.elapsedMs = worker.clock.elapsed();
        release(workerIndex);
        complete(cellIndex, result);
        return;
    }
    send(workerIndex);
}

RequestDraft MatrixRunner::draftFor(const MatrixCell &cell) const
{
    RequestDraft draft = cell.draftToSend(m_plan);
    if (cell.set.kind == ScopeSet::Kind::OnBehalfWithoutScope) {
        // The point of the cell is the context header going without its scope: a saved request
        // that switched it off still sends it here.
        for (const HeaderTemplate &header : std::as_const(m_environment.headers)) {
            draft.injectionSwitches.removeIf([&header](const RequestDraft::InjectionSwitch &entry) {
                return entry.disabled && entry.headerName.compare(header.name, Qt::CaseInsensitive) == 0;
            });
        }
    }
    return draft;
}

void MatrixRunner::send(int workerIndex)
{
    Worker &worker = m_workers[size_t(workerIndex)];
    if (!m_running || worker.cell < 0)
        return;
    ApiCall::Options options;
    options.productionConfirmed = m_options.allowProduction;
    options.timeoutMs = m_options.timeoutMs;
    options.maxResponseBytes = m_options.maxResponseBytes;
    options.extraCaPem = m_options.extraCaPem;
    worker.call->start(m_environment, draftFor(m_cells.at(worker.cell)), options);
}

void MatrixRunner::onCallFinished(int workerIndex, const ApiCallResult &call)
{
    Worker &worker = m_workers[size_t(workerIndex)];
    if (!m_running || worker.cell < 0)
        return;
    const int cellIndex = worker.cell;
    const MatrixCell &cell = m_cells.at(cellIndex);

    if (call.answered() && call.exchange.status == 429) {
        const qint64 waitMs = call.readout.retryAfterSeconds ? *call.readout.retryAfterSeconds * 1000 : -1;
        if (waitMs >= 0 && waitMs <= m_options.maxRetryWaitMs && worker.rateLimited < m_options.maxRateLimitRetries) {
            ++worker.rateLimited;
            worker.retry->start(int(waitMs));
            return;
        }
        worker.note = waitMs < 0 ? tr("the 429 named no Retry-After to wait for")
            : waitMs > m_options.maxRetryWaitMs
            ? tr("Retry-After asked for %1 s, longer than the %2 s the run waits").arg(waitMs / 1000).arg(m_options.maxRetryWaitMs / 1000)
            : tr("still 429 after %n wait(s) for Retry-After", nullptr, worker.rateLimited);
    } else if (worker.rateLimited > 0) {
        const QString waited = tr("answered after %n wait(s) for Retry-After", nullptr, worker.rateLimited);
        worker.note = worker.note.isEmpty() ? waited : worker.note + u"; "_s + waited;
    }

    const std::shared_ptr<const MatrixEvidence> masker = evidence();
    MatrixCellResult result = resultFor(cellIndex);
    const MatrixJudge::Judgement judgement = MatrixJudge::judge(cell, call);
    result.verdict = judgement.verdict;
    result.detail = masker->maskText(worker.note.isEmpty() ? judgement.detail : judgement.detail + u" ("_s + worker.note + u')');
    result.observedStatus = call.answered() ? call.exchange.status : 0;
    // The token that went (a re-authorization may have replaced the one minted first).
    const std::optional<AccessToken> token = call.token ? call.token : worker.token;
    if (token) {
        result.grantedScopes = token->grantedScopes;
        result.grantedReported = token->scopeSource != AccessToken::ScopeSource::NotReported;
    }
    if (call.request.url.isValid()) {
        // The URL as the evidence shows it; the rest of the evidence when someone reads it.
        result.url = masker->maskUrl(call.request.url.toString(QUrl::FullyEncoded));
        result.evidence = MatrixCellEvidence::of(masker, call, m_environment.id);
    } else {
        result.url = resolvedUrl(draftFor(cell));
    }
    result.elapsedMs = worker.clock.elapsed();
    if (call.request.url.isValid() && isSignalConnected(QMetaMethod::fromSignal(&MatrixRunner::exchanged)))
        Q_EMIT exchanged(result, call, draftFor(cell));
    release(workerIndex);
    complete(cellIndex, result);
}

const KnownSecrets &MatrixRunner::knownSecrets() const
{
    return m_tokens->knownSecrets();
}

MatrixCellResult MatrixRunner::resultFor(int cellIndex) const
{
    const MatrixCell &cell = m_cells.at(cellIndex);
    const PlanRequest &request = m_plan.requests.at(cell.request);
    MatrixCellResult result;
    result.cellId = cell.id();
    result.requestId = cell.requestId.isEmpty() ? request.id : cell.requestId;
    result.requestName = request.name;
    result.folder = request.folder;
    result.method = request.draft.method.toUpper();
    result.column = cell.set.label();
    result.columnKey = cell.set.key();
    result.kind = int(cell.set.kind);
    result.askedScopes = cell.set.scopes;
    result.expectedStatus = MatrixJudge::expectedStatus(cell);
    return result;
}

QString MatrixRunner::resolvedUrl(const RequestDraft &draft)
{
    const BuiltRequest built = RequestBuilder::build(draft, m_environment, RequestBuilder::Files::Describe);
    const QString url = built.url.isValid() ? built.url.toString(QUrl::FullyEncoded) : draft.url;
    return evidence()->maskUrl(url);
}

std::shared_ptr<const MatrixEvidence> MatrixRunner::evidence()
{
    const KnownSecrets &known = m_tokens->knownSecrets();
    if (!m_evidence || known.values() != m_evidenceSecrets) {
        m_evidenceSecrets = known.values();
        m_evidence = std::make_shared<const MatrixEvidence>(known);
    }
    return m_evidence;
}

void MatrixRunner::release(int workerIndex)
{
    Worker &worker = m_workers[size_t(workerIndex)];
    worker.cell = -1;
    ++worker.generation;
    worker.token.reset();
    schedulePump();
}

void MatrixRunner::complete(int cellIndex, MatrixCellResult result)
{
    m_results[cellIndex] = result;
    ++m_done;
    Q_EMIT cellFinished(cellIndex, result);
    Q_EMIT progress(m_done, int(m_cells.size()));
    if (m_running && m_done == m_cells.size())
        end(false);
}

void MatrixRunner::end(bool stopped)
{
    m_running = false;
    Q_EMIT finished(results(), stopped);
}
