#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

// One exchange as the history keeps it. A plain value on purpose: it does not depend on the
// request/response classes of http/, so the history can be written, read and tested alone.
// Bodies are excerpts: HistoryStore cuts them to the caps below (after redaction, so a cut can
// never leave half a secret that the redactor would have recognised whole).
struct HistoryEntry
{
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    static constexpr qsizetype MaxRequestBodyBytes = 256 * 1024;
    static constexpr qsizetype MaxResponseBodyBytes = 256 * 1024;

    qint64 id = 0; // assigned by HistoryStore::append; 0 = not stored
    QDateTime timestamp; // when the request was sent, UTC

    QString environmentId;
    QString environmentName;

    QString method;
    QString url; // as sent, with the query; text rather than QUrl so nothing re-encodes it
    Headers requestHeaders;
    QByteArray requestBody;
    bool requestBodyTruncated = false;

    int status = 0; // HTTP status; 0 when no response arrived (see error)
    QString reason;
    Headers responseHeaders;
    QByteArray responseBody;
    bool responseBodyTruncated = false;

    qint64 durationMs = -1; // -1: unknown
    qint64 sizeBytes = -1; // size of the whole response body as received; -1: unknown
    QString error; // transport failure, cancel, timeout …; empty on a completed exchange

    // Set by HistoryStore: false only when the user chose to keep secrets in the history.
    bool redacted = true;

    bool operator==(const HistoryEntry &other) const = default;
};
