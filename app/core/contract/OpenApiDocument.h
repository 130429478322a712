#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

// An OpenAPI 3.0 / 3.1 or Swagger 2.0 document read from JSON or YAML, with its local $refs checked
// once when it is read: a reference to nothing (a document cut short) or a cycle of references
// (#/a → #/b → #/a) refuses the document with the path of the first one; references to other
// files are listed, never fetched. Afterwards resolve() follows a $ref in constant time.
class OpenApiDocument
{
public:
    enum class Kind { Swagger2, OpenApi30, OpenApi31 };

    static constexpr qint64 MaxBytes = 64LL << 20;
    static constexpr int MaxRefHops = 64; // a chain of $ref to $ref longer than this is refused

    // JSON when the text starts with "{" (after white space), else YAML (YamlToJson's limits). The
    // text is let go of once it is a tree (move it in, and a large document is not held twice).
    static std::optional<OpenApiDocument> parse(QByteArray text, QString *error);
    // The same on a tree already read (tests, other front ends).
    static std::optional<OpenApiDocument> fromJson(const QJsonObject &root, QString *error);

    Kind kind() const { return m_kind; }
    QString kindName() const; // "OpenAPI 3.1", "Swagger 2.0"
    const QJsonObject &root() const { return m_root; }

    // The value a $ref object stands for (following chains), else the value itself. An external
    // reference resolves to an empty value (it is in externalRefs()).
    QJsonValue resolve(const QJsonValue &value) const;
    QJsonObject object(const QJsonValue &value) const { return resolve(value).toObject(); }
    // The local reference a value is, if it is one ("#/components/schemas/Pet").
    static QString refOf(const QJsonValue &value);
    // Every reference to another file or URL, in the order met.
    const QStringList &externalRefs() const { return m_externalRefs; }

    // A JSON pointer ("#/paths/~1pets/get") into root; found false when it points at nothing.
    static QJsonValue pointer(const QJsonObject &root, const QString &ref, bool *found);

private:
    OpenApiDocument() = default;
    bool checkReferences(QString *error);

    Kind m_kind = Kind::OpenApi30;
    QJsonObject m_root;
    QHash<QString, QJsonValue> m_resolved; // local ref → what it finally stands for
    QStringList m_externalRefs;
};
