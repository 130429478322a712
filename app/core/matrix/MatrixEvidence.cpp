#include "matrix/MatrixEvidence.h"

#include "history/HistoryRecorder.h"
#include "history/Redactor.h"
#include "http/ApiCallResult.h"
#include "secrets/KnownSecrets.h"
#include "request/RequestDraft.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
QJsonArray headersJson(const HistoryEntry::Headers &headers)
{
    QJsonArray out;
    for (const auto &[name, value] : headers)
        out.append(QJsonArray{QString::fromLatin1(name), QString::fromUtf8(value)});
    return out;
}

// The excerpt as text when it is UTF-8 (cut on a character boundary), else in base64.
void addBody(QJsonObject *json, QByteArray body, qint64 size)
{
    bool truncated = false;
    if (body.size() > MatrixEvidence::MaxBodyExcerptBytes) {
        qsizetype cut = MatrixEvidence::MaxBodyExcerptBytes;
        for (int back = 0; back < 3 && cut > 0 && (uchar(body.at(cut)) & 0xC0) == 0x80; ++back)
            --cut;
        body.truncate(cut);
        truncated = true;
    }
    const QString text = QString::fromUtf8(body);
    if (text.toUtf8() == body) {
        json->insert(u"body"_s, text);
    } else {
        json->insert(u"body"_s, QString::fromLatin1(body.toBase64()));
        json->insert(u"bodyBase64"_s, true);
    }
    json->insert(u"bodySize"_s, size);
    json->insert(u"bodyTruncated"_s, truncated || size > body.size());
}
} // namespace

MatrixEvidence::MatrixEvidence(const KnownSecrets &known)
{
    m_redactor.setSecrets(known.values());
}

QJsonObject MatrixEvidence::of(const ApiCallResult &result, const QString &environmentId, QString *maskedUrl) const
{
    // The evidence is the wire exchange: without the environment (whose fingerprint is only for
    // replay) and the composed draft, which would only cost their redaction.
    HistoryEntry recorded = HistoryRecorder::entryFor(environmentId, nullptr, RequestDraft(), result);
    recorded.composed.reset();
    const HistoryEntry entry = m_redactor.redact(recorded);
    if (maskedUrl)
        *maskedUrl = entry.url;

    QJsonObject request{
        {u"line"_s, entry.method + u' ' + entry.url},
        {u"headers"_s, headersJson(entry.requestHeaders)},
    };
    addBody(&request, entry.requestBody, result.request.body.size());
    QJsonObject evidence{{u"request"_s, request}};
    if (entry.status > 0) {
        QJsonObject response{
            {u"status"_s, entry.status},
            {u"reason"_s, entry.reason},
            {u"httpVersion"_s, QString::fromLatin1(result.exchange.httpVersion)},
            {u"headers"_s, headersJson(entry.responseHeaders)},
        };
        addBody(&response, entry.responseBody, result.exchange.body.size());
        evidence.insert(u"response"_s, response);
    } else if (!entry.error.isEmpty()) {
        evidence.insert(u"error"_s, m_redactor.redactText(entry.error));
    }
    return evidence;
}
