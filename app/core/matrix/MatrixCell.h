#pragma once

#include "matrix/ScopeSet.h"
#include "request/RequestDraft.h"

#include <QString>

struct MatrixPlan;

// One cell of the scope matrix: a request of the plan sent with a token of one scope set, and
// the status that must come back.
struct MatrixCell
{
    int request = -1; // index into MatrixPlan::requests
    QString requestId;
    ScopeSet set;
    int expectedStatus = 0; // 0 with Kind::Needed: any 2xx

    bool expectsSuccess() const { return set.kind == ScopeSet::Kind::Needed; }
    // Stable across runs and plans that grow: requestId + "\n" + set.key(). Shards and report
    // merges key on it.
    QString id() const;

    // The plan request's draft as this cell sends it: the plan's variables under the request's
    // own, the token asked for exactly set.scopes (none at all for an empty set), and for NoToken
    // the Authorization header switched off. Context headers stay as the environment sends them.
    RequestDraft draftToSend(const MatrixPlan &plan) const;

    bool operator==(const MatrixCell &other) const = default;
};
