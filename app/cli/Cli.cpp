#include "Cli.h"

#include "CliPostman.h"
#include "DidYouMean.h"
#include "secrets/SecretStore.h"
#include "workspace/WorkspaceStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace {
const QStringList &commands()
{
    static const QStringList names{u"env"_s, u"secret"_s, u"token"_s, u"send"_s, u"request"_s, u"template"_s, u"import"_s, u"export"_s, u"demo"_s, u"help"_s};
    return names;
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
  env add NAME --template ID [--tier T] [--kind K] [--var K=V]... [any option above]
                                   Add an environment from an API template: the values
                                   its documentation does not give are --var K=V (listed
                                   by template show); every other option overrides it.
  env set NAME [any option of env add]...
                                   Change an existing environment in place.
  template list                    List the API templates (Cybrid, Cymbio, Cyclr, ...).
  template show ID                 Show a template: tiers, asks, scopes, headers, notes.
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
  import postman FILE [--environment POSTMAN_ENV_FILE] [--dry-run] [--json]
                                   Import a Postman Collection v2.1: its requests
                                   (folders kept), variables and oauth2/bearer auth
                                   become saved requests and environments. A second
                                   import of the same collection updates what the first
                                   created. Scripts are listed, never run; literal
                                   secrets are reported, never stored.
  export postman FILE [--env NAME] [--include-secrets]
                                   Write the saved requests as a Postman Collection
                                   v2.1 that Postman and newman run: a first request
                                   gets the token from NAME's token endpoint. Secrets
                                   are empty variables unless --include-secrets, which
                                   copies them from the keychain (with a warning).
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
  14 import: the document cannot be imported (malformed, hostile, too large or
     not a supported format); the workspace is unchanged
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
    if (command == u"import"_s || command == u"export"_s) {
        const QString kind = args.value(0);
        if (kind != u"postman"_s)
            return usageError(u"usage: %1 postman FILE ...%2"_s.arg(command, kind.isEmpty() ? QString() : DidYouMean::hint(kind, {u"postman"_s})));
        CliPostman postman(m_print, m_workspacePath, m_known, [this](const QString &key) { return readSecret(key); });
        return command == u"import"_s ? postman.importCollection(args.mid(1)) : postman.exportCollection(args.mid(1));
    }
    if (command == u"template"_s)
        return runTemplate(args);
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
