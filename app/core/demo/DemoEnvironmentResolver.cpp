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
    // Every endpoint is the running server's: its port changes with each start, so none of them
    // is ever stored, and whatever a workspace file might hold for them is not used.
    env.tokenUrl = m_server->tokenUrl();
    env.apiBaseUrl = m_server->apiUrl();
    env.provider.issuer = m_server->issuer();
    env.provider.authorizationUrl = m_server->authorizationUrl();
    env.provider.deviceAuthorizationUrl = m_server->deviceAuthorizationUrl();
    env.provider.revocationUrl = m_server->revocationUrl();
    env.provider.introspectionUrl = m_server->introspectionUrl();
    env.provider.jwksUrl = m_server->jwksUrl();
    // A public client (no secret) when the user picked client authentication "none".
    if (env.clientId.isEmpty())
        env.clientId = env.clientAuth == ClientAuthStyle::None ? DemoServer::publicClientId() : DemoServer::clientId();
    if (env.grant == GrantType::Password && env.username.isEmpty())
        env.username = DemoServer::username();
    return env;
}

BuiltinEnvironmentResolver::Credentials DemoEnvironmentResolver::credentials(const Environment &environment) const
{
    if (environment.clientAuth == ClientAuthStyle::None)
        return {{}, DemoServer::password()};
    return {DemoServer::clientSecret(), DemoServer::password()};
}
