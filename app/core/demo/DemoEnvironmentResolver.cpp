#include "demo/DemoEnvironmentResolver.h"

#include "demo/DemoServer.h"

#include <QCoreApplication>

DemoEnvironmentResolver::DemoEnvironmentResolver(const DemoServer *server)
    : m_server(server)
{
}

bool DemoEnvironmentResolver::provides(const Environment &environment) const
{
    return environment.isBuiltinDemo();
}

QString DemoEnvironmentResolver::unavailableReason() const
{
    if (m_server && m_server->isRunning())
        return {};
    return QCoreApplication::translate("DemoEnvironmentResolver", "the built-in Demo API is not running");
}

QUrl DemoEnvironmentResolver::serverUrl() const
{
    return m_server && m_server->isRunning() ? m_server->baseUrl() : QUrl();
}

Environment DemoEnvironmentResolver::resolved(const Environment &environment) const
{
    Environment env = environment;
    if (!provides(env) || !unavailableReason().isEmpty())
        return env;
    env.tokenUrl = m_server->tokenUrl();
    env.apiBaseUrl = m_server->apiUrl();
    env.provider.deviceAuthorizationUrl = m_server->deviceAuthorizationUrl();
    env.provider.revocationUrl = m_server->revocationUrl();
    env.provider.introspectionUrl = m_server->introspectionUrl();
    if (env.clientId.isEmpty())
        env.clientId = DemoServer::clientId();
    if (env.grant == GrantType::Password && env.username.isEmpty())
        env.username = DemoServer::username();
    return env;
}

BuiltinEnvironmentResolver::Credentials DemoEnvironmentResolver::credentials(const Environment &environment) const
{
    Q_UNUSED(environment);
    return {DemoServer::clientSecret(), DemoServer::password()};
}
