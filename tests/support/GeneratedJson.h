#pragma once

#include <QByteArray>

// An API-like list, about `bytes` long and minified as servers send it: nested objects, arrays,
// escapes, non-ASCII text, numbers (one beyond double precision), booleans and nulls.
inline QByteArray generatedJsonDocument(qsizetype bytes)
{
    QByteArray json;
    json.reserve(bytes + 1024);
    json += "{\"data\":[";
    for (int i = 0; json.size() < bytes; ++i) {
        if (i)
            json += ',';
        json += "{\"id\":" + QByteArray::number(i) + ",\"uuid\":\"acct-" + QByteArray::number(i * 7919) + "\",\"name\":\"Account \\\""
            + QByteArray::number(i) + "\\\" – Zürich\",\"balance\":" + QByteArray::number(i * 13.25, 'f', 2)
            + ",\"active\":" + (i % 3 ? "true" : "false") + ",\"closedAt\":null,\"tags\":[\"retail\",\"eur\"],\"owner\":{\"id\":\"u-"
            + QByteArray::number(i % 977) + "\",\"email\":\"owner" + QByteArray::number(i) + "@example.com\"}}";
    }
    json += "],\"total\":12345678901234567891}";
    return json;
}
