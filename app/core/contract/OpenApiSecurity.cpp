#include "contract/OpenApiSecurity.h"

#include "contract/OpenApiDocument.h"
#include "contract/TierGuess.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
constexpr int MaxDescriptionLength = 2000;

QString swaggerFlowName(const QString &flow)
{
    if (flow == u"application"_s)
        return u"clientCredentials"_s;
    if (flow == u"accessCode"_s)
        return u"authorizationCode"_s;
    return flow; // password, implicit
}

QString flowLabel(const QString &flow)
{
    if (flow == u"clientCredentials"_s)
        return u"client credentials"_s;
    return flow;
}

// A short name for a server in an environment's name: the tier it looks like, else its host.
QString serverLabel(const OpenApiServer &server, Tier tier)
{
    if (tier != Tier::Custom)
        return Environment::tierName(tier).replace(0, 1, Environment::tierName(tier).at(0).toUpper());
    if (!server.url.host().isEmpty())
        return server.url.host();
    return u"server"_s;
}
} // namespace

std::optional<OpenApiSecurity> OpenApiSecurity::read(const OpenApiDocument &document, QStringList *notes, QStringList *skipped,
                                                     QString *error)
{
    OpenApiSecurity security;
    const bool swagger = document.kind() == OpenApiDocument::Kind::Swagger2;
    const QJsonObject schemes = swagger ? document.object(document.root().value(u"securityDefinitions"_s))
                                        : document.object(document.object(document.root().value(u"components"_s))
                                                              .value(u"securitySchemes"_s));
    for (auto it = schemes.begin(); it != schemes.end(); ++it) {
        const QString schemeName = it.key();
        const QJsonObject scheme = document.object(it.value());
        if (scheme.isEmpty()) {
            notes->append(u"security scheme %1 is empty or refers to another file; it is ignored"_s.arg(schemeName));
            continue;
        }
        const QString type = scheme.value(u"type"_s).toString();
        security.m_types.insert(schemeName, type);
        if (type != u"oauth2"_s)
            continue;

        QList<QPair<QString, QJsonObject>> flows;
        if (swagger) {
            flows.append({swaggerFlowName(scheme.value(u"flow"_s).toString()), scheme});
        } else {
            const QJsonObject declared = document.object(scheme.value(u"flows"_s));
            for (auto flow = declared.begin(); flow != declared.end(); ++flow)
                flows.append({flow.key(), document.object(flow.value())});
            if (declared.isEmpty())
                notes->append(u"OAuth 2 scheme %1 declares no flows"_s.arg(schemeName));
        }
        for (const auto &[flowName, flowObject] : std::as_const(flows)) {
            Flow flow;
            flow.scheme = schemeName;
            flow.name = flowName;
            flow.tokenUrl = flowObject.value(u"tokenUrl"_s).toString().trimmed();
            const QJsonValue scopes = flowObject.value(u"scopes"_s);
            QSet<QString> seen;
            // flow.name, not flowName: clang before 16 cannot capture a structured binding.
            const auto addScope = [&](const QString &name, const QString &description) {
                if (name.size() > MaxScopeLength) {
                    if (error)
                        *error = u"security scheme %1, flow %2: a scope name is longer than %3 characters"_s.arg(schemeName, flow.name)
                                     .arg(MaxScopeLength);
                    return false;
                }
                if (seen.contains(name)) {
                    notes->append(u"security scheme %1, flow %2: scope %3 is listed twice"_s.arg(schemeName, flow.name, name));
                    return true;
                }
                seen.insert(name);
                flow.scopes.append({name, description.left(MaxDescriptionLength)});
                return true;
            };
            const qsizetype count = scopes.isObject() ? scopes.toObject().size() : scopes.toArray().size();
            if (count > MaxScopesPerFlow) {
                if (error)
                    *error = u"security scheme %1, flow %2 declares %L3 scopes; more than %L4 is no scope list a token "
                             u"request can carry, and is refused"_s.arg(schemeName, flowName).arg(count).arg(MaxScopesPerFlow);
                return std::nullopt;
            }
            if (scopes.isObject()) {
                const QJsonObject map = scopes.toObject();
                for (auto scope = map.begin(); scope != map.end(); ++scope) {
                    if (!addScope(scope.key(), scope.value().toString()))
                        return std::nullopt;
                }
            } else if (scopes.isArray()) {
                notes->append(u"security scheme %1, flow %2: scopes are a list, not a map of names to descriptions; "
                              u"read as names without descriptions"_s.arg(schemeName, flowName));
                for (const QJsonValue &scope : scopes.toArray()) {
                    if (scope.isString() && !addScope(scope.toString(), {}))
                        return std::nullopt;
                }
            } else {
                notes->append(u"security scheme %1, flow %2 declares no scopes"_s.arg(schemeName, flowName));
            }
            security.m_declared[schemeName].unite(seen);
            if (flowName == u"implicit"_s) {
                skipped->append(u"security scheme %1, flow implicit: not supported (its tokens come back in a browser "
                                u"redirect; use client credentials or password)"_s.arg(schemeName));
                continue;
            }
            if (flowName == u"authorizationCode"_s) {
                skipped->append(u"security scheme %1, flow authorizationCode: the authorization-code grant needs a browser "
                                u"sign-in, which Tokenbench does not run yet (issue 14)"_s.arg(schemeName));
                continue;
            }
            if (flowName != u"clientCredentials"_s && flowName != u"password"_s) {
                skipped->append(u"security scheme %1, flow %2: not an OAuth 2 flow Tokenbench knows"_s.arg(schemeName, flowName.left(80)));
                continue;
            }
            if (flow.tokenUrl.isEmpty()) {
                skipped->append(u"security scheme %1, flow %2: no tokenUrl, so no environment can get a token"_s.arg(schemeName, flowName));
                continue;
            }
            security.m_flows.append(flow);
        }
    }
    return security;
}

void OpenApiSecurity::addEnvironments(const QList<OpenApiServer> &servers, ImportPlan *plan) const
{
    QSet<QString> schemesUsed;
    for (const Flow &flow : m_flows)
        schemesUsed.insert(flow.scheme);
    for (const Flow &flow : m_flows) {
        for (const OpenApiServer &server : servers) {
            Environment env;
            env.tier = TierGuess::fromServer(server.url, server.description);
            QString name = u"%1 · %2"_s.arg(plan->title, serverLabel(server, env.tier));
            if (m_flows.size() > 1)
                name += u" · %1"_s.arg(schemesUsed.size() > 1 ? u"%1 %2"_s.arg(flow.scheme, flowLabel(flow.name)) : flowLabel(flow.name));
            env.name = name;
            env.apiBaseUrl = server.url;
            env.grant = flow.name == u"password"_s ? GrantType::Password : GrantType::ClientCredentials;
            env.scopeCatalog = flow.scopes;
            env.variables = server.variables;
            env.origin = {plan->document, u"%1/%2@%3"_s.arg(flow.scheme, flow.name, server.written), plan->version};

            const QUrl written(flow.tokenUrl);
            if (written.isRelative()) {
                if (server.url.isEmpty()) {
                    plan->notes.append(u"%1: the token URL %2 is relative and the document gives no host; enter both URLs"_s.arg(
                        env.name, flow.tokenUrl));
                } else {
                    env.tokenUrl = server.url.resolved(written);
                    plan->notes.append(u"%1: token URL %2 resolved against the server: %3"_s.arg(
                        env.name, flow.tokenUrl, env.tokenUrl.toString()));
                }
            } else {
                env.tokenUrl = written;
            }

            const QString key = env.origin.key;
            plan->inputs.append({key, u"clientId"_s, u"the client id %1 issued to you"_s.arg(plan->title), {}});
            if (env.grant == GrantType::Password)
                plan->inputs.append({key, u"username"_s, u"the user whose password the token is asked with"_s, {}});
            if (server.url.isEmpty())
                plan->inputs.append({key, u"apiUrl"_s,
                                     server.written.isEmpty() || server.written == u"/"_s
                                         ? u"the API's base URL: the document names no server"_s
                                         : u"the API's base URL: the document gives only %1"_s.arg(server.written),
                                     {}});
            for (qsizetype i = 0; i < server.variables.size(); ++i) {
                const QString hint = server.variableHints.value(i);
                plan->inputs.append({key, server.variables.at(i).first,
                                     u"server variable, in the API URL at its default%1"_s.arg(hint.isEmpty() ? QString() : u": "_s + hint),
                                     server.variables.at(i).second});
            }
            plan->environments.append(env);
        }
    }
}
