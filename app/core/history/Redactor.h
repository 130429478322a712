#pragma once

#include "history/HistoryEntry.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

// Removes credentials from what is about to be written (history, exports). Two independent nets:
//  - by name: sensitive headers, JSON/form fields and query parameters lose their values;
//  - by value: every known secret (client secret, password, tokens) is replaced wherever it
//    appears — raw, percent-encoded (any hex case, '+' for space, double-encoded), JSON-escaped,
//    and base64/base64url at any byte alignment (so inside "Basic base64(id:secret)" too) —
//    and, unless switched off, anything shaped like a JWT.
// Everything removed becomes "••••". Name patterns are case-insensitive, ignore '-', '_', '.'
// and spaces ("X-Api-Key" = "x_api_key" = "xapikey"), and may start and/or end with '*'.
// setKeepEverything(true) is the user's explicit opt-in: then nothing is changed.
class Redactor
{
public:
    using Headers = HistoryEntry::Headers;

    // Shorter secrets are not searched for by value: masking every "abc" in every body would
    // wreck the history while protecting nothing a guess would not find. Fields, headers and
    // parameters named as secrets are still masked whatever their length.
    static constexpr qsizetype MinimumSecretLength = 4;

    static QString mask(); // "••••"
    static QByteArray maskUtf8();

    static QStringList defaultSensitiveHeaders();
    static QStringList defaultSensitiveFields();
    static QStringList defaultSensitiveQueryParameters();

    Redactor();

    void setKeepEverything(bool keep) { m_keepEverything = keep; }
    bool keepsEverything() const { return m_keepEverything; }

    void setSecrets(const QStringList &secrets);
    void addSecret(const QString &secret);
    QStringList secrets() const { return m_secrets; }

    void setSensitiveHeaders(const QStringList &patterns) { m_headerPatterns = patterns; }
    QStringList sensitiveHeaders() const { return m_headerPatterns; }
    // JSON object members, application/x-www-form-urlencoded fields and multipart/form-data fields.
    void setSensitiveFields(const QStringList &patterns) { m_fieldPatterns = patterns; }
    QStringList sensitiveFields() const { return m_fieldPatterns; }
    // Query and fragment parameters (the implicit grant returns #access_token=…).
    void setSensitiveQueryParameters(const QStringList &patterns) { m_queryPatterns = patterns; }
    QStringList sensitiveQueryParameters() const { return m_queryPatterns; }

    // Masks tokens nobody told us about when they look like a JWT (eyJ….eyJ….…). On by default.
    void setMaskJwtLike(bool on) { m_maskJwtLike = on; }
    bool masksJwtLike() const { return m_maskJwtLike; }

    bool isSensitiveHeader(QByteArrayView name) const;
    bool isSensitiveField(const QString &name) const;
    bool isSensitiveQueryParameter(const QString &name) const;

    QString redactUrl(const QString &url) const;
    QByteArray redactHeaderValue(const QByteArray &name, const QByteArray &value) const;
    Headers redactHeaders(const Headers &headers) const;
    // contentType picks JSON or form field masking (JSON is also recognised by its first
    // character). truncated: the body was already cut by the caller, so a secret may end it
    // half-way; such a tail is masked too.
    QByteArray redactBody(const QByteArray &body, const QByteArray &contentType = {}, bool truncated = false) const;
    // Free text (error messages, reason phrases): URLs in it, known secrets, JWT-like strings.
    QString redactText(const QString &text) const;
    // Only the value-based net: known secrets in all their forms, and JWT-like strings.
    QByteArray redactSecretValues(const QByteArray &bytes) const;

    // The whole entry, its injected headers and its composed draft (DraftRedactor) too; sets
    // entry.redacted. Returns it unchanged (redacted = false) when the user opted in to keeping
    // everything.
    HistoryEntry redact(const HistoryEntry &entry) const;

private:
    struct Needle
    {
        QList<char32_t> codePoints;
        QList<QByteArray> utf8; // one per code point
        bool base64 = false; // an aligned base64/base64url core: widened by one character each side
        // When the first two code points are ASCII letters or digits: the second one's byte. A
        // match that starts with the first byte as written can only go on with it, '%' or '\'.
        char second = 0;
    };

    void rebuildNeedles();
    QByteArray redactJsonFields(const QByteArray &body) const;
    QByteArray redactFormFields(const QByteArray &body) const;
    QByteArray redactMultipartFields(const QByteArray &body, const QByteArray &boundary) const;
    QByteArray maskTruncatedTail(const QByteArray &body) const;

    bool m_keepEverything = false;
    bool m_maskJwtLike = true;
    QStringList m_secrets;
    QStringList m_headerPatterns;
    QStringList m_fieldPatterns;
    QStringList m_queryPatterns;
    QList<Needle> m_needles;
    std::array<QList<int>, 256> m_startsWith; // the needles whose first byte is the index
};
