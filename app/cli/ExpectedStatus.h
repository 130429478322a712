#pragma once

#include <QList>
#include <QString>

#include <optional>

// `send --expect-status 403,409` or `--expect-status 2xx,404`: the statuses a script counts as
// success. A status outside the list exits 11 whatever its class, so an unexpected 200 fails a
// negative test as surely as an unexpected 500 fails a positive one.
class ExpectedStatus
{
public:
    // Codes 100–599 and classes 1xx–5xx, separated by commas; nullopt with *error set when malformed.
    static std::optional<ExpectedStatus> parse(const QString &text, QString *error);

    bool matches(int status) const;
    // "403 or 409"
    QString text() const;
    QStringList items() const { return m_items; }

private:
    QList<int> m_codes;
    QList<int> m_classes; // 2 for 2xx
    QStringList m_items;  // as given, normalized: "403", "2xx"
};
