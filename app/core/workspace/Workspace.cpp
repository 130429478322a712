#include "workspace/Workspace.h"

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
    else if (const QString secret = request.draft.storageProblem(); !secret.isEmpty())
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
    QJsonArray envs;
    for (const auto &env : m_environments)
        envs.append(env.toJson());
    QJsonObject json = m_unknownKeys;
    json.insert(u"format"_s, u"tokenbench-workspace"_s);
    json.insert(u"schemaVersion"_s, SchemaVersion);
    json.insert(u"id"_s, m_id);
    json.insert(u"environments"_s, envs);
    if (!m_requests.isEmpty()) {
        QJsonArray requests;
        for (const auto &request : m_requests) {
            QJsonObject entry{{u"id"_s, request.id}, {u"name"_s, request.name}, {u"request"_s, request.draft.toJson()}};
            if (!request.folder.isEmpty())
                entry.insert(u"folder"_s, request.folder);
            requests.append(entry);
        }
        json.insert(u"requests"_s, requests);
    }
    return json;
}

std::optional<Workspace> Workspace::fromJson(const QJsonObject &json, QString *error)
{
    if (json.value(u"format"_s).toString() != u"tokenbench-workspace"_s) {
        *error = u"this is not a Tokenbench workspace (no \"format\": \"tokenbench-workspace\")"_s;
        return std::nullopt;
    }
    const QJsonValue versionValue = json.value(u"schemaVersion"_s);
    if (!versionValue.isDouble()) {
        *error = u"\"schemaVersion\" is missing or not a number"_s;
        return std::nullopt;
    }
    Workspace ws;
    ws.m_id = json.value(u"id"_s).toString();
    if (ws.m_id.isEmpty()) {
        *error = u"the workspace has no \"id\""_s;
        return std::nullopt;
    }
    const QJsonValue envsValue = json.value(u"environments"_s);
    if (!envsValue.isArray()) {
        *error = u"\"environments\" is missing or not a list"_s;
        return std::nullopt;
    }
    for (const auto &value : envsValue.toArray()) {
        if (!value.isObject()) {
            *error = u"an entry of \"environments\" is not an object"_s;
            return std::nullopt;
        }
        auto env = Environment::fromJson(value.toObject(), error);
        if (!env)
            return std::nullopt;
        if (ws.find(env->name)) {
            *error = u"two environments are named \"%1\""_s.arg(env->name);
            return std::nullopt;
        }
        if (env->id.isEmpty() || ws.findById(env->id))
            env->id = newId();
        ws.m_environments.append(*env);
    }

    // Added within schema version 1: a file without it has no saved requests.
    const QJsonValue requestsValue = json.value(u"requests"_s);
    if (!requestsValue.isUndefined() && !requestsValue.isArray()) {
        *error = u"\"requests\" is not a list"_s;
        return std::nullopt;
    }
    for (const auto &value : requestsValue.toArray()) {
        if (!value.isObject()) {
            *error = u"an entry of \"requests\" is not an object"_s;
            return std::nullopt;
        }
        const QJsonObject entry = value.toObject();
        SavedRequest request;
        request.id = entry.value(u"id"_s).toString();
        request.name = entry.value(u"name"_s).toString().trimmed();
        request.folder = entry.value(u"folder"_s).toString().trimmed();
        if (request.name.isEmpty()) {
            *error = u"a saved request has no name"_s;
            return std::nullopt;
        }
        if (ws.findRequest(request.name)) {
            *error = u"two saved requests are named \"%1\""_s.arg(request.name);
            return std::nullopt;
        }
        if (!entry.value(u"request"_s).isObject()) {
            *error = u"saved request \"%1\": \"request\" is missing or not an object"_s.arg(request.name);
            return std::nullopt;
        }
        QString draftError;
        auto draft = RequestDraft::fromJson(entry.value(u"request"_s).toObject(), &draftError);
        if (!draft) {
            *error = u"saved request \"%1\": %2"_s.arg(request.name, draftError);
            return std::nullopt;
        }
        request.draft = std::move(*draft);
        if (request.id.isEmpty() || ws.findRequestById(request.id))
            request.id = newId();
        ws.m_requests.append(request);
    }

    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        static const QStringList known = {u"format"_s, u"schemaVersion"_s, u"id"_s, u"environments"_s, u"requests"_s};
        if (!known.contains(it.key()))
            ws.m_unknownKeys.insert(it.key(), it.value());
    }
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
