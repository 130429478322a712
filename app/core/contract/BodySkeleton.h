#pragma once

#include <QJsonValue>
#include <QStringList>

class OpenApiDocument;

// A JSON body to start from, built from a request body's schema: the schema's (or a property's)
// example or default where there is one, else an empty value of its type — "" , 0, false, [item],
// {every property but the read-only ones}. allOf merges its parts; oneOf and anyOf take their first
// choice. Bounded: at most MaxDepth levels and MaxNodes values, and a schema that refers back to
// itself (a tree node's children) stops at the repetition, so any schema gives a small body fast.
class BodySkeleton
{
public:
    // A body to start from, not the whole model: every saved request carries one in the workspace
    // file, so 2,000 operations must not make it tens of megabytes.
    static constexpr int MaxDepth = 6;
    static constexpr int MaxNodes = 300;

    explicit BodySkeleton(const OpenApiDocument &document)
        : m_document(document)
    {
    }

    QJsonValue fromSchema(const QJsonValue &schema) const;

private:
    QJsonValue build(const QJsonValue &schema, int depth, QStringList *refsInPath, int *nodes) const;

    const OpenApiDocument &m_document;
};
