#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "demo/DemoServer.h"
#include "http/ClientCertificate.h"
#include "http/ProxyPolicy.h"
#include "oauth/ClientAssertion.h"
#include "oauth/TokenRequest.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>

#include <cstdio>

using namespace Qt::StringLiterals;

SecretStore &Cli::secrets()
{
    if (!m_secrets)
        m_secrets = new SecretStore(u"Tokenbench"_s, QCoreApplication::instance());
    return *m_secrets;
}

SecretResult Cli::readSecret(const QString &key)
{
    // The CLI is a sequential script: waiting here blocks no user interface.
    SecretResult out;
    QEventLoop loop;
    secrets().read(key, [&](const SecretResult &result) {
        out = result;
        loop.quit();
    });
    loop.exec();
    return out;
}

QString Cli::readStdinSecret()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    QByteArray bytes = in.readAll();
    // One trailing line break is the terminal's, not the secret's.
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

namespace {
// `secret` takes no option: the value comes from standard input, never from the command line.
const CommandHelp::Registration secretSetHelp([] {
    CommandHelp help(u"secret set"_s, u"Store an environment's secret in the keychain, from stdin"_s);
    help.synopsis = {u"secret set NAME client-secret|password|param:K|private-key|client-key|proxy-password"_s};
    help.details = {u"The value is read from standard input (one trailing line break dropped), never from the command line. "
                    "param:K is the secret token parameter K the environment declares (env add --secret-param K). "
                    "private-key is the PEM key private_key_jwt signs with; client-key the PEM key of the environment's client "
                    "certificate (env add|set --private-key FILE and --client-key FILE store them too); proxy-password the password of the environment's own proxy (env add --proxy URL --proxy-user NAME)."_s};
    help.exitCodes = {{Cli::Usage, u"nothing on standard input, or an unknown kind of secret"_s},
                      {Cli::WorkspaceProblem, u"no environment of that name"_s},
                      {Cli::SecretUnavailable, u"the keychain is unavailable or refused"_s}};
    help.examples = {u"pass show staging/client-secret | tokenbench-cli secret set staging client-secret"_s};
    return help;
});

const CommandHelp::Registration secretRemoveHelp([] {
    CommandHelp help(u"secret remove"_s, u"Remove an environment's secret from the keychain"_s);
    help.synopsis = {u"secret remove NAME client-secret|password|param:K|private-key|client-key|proxy-password"_s};
    help.exitCodes = {{Cli::WorkspaceProblem, u"no environment of that name"_s}, {Cli::SecretUnavailable, u"the keychain is unavailable or refused"_s}};
    help.examples = {u"tokenbench-cli secret remove staging password"_s};
    return help;
});
} // namespace

int Cli::runSecret(const QStringList &args)
{
    if (args.size() != 3 || (args.at(0) != u"set"_s && args.at(0) != u"remove"_s))
        return usageError(u"usage: secret set|remove NAME client-secret|password|param:K|private-key|client-key|proxy-password.%1"_s.arg(
            args.isEmpty() || args.at(0) == u"set"_s || args.at(0) == u"remove"_s ? QString() : DidYouMean::hint(args.at(0), {u"set"_s, u"remove"_s})));
    const Environment *env = loadEnvironment(args.at(1), true);
    if (!env)
        return WorkspaceProblem;
    const QString kind = args.at(2);
    QString name;
    if (kind == u"client-secret"_s)
        name = SecretStore::clientSecretName();
    else if (kind == u"password"_s)
        name = SecretStore::passwordName();
    else if (kind.startsWith(u"param:"_s) && env->secretParamNames().contains(kind.mid(6)))
        name = SecretStore::paramName(kind.mid(6));
    else if (kind == u"private-key"_s)
        name = SecretStore::privateKeyName();
    else if (kind == u"client-key"_s)
        name = SecretStore::clientKeyName();
    else if (kind == u"proxy-password"_s)
        name = SecretStore::proxyPasswordName();
    else
        return usageError(u"the secret must be client-secret, password, private-key, client-key, proxy-password or param:K for a secret parameter K of the environment"_s);

    const QString key = SecretStore::keyFor(m_workspace->id(), env->id, name);
    SecretResult outcome;
    QEventLoop loop;
    const auto done = [&](const SecretResult &result) {
        outcome = result;
        loop.quit();
    };
    if (args.at(0) == u"set"_s) {
        const QString value = readStdinSecret();
        if (value.isEmpty()) {
            m_print.failure(u"usage"_s, u"no secret on standard input (pipe it in, e.g. from your password manager)"_s);
            return Usage;
        }
        // A key is checked before it is kept: a wrong paste is a usage error now, not a failed request later.
        QString unusable;
        if (name == SecretStore::privateKeyName() && ClientAssertion::algorithmFor(value.toUtf8(), &unusable).isEmpty())
            return usageError(u"private-key: %1"_s.arg(unusable));
        if (name == SecretStore::clientKeyName()) {
            if (env->clientCertificate.isEmpty())
                return usageError(u"\"%1\" has no client certificate; give it one with env set \"%1\" --client-cert FILE --client-key FILE"_s.arg(env->name));
            if (const QString problem = ClientCertificate::problem(env->clientCertificate, value.toUtf8()); !problem.isEmpty())
                return usageError(u"client-key: %1"_s.arg(problem));
        }
        secrets().write(key, value, done);
    } else {
        secrets().remove(key, done);
    }
    loop.exec();
    if (!outcome.ok()) {
        m_print.failure(u"secret"_s, outcome.message);
        return SecretUnavailable;
    }
    if (outcome.sessionOnly) {
        // A CLI process ends now, so "this session only" would mean "not at all": say so plainly.
        m_print.failure(u"secret"_s, u"%1. Nothing was stored; pass the secret to 'token' with --client-secret-env VAR or --client-secret-stdin instead."_s.arg(outcome.message));
        return SecretUnavailable;
    }
    m_print.message(u"%1 for \"%2\": %3."_s.arg(kind, env->name, outcome.message));
    return Ok;
}

Cli::SecretSources Cli::secretSources(const QCommandLineParser &parser, const CliSupport::SecretOptions &options, bool withPassword)
{
    SecretSources sources;
    if (parser.isSet(options.secretEnv))
        sources.clientSecretEnv = parser.value(options.secretEnv);
    sources.clientSecretStdin = parser.isSet(options.secretStdin);
    if (!withPassword)
        return sources;
    if (parser.isSet(options.passwordEnv))
        sources.passwordEnv = parser.value(options.passwordEnv);
    sources.passwordStdin = parser.isSet(options.passwordStdin);
    return sources;
}

int Cli::gatherClientSecret(const Environment &env, const SecretSources &sources, TokenRequest *request)
{
    Environment clientOnly = env;
    clientOnly.grant = GrantType::ClientCredentials;
    clientOnly.params.clear();
    request->extraParams.clear();
    // A client without a secret (none, private_key_jwt) still needs its signing key, its client
    // certificate's key and its proxy's password; only the secret's sources do not apply.
    return gatherSecrets(clientOnly, Environment::usesClientSecret(env.clientAuth) ? sources : SecretSources{}, request);
}

int Cli::gatherSecrets(const Environment &env, const SecretSources &sources, TokenRequest *request)
{
    const auto fromEnvVar = [&](const QString &name, QString *out) {
        const QByteArray variable = name.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(variable.constData())) {
            m_print.failure(u"secret"_s, u"the environment variable %1 is not set"_s.arg(name));
            return false;
        }
        *out = qEnvironmentVariable(variable.constData());
        return true;
    };
    const auto fromKeychain = [&](const QString &name, const QString &what, QString *out) {
        const SecretResult result = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, name));
        if (result.status == SecretResult::Status::Found) {
            *out = result.value;
            return true;
        }
        m_print.failure(u"secret"_s,
                        u"no %1 for \"%2\": %3. Store it with 'tokenbench-cli secret set \"%2\" %4', or pass it with --%4-env VAR or --%4-stdin."_s
                            .arg(what, env.name, result.message, name == SecretStore::passwordName() ? u"password"_s : u"client-secret"_s));
        return false;
    };
    if (sources.clientSecretEnv) {
        if (!fromEnvVar(*sources.clientSecretEnv, &request->clientSecret))
            return SecretUnavailable;
    } else if (sources.clientSecretStdin) {
        request->clientSecret = readStdinSecret();
    } else if (request->clientSecret.isEmpty() && Environment::usesClientSecret(env.clientAuth) // a public client has none
               && !fromKeychain(SecretStore::clientSecretName(), u"client secret"_s, &request->clientSecret)) {
        return SecretUnavailable;
    }
    if (env.grant == GrantType::Password) {
        if (sources.passwordEnv) {
            if (!fromEnvVar(*sources.passwordEnv, &request->password))
                return SecretUnavailable;
        } else if (sources.passwordStdin) {
            request->password = readStdinSecret();
        } else if (request->password.isEmpty() && !fromKeychain(SecretStore::passwordName(), u"password"_s, &request->password)) {
            return SecretUnavailable;
        }
    }
    for (auto &[name, value] : request->extraParams) {
        if (request->secretParamNames.contains(name) && !fromKeychain(SecretStore::paramName(name), u"value for the secret parameter %1"_s.arg(name), &value))
            return SecretUnavailable;
    }
    if (const int code = gatherKeys(env, request); code != Ok)
        return code;
    // The environment's own proxy asks for a password: the keychain's, for the token request and the API calls alike.
    if (env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty()) {
        const SecretResult result = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, SecretStore::proxyPasswordName()));
        if (result.status != SecretResult::Status::Found) {
            m_print.failure(u"secret"_s, u"no proxy password for \"%1\" (its proxy's user %2): %3. Store it with 'tokenbench-cli secret set \"%1\" proxy-password'."_s
                                             .arg(env.name, env.proxy.username, result.message));
            return SecretUnavailable;
        }
        m_known.add(result.value, u"the proxy password"_s);
        ProxyPolicy::setEnvironmentPassword(env.id, result.value);
        request->proxy = ProxyPolicy::forEnvironment(env);
    }
    m_known.addTokenRequest(*request);
    return Ok;
}

void Cli::learnSecrets(const Environment &env, const SecretSources &sources)
{
    if (env.isBuiltinDemo()) {
        m_known.add(DemoServer::clientSecret(), u"the client secret"_s);
        m_known.add(DemoServer::password(), u"the password"_s);
        return;
    }
    const auto fromKeychain = [&](const QString &name, const QString &what) {
        const SecretResult result = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, name));
        if (result.status == SecretResult::Status::Found)
            m_known.add(result.value, what);
    };
    const auto fromEnvVar = [&](const std::optional<QString> &variable, const QString &what) {
        if (variable && qEnvironmentVariableIsSet(variable->toLocal8Bit().constData()))
            m_known.add(qEnvironmentVariable(variable->toLocal8Bit().constData()), what);
    };
    fromEnvVar(sources.clientSecretEnv, u"the client secret"_s);
    fromEnvVar(sources.passwordEnv, u"the password"_s);
    fromKeychain(SecretStore::clientSecretName(), u"the client secret"_s);
    fromKeychain(SecretStore::passwordName(), u"the password"_s);
    for (const QString &param : env.secretParamNames())
        fromKeychain(SecretStore::paramName(param), u"the secret parameter %1"_s.arg(param));
    if (env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty())
        fromKeychain(SecretStore::proxyPasswordName(), u"the proxy password"_s);
}
