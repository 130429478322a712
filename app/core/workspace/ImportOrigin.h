#pragma once

#include <QJsonObject>
#include <QString>

class JsonFieldReader;

// Where an environment or a saved request came from when an API document, a collection or a
// template created it, so that importing a newer version of the same source updates what the
// previous import created instead of adding a copy. Empty for what the user made by hand.
struct ImportOrigin
{
    // The source, stable across its versions: "openapi:<info.title>", "postman:<_postman_id>",
    // "template:cybrid". Compared case-sensitively.
    QString document;
    // The item within it, stable across versions: an operationId or "GET /path" for a request,
    // "<flow>@<server URL>" for an environment.
    QString key;
    // The source's own version when it states one (OpenAPI info.version), for people.
    QString version;

    bool isEmpty() const { return document.isEmpty(); }
    bool sameItem(const ImportOrigin &other) const { return !isEmpty() && document == other.document && key == other.key; }

    QJsonObject toJson() const;
    // Reads the object toJson() writes, each member with its type; false with the reader's error.
    static bool read(JsonFieldReader &reader, ImportOrigin *out);

    bool operator==(const ImportOrigin &other) const = default;
};
