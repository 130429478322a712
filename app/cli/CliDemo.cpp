#include "Cli.h"

#include "CliSupport.h"
#include "demo/DemoServer.h"
#include "oauth/TokenRequest.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using CliSupport::configure;
using CliSupport::parse;

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
    env->tokenUrl = request->tokenUrl = (*demo)->tokenUrl();
    env->apiBaseUrl = (*demo)->apiUrl();
    if (env->clientId.isEmpty())
        request->clientId = DemoServer::clientId();
    request->clientSecret = DemoServer::clientSecret();
    if (env->grant == GrantType::Password) {
        if (env->username.isEmpty())
            request->username = DemoServer::username();
        request->password = DemoServer::password();
    }
    return Ok;
}

int Cli::runDemo(const QStringList &args)
{
    const QCommandLineOption port(u"port"_s, u"Port"_s, u"N"_s, u"0"_s);
    const QCommandLineOption lifetime(u"token-lifetime"_s, u"Seconds"_s, u"SECONDS"_s, u"300"_s);
    QCommandLineParser parser;
    configure(parser, {port, lifetime});
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
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
                      << "  Scope catalog: " << demo.baseUrl().resolved(QUrl(u"/scopes"_s)).toString() << '\n'
                      << "  Client:        " << DemoServer::clientId() << " / " << DemoServer::clientSecret() << "  (public demo credentials)\n"
                      << "  Password user: " << DemoServer::username() << " / " << DemoServer::password() << '\n'
                      << "  Token life:    " << lifetimeValue << " s" << Qt::endl;
    }
    return QCoreApplication::exec();
}
