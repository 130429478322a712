#include "util/JsonFieldReader.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

JsonFieldReader::JsonFieldReader(const QJsonObject &object, const QString &path)
    : m_object(object)
    , m_path(path)
{
}

QString JsonFieldReader::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

bool JsonFieldReader::has(const QString &key) const
{
    const QJsonValue value = m_object.value(key);
    return !value.isUndefined() && !value.isNull();
}

QString JsonFieldReader::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"a list"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

bool JsonFieldReader::fail(const QString &key, const QString &what)
{
    if (m_error.isEmpty())
        m_error = u"%1: %2"_s.arg(pathOf(key), what);
    return false;
}

bool JsonFieldReader::failHere(const QString &what)
{
    if (m_error.isEmpty())
        m_error = m_path.isEmpty() ? what : u"%1: %2"_s.arg(m_path, what);
    return false;
}

bool JsonFieldReader::wrongType(const QString &key, const QString &expected, const QJsonValue &found)
{
    return fail(key, u"expected %1, found %2"_s.arg(expected, typeName(found)));
}

bool JsonFieldReader::required(const QString &key)
{
    if (!ok())
        return false;
    if (!has(key))
        return fail(key, m_object.contains(key) ? u"must be set, found null"_s : u"missing"_s);
    return true;
}

bool JsonFieldReader::string(const QString &key, QString *out)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString())
        return wrongType(key, u"a string"_s, value);
    *out = value.toString();
    return true;
}

bool JsonFieldReader::boolean(const QString &key, bool *out)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isBool())
        return wrongType(key, u"true or false"_s, value);
    *out = value.toBool();
    return true;
}

bool JsonFieldReader::integer(const QString &key, qint64 *out, qint64 min, qint64 max)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    const QString expected = u"a whole number from %1 to %2"_s.arg(min).arg(max);
    if (!value.isDouble())
        return wrongType(key, expected, value);
    const double number = value.toDouble();
    // Compared as doubles before any conversion: 1e300 must not wrap into range.
    if (!std::isfinite(number) || std::floor(number) != number || number < double(min) || number > double(max))
        return fail(key, u"expected %1, found %2"_s.arg(expected, QString::number(number, 'g', QLocale::FloatingPointShortest)));
    *out = qint64(number);
    return true;
}

bool JsonFieldReader::stringList(const QString &key, QStringList *out)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray())
        return wrongType(key, u"a list of strings"_s, value);
    const QJsonArray array = value.toArray();
    QStringList strings;
    strings.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        if (!entry.isString())
            return wrongType(u"%1[%2]"_s.arg(key).arg(i), u"a string"_s, entry);
        strings.append(entry.toString());
    }
    *out = strings;
    return true;
}

bool JsonFieldReader::objectList(const QString &key, const std::function<bool(JsonFieldReader &entry)> &each)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray())
        return wrongType(key, u"a list of objects"_s, value);
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString entryKey = u"%1[%2]"_s.arg(key).arg(i);
        const QJsonValue entry = array.at(i);
        if (!entry.isObject())
            return wrongType(entryKey, u"an object"_s, entry);
        JsonFieldReader reader(entry.toObject(), pathOf(entryKey));
        const bool accepted = each(reader);
        if (!reader.ok()) {
            m_error = reader.error();
            return false;
        }
        if (!accepted)
            return fail(entryKey, u"refused"_s);
    }
    return true;
}

bool JsonFieldReader::object(const QString &key, const std::function<bool(JsonFieldReader &nested)> &read)
{
    if (!ok())
        return false;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject())
        return wrongType(key, u"an object"_s, value);
    JsonFieldReader reader(value.toObject(), pathOf(key));
    const bool accepted = read(reader);
    if (!reader.ok()) {
        m_error = reader.error();
        return false;
    }
    return accepted || fail(key, u"refused"_s);
}

QJsonObject JsonFieldReader::unknownMembers(const QStringList &known) const
{
    QJsonObject unknown;
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            unknown.insert(it.key(), it.value());
    }
    return unknown;
}

QString JsonFieldReader::invalidTextPath(const QJsonValue &value, const QString &path)
{
    if (value.isString())
        return QStringView(value.toString()).isValidUtf16() ? QString() : path;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (QString found = invalidTextPath(array.at(i), u"%1[%2]"_s.arg(path).arg(i)); !found.isEmpty())
                return found;
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString member = path.isEmpty() ? it.key() : path + u'.' + it.key();
            if (!QStringView(it.key()).isValidUtf16())
                return member;
            if (QString found = invalidTextPath(it.value(), member); !found.isEmpty())
                return found;
        }
    }
    return {};
}
