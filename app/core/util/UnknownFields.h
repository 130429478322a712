#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>

// The JSON members a file holds that this version of Tokenbench does not know — added by a later
// version of the same schema, or by hand — kept with the data read from it and written back
// unchanged, so saving never drops them. Kept per object: the owner's own ("") and those of the
// rows of its lists, by list and row name ("tokenParams/audience"), so a row keeps its members
// while others are added, removed or moved around it.
class UnknownFields
{
public:
    // Names rows of one list in order: "variables/userId", and for a name seen again
    // "variables/userId#2", the same way when reading and when writing.
    class Rows
    {
    public:
        explicit Rows(const QString &list)
            : m_list(list)
        {
        }
        QString next(const QString &rowName);

    private:
        QString m_list;
        QHash<QString, int> m_seen;
    };

    // Keeps members for scope; empty members keep nothing.
    void set(const QString &scope, const QJsonObject &members);
    QJsonObject get(const QString &scope) const { return m_members.value(scope); }
    // Adds the kept members of scope that json lacks: what this version writes wins.
    void writeInto(const QString &scope, QJsonObject *json) const;
    bool isEmpty() const { return m_members.isEmpty(); }

    bool operator==(const UnknownFields &other) const = default;

private:
    QMap<QString, QJsonObject> m_members;
};
