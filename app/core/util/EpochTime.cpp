#include "util/EpochTime.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// 2001-09-09 to 2100-01-01: earlier or later "times" are counters, amounts or ids.
constexpr double earliestSeconds = 1e9;
constexpr double latestSeconds = 4102444800.0;
} // namespace

namespace {
// created_at, createdAt, expires-at-ms → created at / expires at ms: the words, lower case.
QStringList words(const QString &name)
{
    QStringList result;
    QString current;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c == u'_' || c == u'-' || c == u'.' || c == u' ') {
            if (!current.isEmpty())
                result.append(current);
            current.clear();
            continue;
        }
        if (c.isUpper() && !current.isEmpty() && i > 0 && name.at(i - 1).isLower()) {
            result.append(current);
            current.clear();
        }
        current.append(c.toLower());
    }
    if (!current.isEmpty())
        result.append(current);
    return result;
}

bool isMillisecondsWord(const QString &word)
{
    return word == u"ms"_s || word == u"millis"_s || word == u"milliseconds"_s;
}
} // namespace

bool EpochTime::nameSaysTime(const QString &name)
{
    static const QStringList registered = {u"iat"_s, u"nbf"_s, u"exp"_s, u"auth_time"_s, u"updated_at"_s};
    if (registered.contains(name))
        return true;
    // The last word says time, perhaps followed by its unit: created_at, createdAt, expires_at_ms,
    // last_login_time, timestamp, expiryDate. Not expires_in (a duration), format or lifetime.
    QStringList parts = words(name);
    static const QStringList units = {u"s"_s, u"sec"_s, u"secs"_s, u"seconds"_s, u"ms"_s, u"millis"_s, u"milliseconds"_s};
    if (parts.size() > 1 && units.contains(parts.last()))
        parts.removeLast();
    static const QStringList timeWords = {u"at"_s, u"time"_s, u"timestamp"_s, u"date"_s, u"datetime"_s, u"epoch"_s};
    return !parts.isEmpty() && timeWords.contains(parts.last());
}

std::optional<QDateTime> EpochTime::fromField(const QString &name, const QJsonValue &value)
{
    if (!value.isDouble() || !nameSaysTime(name))
        return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || number <= 0)
        return std::nullopt;
    const QStringList parts = words(name);
    const bool saysMilliseconds = !parts.isEmpty() && isMillisecondsWord(parts.last());
    if (!saysMilliseconds && number >= earliestSeconds && number < latestSeconds)
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(number * 1000.0)), Qt::UTC);
    if (number >= earliestSeconds * 1000.0 && number < latestSeconds * 1000.0)
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(number)), Qt::UTC);
    return std::nullopt;
}

QString EpochTime::utcText(const QDateTime &when)
{
    return when.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC"_s;
}
