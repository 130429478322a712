#pragma once

#include "CliPrinter.h"
#include "secrets/KnownSecrets.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceStore.h"

#include <QStringList>

#include <memory>
#include <optional>

class DemoServer;
namespace CliSupport {
struct SecretOptions;
}
class EnvironmentOptions;
class QCommandLineOption;
class QCommandLineParser;
class SecretStore;
struct SecretResult;
struct TokenRequest;
struct ProviderMetadata;
struct TokenResult;

// tokenbench-cli: parses a command line, runs it on the core, prints text or JSON and returns
// one of the documented exit codes.
class Cli
{
public:
    enum ExitCode {
        Ok = 0,
        Unexpected = 1,
        Usage = 2,
        WorkspaceProblem = 3, // unknown environment, unreadable or corrupt workspace, incomplete profile
        SecretUnavailable = 4,
        ServerRefused = 5,    // RFC 6749 error or an HTTP error status from the token endpoint
        TransportFailed = 6,  // network, TLS, timeout
        BadResponse = 7,      // a success status without a usable token, or a redirect (send: one not followed)
        HttpClientError = 8,  // send: the API answered 4xx
        HttpServerError = 9,  // send: the API answered 5xx
        NeedsConfirmation = 10, // send: a state-changing request to production without --yes; nothing sent
        UnexpectedStatus = 11,  // send --expect-status: the API answered a status not in the list
        ResponseTooLarge = 12,  // send: the response passed --max-response-size (or its headers 256 KB); transfer stopped
        NeedsUploadConsent = 13, // send: the request's own files would go to another origin without --allow-file-upload; none read
        DocumentRefused = 14,   // import: a document that cannot be imported (malformed, hostile, unsupported); nothing changed
                                // matrix: a plan, OpenAPI document or report that cannot be read, reports that do not merge
        ExpectationsFailed = 15, // matrix: a cell not as expected (over-permissive, unexpected denial, cannot test, error) or missing
        Interrupted = 130,       // Ctrl-C (SIGINT) or SIGTERM while a grant waited for a person, or during a matrix run (its
                                 // finished cells still reported); what it started was stopped
    };

    Cli();
    ~Cli();

    int run(const QStringList &arguments);
    static QString helpText();
    // Every command word run() dispatches, "help" included.
    static QStringList commandNames();

private:
    int runEnv(const QStringList &args);
    int envAdd(const QStringList &args);
    // env set NAME [any env add option]...: changes an existing environment in place (CliEnvSet.cpp).
    int envSet(const QStringList &args);
    // template list|show (CliTemplate.cpp).
    int runTemplate(const QStringList &args);
    // env add --template: the template's environment for NAME, its example requests and the notes to
    // show; Ok, or the exit code after saying why (a missing --var named, nothing written).
    int environmentFromTemplate(const QCommandLineParser &parser, const EnvironmentOptions &options, const QString &templateId,
                                const QString &kind, const QString &name, Environment *env, QList<SavedRequest> *requests,
                                QStringList *notes);
    void warnInsecure(const Environment &env);
    // env add|set --issuer: the issuer's metadata (CliDiscovery.cpp), read with the environment's
    // trusted certificates through its proxy, with proxyPassword when given (else the one
    // stored); Ok, or the exit code after saying why.
    int discoverProvider(const QUrl &issuer, const Environment &env, const std::optional<QString> &proxyPassword,
                         std::optional<ProviderMetadata> *metadata);
    QString savedHint(const Environment &stored) const;
    int runSecret(const QStringList &args);
    int runToken(const QStringList &args);
    int runSend(const QStringList &args);
    int runRequest(const QStringList &args);
    // Adds or replaces the saved request NAME and writes the workspace; false after printing why.
    bool saveRequest(const QString &name, const RequestDraft &draft);
    // The PEM certificates in files, appended to *pem: trusted besides the system's for the token
    // request and the API requests of one run (send, token) or kept with an environment (env
    // add); false after printing a usage error.
    bool readCertificates(const QStringList &files, QByteArray *pem);
    // env add|set --private-key, --client-cert, --client-key (CliEnvironmentKeys.cpp): the files
    // read and checked before anything is written; the keys then go to the keychain only.
    struct EnvironmentKeys
    {
        std::optional<QByteArray> clientCertificate; // public PEM, kept with the environment
        std::optional<QString> clientKey;            // PEM, keychain "client-key"
        std::optional<QString> privateKey;           // PEM, keychain "private-key" (private_key_jwt)
        std::optional<QString> proxyPassword;        // keychain "proxy-password": the environment's proxy user's
    };
    // false after printing a usage error. existingCertificate: the environment's, when only a key is given.
    bool readEnvironmentKeys(const QCommandLineParser &parser, const EnvironmentOptions &options, const QByteArray &existingCertificate,
                             EnvironmentKeys *keys);
    // env add|set --proxy-password-stdin, or the password asked for on a terminal when --proxy-user
    // is given (CliProxyPassword.cpp): env as it will be saved; false after printing a usage error.
    bool readProxyPassword(const QCommandLineParser &parser, const EnvironmentOptions &options, const Environment &env, EnvironmentKeys *keys);
    // Writes the keys read into the keychain under the stored environment; false after printing why.
    bool storeEnvironmentKeys(const Environment &stored, const EnvironmentKeys &keys);
    // The environment's private_key_jwt key and client certificate key from the keychain, as the
    // request needs them; Ok, or the exit code after saying what is missing.
    int gatherKeys(const Environment &env, TokenRequest *request);
    int runDemo(const QStringList &args);
    // revoke NAME (CliRevoke.cpp): log out at the revocation endpoint; introspect NAME (CliIntrospect.cpp).
    int runRevoke(const QStringList &args);
    int runIntrospect(const QStringList &args);
    // The refresh token kept in the keychain for env (Environment::keepRefreshToken), or empty;
    // keeping (rotation) or forgetting what a token answer leaves (CliKeptRefreshToken.cpp).
    QString keptRefreshToken(const Environment &env);
    void updateKeptRefreshToken(const Environment &env, const QString &used, TokenResult *result);
    // Writes value as the kept refresh token, or removes it when empty; false after saying why not.
    bool changeKeptRefreshToken(const Environment &env, const QString &value);
    int runImport(const QStringList &args);
    // matrix [PLAN] --env NAME …, and matrix merge REPORT.json… (CliMatrix.cpp).
    int runMatrix(const QStringList &args);
    int runMatrixMerge(const QStringList &args);

    // Where `token` and `send` take secrets from before the keychain; never from arguments.
    struct SecretSources
    {
        std::optional<QString> clientSecretEnv; // the name of an environment variable, not the secret
        std::optional<QString> passwordEnv;
        bool clientSecretStdin = false;
        bool passwordStdin = false;
    };
    // withPassword false: the command has only the client's options (SecretOptions::clientOnly).
    static SecretSources secretSources(const QCommandLineParser &parser, const CliSupport::SecretOptions &options, bool withPassword = true);
    // The built-in Demo environment: starts the Demo API in-process and points env and request at it.
    int startDemo(Environment *env, TokenRequest *request, std::unique_ptr<DemoServer> *demo);
    // Fills the request's secrets: the named environment variable, standard input, then the
    // keychain. Ok, or the exit code after saying what is missing.
    int gatherSecrets(const Environment &env, const SecretSources &sources, TokenRequest *request);
    // The client's own credentials alone, for a request that needs no password (revocation, the
    // introspection of a token given): env taken as a client_credentials client without its
    // extra token parameters, which request loses too; its keys and proxy password as for a
    // token request. Ok, or the exit code after saying why.
    int gatherClientSecret(const Environment &env, const SecretSources &sources, TokenRequest *request);
    // The environment's secrets that can be had without asking (the named environment variables,
    // the keychain), into m_known: what a request about to be saved is scanned for.
    void learnSecrets(const Environment &env, const SecretSources &sources);

    bool loadWorkspace(bool createIfMissing);
    // Applies one change to the workspace file as it is now, under its lock (other processes may
    // write it too), and keeps the result in m_workspace; false after printing why.
    bool updateWorkspace(const WorkspaceStore::Change &change);
    const Environment *findEnvironment(const QString &name);
    // Loads the workspace and finds the environment; nullptr (after saying why) when either fails.
    const Environment *loadEnvironment(const QString &name, bool createWorkspace);
    SecretResult readSecret(const QString &key);
    SecretStore &secrets();
    int usageError(const QString &message);
    // What every command does first (CliSupport.cpp): its parser configured with its options,
    // args parsed, --json turned on when the command has it and it was given, and, with
    // oneNameFor ("revoke"), exactly one environment name required ("revoke needs exactly one
    // environment name"). false after printing the usage error (the command returns Usage).
    bool parseCommand(QCommandLineParser &parser, const QList<QCommandLineOption> &options, const QStringList &args,
                      const QString &oneNameFor = {});
    // The usage of the command the words name (CommandHelp), or the global help for none; strict
    // (after `help`): an unknown subcommand is a usage error rather than the command's list.
    int printHelp(const QStringList &words, bool strict);
    // `help --man` and `help --completion SHELL`: the man page and completion scripts the build
    // makes from the same help (CliDocs.cpp). Not listed in the help: they are for packagers.
    int runHelpExport(const QStringList &args);
    static QString readStdinSecret();

    CliPrinter m_print;
    // Every secret and token of this run: masked in what is printed, refused in what is saved.
    KnownSecrets m_known;
    QString m_workspacePath;
    QString m_helpTopic; // the command whose --help a usage error points to; empty: the global one
    std::optional<Workspace> m_workspace;
    SecretStore *m_secrets = nullptr;
};
