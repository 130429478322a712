#include "Cli.h"

#include "http/TokenScopes.h"
#include "DidYouMean.h"
#include "ExpectedStatus.h"
#include "demo/DemoServer.h"
#include "http/ApiCall.h"
#include "http/CachedTokenSource.h"
#include "http/HeaderInjector.h"
#include "http/ProductionGuard.h"
#include "http/RequestBuilder.h"
#include "http/ResponseLimit.h"
#include "http/UrlLookalike.h"
#include "interop/CurlCommand.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "history/DraftRedactor.h"
#include "history/Redactor.h"
#include "secrets/CredentialScan.h"
#include "secrets/SecretStore.h"
#include "util/Clock.h"
#include "workspace/WorkspaceStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSslCertificate>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
// The options of the command being parsed, for "did you mean" (the CLI parses one command per run).
QStringList &knownOptions()
{
    static QStringList names;
    return names;
}

void configure(QCommandLineParser &parser, const QList<QCommandLineOption> &options)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(options);
    knownOptions().clear();
    for (const auto &option : options) {
        for (const QString &name : option.names()) {
            if (name.size() > 1)
                knownOptions().append(name);
        }
    }
}

// QCommandLineParser expects the program name first.
bool parse(QCommandLineParser &parser, const QStringList &args, QString *error)
{
    if (parser.parse(QStringList{u"tokenbench-cli"_s} + args))
        return true;
    *error = parser.errorText();
    const QStringList unknown = parser.unknownOptionNames();
    if (!unknown.isEmpty())
        *error += DidYouMean::hint(unknown.first(), knownOptions(), u"--"_s);
    return false;
}

const QStringList &commands()
{
    static const QStringList names{u"env"_s, u"secret"_s, u"token"_s, u"send"_s, u"request"_s, u"demo"_s, u"help"_s};
    return names;
}

int exitCodeFor(const OAuthError &error)
{
    switch (error.kind) {
    case OAuthError::Kind::None: return Cli::Ok;
    case OAuthError::Kind::Configuration:
    case OAuthError::Kind::InsecureUrl: return Cli::WorkspaceProblem;
    case OAuthError::Kind::Network:
    case OAuthError::Kind::Tls:
    case OAuthError::Kind::Timeout:
    case OAuthError::Kind::Cancelled: return Cli::TransportFailed;
    case OAuthError::Kind::Protocol:
    case OAuthError::Kind::Http: return Cli::ServerRefused;
    case OAuthError::Kind::Redirect:
    case OAuthError::Kind::InvalidResponse:
    case OAuthError::Kind::TooLarge: return Cli::BadResponse;
    }
    return Cli::Unexpected;
}

int exitCodeFor(const ApiCallResult &result, const std::optional<ExpectedStatus> &expected)
{
    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered: {
        const int status = result.exchange.status;
        if (expected)
            return expected->matches(status) ? Cli::Ok : Cli::UnexpectedStatus;
        if ((status >= 200 && status < 300) || status == 304)
            return Cli::Ok;
        if (status >= 300 && status < 400)
            return Cli::BadResponse; // a redirect that was not followed: the call did not reach its resource
        if (status >= 400 && status < 500)
            return Cli::HttpClientError;
        return Cli::HttpServerError;
    }
    case ApiCallResult::Outcome::NotSent: return Cli::Usage;
    case ApiCallResult::Outcome::Refused: return Cli::WorkspaceProblem;
    case ApiCallResult::Outcome::NeedsConfirmation: return Cli::NeedsConfirmation;
    case ApiCallResult::Outcome::NeedsUploadConsent: return Cli::NeedsUploadConsent;
    case ApiCallResult::Outcome::TokenFailed: return exitCodeFor(result.tokenError);
    case ApiCallResult::Outcome::TransportFailed:
        return result.exchange.error == ExchangeResult::Error::TooLarge ? Cli::ResponseTooLarge : Cli::TransportFailed;
    case ApiCallResult::Outcome::Cancelled: return Cli::TransportFailed;
    }
    return Cli::Unexpected;
}

bool splitPair(const QString &text, QChar separator, QPair<QString, QString> *out)
{
    const qsizetype at = text.indexOf(separator);
    if (at <= 0)
        return false;
    out->first = text.left(at).trimmed();
    out->second = text.mid(at + 1);
    if (separator == u':')
        out->second = out->second.trimmed();
    return !out->first.isEmpty();
}
} // namespace

Cli::Cli()
{
    m_print.setKnownSecrets(&m_known);
}
Cli::~Cli() = default;

QString Cli::helpText()
{
    return uR"(Usage: tokenbench-cli [--workspace FILE] [--json] COMMAND ...

Get OAuth 2 access tokens for the environments of a Tokenbench workspace and call
their APIs with them, headless.

Commands:
  env list                         List the environments.
  env show NAME                    Show one environment (never a secret).
  env remove NAME                  Remove an environment and forget its secrets.
  env add NAME --token-url URL --api-url URL --client-id ID
          [--tier sandbox|staging|production|custom]
          [--grant client_credentials|password] [--client-auth basic|body|json]
          [--username U] [--scope S]... [--param K=V]... [--secret-param K]...
          [--header 'Name: template']... [--var K=V]... [--allow-insecure-http]
          [--cacert FILE]... [--replace]
                                   Add (or with --replace, replace) an environment.
                                   --tier defaults to custom, as a new environment in
                                   the desktop app does.
                                   --cacert keeps the PEM certificates of FILE with it:
                                   trusted besides the system's for its token endpoint
                                   and API (a private CA).
  secret set NAME client-secret|password|param:K
                                   Store a secret in the system keychain; the value is
                                   read from standard input, never from the command line.
  secret remove NAME client-secret|password|param:K
  token NAME [--scope S]... [--client-secret-env VAR] [--password-env VAR]
          [--client-secret-stdin | --password-stdin] [--timeout SECONDS]
          [--show-token] [--verbose] [--cacert FILE]
                                   Authorize and print the token type, granted scopes,
                                   expiry and decoded claims. The token itself is printed
                                   only with --show-token.
  send NAME METHOD PATH_OR_URL [-H 'K: V']... [-d BODY|@file|@-] [--var K=V]...
          [-F NAME=VALUE|NAME=@file]... [--form-string NAME=VALUE]...
          [--scope S]... [--scope-match exact|at-least]
          [--client-secret-env VAR] [--password-env VAR]
          [--client-secret-stdin | --password-stdin] [--include] [--json]
          [--yes] [--timeout SECONDS] [--repeat N] [--verbose]
          [--save-as NAME] [--cacert FILE] [--expect-status CODE[,CODE]...]
          [--max-response-size SIZE] [--allow-file-upload]
  send NAME --saved REQUEST [METHOD PATH_OR_URL] [the options above]
                                   Send one API request with the environment's token
                                   (authorized first; once more if a 401 says it was
                                   rejected) and context headers injected. PATH is
                                   appended to the API base URL (Demo: /me or /api/me);
                                   one that looks like a URL missing its "://"
                                   (http//host/x, https:/host, localhost:8080/x) is
                                   refused with the URL it probably meant (exit 2).
                                   {{variables}} come from the environment and --var.
                                   -H 'Name: value' replaces an injected header for this
                                   request, -H 'Name:' leaves it out. Another origin,
                                   given as a URL or reached by a redirect, never gets
                                   the token or the context headers. Prints the body
                                   (--include: status line and headers first; --json:
                                   everything, Authorization masked) and explains a
                                   denial (401, 403 scope, 409 reasons, 429 Retry-After)
                                   on stderr. POST, PUT, PATCH, DELETE to a production
                                   environment need --yes.
                                   --saved sends a request saved in the workspace with
                                   this environment; METHOD PATH_OR_URL, -H, -d, --var
                                   and --scope replace its own for this run.
                                   --scope S: the token is asked for exactly these scopes
                                   (--scope '' for none at all; without --scope, the
                                   environment's). --scope-match at-least reuses a held
                                   token that has them besides others.
                                   --expect-status 403,409 (or classes: 2xx) exits 0
                                   only when the API answers one of these, 11 when it
                                   answers another status.
                                   --verbose shows the token request (secrets as ••••),
                                   the API request and the answer's status on stderr.
                                   A body printed to a terminal ends with a line break;
                                   piped, it is byte for byte what the API sent.
                                   --repeat N (1-100000) sends it N times in a row on one
                                   connection with one token (renewed if it expires),
                                   prints the last answer only, and on stderr a summary:
                                   count, statuses, median/p95/max latency. Exits with
                                   the highest exit code of the runs.
                                   -F name=value / -F name=@file (read as curl reads
                                   -F; --form-string for a value starting with @ or <)
                                   send a multipart/form-data body. A file the request
                                   names but this command line does not (a saved
                                   request's, one behind a {{variable}}) goes to an
                                   origin other than the environment's API only with
                                   --allow-file-upload; without it nothing is read or
                                   sent (exit 13).
                                   --save-as NAME saves the request as given (with this
                                   run's -H, -d, --var and --scope) in the workspace,
                                   replacing one of that name, before sending it.
                                   --cacert FILE (also for token) trusts the PEM
                                   certificates in FILE besides the system's, for
                                   this run.
                                   --max-response-size SIZE (256M, 1G, or bytes;
                                   default 256M) caps the response body, counted as
                                   decoded (gzip, br, zstd undone): past it the transfer
                                   stops and send exits 12.
  request list                     List the saved requests of the workspace.
  request show NAME [--reveal]     Show one saved request; a credential in it (from a
                                   workspace written elsewhere) is shown as •••• unless
                                   --reveal.
  request remove NAME              Remove a saved request from the workspace.
  demo [--port N] [--token-lifetime SECONDS]
                                   Run the built-in Demo API (authorization server and
                                   protected API) on 127.0.0.1 until interrupted.

Global options:
  --workspace FILE   Workspace file (default: $TOKENBENCH_WORKSPACE, else the per-user
                     data folder). Workspace files never contain secrets.
  --json             Machine-readable output on standard output.
  -h, --help         Show this help.   --version   Show the version.

Secrets come from the system keychain, from the environment variable named by
--client-secret-env / --password-env, or from standard input; never from arguments.
The environment "Demo" uses the built-in Demo API, started in-process on demand.

Exit codes:
  0  success
  1  unexpected failure
  2  usage error (send: also an unresolved {{variable}} or a token in the URL)
  3  workspace or profile problem (unknown environment, corrupt file, incomplete
     profile, plain-http token URL refused; send: the token would go over plain
     http to a remote API)
  4  secret unavailable (not stored, keychain unavailable or refused)
  5  the authorization server refused (RFC 6749 error or HTTP error status)
  6  transport failure (network, TLS, timeout)
  7  unusable answer (success without a token, a token that cannot be sent in
     a header, a token response over 1 MB, or a redirect; send: a redirect
     not followed: more than 5, no Location, https to http, not http(s))
  8  send: the API answered 4xx
  9  send: the API answered 5xx
  10 send: a state-changing request to a production environment without --yes;
     nothing was sent
  11 send --expect-status: the API answered a status not in the list
  12 send: the response was larger than --max-response-size (decoded), or its
     headers larger than 256 KB; the transfer was stopped there
  13 send: local files named by the request (not on this command line) would go to
     an origin other than the environment's API without --allow-file-upload;
     nothing was read or sent
send exits 0 on 2xx and 304 Not Modified (with --expect-status: on the statuses
listed); a token it could not get exits as 'token' does (3, 4, 5, 6 or 7).
send --json always has "status": the API's, or null when none answered.
)"_s;
}

int Cli::usageError(const QString &message)
{
    m_print.failure(u"usage"_s, message + u"\nRun 'tokenbench-cli --help' for usage."_s);
    return Usage;
}

int Cli::run(const QStringList &arguments)
{
    QStringList args = arguments.mid(1);
    m_workspacePath = qEnvironmentVariable("TOKENBENCH_WORKSPACE");
    // Global options come before the command.
    while (!args.isEmpty() && args.first().startsWith(u'-')) {
        const QString option = args.takeFirst();
        if (option == u"-h"_s || option == u"--help"_s) {
            m_print.out() << helpText();
            return Ok;
        }
        if (option == u"--version"_s) {
            m_print.out() << "tokenbench-cli " << QCoreApplication::applicationVersion() << Qt::endl;
            return Ok;
        }
        if (option == u"--json"_s) {
            m_print.setJson(true);
        } else if (option == u"--workspace"_s) {
            if (args.isEmpty())
                return usageError(u"--workspace needs a file name"_s);
            m_workspacePath = args.takeFirst();
        } else if (option.startsWith(u"--workspace="_s)) {
            m_workspacePath = option.mid(12);
        } else {
            const QString name = option.section(u'=', 0, 0);
            QString hint = DidYouMean::hint(name.mid(name.startsWith(u"--"_s) ? 2 : 1),
                                            {u"json"_s, u"workspace"_s, u"help"_s, u"version"_s}, u"--"_s);
            // An option of a command given before it: say where it goes.
            if (hint.isEmpty() && name.startsWith(u"--"_s))
                hint = u" Options of a command come after it (tokenbench-cli send NAME GET /me %1)."_s.arg(option);
            return usageError(u"unknown option %1.%2"_s.arg(option, hint));
        }
    }
    if (m_workspacePath.isEmpty())
        m_workspacePath = WorkspaceStore::defaultPath();
    if (args.isEmpty())
        return usageError(u"no command given"_s);

    const QString command = args.takeFirst();
    if (command == u"env"_s)
        return runEnv(args);
    if (command == u"secret"_s)
        return runSecret(args);
    if (command == u"token"_s)
        return runToken(args);
    if (command == u"send"_s)
        return runSend(args);
    if (command == u"request"_s)
        return runRequest(args);
    if (command == u"demo"_s)
        return runDemo(args);
    if (command == u"help"_s) {
        m_print.out() << helpText();
        return Ok;
    }
    return usageError(u"unknown command \"%1\".%2"_s.arg(command, DidYouMean::hint(command, commands())));
}

bool Cli::loadWorkspace(bool createIfMissing)
{
    auto result = createIfMissing ? WorkspaceStore::loadOrCreate(m_workspacePath) : WorkspaceStore::load(m_workspacePath);
    if (!createIfMissing && result.status == WorkspaceStore::Status::NotFound) {
        m_workspace = Workspace::createDefault();
        return true;
    }
    if (!result.ok()) {
        m_print.failure(u"workspace"_s, result.message);
        return false;
    }
    m_workspace = std::move(result.workspace);
    return true;
}

bool Cli::updateWorkspace(const WorkspaceStore::Change &change)
{
    const auto result = WorkspaceStore::update(m_workspacePath, change);
    if (!result.ok()) {
        m_print.failure(u"workspace"_s, result.message);
        return false;
    }
    m_workspace = std::move(result.workspace);
    return true;
}

const Environment *Cli::loadEnvironment(const QString &name, bool createWorkspace)
{
    return loadWorkspace(createWorkspace) ? findEnvironment(name) : nullptr;
}

const Environment *Cli::findEnvironment(const QString &name)
{
    const Environment *env = m_workspace->find(name);
    if (!env) {
        QStringList names;
        for (const auto &e : m_workspace->environments())
            names.append(e.name);
        m_print.failure(u"workspace"_s, u"no environment named \"%1\" in %2 (known: %3)"_s.arg(name, m_workspacePath, names.join(u", "_s)));
    }
    return env;
}

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

int Cli::runSecret(const QStringList &args)
{
    if (args.size() != 3 || (args.at(0) != u"set"_s && args.at(0) != u"remove"_s))
        return usageError(u"usage: secret set|remove NAME client-secret|password|param:K.%1"_s.arg(
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
    else
        return usageError(u"the secret must be client-secret, password or param:K for a secret parameter K of the environment"_s);

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

int Cli::runToken(const QStringList &args)
{
    const QCommandLineOption scope(u"scope"_s, u"Scope"_s, u"S"_s);
    const QCommandLineOption secretEnv(u"client-secret-env"_s, u"Variable holding the client secret"_s, u"VAR"_s);
    const QCommandLineOption passwordEnv(u"password-env"_s, u"Variable holding the password"_s, u"VAR"_s);
    const QCommandLineOption secretStdin(u"client-secret-stdin"_s, u"Read the client secret from stdin"_s);
    const QCommandLineOption passwordStdin(u"password-stdin"_s, u"Read the password from stdin"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds"_s, u"SECONDS"_s, u"30"_s);
    const QCommandLineOption showToken(u"show-token"_s, u"Print the token"_s);
    const QCommandLineOption verbose(u"verbose"_s, u"Print the request (secrets masked)"_s);
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    const QCommandLineOption cacert(u"cacert"_s, u"Also trust the PEM certificates in FILE"_s, u"FILE"_s);
    QCommandLineParser parser;
    configure(parser, {scope, secretEnv, passwordEnv, secretStdin, passwordStdin, timeout, showToken, verbose, json, cacert});
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    if (parser.positionalArguments().size() != 1)
        return usageError(u"token needs exactly one environment name"_s);
    QByteArray extraCaPem;
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &extraCaPem))
        return Usage;
    if (parser.isSet(secretStdin) && parser.isSet(passwordStdin))
        return usageError(u"only one secret can come from standard input; pass the other with --client-secret-env or --password-env"_s);
    bool ok = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(u"--timeout needs a number of seconds between 0 and 3600"_s);

    const Environment *found = loadEnvironment(parser.positionalArguments().first(), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;

    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.trustedCertificates += extraCaPem;
    request.timeoutMs = std::max(1, static_cast<int>(std::ceil(timeoutSeconds * 1000)));
    if (parser.isSet(scope)) {
        request.scopes.clear();
        for (const auto &value : parser.values(scope))
            request.scopes.append(value.split(u' ', Qt::SkipEmptyParts));
        request.scopes.removeDuplicates();
    }

    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    const SecretSources sources = secretSources(parser, secretEnv, passwordEnv, secretStdin, passwordStdin);
    if (const int code = gatherSecrets(env, sources, &request); code != Ok)
        return code;

    if (parser.isSet(verbose))
        m_print.err() << request.redactedTranscript() << Qt::endl << Qt::endl;

    QNetworkAccessManager network;
    TokenClient client(&network);
    TokenResult result;
    QEventLoop loop;
    TokenFetch *fetch = client.fetch(request);
    QObject::connect(fetch, &TokenFetch::finished, &loop, [&](const TokenResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();

    if (!result.ok()) {
        m_print.error(result.error);
        return exitCodeFor(result.error);
    }
    m_print.token(env, *result.token, Clock::system()->now(), parser.isSet(showToken));
    return Ok;
}

int Cli::runSend(const QStringList &args)
{
    const QCommandLineOption header(QStringList{u"H"_s, u"header"_s}, u"Request header"_s, u"K: V"_s);
    const QCommandLineOption data(QStringList{u"d"_s, u"data"_s}, u"Body, or @file, or @- for stdin"_s, u"BODY"_s);
    const QCommandLineOption form(QStringList{u"F"_s, u"form"_s}, u"Multipart field: name=value, or name=@file"_s, u"NAME=VALUE"_s);
    const QCommandLineOption formString(u"form-string"_s, u"Multipart text field; @ and < are not special"_s, u"NAME=VALUE"_s);
    const QCommandLineOption var(u"var"_s, u"Variable for this request"_s, u"K=V"_s);
    const QCommandLineOption scope(u"scope"_s, u"Scope the token needs"_s, u"S"_s);
    const QCommandLineOption scopeMatch(u"scope-match"_s, u"exact: a token asked for exactly the scopes; at-least: reuse any that has them"_s,
                                        u"exact|at-least"_s);
    const QCommandLineOption secretEnv(u"client-secret-env"_s, u"Variable holding the client secret"_s, u"VAR"_s);
    const QCommandLineOption passwordEnv(u"password-env"_s, u"Variable holding the password"_s, u"VAR"_s);
    const QCommandLineOption secretStdin(u"client-secret-stdin"_s, u"Read the client secret from stdin"_s);
    const QCommandLineOption passwordStdin(u"password-stdin"_s, u"Read the password from stdin"_s);
    const QCommandLineOption include(QStringList{u"i"_s, u"include"_s}, u"Print the status line and headers"_s);
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    const QCommandLineOption yes(QStringList{u"y"_s, u"yes"_s}, u"Confirm a state-changing request to production"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds"_s, u"SECONDS"_s, u"30"_s);
    const QCommandLineOption verbose(QStringList{u"v"_s, u"verbose"_s}, u"Print the request (Authorization masked)"_s);
    const QCommandLineOption saved(u"saved"_s, u"Send a request saved in the workspace"_s, u"REQUEST"_s);
    const QCommandLineOption repeat(u"repeat"_s, u"Send the request N times in a row"_s, u"N"_s, u"1"_s);
    const QCommandLineOption saveAs(u"save-as"_s, u"Save the request in the workspace under NAME, then send it"_s, u"NAME"_s);
    const QCommandLineOption cacert(u"cacert"_s, u"Also trust the PEM certificates in FILE"_s, u"FILE"_s);
    const QCommandLineOption expectStatus(u"expect-status"_s, u"Exit 0 only for these statuses (or classes: 2xx)"_s, u"CODE[,CODE...]"_s);
    const QCommandLineOption maxResponseSize(u"max-response-size"_s, u"Largest response body kept, decoded: 256M, 1G or bytes"_s, u"SIZE"_s,
                                             u"256M"_s);
    const QCommandLineOption allowFileUpload(u"allow-file-upload"_s, u"Send the request's files to an origin other than the environment's API"_s);
    QCommandLineParser parser;
    configure(parser, {header, data, form, formString, var, scope, scopeMatch, secretEnv, passwordEnv, secretStdin, passwordStdin, include, json, yes,
                       timeout, verbose, saved, repeat, saveAs, cacert, expectStatus, maxResponseSize,
                       allowFileUpload});
    // Every JSON object send prints has a "status", null when no API answered: scripts read one key.
    m_print.setStatusInFailures(true);
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    const QStringList positional = parser.positionalArguments();
    const bool fromSaved = parser.isSet(saved);
    if (fromSaved && positional.size() != 1 && positional.size() != 3)
        return usageError(u"send --saved needs an environment name, then a method and a path or URL only to replace the saved ones"_s);
    if (!fromSaved && positional.size() != 3)
        return usageError(u"send needs an environment name, a method and a path or URL (or --saved REQUEST)"_s);
    if (parser.values(saved).size() > 1)
        return usageError(u"give --saved once"_s);
    bool ok = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(u"--timeout needs a number of seconds between 0 and 3600"_s);
    qint64 maxResponseBytes = 0;
    if (parser.values(maxResponseSize).size() > 1)
        return usageError(u"give --max-response-size once"_s);
    if (const QString problem = ResponseLimit::parse(parser.value(maxResponseSize), &maxResponseBytes); !problem.isEmpty())
        return usageError(u"--max-response-size: %1"_s.arg(problem));
    constexpr int maxRepeat = 100000;
    const int repeatCount = parser.value(repeat).toInt(&ok);
    if (!ok || repeatCount < 1 || repeatCount > maxRepeat || parser.values(repeat).size() > 1)
        return usageError(u"--repeat needs a number of requests between 1 and %1"_s.arg(maxRepeat));
    const bool bodyFromStdin = parser.values(data).contains(u"@-"_s);
    if (int(parser.isSet(secretStdin)) + int(parser.isSet(passwordStdin)) + int(bodyFromStdin) > 1)
        return usageError(u"only one of the body and the secrets can come from standard input"_s);
    if (parser.values(data).size() > 1)
        return usageError(u"give the body once (-d BODY or -d @file)"_s);
    const bool hasForm = parser.isSet(form) || parser.isSet(formString);
    if (hasForm && parser.isSet(data))
        return usageError(u"give a body (-d) or form fields (-F), not both"_s);
    QList<RequestDraft::FormPart> formParts;
    {
        // In the order given, -F and --form-string interleaved, as curl sends them.
        QStringList fields = parser.values(form);
        QStringList literals = parser.values(formString);
        for (const QString &option : parser.optionNames()) {
            const bool literal = option == u"form-string"_s;
            if (!literal && option != u"F"_s && option != u"form"_s)
                continue;
            const QString value = literal ? literals.takeFirst() : fields.takeFirst();
            // Read as curl reads it, the same way a pasted curl command is.
            QStringList notes;
            QString problem;
            const auto field = CurlCommand::parseFormField(value.toUtf8(), literal, &notes, &problem);
            if (!field)
                return usageError(u"%1: %2"_s.arg(literal ? u"--form-string"_s : u"-F"_s, problem));
            for (const QString &note : std::as_const(notes))
                m_print.err() << "Note: " << note << '.' << Qt::endl;
            RequestDraft::FormPart part;
            part.name = field->name;
            part.value = field->isFile ? QFileInfo(field->value).absoluteFilePath() : field->value;
            part.isFile = field->isFile;
            formParts.append(part);
        }
    }
    if (parser.values(saveAs).size() > 1 || (parser.isSet(saveAs) && parser.value(saveAs).trimmed().isEmpty()))
        return usageError(u"give --save-as once, with a name"_s);
    std::optional<ExpectedStatus> expected;
    if (parser.isSet(expectStatus)) {
        expected = ExpectedStatus::parse(parser.values(expectStatus).join(u','), &error);
        if (!expected)
            return usageError(error);
    }
    QByteArray extraCaPem;
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &extraCaPem))
        return Usage;

    const Environment *found = loadEnvironment(positional.at(0), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;

    RequestDraft draft;
    if (fromSaved) {
        const SavedRequest *stored = m_workspace->findRequest(parser.value(saved));
        if (!stored) {
            QStringList names;
            for (const auto &request : m_workspace->savedRequests())
                names.append(request.name);
            m_print.failure(u"workspace"_s, u"no saved request named \"%1\" in %2 (known: %3)"_s.arg(
                                                parser.value(saved), m_workspacePath, names.isEmpty() ? u"none"_s : names.join(u", "_s)));
            return WorkspaceProblem;
        }
        draft = stored->draft;
    }
    if (positional.size() == 3) {
        draft.method = positional.at(1);
        draft.url = positional.at(2);
    }
    if (RequestBuilder::normalizedMethod(draft.method).isEmpty())
        return usageError(u"\"%1\" is not an HTTP method"_s.arg(draft.method));
    // Appended to the API base, "http//host/x" would go to https://api…/base/http//host/x.
    if (const auto intended = UrlLookalike::intendedUrl(draft.url))
        return usageError(u"\"%1\" looks like a URL without \"://\", and a path would be appended to the environment's API base URL; "
                          "nothing was sent. Did you mean \"%2\"?"_s.arg(draft.url.trimmed(), *intended));
    if (parser.isSet(scope)) {
        // As for `token`: --scope '' asks for a token with no scope at all, not the environment's.
        draft.scopes = TokenScopes::normalized(parser.values(scope));
        draft.noScopes = draft.scopes.isEmpty();
        draft.scopeMatch = TokenScopes::Match::Exact;
    }
    if (parser.isSet(scopeMatch)) {
        if (!TokenScopes::parseMatch(parser.value(scopeMatch), &draft.scopeMatch) || parser.values(scopeMatch).size() > 1)
            return usageError(u"--scope-match needs exact or at-least, once"_s);
        if (draft.scopes.isEmpty() && !draft.noScopes)
            return usageError(u"--scope-match is about the scopes the request names: give them with --scope (--scope '' for none)"_s);
    }
    QPair<QString, QString> pair;
    QList<QPair<QString, QString>> variables;
    for (const auto &value : parser.values(var)) {
        if (!splitPair(value, u'=', &pair))
            return usageError(u"--var needs K=V, got \"%1\""_s.arg(value));
        variables.append(pair);
    }
    // First match wins in the expander: the command line's variables before the saved request's.
    draft.extraVariables = variables + draft.extraVariables;

    // Headers the environment injects are switched per request, as in the composer:
    // -H 'X-On-Behalf-Of: user 7' sends another value, -H 'X-On-Behalf-Of:' leaves it out (curl's idiom).
    QStringList injectedNames{u"Authorization"_s};
    for (const auto &context : env.headers)
        injectedNames.append(context.name.trimmed());
    QList<QPair<QString, QString>> givenHeaders;
    for (const auto &value : parser.values(header)) {
        const qsizetype colon = value.indexOf(u':');
        const QString name = colon > 0 ? value.left(colon).trimmed() : QString();
        if (name.isEmpty())
            return usageError(u"-H needs 'Name: value', got \"%1\""_s.arg(value));
        givenHeaders.append({name, value.mid(colon + 1).trimmed()});
    }
    // A header named on the command line replaces the saved request's rows and switch of that
    // name; repeats on the command line itself are all sent.
    for (const auto &given : std::as_const(givenHeaders)) {
        const QString &name = given.first; // not a structured binding: clang's lambdas cannot capture those
        draft.headers.removeIf([&name](const RequestDraft::Row &row) { return row.name.trimmed().compare(name, Qt::CaseInsensitive) == 0; });
        draft.injectionSwitches.removeIf(
            [&name](const RequestDraft::InjectionSwitch &entry) { return entry.headerName.trimmed().compare(name, Qt::CaseInsensitive) == 0; });
    }
    for (const auto &[name, headerValue] : std::as_const(givenHeaders)) {
        if (injectedNames.contains(name, Qt::CaseInsensitive)) {
            RequestDraft::InjectionSwitch entry;
            entry.headerName = name;
            entry.disabled = headerValue.isEmpty();
            if (!headerValue.isEmpty())
                entry.value = headerValue;
            draft.injectionSwitches.append(entry);
        } else if (!headerValue.isEmpty()) {
            draft.headers.append({name, headerValue, true});
        }
    }
    if (parser.isSet(data)) {
        const QString body = parser.value(data);
        if (body == u"@-"_s) {
            QFile in;
            if (!in.open(stdin, QIODevice::ReadOnly))
                return usageError(u"cannot read the body from standard input"_s);
            draft.body = in.readAll();
        } else if (body.startsWith(u'@')) {
            QFile file(body.mid(1));
            if (!file.open(QIODevice::ReadOnly))
                return usageError(u"cannot read the body from %1: %2"_s.arg(body.mid(1), file.errorString()));
            draft.body = file.readAll();
        } else {
            draft.body = body.toUtf8();
        }
        // The saved body's type and template switch described the saved body, not this one.
        draft.contentType.clear();
        draft.expandBodyVariables = true;
        draft.formParts.clear();
    }
    if (hasForm) {
        draft.formParts = formParts;
        draft.body.clear();
        draft.contentType.clear();
        draft.expandBodyVariables = true; // as for -d: the saved request's switch described its own form
    }
    // Saved before it is sent: the request is kept even when this run fails.
    if (parser.isSet(saveAs)) {
        learnSecrets(env, secretSources(parser, secretEnv, passwordEnv, secretStdin, passwordStdin));
        if (!saveRequest(parser.value(saveAs).trimmed(), draft))
            return WorkspaceProblem;
    }

    // Production guard before anything leaves the process: no Demo, no keychain, no token request.
    if (ProductionGuard::needsConfirmation(env, draft.method) && !parser.isSet(yes)) {
        const BuiltRequest preview = RequestBuilder::build(draft, env, RequestBuilder::Files::Describe);
        const QUrl shown = preview.url.isEmpty() ? QUrl(draft.url) : preview.url;
        m_print.failure(u"confirmation_required"_s,
                        ProductionGuard::confirmationText(env, draft.method, shown) + u" Nothing was sent; add --yes to send it."_s);
        return NeedsConfirmation;
    }

    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.trustedCertificates += extraCaPem;
    request.timeoutMs = std::max(1, static_cast<int>(std::ceil(timeoutSeconds * 1000)));
    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    // Secrets only when the token will really be sent: a request to another origin, or with
    // Authorization switched off, needs none.
    const BuiltRequest built = RequestBuilder::build(draft, env, RequestBuilder::Files::Describe);
    // A file typed on this command line is the user's choice for this send, wherever it goes; one
    // the request names by itself (a saved request from a shared workspace, a path behind a
    // {{variable}}) goes to an origin other than the API only with --allow-file-upload.
    QStringList confirmedUploads;
    if (hasForm) {
        for (const auto &part : std::as_const(draft.formParts)) {
            if (part.isFile)
                confirmedUploads.append(FileUploadConsent::absolutePath(part.value));
        }
    }
    const FileUploadConsent uploads = FileUploadConsent::forRequest(built, OriginGuard(env.apiBaseUrl), confirmedUploads);
    if (uploads.needed() && !parser.isSet(allowFileUpload)) {
        m_print.failure(u"upload_consent_required"_s, uploads.description() + u" Nothing was read or sent; add --allow-file-upload to send "_s
                                                          + (uploads.files().size() == 1 ? u"it."_s : u"them."_s));
        return NeedsUploadConsent;
    }
    confirmedUploads += uploads.files();
    if (built.ok() && HeaderInjector::needsToken(draft, built, OriginGuard(env.apiBaseUrl))) {
        const SecretSources sources = secretSources(parser, secretEnv, passwordEnv, secretStdin, passwordStdin);
        if (const int code = gatherSecrets(env, sources, &request); code != Ok)
            return code;
    }

    // One token source and one call for every run: the connection stays open (the thread's
    // CurlMulti keeps it alive) and the token is reused until it needs renewing.
    QNetworkAccessManager network;
    CachedTokenSource tokens(&network, env.id, request);
    if (parser.isSet(verbose))
        QObject::connect(&tokens, &CachedTokenSource::fetching, &tokens, [this](const TokenRequest &fetched) { m_print.tokenRequest(fetched); });
    ApiCall call(&tokens);
    ApiCall::Options options;
    options.productionConfirmed = parser.isSet(yes);
    options.timeoutMs = request.timeoutMs;
    options.extraCaPem = extraCaPem;
    options.maxResponseBytes = maxResponseBytes;
    options.confirmedUploads = confirmedUploads;
    // Read through call.result() rather than copied out of the signal: one copy less per run.
    const ApiCallResult &result = call.result();
    QEventLoop loop;
    QObject::connect(&call, &ApiCall::finished, &loop, &QEventLoop::quit);
    if (repeatCount == 1) {
        call.start(env, draft, options);
        loop.exec();
        m_known.addAll(tokens.knownSecrets());
        m_print.apiCall(env, result, parser.isSet(include), parser.isSet(verbose), expected ? &*expected : nullptr);
        return exitCodeFor(result, expected);
    }

    RepeatSummary summary;
    summary.requested = repeatCount;
    QList<double> latencies;
    latencies.reserve(repeatCount);
    QHash<int, int> statusCounts; // counted by number, named once at the end
    QElapsedTimer total;
    QElapsedTimer each;
    total.start();
    for (int run = 1; run <= repeatCount; ++run) {
        each.start();
        call.start(env, draft, options);
        loop.exec();
        latencies.append(static_cast<double>(each.nsecsElapsed()) / 1e6);
        ++summary.count;
        summary.exitCode = std::max(summary.exitCode, exitCodeFor(result, expected));
        if (result.answered()) {
            ++statusCounts[result.exchange.status];
            continue;
        }
        ++summary.statuses[ApiCallResult::outcomeName(result.outcome)];
        // These are decided before anything is sent (or by the authorization server): the next
        // run would end the same way, so stop rather than repeat the failure N times.
        const bool hopeless = result.outcome == ApiCallResult::Outcome::NotSent || result.outcome == ApiCallResult::Outcome::Refused
            || result.outcome == ApiCallResult::Outcome::NeedsConfirmation || result.outcome == ApiCallResult::Outcome::NeedsUploadConsent
            || result.outcome == ApiCallResult::Outcome::TokenFailed;
        if (hopeless) {
            if (run < repeatCount)
                summary.stoppedBecause = u"run %1 ended with %2; the remaining %3 were not sent"_s.arg(run).arg(
                    ApiCallResult::outcomeName(result.outcome)).arg(repeatCount - run);
            break;
        }
    }
    summary.totalMs = static_cast<double>(total.nsecsElapsed()) / 1e6;
    for (auto it = statusCounts.constBegin(); it != statusCounts.constEnd(); ++it)
        summary.statuses.insert(QString::number(it.key()), it.value());
    std::sort(latencies.begin(), latencies.end());
    summary.medianMs = RepeatSummary::percentile(latencies, 50);
    summary.p95Ms = RepeatSummary::percentile(latencies, 95);
    summary.maxMs = latencies.isEmpty() ? 0 : latencies.last();
    summary.tokenRequests = tokens.fetchCount();
    m_known.addAll(tokens.knownSecrets());
    m_print.repeatedApiCall(env, result, summary, parser.isSet(include), parser.isSet(verbose), expected ? &*expected : nullptr);
    return summary.exitCode;
}

int Cli::runRequest(const QStringList &args)
{
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    const QCommandLineOption reveal(u"reveal"_s, u"request show: print credentials as stored, unmasked"_s);
    QCommandLineParser parser;
    configure(parser, {json, reveal});
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    const QStringList positional = parser.positionalArguments();
    const QString sub = positional.value(0);
    if (!((sub == u"list"_s && positional.size() == 1) || ((sub == u"show"_s || sub == u"remove"_s) && positional.size() == 2)))
        return usageError(u"usage: request list | request show NAME | request remove NAME.%1"_s.arg(
            QStringList{u"list"_s, u"show"_s, u"remove"_s}.contains(sub) ? QString() : DidYouMean::hint(sub, {u"list"_s, u"show"_s, u"remove"_s})));
    if (!loadWorkspace(false))
        return WorkspaceProblem;
    if (sub == u"list"_s) {
        m_print.savedRequestList(m_workspace->savedRequests());
        return Ok;
    }
    const SavedRequest *stored = m_workspace->findRequest(positional.at(1));
    if (!stored) {
        m_print.failure(u"workspace"_s, u"no saved request named \"%1\" in %2"_s.arg(positional.at(1), m_workspacePath));
        return WorkspaceProblem;
    }
    if (sub == u"show"_s) {
        // A workspace written by someone else (or by hand) may hold what Tokenbench never saves:
        // shown masked, as the history masks it, unless the user asks for it as stored.
        const QStringList findings = CredentialScan(&m_known).findings(stored->draft);
        if (findings.isEmpty() || parser.isSet(reveal)) {
            m_print.savedRequest(*stored);
            return Ok;
        }
        Redactor redactor;
        redactor.setSecrets(m_known.values());
        SavedRequest shown = *stored;
        QStringList masked;
        shown.draft = DraftRedactor(redactor).redact(stored->draft, &masked);
        m_print.savedRequest(shown);
        m_print.err() << u"Note: this saved request holds credentials (%1); they are shown as ••••. --reveal prints them as stored."_s.arg(
                             findings.join(u"; "_s))
                      << Qt::endl;
        return Ok;
    }
    const QString name = stored->name;
    const bool removed = updateWorkspace([&name](Workspace &workspace, QString *refusal) {
        const SavedRequest *current = workspace.findRequest(name);
        if (!current) {
            *refusal = u"no saved request named \"%1\" any more: another process removed it"_s.arg(name);
            return false;
        }
        return workspace.removeRequest(current->id);
    });
    if (!removed)
        return WorkspaceProblem;
    m_print.message(u"Removed the saved request \"%1\"."_s.arg(name));
    return Ok;
}

bool Cli::saveRequest(const QString &name, const RequestDraft &draft)
{
    // Every secret this run knows, in any encoding, and anything shaped like a token.
    if (const QString finding = CredentialScan(&m_known).problem(draft); !finding.isEmpty()) {
        m_print.failure(u"workspace"_s, u"not saved, and nothing was sent: %1"_s.arg(CredentialScan::refusal(finding)));
        return false;
    }
    std::optional<SavedRequest> saved;
    const bool written = updateWorkspace([&](Workspace &workspace, QString *refusal) {
        SavedRequest request;
        request.name = name;
        request.draft = draft;
        // Saving under a name that exists replaces that request in place, as the desktop app does.
        if (const SavedRequest *existing = workspace.findRequest(name)) {
            request.id = existing->id;
            request.folder = existing->folder;
        }
        QString error;
        saved = workspace.upsertRequest(request, &error);
        if (!saved)
            *refusal = u"not saved: %1"_s.arg(error);
        return saved.has_value();
    });
    if (!written)
        return false;
    if (!m_print.json()) {
        m_print.err() << u"Saved the request as \"%1\" in %2."_s.arg(saved->name, m_workspacePath) << Qt::endl;
        const RequestDraft::InjectionSwitch *authorization = draft.switchFor(u"Authorization"_s);
        if (authorization && !authorization->disabled && authorization->value)
            m_print.err() << u"The Authorization value given with -H is sent this time but was not saved: a saved request never "
                             "holds a credential, the environment's token is injected when it is sent."_s
                          << Qt::endl;
    }
    return true;
}

bool Cli::readCertificates(const QStringList &files, QByteArray *pem)
{
    QList<QSslCertificate> certificates;
    for (const QString &name : files) {
        QFile file(name);
        if (!file.open(QIODevice::ReadOnly)) {
            usageError(u"cannot read --cacert %1: %2"_s.arg(name, file.errorString()));
            return false;
        }
        const QByteArray bytes = file.read(4 * 1024 * 1024);
        const QList<QSslCertificate> found = QSslCertificate::fromData(bytes, QSsl::Pem);
        if (found.isEmpty()) {
            usageError(u"--cacert %1 holds no PEM certificate"_s.arg(name));
            return false;
        }
        certificates += found;
    }
    for (const QSslCertificate &certificate : std::as_const(certificates))
        *pem += certificate.toPem();
    return true;
}

Cli::SecretSources Cli::secretSources(const QCommandLineParser &parser, const QCommandLineOption &secretEnv,
                                      const QCommandLineOption &passwordEnv, const QCommandLineOption &secretStdin,
                                      const QCommandLineOption &passwordStdin)
{
    SecretSources sources;
    if (parser.isSet(secretEnv))
        sources.clientSecretEnv = parser.value(secretEnv);
    if (parser.isSet(passwordEnv))
        sources.passwordEnv = parser.value(passwordEnv);
    sources.clientSecretStdin = parser.isSet(secretStdin);
    sources.passwordStdin = parser.isSet(passwordStdin);
    return sources;
}

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
    } else if (request->clientSecret.isEmpty() && !fromKeychain(SecretStore::clientSecretName(), u"client secret"_s, &request->clientSecret)) {
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
