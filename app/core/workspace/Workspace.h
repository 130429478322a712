#pragma once

#include "workspace/Environment.h"
#include "workspace/SavedRequest.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The set of environment profiles a user works with, and their saved requests; serialised by
// WorkspaceStore.
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

    // Adds or replaces by name; a new environment gets a fresh id. A replacement with no unknown
    // fields of its own keeps those of the one it replaces.
    Environment &upsert(Environment environment);
    bool remove(const QString &name);

    // Replace the lists wholesale, as they are (no id or name checks): for a merge that already
    // made names unique (WorkspaceMerge).
    void setEnvironments(const QList<Environment> &environments) { m_environments = environments; }
    void setSavedRequests(const QList<SavedRequest> &requests) { m_requests = requests; }

    // Saved requests, in the user's order.
    const QList<SavedRequest> &savedRequests() const { return m_requests; }
    const SavedRequest *findRequest(const QString &name) const; // case-insensitive
    const SavedRequest *findRequestById(const QString &id) const;
    // Adds, or replaces the one with the same id (keeping its unknown fields when the new one has
    // none); an empty id gets a fresh one. Refused, with the
    // reason in *error and nothing changed: no name, a name another saved request has, or a
    // draft that holds a credential. Returns the request as stored.
    std::optional<SavedRequest> upsertRequest(SavedRequest request, QString *error = nullptr);
    // Appends new saved requests (each gets a fresh id) with the checks of upsertRequest, the names
    // checked through one index rather than each against all: for an import. All or nothing: the
    // first refusal is in *error and nothing is added.
    bool addRequests(QList<SavedRequest> requests, QString *error = nullptr);
    bool removeRequest(const QString &id);

    // Saved requests go under "requests", written only when there are some; a file without the
    // key loads with none. Members this version does not know — at the top level, in each
    // environment, saved request and their rows — are kept and written back, so a later additive
    // key of schema version 1 survives a save by this version. Every member is read with its type
    // (JsonFieldReader): a wrong one is refused with its path, never coerced; a schemaVersion that
    // is not one this version reads is refused (WorkspaceSchemaVersion).
    QJsonObject toJson() const;
    // toJson() but "requests": for WorkspaceWriter, which writes them one at a time.
    QJsonObject toJsonWithoutRequests() const;
    static std::optional<Workspace> fromJson(const QJsonObject &json, QString *error);

    // A new workspace holding the built-in Demo environment, so a first start has something to authorize against.
    static Workspace createDefault();
    static Environment demoEnvironment();

    bool operator==(const Workspace &other) const = default;

private:
    QString m_id;
    QList<Environment> m_environments;
    QList<SavedRequest> m_requests;
    QJsonObject m_unknownKeys;
};
