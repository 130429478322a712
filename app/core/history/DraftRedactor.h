#pragma once

#include "history/HistoryEntry.h"
#include "request/RequestDraft.h"

#include <QStringList>

class Redactor;

// Takes the credentials out of a request as composed, with a Redactor's rules: header rows,
// overrides of injected headers, query parameters, form fields and the body, by name and by
// value; and the variables that feed a credential (a sensitive header row, override, parameter
// or field uses them, or their own name is sensitive). A value that is only {{variables}} holds
// no secret and stays as it is. Nothing changes when the redactor keeps everything.
class DraftRedactor
{
public:
    explicit DraftRedactor(const Redactor &redactor)
        : m_redactor(redactor)
    {
    }

    // what gets one line per masked item ("header X-Api-Key", "variable token").
    RequestDraft redact(const RequestDraft &draft, QStringList *what) const;

    // A variable whose value the redactor took out of what went on the wire (sent → kept) fed a
    // credential there — a password field of the body, a token in the query — whatever its
    // name: it is masked in draft too.
    static void maskVariablesMaskedOnTheWire(const HistoryEntry &sent, const HistoryEntry &kept, RequestDraft *draft, QStringList *what);

private:
    const Redactor &m_redactor;
};
