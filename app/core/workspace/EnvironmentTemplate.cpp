#include "workspace/EnvironmentTemplate.h"

#include <QCoreApplication>

Environment EnvironmentTemplate::create(Kind kind, const QString &name, Tier tier, const Environment &resolvedDemo)
{
    Environment env;
    env.name = name;
    env.tier = tier;
    if (kind == Kind::Demo) {
        // An ordinary profile pointing at the Demo API as it runs now (its port is this session's).
        env.tokenUrl = resolvedDemo.tokenUrl;
        env.apiBaseUrl = resolvedDemo.apiBaseUrl;
        env.grant = resolvedDemo.grant;
        env.clientAuth = resolvedDemo.clientAuth;
        env.clientId = resolvedDemo.clientId;
        env.scopes = resolvedDemo.scopes;
        env.headers = resolvedDemo.headers;
        env.variables = resolvedDemo.variables;
    }
    return env;
}

QString EnvironmentTemplate::label(Kind kind)
{
    switch (kind) {
    case Kind::Empty:
        return QCoreApplication::translate("EnvironmentTemplate", "Empty profile (nothing injected, no variables, no credentials)");
    case Kind::Demo:
        return QCoreApplication::translate("EnvironmentTemplate", "Demo API template (this computer's Demo: demo-client, X-On-Behalf-Of)");
    case Kind::Api:
        return QCoreApplication::translate("EnvironmentTemplate", "API template (the vendor's token endpoint, scopes and headers; you give what its documentation does not):");
    }
    return {};
}
