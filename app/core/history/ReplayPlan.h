#pragma once

#include "history/HistoryEntry.h"
#include "request/RequestDraft.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

struct Environment;

// What replaying a history entry sends, and what of the original it cannot reproduce. The
// draft is the one the user composed — the same injection switches (overrides, headers
// switched off), scopes, variables and URL relative to the API base — meant for the
// environment it was sent on. Whatever differs is said in `differences`, one sentence each,
// for the user to read before anything is sent: a value the history redacted, a body it cut,
// the environment deleted or changed since, a file read again, an entry recorded before the
// composed request was kept. Nothing is substituted without a line here.
struct ReplayPlan
{
    RequestDraft draft;
    QString environmentId; // the environment it was sent on; empty when that one is gone
    QString environmentName; // as recorded
    QStringList differences;
    // Those of the differences that name a redacted value: they hold only while the draft
    // still holds a masked value (see holdsRedactedValue), not once the user typed it again.
    QStringList redactionDifferences;
    bool approximate = false; // an entry without a composed request: rebuilt from the wire form

    bool exact() const { return differences.isEmpty(); }

    // environment: the one the entry names, as the workspace holds it now; null when deleted.
    static ReplayPlan forEntry(const HistoryEntry &entry, const Environment *environment);

    // Whether the draft still holds a value the history masked ("••••").
    static bool holdsRedactedValue(const RequestDraft &draft);

    // What of an environment shapes a request, as digests (values never stored): the API base,
    // the context headers, the variables, the default scopes, the token settings, the trust
    // settings, and the tier by name. Compare two with changedParts().
    static QJsonObject fingerprint(const Environment &environment);
    // The parts that differ, as words for a sentence ("its variables", "its context headers").
    static QStringList changedParts(const QJsonObject &then, const QJsonObject &now);
};
