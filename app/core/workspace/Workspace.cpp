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

QJsonObject Workspace::toJson() const
{
    QJsonArray envs;
    for (const auto &env : m_environments)
        envs.append(env.toJson());
    return QJsonObject{
        {u"format"_s, u"tokenbench-workspace"_s},
        {u"schemaVersion"_s, SchemaVersion},
        {u"id"_s, m_id},
        {u"environments"_s, envs},
    };
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
