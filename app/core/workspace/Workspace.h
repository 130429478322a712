#pragma once

#include "workspace/Environment.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The set of environment profiles a user works with; serialised by WorkspaceStore.
class Workspace
{
public:
    static constexpr int SchemaVersion = 1;

    Workspace();

    QString id() const { return m_id; }
    void setId(const QString &id) { m_id = id; }

    const QList<Environment> &environments() const { return m_environments; }
    const Environment *find(const QString &name) const;
    Environment *find(const QString &name);
    const Environment *findById(const QString &id) const;
    Environment *findById(const QString &id);

    // Adds or replaces by name; a new environment gets a fresh id.
    Environment &upsert(Environment environment);
    bool remove(const QString &name);

    QJsonObject toJson() const;
    static std::optional<Workspace> fromJson(const QJsonObject &json, QString *error);

    // A new workspace holding the built-in Demo environment, so a first start has something to authorize against.
    static Workspace createDefault();
    static Environment demoEnvironment();

private:
    QString m_id;
    QList<Environment> m_environments;
};
