#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

// Reads the members of one JSON object each with the type it must have, and refuses anything
// else with the member's path: "environments[2].tokenUrl: expected a string, found a number".
// Nothing is coerced: a number is never read as "" nor a string as an empty list, since a value
// read wrongly and saved back is the user's data lost.
//
// null is read as "not set": the member keeps its default, like a missing one (Tokenbench never
// writes null; a hand-written null means "nothing here"). A member that must be there
// (required()) is refused when missing or null.
//
// The first refusal wins and stops the reader: every later read returns false, and error() says
// what the first one was.
class JsonFieldReader
{
public:
    explicit JsonFieldReader(const QJsonObject &object, const QString &path = {});

    const QJsonObject &object() const { return m_object; }
    QString path() const { return m_path; }
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // "environments[2].tokenUrl" for key "tokenUrl" of the reader at "environments[2]".
    QString pathOf(const QString &key) const;
    // Whether the member is there and not null.
    bool has(const QString &key) const;

    bool required(const QString &key);
    bool string(const QString &key, QString *out);
    bool boolean(const QString &key, bool *out);
    // A whole number from min to max (a JSON number with no fraction: 3 and 3.0, not 3.5 or 1e300).
    bool integer(const QString &key, qint64 *out, qint64 min, qint64 max);
    // A list of strings; *out is replaced when the member is set.
    bool stringList(const QString &key, QStringList *out);
    // A list of objects: each is handed to `each` with a reader at "key[i]"; the first refusal
    // (each returning false, or its reader's error) stops the list.
    bool objectList(const QString &key, const std::function<bool(JsonFieldReader &entry)> &each);
    // A nested object, read by `read` with a reader at "key".
    bool object(const QString &key, const std::function<bool(JsonFieldReader &nested)> &read);

    // Refuses a member whose value was of the right type but is not acceptable ("unknown tier …");
    // always false.
    bool fail(const QString &key, const QString &what);
    // Refuses the object itself (no key in the path); always false.
    bool failHere(const QString &what);

    // The members not named in `known`: kept by the caller to be written back.
    QJsonObject unknownMembers(const QStringList &known) const;

    // The path of the first string (or member name) under value that is not valid Unicode (a
    // lone surrogate from a "\\ud800" escape), which would not be written back as it was read;
    // empty when there is none.
    static QString invalidTextPath(const QJsonValue &value, const QString &path = {});

    // "a string", "a number", "null", …: the JSON type of a value, for messages.
    static QString typeName(const QJsonValue &value);

private:
    bool wrongType(const QString &key, const QString &expected, const QJsonValue &found);

    QJsonObject m_object;
    QString m_path;
    QString m_error;
};
