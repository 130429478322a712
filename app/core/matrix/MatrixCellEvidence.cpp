#include "matrix/MatrixCellEvidence.h"

#include "http/ApiCallResult.h"
#include "matrix/MatrixEvidence.h"

#include <atomic>
#include <mutex>

struct MatrixCellEvidence::State
{
    std::once_flag once;
    std::atomic<bool> built{false};
    QJsonObject json;
    // Until built: what it is built from. Dropped once built.
    std::shared_ptr<const MatrixEvidence> masker;
    ApiCallResult call;
    QString environmentId;

    void build()
    {
        std::call_once(once, [this] {
            if (masker)
                json = masker->of(call, environmentId);
            masker.reset();
            call = ApiCallResult();
            built.store(true, std::memory_order_release);
        });
    }
};

MatrixCellEvidence::MatrixCellEvidence(const QJsonObject &json)
{
    if (json.isEmpty())
        return;
    m_state = std::make_shared<State>();
    m_state->json = json;
    std::call_once(m_state->once, [this] { m_state->built.store(true, std::memory_order_release); });
}

MatrixCellEvidence MatrixCellEvidence::of(std::shared_ptr<const MatrixEvidence> masker, const ApiCallResult &call,
                                          const QString &environmentId)
{
    MatrixCellEvidence evidence;
    evidence.m_state = std::make_shared<State>();
    State &state = *evidence.m_state;
    state.masker = std::move(masker);
    state.call = call;
    state.environmentId = environmentId;
    // What the evidence never shows goes now: the texts for people and the answer a retry replaced.
    state.call.readout = {};
    state.call.notes.clear();
    state.call.problems.clear();
    state.call.rejectedAttempt.reset();
    if (call.request.body.size() + call.exchange.body.size() > MaxPendingBodyBytes)
        state.build();
    return evidence;
}

QJsonObject MatrixCellEvidence::json() const
{
    if (!m_state)
        return {};
    m_state->build();
    return m_state->json;
}

bool MatrixCellEvidence::isEmpty() const
{
    return !m_state || (m_state->built.load(std::memory_order_acquire) && m_state->json.isEmpty());
}

bool MatrixCellEvidence::isBuilt() const
{
    return !m_state || m_state->built.load(std::memory_order_acquire);
}
