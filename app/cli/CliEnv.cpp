#include "Cli.h"

#include "CliSupport.h"
#include "DidYouMean.h"
#include "secrets/SecretStore.h"
#include "oauth/TokenRequest.h"

#include <QCommandLineParser>
#include <QEventLoop>

using namespace Qt::StringLiterals;
using CliSupport::configure;
using CliSupport::parse;
using CliSupport::splitPair;

int Cli::runEnv(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(u"env needs a subcommand: list, show, add or remove"_s);
    const QString sub = args.first();
    if (const QStringList subs{u"list"_s, u"show"_s, u"add"_s, u"remove"_s}; !subs.contains(sub))
        return usageError(u"unknown env subcommand \"%1\".%2"_s.arg(sub, DidYouMean::hint(sub, subs)));
    if (sub == u"add"_s)
        return envAdd(args.mid(1));
    if (!loadWorkspace(false))
        return WorkspaceProblem;
    if (sub == u"list"_s) {
        m_print.environmentList(m_workspace->environments());
        return Ok;
    }
    if (args.size() != 2)
        return usageError(u"env %1 needs exactly one environment name"_s.arg(sub));
    const Environment *env = findEnvironment(args.at(1));
    if (!env)
        return WorkspaceProblem;
    if (sub == u"show"_s) {
        m_print.environment(*env);
        return Ok;
    }
    if (sub == u"remove"_s) {
        Environment removed = *env;
        const bool saved = updateWorkspace([&removed](Workspace &workspace, QString *refusal) {
            const Environment *current = workspace.find(removed.name);
            if (!current) {
                *refusal = u"no environment named \"%1\" any more: another process removed it"_s.arg(removed.name);
                return false;
            }
            removed = *current; // its secrets are keyed by the id the file holds now
            return workspace.remove(removed.name);
        });
        if (!saved)
            return WorkspaceProblem;
        // Forget its secrets too; a keychain that does not answer only means there is nothing to forget here.
        QStringList names{SecretStore::clientSecretName(), SecretStore::passwordName()};
        for (const auto &param : removed.secretParamNames())
            names.append(SecretStore::paramName(param));
        for (const auto &name : std::as_const(names)) {
            QEventLoop loop;
            secrets().remove(SecretStore::keyFor(m_workspace->id(), removed.id, name), [&loop](const SecretResult &) { loop.quit(); });
            loop.exec();
        }
        m_print.message(u"Removed environment \"%1\"."_s.arg(removed.name));
        return Ok;
    }
    return usageError(u"unknown env subcommand \"%1\""_s.arg(sub));
}

int Cli::envAdd(const QStringList &args)
{
    const QCommandLineOption tokenUrl(u"token-url"_s, u"Token endpoint"_s, u"URL"_s);
    const QCommandLineOption apiUrl(u"api-url"_s, u"API base URL"_s, u"URL"_s);
    const QCommandLineOption clientId(u"client-id"_s, u"Client ID"_s, u"ID"_s);
    const QCommandLineOption tier(u"tier"_s, u"Tier"_s, u"TIER"_s, Environment::tierName(Environment::NewTier));
    const QCommandLineOption grant(u"grant"_s, u"Grant type"_s, u"GRANT"_s, u"client_credentials"_s);
    const QCommandLineOption clientAuth(u"client-auth"_s, u"Client authentication"_s, u"STYLE"_s, u"basic"_s);
    const QCommandLineOption username(u"username"_s, u"Username"_s, u"U"_s);
    const QCommandLineOption scope(u"scope"_s, u"Default scope"_s, u"S"_s);
    const QCommandLineOption param(u"param"_s, u"Extra token parameter"_s, u"K=V"_s);
    const QCommandLineOption secretParam(u"secret-param"_s, u"Extra token parameter kept in the keychain"_s, u"K"_s);
    const QCommandLineOption header(u"header"_s, u"Context header"_s, u"NAME: TEMPLATE"_s);
    const QCommandLineOption var(u"var"_s, u"Variable"_s, u"K=V"_s);
    const QCommandLineOption insecure(u"allow-insecure-http"_s, u"Allow a plain-http token URL"_s);
    const QCommandLineOption replace(u"replace"_s, u"Replace an existing environment"_s);
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    const QCommandLineOption cacert(u"cacert"_s, u"Trust the PEM certificates in FILE for this environment"_s, u"FILE"_s);
    QCommandLineParser parser;
    configure(parser, {tokenUrl, apiUrl, clientId, tier, grant, clientAuth, username, scope, param,
                                            secretParam, header, var, insecure, replace, json, cacert});
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    if (parser.positionalArguments().size() != 1)
        return usageError(u"env add needs exactly one environment name"_s);

    Environment env;
    env.name = parser.positionalArguments().first().trimmed();
    if (env.name.isEmpty())
        return usageError(u"the environment name is empty"_s);
    for (const auto *required : {&tokenUrl, &apiUrl, &clientId}) {
        if (!parser.isSet(*required))
            return usageError(u"env add needs --%1"_s.arg(required->names().first()));
    }
    const auto readUrl = [&](const QCommandLineOption &option, QUrl *out) {
        const QUrl url(parser.value(option), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s)) {
            error = u"--%1 \"%2\" is not an http(s) URL"_s.arg(option.names().first(), parser.value(option));
            return false;
        }
        if (!url.userInfo().isEmpty()) {
            error = u"--%1 must not contain a user name or password"_s.arg(option.names().first());
            return false;
        }
        *out = url;
        return true;
    };
    if (!readUrl(tokenUrl, &env.tokenUrl) || !readUrl(apiUrl, &env.apiBaseUrl))
        return usageError(error);
    env.clientId = parser.value(clientId);
    const auto tierValue = Environment::tierFromName(parser.value(tier));
    if (!tierValue)
        return usageError(u"--tier must be sandbox, staging, production or custom"_s);
    env.tier = *tierValue;
    const auto grantValue = Environment::grantFromName(parser.value(grant));
    if (!grantValue)
        return usageError(u"--grant must be client_credentials or password"_s);
    env.grant = *grantValue;
    const auto authValue = Environment::clientAuthFromName(parser.value(clientAuth));
    if (!authValue)
        return usageError(u"--client-auth must be basic, body or json"_s);
    env.clientAuth = *authValue;
    env.username = parser.value(username);
    if (env.grant == GrantType::Password && env.username.isEmpty())
        return usageError(u"the password grant needs --username"_s);
    for (const auto &value : parser.values(scope))
        env.scopes.append(value.split(u' ', Qt::SkipEmptyParts));
    env.scopes.removeDuplicates();
    QPair<QString, QString> pair;
    for (const auto &value : parser.values(param)) {
        if (!splitPair(value, u'=', &pair))
            return usageError(u"--param needs K=V, got \"%1\""_s.arg(value));
        env.params.append({pair.first, pair.second, false});
    }
    for (const auto &value : parser.values(secretParam))
        env.params.append({value.trimmed(), {}, true});
    for (const auto &value : parser.values(header)) {
        if (!splitPair(value, u':', &pair))
            return usageError(u"--header needs 'Name: template', got \"%1\""_s.arg(value));
        if (pair.first.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0)
            return usageError(u"Authorization is set from the token; it cannot be a context header"_s);
        env.headers.append({pair.first, pair.second});
    }
    for (const auto &value : parser.values(var)) {
        if (!splitPair(value, u'=', &pair))
            return usageError(u"--var needs K=V, got \"%1\""_s.arg(value));
        env.variables.append(pair);
    }
    env.allowInsecureHttp = parser.isSet(insecure);
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &env.trustedCertificates))
        return Usage;

    if (env.tokenUrl.scheme() == u"http"_s && !TokenRequest::isLoopback(env.tokenUrl)) {
        m_print.err() << "Warning: the token URL uses plain http; the client secret would cross the network unencrypted."
                      << (env.allowInsecureHttp ? " Allowed by --allow-insecure-http." : " Token requests will be refused unless --allow-insecure-http is given.")
                      << Qt::endl;
    }
    // Applied to the file as it is now, under its lock: another process's change is kept.
    const bool replacing = parser.isSet(replace);
    Environment stored;
    const bool saved = updateWorkspace([&](Workspace &workspace, QString *refusal) {
        if (workspace.find(env.name) && !replacing) {
            *refusal = u"an environment named \"%1\" exists; add --replace to replace it"_s.arg(env.name);
            return false;
        }
        stored = workspace.upsert(env);
        return true;
    });
    if (!saved)
        return WorkspaceProblem;
    if (m_print.json()) {
        m_print.environment(stored);
    } else {
        QString hint = u"Saved environment \"%1\" to %2. Store its secret with: tokenbench-cli secret set \"%1\" client-secret"_s.arg(stored.name, m_workspacePath);
        if (stored.grant == GrantType::Password)
            hint += u"\nStore the password of %2 with: tokenbench-cli secret set \"%1\" password"_s.arg(stored.name, stored.username);
        for (const QString &paramName : stored.secretParamNames())
            hint += u"\nStore the secret parameter %2 with: tokenbench-cli secret set \"%1\" param:%2"_s.arg(stored.name, paramName);
        m_print.message(hint);
    }
    return Ok;
}
