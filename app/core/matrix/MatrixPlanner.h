#pragma once

#include "matrix/MatrixCell.h"
#include "util/TemplateExpander.h"
#include "workspace/SavedRequest.h"

#include <QList>
#include <QStringList>

struct Environment;
struct MatrixPlan;
struct PlanRequest;

// The cells of a scope matrix: for each request of a plan, the tokens that prove it checks its
// scopes (docs/matrix.md, "Cells"). Per alternative of the request's requirement: the needed
// scopes (success); the needed scopes less each one in turn (denied); once per request, no token
// (unauthenticated); and in an on-behalf-of environment, the needed scopes without the
// on-behalf-of scope while the context header is still sent (denied).
class MatrixPlanner
{
public:
    // The scope an on-behalf-of context header needs (the seed APIs' and the Demo's).
    static QString onBehalfOfScope();

    // Every cell of the plan for this environment, deduplicated, in a stable order (the plan's
    // requests in order; per request: needed, without, on behalf, no token). The environment's
    // scopeCatalog (else its scopes) gives the unrelated read scope asked for where a set would be
    // empty; its context headers and catalog tell an on-behalf-of environment. *notes (when
    // given) gets one line per cell left out or not exact, and per request not verified.
    static QList<MatrixCell> cells(const MatrixPlan &plan, const Environment &environment, QStringList *notes);

    // Whether requests in this environment act for a user: a context header with a value is sent
    // and the on-behalf-of scope is in its catalog (or its scopes).
    static bool isOnBehalfOf(const Environment &environment);

    // The scope asked for instead of an empty set: from the catalog, one not in any alternative of
    // the request and not the on-behalf-of scope, preferring a read scope ("x:read", "read:x",
    // "x.read", "…/x/read-all"), the first in sorted order, else any such scope; empty when the catalog has none.
    // The variables a request's URL and scopes are expanded with: the request's own extra
    // variables, then the plan's, then the environment's (the first of a name wins).
    static TemplateExpander::Variables variables(const MatrixPlan &plan, const PlanRequest &request,
                                                 const Environment &environment);

    static QString substituteScope(const QStringList &catalog, const QList<ScopeRequirement> &alternatives);
};
