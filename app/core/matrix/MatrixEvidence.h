#pragma once

#include "history/Redactor.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

struct ApiCallResult;
class KnownSecrets;

// The exchange that proves a cell's verdict, redacted exactly as the history redacts it (the
// entry HistoryRecorder makes, through a Redactor that knows the run's secrets: credential
// headers, secret-named fields and parameters, every known secret in any encoding, JWT-shaped
// strings), with the bodies then cut to an excerpt — redacted first, so a cut never leaves half
// a secret the redactor would have recognised whole.
class MatrixEvidence
{
public:
    static constexpr qsizetype MaxBodyExcerptBytes = 4 * 1024;

    // Knows these secrets (the run's: the source's and every token minted) by value.
    explicit MatrixEvidence(const KnownSecrets &known);

    // {"request": {"line", "headers": [[name, value]…], "body", "bodySize", "bodyTruncated"[, "bodyBase64"]},
    //  "response": {"status", "reason", "httpVersion", "headers", "body", "bodySize", "bodyTruncated"[, "bodyBase64"]}
    //  or "error" when no answer came}; *maskedUrl gets the request's URL, redacted.
    QJsonObject of(const ApiCallResult &result, const QString &environmentId, QString *maskedUrl = nullptr) const;
    // A URL redacted as the history redacts it.
    QString maskUrl(const QString &url) const { return m_redactor.redactUrl(url); }
    QString maskText(const QString &text) const { return m_redactor.redactText(text); }

private:
    Redactor m_redactor;
};
