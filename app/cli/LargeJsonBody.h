#pragma once

#include <QByteArray>
#include <QString>

#include <cstdio>

// A response body too big to go through QJsonDocument for `send --json` (a 100 MB JSON array
// became a 3 GB tree there): the JSON envelope carries a placeholder string instead, and the
// body is written in its place straight from the received bytes, a chunk at a time — as the JSON
// it already is (validated by JsonSyntax, so "body_encoding": "json" is exact, keys in the
// server's order), as an escaped string, or as base64. DEL and C1 controls are escaped as in the
// rest of the --json output, so no byte a terminal acts on is written.
class LargeJsonBody
{
public:
    enum class Encoding { Json, Text, Base64 };

    // Bodies above this size take this path; smaller ones go into the JSON object as before.
    static constexpr qsizetype threshold = 4 * 1024 * 1024;

    LargeJsonBody() = default;
    LargeJsonBody(const QByteArray &body, Encoding encoding);

    bool isSet() const { return m_set; }
    Encoding encoding() const { return m_encoding; }
    static QString encodingName(Encoding encoding);
    // The string value that stands for the body in the envelope (unique to this process).
    static QString placeholder();
    // Writes envelope (UTF-8 JSON holding placeholder() once) with the body in its place.
    void write(std::FILE *out, const QByteArray &envelope) const;

private:
    void writeBody(std::FILE *out) const;

    QByteArray m_body; // shared with the exchange's: not a copy
    Encoding m_encoding = Encoding::Json;
    bool m_set = false;
};
