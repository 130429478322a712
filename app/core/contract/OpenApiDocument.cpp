#include "contract/OpenApiDocument.h"

#include "contract/YamlToJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QList>
#include <QSet>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
// "line L, column C" of a byte offset, for a JSON error.
QString lineAndColumn(const QByteArray &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    const qsizetype line = text.left(offset).count('\n') + 1;
    const qsizetype lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return u"line %1, column %2"_s.arg(line).arg(offset - lineStart + 1);
}

QString pathText(const QStringList &path)
{
    return path.isEmpty() ? u"the document"_s : path.join(u'.');
}
} // namespace

QString OpenApiDocument::kindName() const
{
    switch (m_kind) {
    case Kind::Swagger2:
        return u"Swagger 2.0"_s;
    case Kind::OpenApi30:
        return u"OpenAPI 3.0"_s;
    case Kind::OpenApi31:
        return u"OpenAPI 3.1"_s;
    }
    return {};
}

std::optional<OpenApiDocument> OpenApiDocument::parse(QByteArray text, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (text.size() > MaxBytes)
        return refuse(u"the document is larger than %L1 bytes"_s.arg(MaxBytes));
    qsizetype start = text.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    while (start < text.size() && QByteArrayView(" \t\r\n").contains(text.at(start)))
        ++start;
    if (start == text.size())
        return refuse(u"the file is empty"_s);

    QJsonObject root;
    if (text.at(start) == '{') {
        QJsonParseError parseError;
        // Qt's parser refuses nesting deeper than 1024 levels itself (DeepNesting), without recursing.
        const QJsonDocument json = QJsonDocument::fromJson(text, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            const QString why = parseError.error == QJsonParseError::DeepNesting ? u"nested too deeply"_s : parseError.errorString();
            return refuse(u"not valid JSON (%1 at %2)%3"_s.arg(why, lineAndColumn(text, parseError.offset),
                                                               parseError.offset >= text.size() - 1 ? u"; is the file cut short?"_s : QString()));
        }
        root = json.object();
    } else {
        QString yamlError;
        std::optional<QByteArray> json = YamlToJson::toJsonText(text, &yamlError, YamlToJson::Limits{});
        if (!json)
            return refuse(u"YAML refused (%1)"_s.arg(yamlError));
        if (!json->startsWith('{'))
            return refuse(u"not an OpenAPI or Swagger document: its top level is not a mapping"_s);
        text = QByteArray(); // the YAML is not needed once it is JSON
        QJsonParseError parseError;
        root = QJsonDocument::fromJson(*std::exchange(json, std::nullopt), &parseError).object();
        if (parseError.error != QJsonParseError::NoError) // not expected: YamlToJson writes JSON
            return refuse(u"YAML refused (it could not be made JSON: %1)"_s.arg(parseError.errorString()));
    }
    text = QByteArray(); // the tree holds it all now
    return fromJson(root, error);
}

std::optional<OpenApiDocument> OpenApiDocument::fromJson(const QJsonObject &root, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    OpenApiDocument document;
    document.m_root = root;
    const QJsonValue openapi = root.value(u"openapi"_s);
    const QJsonValue swagger = root.value(u"swagger"_s);
    if (openapi.isString()) {
        const QString version = openapi.toString();
        if (version.startsWith(u"3.0"_s))
            document.m_kind = Kind::OpenApi30;
        else if (version.startsWith(u"3.1"_s))
            document.m_kind = Kind::OpenApi31;
        else
            return refuse(u"OpenAPI %1 is not supported (3.0, 3.1 and Swagger 2.0 are)"_s.arg(version.left(20)));
    } else if (swagger.isString() || swagger.isDouble()) {
        const QString version = swagger.isString() ? swagger.toString() : QString::number(swagger.toDouble());
        if (version != u"2.0"_s && version != u"2"_s)
            return refuse(u"Swagger %1 is not supported (2.0 is)"_s.arg(version.left(20)));
        document.m_kind = Kind::Swagger2;
    } else if (openapi.isDouble()) {
        return refuse(u"\"openapi\" must be a version string such as \"3.0.3\", not a number"_s);
    } else {
        return refuse(u"not an OpenAPI or Swagger document: it has no \"openapi\" or \"swagger\" version"_s);
    }
    if (!root.value(u"info"_s).isObject())
        return refuse(u"the document has no \"info\" object (required: its title and version)"_s);
    if (!document.checkReferences(error))
        return std::nullopt;
    return document;
}

QString OpenApiDocument::refOf(const QJsonValue &value)
{
    if (!value.isObject())
        return {};
    const QJsonValue ref = value.toObject().value(u"$ref"_s);
    return ref.isString() ? ref.toString() : QString();
}

QJsonValue OpenApiDocument::pointer(const QJsonObject &root, const QString &ref, bool *found)
{
    *found = false;
    if (!ref.startsWith(u'#'))
        return {};
    // The fragment is URI-encoded ("#/paths/~1pets~1%7Bid%7D"); then JSON-pointer escaped.
    const QString fragment = QUrl::fromPercentEncoding(ref.mid(1).toUtf8());
    if (fragment.isEmpty()) {
        *found = true;
        return root;
    }
    if (!fragment.startsWith(u'/'))
        return {};
    QJsonValue current = root;
    const QStringList tokens = fragment.mid(1).split(u'/');
    for (QString token : tokens) {
        token.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            const auto it = object.constFind(token);
            if (it == object.constEnd())
                return {};
            current = it.value();
        } else if (current.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            const QJsonArray array = current.toArray();
            if (!ok || index < 0 || index >= array.size())
                return {};
            current = array.at(index);
        } else {
            return {};
        }
    }
    *found = true;
    return current;
}

bool OpenApiDocument::checkReferences(QString *error)
{
    // Every string "$ref" of the tree, found depth first without recursion. The path to where the
    // walk is stands in the stack of containers, each at the child it is in, so nothing is copied or
    // allocated per node: a path is spelled out only where a reference is first met. Children are
    // walked last to first, the order in which references were always reported.
    struct Level
    {
        QJsonObject object;
        QJsonArray array;
        bool isObject = true;
        qsizetype child = 0; // the child being walked; counts down
    };
    QList<Level> stack;
    stack.append({m_root, {}, true, m_root.size()});
    QHash<QString, QStringList> firstUsePath;
    QStringList order;
    const auto pathHere = [&stack] {
        QStringList path;
        for (qsizetype i = 0; i + 1 < stack.size(); ++i) {
            const Level &level = stack.at(i);
            path.append(level.isObject ? (level.object.constBegin() + level.child).key() : u"[%1]"_s.arg(level.child));
        }
        return path;
    };
    const auto enter = [&stack, &firstUsePath, &order, &pathHere](const QJsonValue &value) {
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            stack.append({{}, array, false, array.size()});
            return;
        }
        const QJsonObject object = value.toObject();
        stack.append({object, {}, true, object.size()});
        if (const auto ref = object.constFind(u"$ref"_s); ref != object.constEnd() && ref->isString()) {
            const QString target = ref->toString();
            if (!firstUsePath.contains(target)) {
                firstUsePath.insert(target, pathHere());
                order.append(target);
            }
        }
    };
    if (const QJsonValue rootRef = m_root.value(u"$ref"_s); rootRef.isString()) {
        firstUsePath.insert(rootRef.toString(), {});
        order.append(rootRef.toString());
    }
    while (!stack.isEmpty()) {
        Level &level = stack.last();
        if (level.child == 0) {
            stack.removeLast();
            continue;
        }
        --level.child;
        const QJsonValue child = level.isObject ? (level.object.constBegin() + level.child).value() : level.array.at(level.child);
        if (child.isObject() || child.isArray())
            enter(child);
    }
    const auto firstUse = [&](const QString &ref) { return firstUsePath.value(ref); };

    for (const QString &ref : std::as_const(order)) {
        if (!ref.startsWith(u'#')) {
            m_externalRefs.append(ref);
            continue;
        }
        QStringList chain{ref};
        QString current = ref;
        while (true) {
            if (const auto known = m_resolved.constFind(current); known != m_resolved.constEnd()) {
                for (const QString &step : std::as_const(chain))
                    m_resolved.insert(step, known.value());
                break;
            }
            bool found = false;
            const QJsonValue target = pointer(m_root, current, &found);
            if (!found) {
                if (error)
                    *error = u"%1 refers to %2, which the document does not define (is the file cut short?)"_s.arg(
                        pathText(firstUse(ref)), current.left(200));
                return false;
            }
            const QString next = refOf(target);
            if (next.isEmpty() || !next.startsWith(u'#')) {
                // Ends at a value, or at a reference to another file (resolved to nothing).
                const QJsonValue value = next.isEmpty() ? target : QJsonValue();
                for (const QString &step : std::as_const(chain))
                    m_resolved.insert(step, value);
                break;
            }
            if (chain.contains(next)) {
                chain.append(next);
                if (error)
                    *error = u"reference cycle: %1 (from %2)"_s.arg(chain.mid(chain.indexOf(next)).join(u" → "_s).left(400),
                                                                    pathText(firstUse(ref)));
                return false;
            }
            if (chain.size() >= MaxRefHops) {
                if (error)
                    *error = u"%1 starts a chain of more than %2 references"_s.arg(ref.left(200)).arg(MaxRefHops);
                return false;
            }
            chain.append(next);
            current = next;
        }
    }
    return true;
}

QJsonValue OpenApiDocument::resolve(const QJsonValue &value) const
{
    const QString ref = refOf(value);
    if (ref.isEmpty())
        return value;
    return m_resolved.value(ref); // external: undefined, as it is not fetched
}
