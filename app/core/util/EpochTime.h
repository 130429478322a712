#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>

// Which numbers in a token response or a JWT are moments in time: the registered claims (iat,
// nbf, exp, auth_time, updated_at) and any field whose name says time (created_at, *_time,
// *timestamp, …) holding a plausible Unix time, in seconds or, when the name or the size says
// so, milliseconds. Durations (expires_in, *_in) are not moments and never match.
class EpochTime
{
public:
    static std::optional<QDateTime> fromField(const QString &name, const QJsonValue &value);
    static bool nameSaysTime(const QString &name);
    // "2026-12-02 18:00:00 UTC".
    static QString utcText(const QDateTime &when);
};
