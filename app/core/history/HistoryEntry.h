#pragma once

#include "request/RequestDraft.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// One exchange as the history keeps it: what went on the wire and what came back, and — since
// schema 2 — the request as the user composed it (the RequestDraft with its injection switches,
// scopes and variables), which is what Replay sends again. A plain value on purpose: it depends
// on no class of http/ but the plain RequestDraft, so the history can be written, read and
// tested alone. Bodies are excerpts: HistoryStore cuts them to the caps below (after redaction,
// so a cut can never leave half a secret that the redactor would have recognised whole).
struct HistoryEntry
{
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    static constexpr qsizetype MaxRequestBodyBytes = 256 * 1024;
    static constexpr qsizetype MaxResponseBodyBytes = 256 * 1024;

    // A header the environment added (or would have added) to the request: Authorization, or a
    // context header such as X-On-Behalf-Of; what became of it, as InjectedHeader tells it.
    struct Injected
    {
        QByteArray name;
        QByteArray value; // as sent (redacted); empty when it was not sent
        QString source; // "token", "environment header X-On-Behalf-Of"
        QString state; // InjectedHeader::stateName: "sent", "disabled", …
        bool overridden = false; // the value was this request's override, not the environment's

        bool operator==(const Injected &other) const = default;
    };

    // The request as composed, and what of it the history could not keep as it was.
    struct Composed
    {
        RequestDraft draft; // its URL as typed (relative to the API base), {{variables}} unresolved
        QStringList redacted; // what the redactor masked: "header X-Api-Key", "variable token", …
        bool bodyTruncated = false; // the draft's body was cut to MaxRequestBodyBytes
        qint64 bodySize = -1; // the draft body's size before the cut
        // ReplayPlan::fingerprint() of the environment it was sent on, as it was then.
        QJsonObject environment;

        bool operator==(const Composed &other) const = default;
    };

    qint64 id = 0; // assigned by HistoryStore::append; 0 = not stored
    QDateTime timestamp; // when the request was sent, UTC

    QString environmentId;
    QString environmentName;

    QString method;
    QString url; // as sent, with the query; text rather than QUrl so nothing re-encodes it
    Headers requestHeaders;
    QByteArray requestBody;
    bool requestBodyTruncated = false;
    QList<Injected> injected; // empty for entries from before schema 2

    int status = 0; // HTTP status; 0 when no response arrived (see error)
    QString reason;
    Headers responseHeaders;
    QByteArray responseBody;
    bool responseBodyTruncated = false;

    qint64 durationMs = -1; // -1: unknown
    qint64 sizeBytes = -1; // size of the whole response body as received; -1: unknown
    QString error; // transport failure, cancel, timeout …; empty on a completed exchange
    // What sent it, when not the composer (schema 3): "Scope matrix, Orders API: without
    // orders:read — over-permissive: …". Empty for the composer's sends and older entries.
    QString origin;

    // Empty for entries written before Tokenbench kept the composed request (schema 1): those
    // replay only approximately, from the wire form.
    std::optional<Composed> composed;

    // Set by HistoryStore: false only when the user chose to keep secrets in the history.
    bool redacted = true;

    bool operator==(const HistoryEntry &other) const = default;
};
