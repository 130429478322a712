#pragma once

#include "request/RequestDraft.h"
#include "workspace/Environment.h"
#include "workspace/SavedRequest.h"

// What "Try it" opens for a saved request: its draft, with the scopes its document requires
// selected when the draft names none of its own (the first alternative, matched exactly, so the
// token fetched has those scopes and no more), and every {{variable}} its URL, query and headers
// use that neither the draft nor the environment defines listed among the draft's own variables,
// empty, for the user to fill in.
struct TryItDraft
{
    static RequestDraft of(const SavedRequest &request, const Environment *environment);
};
