#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "EnvironmentOptions.h"
#include "oauth/ProviderMetadata.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {
// What `env set` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct EnvSetOptions
{
    const EnvironmentOptions describe;
    const QCommandLineOption json{u"json"_s, u"Print the changed environment as one JSON object"_s};

    QList<QCommandLineOption> all() const { return describe.options() + QList<QCommandLineOption>{json}; }
};

const CommandHelp::Registration envSetHelp([] {
    CommandHelp help(u"env set"_s, u"Change an existing environment in place"_s);
    help.synopsis = {u"env set NAME [OPTIONS]"_s};
    help.options = EnvSetOptions().all();
    help.details = {u"Only the options given change anything: --scope replaces the scopes; --var, --param and --header replace the row "
                    "of the same name or add one. Its id, and so its secrets in the keychain, stay. An import leaves client ids and "
                    "user names to fill in this way."_s,
                    u"--issuer reads the issuer's metadata, as env add --issuer does, and fills the token URL and the other endpoints "
                    "from it: run it again when the provider's endpoints change."_s,
                    u"--proxy-user asks for the proxy user's password at a terminal (not shown), or --proxy-password-stdin reads it: "
                    "discovery uses it, and the keychain keeps it once the change is saved."_s,
                    u"The built-in environment \"Demo\" takes its endpoints, client and credentials from the Demo API it starts, whose "
                    "port changes with every start: of it, only --grant, --client-auth (basic, body, json, or none for its public "
                    "client), --scope, --redirect-port, the refresh token's keeping and the --param, --header and --var rows change."_s};
    help.exitCodes = {{Cli::Usage, u"no option given, or a malformed one"_s},
                      {Cli::WorkspaceProblem, u"no environment of that name, or the workspace cannot be written"_s},
                      {Cli::SecretUnavailable, u"a key or the proxy password read could not be stored in the keychain"_s},
                      {Cli::ServerRefused, u"--issuer: no metadata document at the issuer's well-known addresses"_s},
                      {Cli::TransportFailed, u"--issuer: network, TLS or timeout"_s},
                      {Cli::BadResponse, u"--issuer: metadata for another issuer, not JSON, of wrong types, over 1 MB, or redirected elsewhere"_s}};
    help.examples = {u"tokenbench-cli env set staging --client-id my-client --username alice"_s,
                     u"tokenbench-cli env set Demo --grant device_code"_s,
                     u"tokenbench-cli env set staging --issuer https://login.example.com"_s};
    return help;
});
} // namespace

int Cli::envSet(const QStringList &args)
{
    const EnvSetOptions accepted; // the parser's options and the help's
    const EnvironmentOptions &describe = accepted.describe;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args, u"env set"_s))
        return Usage;
    QString error;
    if (!describe.anySet(parser))
        return usageError(u"env set needs at least one option to change (any option of env add, e.g. --client-id ID)"_s);
    QByteArray certificates;
    if (!describe.certificateFiles(parser).isEmpty() && !readCertificates(describe.certificateFiles(parser), &certificates))
        return Usage;
    if (!loadWorkspace(false))
        return WorkspaceProblem;
    const Environment *found = findEnvironment(parser.positionalArguments().first());
    if (!found)
        return WorkspaceProblem;
    if (found->isBuiltinDemo()) {
        // Its grant (and what goes with it) is the user's to try; where it is and who it is, the running Demo's.
        if (const QStringList provided = describe.providedByDemo(parser); !provided.isEmpty()) {
            return usageError(u"the built-in Demo API provides %1 for the Demo environment; change its --grant, --client-auth, "
                              "--scope, --redirect-port and rows, or add your own with env add NAME --template demo"_s.arg(provided.join(u", "_s)));
        }
    }
    const QString id = found->id;
    const bool wasKeepingRefreshToken = found->keepRefreshToken;

    // Checked on the environment as it is now, then applied again under the file's lock, so a
    // change another process made in between is kept.
    Environment preview = *found;
    if (!describe.apply(parser, &preview, &error))
        return usageError(error);
    if (preview.isBuiltinDemo() && (preview.clientAuth == ClientAuthStyle::PrivateKeyJwt || Environment::usesClientCertificate(preview.clientAuth)))
        return usageError(u"the built-in Demo API's clients have no key for private_key_jwt and no certificate for mutual TLS: use basic, body, json or none (its public client)"_s);
    EnvironmentKeys keys;
    if (!readEnvironmentKeys(parser, describe, found->clientCertificate, &keys))
        return Usage;
    if (!certificates.isEmpty())
        preview.trustedCertificates = certificates;
    if (keys.clientCertificate)
        preview.clientCertificate = *keys.clientCertificate;
    if (const QString missing = EnvironmentOptions::missingRequirement(preview); !missing.isEmpty())
        return usageError(missing);
    QUrl issuer;
    if (!describe.issuer(parser, &issuer, &error))
        return usageError(error);
    // Before discovery, which may go through the proxy; kept only once the change is saved.
    if (!readProxyPassword(parser, describe, preview, &keys))
        return Usage;
    std::optional<ProviderMetadata> metadata;
    if (!issuer.isEmpty()) {
        if (const int code = discoverProvider(issuer, preview, keys.proxyPassword, &metadata); code != Ok)
            return code;
    }
    QStringList filled;
    Environment stored;
    const bool saved = updateWorkspace([&](Workspace &workspace, QString *refusal) {
        Environment *current = workspace.findById(id);
        // On a workspace not yet written, the Demo just read and the one now made are the same built-in, with another id.
        if (!current && preview.isBuiltinDemo()) {
            for (const Environment &env : workspace.environments()) {
                if (env.isBuiltinDemo())
                    current = workspace.findById(env.id);
            }
        }
        if (!current) {
            *refusal = u"no environment \"%1\" any more: another process removed it"_s.arg(preview.name);
            return false;
        }
        Environment changed = *current;
        if (!describe.apply(parser, &changed, refusal))
            return false;
        if (!certificates.isEmpty())
            changed.trustedCertificates = certificates;
        // The certificate first: with one, discovery takes the mutual-TLS aliases (RFC 8705 §5).
        if (keys.clientCertificate)
            changed.clientCertificate = *keys.clientCertificate;
        if (metadata) {
            ProviderMetadata::Choices choices = describe.discoveryChoices(parser);
            choices.clientAuthKept = true;
            filled = metadata->applyTo(&changed, choices);
        }
        stored = workspace.upsert(changed);
        return true;
    });
    if (!saved)
        return WorkspaceProblem;
    if (!storeEnvironmentKeys(stored, keys))
        return SecretUnavailable;
    // No longer kept: the one in the keychain goes (revoke NAME first to tell the server).
    if (wasKeepingRefreshToken && !stored.keepRefreshToken)
        changeKeptRefreshToken(stored, {});
    warnInsecure(stored);
    if (m_print.json())
        m_print.environment(stored);
    else if (filled.isEmpty())
        m_print.message(u"Changed environment \"%1\" in %2."_s.arg(stored.name, m_workspacePath));
    else
        m_print.message(u"Changed environment \"%1\" in %2. From the issuer's metadata:\n  %3"_s.arg(stored.name, m_workspacePath, filled.join(u"\n  "_s)));
    return Ok;
}
