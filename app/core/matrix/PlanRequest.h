#pragma once

#include "request/RequestDraft.h"
#include "workspace/SavedRequest.h"

#include <QList>
#include <QString>

// One request the scope matrix verifies, with what its contract says about scopes: the
// alternatives that allow it (OpenAPI's security, OR of ANDs) and the statuses that mean success,
// a denial for a missing scope, and no token at all.
struct PlanRequest
{
    // Stable across runs, so cells keep their identity (and their shard) when a plan grows: the
    // saved request's id, else its ImportOrigin key, else the plan file's "id" or name.
    QString id;
    QString name;   // for people; unique in a plan
    QString folder;
    // As composed: the URL may be relative to the environment's API base and {{variables}} are
    // unresolved. Its scopes are ignored: each cell asks for its own (MatrixCell::draftToSend).
    RequestDraft draft;
    QList<ScopeRequirement> requiredScopes; // a request with none is not verified
    int successStatus = 0;                  // 0: any 2xx
    int denialStatus = 403;                 // what a token lacking a scope gets
    int unauthenticatedStatus = 401;        // what no token gets

    // A method other than GET, HEAD, OPTIONS and TRACE (RFC 9110's safe methods): what a
    // read-only run leaves out.
    bool isStateChanging() const;

    bool operator==(const PlanRequest &other) const = default;
};
