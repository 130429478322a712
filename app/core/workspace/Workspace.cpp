#include "workspace/Workspace.h"

#include "util/JsonFieldReader.h"
#include "workspace/RequestNameIndex.h"
#include "workspace/WorkspaceSchemaVersion.h"

#include <QJsonArray>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

Workspace::Workspace()
    : m_id(newId())
{
}

const Environment *Workspace::find(const QString &name) const
{
    for (const auto &env : m_environments) {
        if (env.name.compare(name, Qt::CaseInsensitive) == 0)
            return &env;
    }
    return nullptr;
}

Environment *Workspace::find(const QString &name)
{
    return const_cast<Environment *>(std::as_const(*this).find(name));
}

const Environment *Workspace::findById(const QString &id) const
{
    for (const auto &env : m_environments) {
        if (env.id == id)
            return &env;
    }
    return nullptr;
}

Environment *Workspace::findById(const QString &id)
{
    return const_cast<Environment *>(std::as_const(*this).findById(id));
}

Environment &Workspace::upsert(Environment environment)
{
    if (Environment *existing = find(environment.name)) {
        if (environment.id.isEmpty())
            environment.id = existing->id;
        // A replacement made without them (`env add --replace`) keeps what a newer version wrote.
        if (environment.unknownFields.isEmpty())
            environment.unknownFields = existing->unknownFields;
        *existing = std::move(environment);
        return *existing;
    }
    if (environment.id.isEmpty() || findById(environment.id))
        environment.id = newId();
    m_environments.append(std::move(environment));
    return m_environments.last();
}

bool Workspace::remove(const QString &name)
{
    for (qsizetype i = 0; i < m_environments.size(); ++i) {
        if (m_environments.at(i).name.compare(name, Qt::CaseInsensitive) == 0) {
            m_environments.removeAt(i);
            return true;
        }
    }
    return false;
}

const SavedRequest *Workspace::findRequest(const QString &name) const
{
    const QString wanted = name.trimmed();
    for (const auto &request : m_requests) {
        if (request.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return &request;
    }
    return nullptr;
}

bool Workspace::addRequests(QList<SavedRequest> requests, QString *error)
{
    RequestNameIndex names(m_requests);
    for (SavedRequest &request : requests) {
        request.name = request.name.trimmed();
        request.folder = request.folder.trimmed();
        QString problem;
        if (request.name.isEmpty())
            problem = u"a saved request needs a name"_s;
        else if (names.contains(request.name))
            problem = u"another saved request is named \"%1\""_s.arg(request.name);
        else if (const QString secret = request.draft.formatProblem(); !secret.isEmpty())
            problem = u"saved request \"%1\": %2"_s.arg(request.name, secret);
        if (!problem.isEmpty()) {
            if (error)
                *error = problem;
            return false;
        }
        names.insert(request.name);
        request.id = newId();
    }
    m_requests.append(std::move(requests));
    return true;
}

const SavedRequest *Workspace::findRequestById(const QString &id) const
{
    for (const auto &request : m_requests) {
        if (request.id == id)
            return &request;
    }
    return nullptr;
}

std::optional<SavedRequest> Workspace::upsertRequest(SavedRequest request, QString *error)
{
    QString problem;
    request.name = request.name.trimmed();
    request.folder = request.folder.trimmed();
    if (request.name.isEmpty())
        problem = u"a saved request needs a name"_s;
    else if (const SavedRequest *named = findRequest(request.name); named && named->id != request.id)
        problem = u"another saved request is named \"%1\""_s.arg(named->name);
    else if (const QString secret = request.draft.formatProblem(); !secret.isEmpty())
        problem = u"saved request \"%1\": %2"_s.arg(request.name, secret);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    if (request.id.isEmpty())
        request.id = newId();
    for (auto &existing : m_requests) {
        if (existing.id == request.id) {
            // A new version of the same request made without them keeps what a newer Tokenbench wrote.
            if (request.unknownFields.isEmpty())
                request.unknownFields = existing.unknownFields;
            if (request.draftUnknownFields.isEmpty())
                request.draftUnknownFields = existing.draftUnknownFields;
            existing = request;
            return request;
        }
    }
    m_requests.append(request);
    return request;
}

bool Workspace::removeRequest(const QString &id)
{
    for (qsizetype i = 0; i < m_requests.size(); ++i) {
        if (m_requests.at(i).id == id) {
            m_requests.removeAt(i);
            return true;
        }
    }
    return false;
}

QJsonObject Workspace::toJson() const
{
    QJsonObject json = toJsonWithoutRequests();
    if (!m_requests.isEmpty()) {
        QJsonArray requests;
        for (const auto &request : m_requests)
            requests.append(request.toJson());
        json.insert(u"requests"_s, requests);
    }
    return json;
}

QJsonObject Workspace::toJsonWithoutRequests() const
{
    QJsonArray envs;
    for (const auto &env : m_environments)
        envs.append(env.toJson());
    QJsonObject json = m_unknownKeys;
    json.insert(u"format"_s, u"tokenbench-workspace"_s);
    json.insert(u"schemaVersion"_s, SchemaVersion);
    json.insert(u"id"_s, m_id);
    json.insert(u"environments"_s, envs);
    return json;
}

std::optional<Workspace> Workspace::fromJson(const QJsonObject &json, QString *error)
{
    JsonFieldReader reader(json);
    QString format;
    if (!reader.string(u"format"_s, &format) || format != u"tokenbench-workspace"_s) {
        *error = reader.ok() ? u"this is not a Tokenbench workspace (no \"format\": \"tokenbench-workspace\")"_s : reader.error();
        return std::nullopt;
    }
    if (const WorkspaceSchemaVersion::Check version = WorkspaceSchemaVersion::check(json);
        version.verdict != WorkspaceSchemaVersion::Verdict::Supported) {
        *error = version.message;
        return std::nullopt;
    }
    // Text that would not be written back as it was read is refused, not changed on the next save.
    if (const QString where = JsonFieldReader::invalidTextPath(json); !where.isEmpty()) {
        *error = u"%1: not valid Unicode text (a lone surrogate)"_s.arg(where);
        return std::nullopt;
    }
    Workspace ws;
    ws.m_id.clear();
    if (!reader.required(u"id"_s) || !reader.string(u"id"_s, &ws.m_id) || !reader.required(u"environments"_s)) {
        *error = reader.error();
        return std::nullopt;
    }
    if (ws.m_id.isEmpty()) {
        reader.fail(u"id"_s, u"the workspace needs an id"_s);
        *error = reader.error();
        return std::nullopt;
    }
    QString problem;
    const bool environmentsRead = reader.objectList(u"environments"_s, [&](JsonFieldReader &entry) {
        auto env = Environment::fromJson(entry.object(), &problem, entry.path());
        if (!env)
            return false;
        if (ws.find(env->name)) {
            problem = u"%1: two environments are named \"%2\""_s.arg(entry.path(), env->name);
            return false;
        }
        if (env->id.isEmpty() || ws.findById(env->id))
            env->id = newId();
        ws.m_environments.append(*env);
        return true;
    });
    if (!environmentsRead) {
        *error = problem.isEmpty() ? reader.error() : problem;
        return std::nullopt;
    }

    // Added within schema version 1: a file without it has no saved requests.
    QString requestName; // of the entry being read: it says which one a path's index is
    const bool requestsRead = reader.objectList(u"requests"_s, [&](JsonFieldReader &entry) {
        auto read = SavedRequest::fromJson(entry, &problem);
        if (!read)
            return false;
        SavedRequest request = std::move(*read);
        requestName = request.name;
        if (ws.findRequest(request.name)) {
            problem = u"%1: two saved requests are named \"%2\""_s.arg(entry.path(), request.name);
            return false;
        }
        if (request.id.isEmpty() || ws.findRequestById(request.id))
            request.id = newId();
        ws.m_requests.append(request);
        return true;
    });
    if (!requestsRead) {
        if (!problem.isEmpty())
            *error = problem;
        else
            *error = requestName.isEmpty() ? reader.error() : u"saved request \"%1\": %2"_s.arg(requestName, reader.error());
        return std::nullopt;
    }
    ws.m_unknownKeys = reader.unknownMembers({u"format"_s, u"schemaVersion"_s, u"id"_s, u"environments"_s, u"requests"_s});
    return ws;
}

Environment Workspace::demoEnvironment()
{
    Environment env;
    env.name = u"Demo"_s;
    env.tier = Tier::Sandbox;
    env.builtin = u"demo"_s;
    env.grant = GrantType::ClientCredentials;
    env.clientAuth = ClientAuthStyle::Basic;
    // The Demo sends X-On-Behalf-Of, which needs its own scope: ask for it so the first request works.
    env.scopes = {u"accounts:read"_s, u"trades:read"_s, u"core.users:act-on-behalf-of"_s};
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}};
    env.variables = {{u"userId"_s, u"demo-user"_s}};
    return env;
}

Workspace Workspace::createDefault()
{
    Workspace ws;
    ws.upsert(demoEnvironment());
    return ws;
}
