#pragma once

#include "history/HistoryEntry.h"

class QString;
struct ApiCallResult;
struct Environment;
struct RequestDraft;

// Turns one finished call into the history entry that records it: the wire exchange, the
// injected headers with what became of them, and the request as the user composed it with the
// fingerprint of the environment it went to. Nothing is redacted here; HistoryStore::append does.
class HistoryRecorder
{
public:
    // environment: the profile as the workspace holds it (not resolved for the Demo), so its
    // fingerprint stays the same from one run to the next; null when it is unknown.
    static HistoryEntry entryFor(const QString &environmentId, const Environment *environment, const RequestDraft &draft,
                                 const ApiCallResult &result);
};
