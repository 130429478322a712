#include "history/HistoryRecorder.h"

#include "history/ReplayPlan.h"
#include "http/ApiCallResult.h"
#include "workspace/Environment.h"

HistoryEntry HistoryRecorder::entryFor(const QString &environmentId, const Environment *environment, const RequestDraft &draft,
                                       const ApiCallResult &result)
{
    HistoryEntry entry;
    entry.timestamp = QDateTime::currentDateTimeUtc();
    entry.environmentId = environmentId;
    entry.environmentName = environment ? environment->name : QString();
    entry.method = QString::fromLatin1(result.request.method);
    entry.url = result.request.url.toString(QUrl::FullyEncoded);
    entry.requestHeaders = result.request.headers.fields();
    entry.requestBody = result.request.body.left(HistoryEntry::MaxRequestBodyBytes);
    entry.requestBodyTruncated = result.request.body.size() > HistoryEntry::MaxRequestBodyBytes;
    for (const InjectedHeader &header : result.injected)
        entry.injected.append({header.name, header.value, header.source, InjectedHeader::stateName(header.state), header.overridden});
    if (result.exchange.answered()) {
        entry.status = result.exchange.status;
        entry.reason = QString::fromLatin1(result.exchange.reason);
        entry.responseHeaders = result.exchange.headers.fields();
        entry.responseBody = result.exchange.body.left(HistoryEntry::MaxResponseBodyBytes);
        entry.responseBodyTruncated = result.exchange.body.size() > HistoryEntry::MaxResponseBodyBytes;
        entry.durationMs = qint64(result.exchange.totalMs);
        entry.sizeBytes = result.exchange.size();
    } else {
        entry.error = result.exchange.errorText().isEmpty() ? ApiCallResult::outcomeName(result.outcome) : result.exchange.errorText();
    }
    HistoryEntry::Composed composed;
    composed.draft = draft;
    composed.bodySize = draft.body.size();
    if (environment)
        composed.environment = ReplayPlan::fingerprint(*environment);
    entry.composed = composed;
    return entry;
}
