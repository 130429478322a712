#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "EnvironmentOptions.h"
#include "contract/WorkspaceImport.h"
#include "templates/TemplateCatalog.h"
#include "secrets/SecretStore.h"
#include "oauth/ProviderMetadata.h"
#include "oauth/TokenRequest.h"

#include <QCommandLineParser>
#include <QEventLoop>

using namespace Qt::StringLiterals;
using CliSupport::splitPair;

int Cli::runEnv(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(u"env needs a subcommand: list, show, add, set or remove"_s);
    const QString sub = args.first();
    if (const QStringList subs{u"list"_s, u"show"_s, u"add"_s, u"set"_s, u"remove"_s}; !subs.contains(sub))
        return usageError(u"unknown env subcommand \"%1\".%2"_s.arg(sub, DidYouMean::hint(sub, subs)));
    if (sub == u"add"_s)
        return envAdd(args.mid(1));
    if (sub == u"set"_s)
        return envSet(args.mid(1));
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
        QEventLoop loop;
        bool forgotten = false;
        secrets().removeEnvironment(m_workspace->id(), removed, [&] {
            forgotten = true;
            loop.quit();
        });
        if (!forgotten)
            loop.exec();
        m_print.message(u"Removed environment \"%1\"."_s.arg(removed.name));
        return Ok;
    }
    return usageError(u"unknown env subcommand \"%1\""_s.arg(sub));
}

namespace {
// What `env add` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct EnvAddOptions
{
    const EnvironmentOptions describe;
    const QCommandLineOption templateId{u"template"_s, u"Start from an API template (tokenbench-cli template list); every other option overrides it"_s,
                                        u"ID"_s};
    const QCommandLineOption kind{u"kind"_s, u"The template's kind of token, where it has several (template show ID)"_s, u"KIND"_s};
    const QCommandLineOption replace{u"replace"_s, u"Replace an environment of that name"_s};
    const QCommandLineOption json{u"json"_s, u"Print the saved environment as one JSON object"_s};

    QList<QCommandLineOption> all() const { return describe.options() + QList<QCommandLineOption>{templateId, kind, replace, json}; }
};

const CommandHelp::Registration envAddHelp([] {
    CommandHelp help(u"env add"_s, u"Add (or with --replace, replace) an environment"_s);
    help.synopsis = {u"env add NAME --token-url URL --api-url URL --client-id ID [OPTIONS]"_s,
                     u"env add NAME --issuer URL --api-url URL --client-id ID [OPTIONS]"_s,
                     u"env add NAME --template ID [--tier T] [--kind K] [--var K=V]... [OPTIONS]"_s};
    help.options = EnvAddOptions().all();
    help.details = {u"The environment is written to the workspace file, which never holds a secret: store the client secret (and the "
                    "password, and each --secret-param) afterwards with 'tokenbench-cli secret set'. --tier defaults to custom, as a new "
                    "environment in the desktop app does."_s,
                    u"A proxy that asks for credentials (--proxy URL --proxy-user NAME) gets its password before anything goes "
                    "through it, --issuer's discovery included: typed at the terminal when asked (not shown), or piped in with "
                    "--proxy-password-stdin for scripts; it goes to the keychain once the environment is saved, and nowhere if "
                    "the command fails."_s,
                    u"With --issuer, the issuer's metadata (OpenID Connect discovery, else RFC 8414) gives the token URL, the "
                    "authorization, device, revocation, introspection and JWKS endpoints, the supported grants, client authentication "
                    "methods and scopes; its \"issuer\" must be exactly the URL given. Unless --grant and --client-auth are given, "
                    "ones the server supports are chosen. What was filled is listed."_s,
                    u"With --template, the template gives the URLs, grant, scopes and headers its API documents; the values its "
                    "documentation does not give (hosts, ids: listed by template show) are --var K=V, and nothing is written while one "
                    "is missing."_s};
    help.exitCodes = {{Cli::Usage, u"a missing or malformed option, an unknown template or a value it needs not given, "
                                   "--proxy-password-stdin with nothing on standard input"_s},
                      {Cli::WorkspaceProblem, u"an environment of that name exists (without --replace), or the workspace cannot be written"_s},
                      {Cli::SecretUnavailable, u"a key or the proxy password read could not be stored in the keychain"_s},
                      {Cli::ServerRefused, u"--issuer: no metadata document at the issuer's well-known addresses"_s},
                      {Cli::TransportFailed, u"--issuer: network, TLS or timeout"_s},
                      {Cli::BadResponse, u"--issuer: metadata for another issuer, not JSON, of wrong types, over 1 MB, or redirected elsewhere"_s}};
    help.examples = {u"tokenbench-cli env add staging --tier staging --token-url https://auth.example.com/oauth/token "
                     "--api-url https://api.example.com/v1 --client-id my-client --scope 'accounts:read'"_s,
                     u"tokenbench-cli env add corp --issuer https://login.example.com/realms/corp --api-url https://api.example.com "
                     "--client-id my-client"_s,
                     u"tokenbench-cli env add bank --template banking --tier sandbox --var host=sandbox.bank.example"_s,
                     u"pass show corp/proxy | tokenbench-cli env add corp --issuer https://login.example.com --api-url https://api.example.com "
                     "--client-id my-client --proxy http://proxy.corp:3128 --proxy-user alice --proxy-password-stdin"_s,
                     u"printf '%s' \"$SECRET\" | tokenbench-cli secret set staging client-secret"_s};
    return help;
});

const CommandHelp::Registration envListHelp([] {
    CommandHelp help(u"env list"_s, u"List the environments of the workspace"_s);
    help.synopsis = {u"env list"_s};
    help.examples = {u"tokenbench-cli env list"_s, u"tokenbench-cli --json env list"_s};
    return help;
});

const CommandHelp::Registration envShowHelp([] {
    CommandHelp help(u"env show"_s, u"Show one environment (never a secret)"_s);
    help.synopsis = {u"env show NAME"_s};
    help.exitCodes = {{Cli::WorkspaceProblem, u"no environment of that name, or an unreadable workspace"_s}};
    help.examples = {u"tokenbench-cli env show Demo"_s};
    return help;
});

const CommandHelp::Registration envRemoveHelp([] {
    CommandHelp help(u"env remove"_s, u"Remove an environment and forget its secrets"_s);
    help.synopsis = {u"env remove NAME"_s};
    help.details = {u"Its client secret, password and secret parameters are removed from the keychain too."_s};
    help.exitCodes = {{Cli::WorkspaceProblem, u"no environment of that name, or the workspace cannot be written"_s}};
    help.examples = {u"tokenbench-cli env remove staging"_s};
    return help;
});
} // namespace

int Cli::envAdd(const QStringList &args)
{
    const EnvAddOptions accepted; // the parser's options and the help's
    const EnvironmentOptions &describe = accepted.describe;
    const QCommandLineOption &templateId = accepted.templateId;
    const QCommandLineOption &kind = accepted.kind;
    const QCommandLineOption &replace = accepted.replace;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args, u"env add"_s))
        return Usage;
    QString error;
    const QString name = parser.positionalArguments().first().trimmed();
    if (name.isEmpty())
        return usageError(u"the environment name is empty"_s);

    Environment env;
    env.tier = Environment::NewTier;
    QList<SavedRequest> requests;
    QStringList notes;
    if (parser.isSet(templateId)) {
        // The template's environment first, then every option given overrides it.
        if (const int code = environmentFromTemplate(parser, describe, parser.value(templateId), parser.value(kind), name, &env, &requests, &notes);
            code != Ok)
            return code;
    } else {
        if (parser.isSet(kind))
            return usageError(u"--kind chooses a template's kind of token; it needs --template"_s);
        for (const QCommandLineOption *required : {&describe.tokenUrlOption(), &describe.apiUrlOption(), &describe.clientIdOption()}) {
            if (!parser.isSet(*required) && !(required == &describe.tokenUrlOption() && parser.isSet(describe.issuerOption())))
                return usageError(u"env add needs --%1 (or --template ID)"_s.arg(required->names().first()));
        }
    }
    env.name = name;
    if (!describe.apply(parser, &env, &error))
        return usageError(error);
    // A --var answering an ask that fills the client id or the username is not a variable too.
    if (const ApiTemplate *apiTemplate = parser.isSet(templateId) ? TemplateCatalog::builtIn().find(parser.value(templateId)) : nullptr) {
        for (const ApiTemplate::Ask &ask : apiTemplate->asks) {
            if (ask.target != ApiTemplate::Ask::Target::Variable)
                env.variables.removeIf([&ask](const QPair<QString, QString> &variable) { return variable.first == ask.name; });
        }
    }
    if (!describe.certificateFiles(parser).isEmpty() && !readCertificates(describe.certificateFiles(parser), &env.trustedCertificates))
        return Usage;
    EnvironmentKeys keys;
    if (!readEnvironmentKeys(parser, describe, {}, &keys))
        return Usage;
    if (keys.clientCertificate)
        env.clientCertificate = *keys.clientCertificate;
    if (const QString missing = EnvironmentOptions::missingRequirement(env); !missing.isEmpty())
        return usageError(missing);
    QUrl issuer;
    if (!describe.issuer(parser, &issuer, &error))
        return usageError(error);
    // Before discovery, which may go through the proxy; kept only once the environment is saved.
    if (!readProxyPassword(parser, describe, env, &keys))
        return Usage;
    if (!issuer.isEmpty()) {
        std::optional<ProviderMetadata> metadata;
        if (const int code = discoverProvider(issuer, env, keys.proxyPassword, &metadata); code != Ok)
            return code;
        notes.append(u"From the issuer's metadata:"_s);
        for (const QString &line : metadata->applyTo(&env, describe.discoveryChoices(parser)))
            notes.append(u"  "_s + line);
    }
    warnInsecure(env);

    // Applied to the file as it is now, under its lock: another process's change is kept.
    const bool replacing = parser.isSet(replace);
    Environment stored;
    ImportOutcome outcome;
    const bool saved = updateWorkspace([&](Workspace &workspace, QString *refusal) {
        if (workspace.find(env.name) && !replacing) {
            *refusal = u"an environment named \"%1\" exists; add --replace to replace it"_s.arg(env.name);
            return false;
        }
        stored = workspace.upsert(env);
        if (requests.isEmpty())
            return true;
        // The template's example requests: added once, updated in place when it is applied again.
        ImportPlan plan;
        plan.sourceKind = u"Template"_s;
        plan.document = requests.first().origin.document;
        plan.requests = requests;
        return WorkspaceImport::apply(&workspace, plan, refusal, &outcome);
    });
    if (!saved)
        return WorkspaceProblem;
    if (!storeEnvironmentKeys(stored, keys))
        return SecretUnavailable;
    if (m_print.json()) {
        m_print.environment(stored);
        return Ok;
    }
    QStringList lines = notes;
    const int added = outcome.count(ImportAction::Kind::Add, ImportAction::Item::Request);
    const int updated = outcome.count(ImportAction::Kind::Update, ImportAction::Item::Request);
    if (added + updated > 0)
        lines.append(u"Example requests: %1 added, %2 updated (tokenbench-cli request list)."_s.arg(added).arg(updated));
    lines.append(savedHint(stored));
    if (keys.proxyPassword)
        lines.append(u"The password of proxy user %1 is kept in the keychain."_s.arg(stored.proxy.username));
    else if (stored.proxy.mode == ProxyMode::Manual && !stored.proxy.username.isEmpty())
        lines.append(u"Store the password of proxy user %2 with: tokenbench-cli secret set \"%1\" proxy-password"_s.arg(stored.name, stored.proxy.username));
    m_print.message(lines.join(u'\n'));
    return Ok;
}

void Cli::warnInsecure(const Environment &env)
{
    if (env.tokenUrl.scheme() == u"http"_s && !TokenRequest::isLoopback(env.tokenUrl)) {
        m_print.err() << "Warning: the token URL uses plain http; the client secret would cross the network unencrypted."
                      << (env.allowInsecureHttp ? " Allowed by --allow-insecure-http." : " Token requests will be refused unless --allow-insecure-http is given.")
                      << Qt::endl;
    }
}

QString Cli::savedHint(const Environment &stored) const
{
    QString hint = u"Saved environment \"%1\" to %2."_s.arg(stored.name, m_workspacePath);
    if (Environment::usesClientSecret(stored.clientAuth))
        hint += u" Store its secret with: tokenbench-cli secret set \"%1\" client-secret"_s.arg(stored.name);
    if (stored.grant == GrantType::Password)
        hint += u"\nStore the password of %2 with: tokenbench-cli secret set \"%1\" password"_s.arg(stored.name, stored.username);
    for (const QString &paramName : stored.secretParamNames())
        hint += u"\nStore the secret parameter %2 with: tokenbench-cli secret set \"%1\" param:%2"_s.arg(stored.name, paramName);
    if (stored.clientId.isEmpty())
        hint += u"\nIt has no client ID yet: tokenbench-cli env set \"%1\" --client-id ID"_s.arg(stored.name);
    return hint;
}
