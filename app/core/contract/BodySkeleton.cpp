#include "contract/BodySkeleton.h"

#include "contract/OpenApiDocument.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
// The schema's type; 3.1 may list several ("string", "null"): the first that is not null.
QString typeOf(const QJsonObject &schema)
{
    const QJsonValue type = schema.value(u"type"_s);
    if (type.isString())
        return type.toString();
    for (const QJsonValue &one : type.toArray()) {
        if (one.toString() != u"null"_s)
            return one.toString();
    }
    if (schema.contains(u"properties"_s) || schema.contains(u"additionalProperties"_s))
        return u"object"_s;
    if (schema.contains(u"items"_s))
        return u"array"_s;
    return {};
}
} // namespace

QJsonValue BodySkeleton::fromSchema(const QJsonValue &schema) const
{
    QStringList refs;
    int nodes = 0;
    return build(schema, 0, &refs, &nodes);
}

QJsonValue BodySkeleton::build(const QJsonValue &schemaValue, int depth, QStringList *refsInPath, int *nodes) const
{
    if (depth > MaxDepth || ++*nodes > MaxNodes)
        return QJsonValue(QJsonValue::Null);
    const QString ref = OpenApiDocument::refOf(schemaValue);
    if (!ref.isEmpty() && refsInPath->contains(ref))
        return QJsonValue(QJsonValue::Null); // a recursive schema: one level of it is enough
    if (!ref.isEmpty())
        refsInPath->append(ref);
    const auto done = [&](const QJsonValue &value) {
        if (!ref.isEmpty())
            refsInPath->removeLast();
        return value;
    };

    const QJsonObject schema = m_document.object(schemaValue);
    if (schema.contains(u"example"_s))
        return done(schema.value(u"example"_s));
    if (const QJsonArray examples = schema.value(u"examples"_s).toArray(); !examples.isEmpty())
        return done(examples.first());
    if (schema.contains(u"const"_s))
        return done(schema.value(u"const"_s));
    if (schema.contains(u"default"_s))
        return done(schema.value(u"default"_s));
    if (const QJsonArray choices = schema.value(u"enum"_s).toArray(); !choices.isEmpty())
        return done(choices.first());

    if (const QJsonArray parts = schema.value(u"allOf"_s).toArray(); !parts.isEmpty()) {
        QJsonObject merged;
        QJsonValue other;
        for (const QJsonValue &part : parts) {
            const QJsonValue built = build(part, depth + 1, refsInPath, nodes);
            if (built.isObject()) {
                const QJsonObject members = built.toObject();
                for (auto it = members.begin(); it != members.end(); ++it)
                    merged.insert(it.key(), it.value());
            } else if (!built.isNull()) {
                other = built;
            }
        }
        // The object's own properties join what its parts give.
        if (!schema.contains(u"properties"_s))
            return done(merged.isEmpty() && !other.isUndefined() ? other : QJsonValue(merged));
        const QJsonObject own = build(QJsonObject{{u"type"_s, u"object"_s}, {u"properties"_s, schema.value(u"properties"_s)}},
                                      depth + 1, refsInPath, nodes)
                                    .toObject();
        for (auto it = own.begin(); it != own.end(); ++it)
            merged.insert(it.key(), it.value());
        return done(merged);
    }
    for (const QString &choice : {u"oneOf"_s, u"anyOf"_s}) {
        if (const QJsonArray choices = schema.value(choice).toArray(); !choices.isEmpty()) {
            // The first choice that is not just null.
            for (const QJsonValue &candidate : choices) {
                if (typeOf(m_document.object(candidate)) == u"null"_s)
                    continue;
                return done(build(candidate, depth + 1, refsInPath, nodes));
            }
            return done(QJsonValue(QJsonValue::Null));
        }
    }

    const QString type = typeOf(schema);
    if (type == u"object"_s) {
        QJsonObject object;
        const QJsonObject properties = m_document.object(schema.value(u"properties"_s));
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            if (*nodes >= MaxNodes)
                break;
            // Read-only properties are the server's to fill in.
            if (m_document.object(it.value()).value(u"readOnly"_s).toBool())
                continue;
            object.insert(it.key(), build(it.value(), depth + 1, refsInPath, nodes));
        }
        return done(object);
    }
    if (type == u"array"_s) {
        const QJsonValue item = build(schema.value(u"items"_s), depth + 1, refsInPath, nodes);
        return done(item.isNull() || item.isUndefined() ? QJsonArray() : QJsonArray{item});
    }
    if (type == u"string"_s)
        return done(u""_s);
    if (type == u"integer"_s || type == u"number"_s)
        return done(0);
    if (type == u"boolean"_s)
        return done(false);
    return done(QJsonValue(QJsonValue::Null));
}
