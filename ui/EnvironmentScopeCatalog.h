#pragma once

#include "scopes/ScopeInfo.h"
#include "workspace/Environment.h"

// The scopes the Authorize dialog's picker offers for an environment: the Demo's own catalog,
// exactly an imported environment's scope catalog with its document's descriptions, or for a
// profile typed by hand its own scopes.
struct EnvironmentScopeCatalog
{
    static ScopeCatalog of(const Environment &environment);
};
