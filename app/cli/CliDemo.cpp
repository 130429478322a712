#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "demo/DemoServer.h"
#include "oauth/TokenRequest.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

int Cli::startDemo(Environment *env, TokenRequest *request, std::unique_ptr<DemoServer> *demo)
{
    if (!env->isBuiltinDemo())
        return Ok;
    *demo = std::make_unique<DemoServer>();
    QString demoError;
    if (!(*demo)->start(0, &demoError)) {
        m_print.failure(u"demo"_s, u"cannot start the built-in Demo API: "_s + demoError);
        return Unexpected;
    }
    // The GUI's resolution, so both see the same Demo: its endpoints, client and credentials.
    const BuiltinEnvironmentResolver *resolver = (*demo)->environmentResolver();
    *env = resolver->resolved(*env);
    // The request was made from the stored environment and the command's options (scopes,
    // timeout, certificates): only what the Demo provides changes in it.
    request->tokenUrl = env->tokenUrl;
    request->issuer = env->provider.issuer;
    request->authorizationUrl = env->provider.authorizationUrl;
    request->deviceAuthorizationUrl = env->provider.deviceAuthorizationUrl;
    request->clientId = env->clientId;
    request->username = env->username;
    const BuiltinEnvironmentResolver::Credentials credentials = resolver->credentials(*env);
    request->clientSecret = credentials.clientSecret;
    if (env->grant == GrantType::Password)
        request->password = credentials.password;
    return Ok;
}

namespace {
// What `demo` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct DemoOptions
{
    const QCommandLineOption port{u"port"_s, u"Listen on this port of 127.0.0.1; 0 picks a free one"_s, u"N"_s, u"0"_s};
    const QCommandLineOption lifetime{u"token-lifetime"_s, u"How long the tokens it issues live"_s, u"SECONDS"_s, u"300"_s};

    QList<QCommandLineOption> all() const { return {port, lifetime}; }
};

const CommandHelp::Registration demoHelp([] {
    CommandHelp help(u"demo"_s, u"Run the built-in Demo API (authorization server and API) locally"_s);
    help.synopsis = {u"demo [--port N] [--token-lifetime SECONDS]"_s};
    help.options = DemoOptions().all();
    help.details = {u"Serves on 127.0.0.1 until interrupted, and prints its issuer, token, authorization, device authorization and JWKS "
                    "URLs, API base URL, scope catalog and public demo credentials (with the global --json: as one JSON object). Its "
                    "metadata is at ISSUER/.well-known/openid-configuration; its access tokens are JWTs signed ES256 with a key made at "
                    "start. The environment \"Demo\" of every workspace starts one in-process by itself, with whichever grant it is "
                    "set to (env set Demo --grant GRANT); this command is for other clients."_s};
    help.exitCodes = {{Cli::Usage, u"a malformed --port or --token-lifetime"_s}, {Cli::Unexpected, u"the port cannot be listened on"_s}};
    help.examples = {u"tokenbench-cli demo --port 8080"_s, u"tokenbench-cli --json demo --token-lifetime 60"_s};
    return help;
});
} // namespace

int Cli::runDemo(const QStringList &args)
{
    const DemoOptions accepted; // the parser's options and the help's
    const QCommandLineOption &port = accepted.port;
    const QCommandLineOption &lifetime = accepted.lifetime;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args))
        return Usage;
    QString error;
    bool portOk = false;
    bool lifetimeOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    const int lifetimeValue = parser.value(lifetime).toInt(&lifetimeOk);
    if (!portOk || portValue > 65535)
        return usageError(u"--port needs a port number"_s);
    if (!lifetimeOk || lifetimeValue < 1)
        return usageError(u"--token-lifetime needs a positive number of seconds"_s);
    DemoServer demo;
    demo.setTokenLifetime(lifetimeValue);
    if (!demo.start(static_cast<quint16>(portValue), &error)) {
        m_print.failure(u"demo"_s, u"cannot start the Demo API: "_s + error);
        return Unexpected;
    }
    if (m_print.json()) {
        m_print.out() << QString::fromUtf8(QJsonDocument(QJsonObject{
                                               {u"token_url"_s, demo.tokenUrl().toString()},
                                               {u"api_url"_s, demo.apiUrl().toString()},
                                               {u"issuer"_s, demo.issuer().toString()},
                                               {u"authorization_url"_s, demo.authorizationUrl().toString()},
                                               {u"device_authorization_url"_s, demo.deviceAuthorizationUrl().toString()},
                                               {u"jwks_url"_s, demo.jwksUrl().toString()},
                                               {u"public_client_id"_s, DemoServer::publicClientId()},
                                               {u"scopes_url"_s, demo.baseUrl().resolved(QUrl(u"/scopes"_s)).toString()},
                                               {u"client_id"_s, DemoServer::clientId()},
                                               {u"client_secret"_s, DemoServer::clientSecret()},
                                               {u"username"_s, DemoServer::username()},
                                               {u"password"_s, DemoServer::password()},
                                               {u"token_lifetime"_s, lifetimeValue}})
                                               .toJson(QJsonDocument::Compact))
                      << Qt::endl;
    } else {
        m_print.out() << "Tokenbench Demo API running (Ctrl+C to stop)\n"
                      << "  Token URL:     " << demo.tokenUrl().toString() << '\n'
                      << "  API base URL:  " << demo.apiUrl().toString() << '\n'
                      << "  Issuer:        " << demo.issuer().toString() << "  (env add NAME --issuer URL reads its metadata)\n"
                      << "  Authorization: " << demo.authorizationUrl().toString() << "  (authorization code with PKCE S256)\n"
                      << "  Device grant:  " << demo.deviceAuthorizationUrl().toString() << "  (RFC 8628; approve at /device)\n"
                      << "  JWKS:          " << demo.jwksUrl().toString() << "  (tokens signed " << DemoSigningKey::algorithm() << ")\n"
                      << "  Scope catalog: " << demo.baseUrl().resolved(QUrl(u"/scopes"_s)).toString() << '\n'
                      << "  Client:        " << DemoServer::clientId() << " / " << DemoServer::clientSecret() << "  (public demo credentials)\n"
                      << "  Public client: " << DemoServer::publicClientId() << "  (no secret: authorization code, device, refresh)\n"
                      << "  Password user: " << DemoServer::username() << " / " << DemoServer::password() << '\n'
                      << "  Token life:    " << lifetimeValue << " s" << Qt::endl;
    }
    return QCoreApplication::exec();
}
