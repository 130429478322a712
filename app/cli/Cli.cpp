#include "Cli.h"

#include "CliPostman.h"
#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "secrets/SecretStore.h"
#include "templates/StarterWorkspace.h"
#include "workspace/WorkspaceStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace {
const QStringList &commands()
{
    static const QStringList names{u"env"_s, u"secret"_s, u"token"_s, u"send"_s, u"request"_s, u"template"_s, u"import"_s, u"export"_s, u"matrix"_s, u"revoke"_s, u"introspect"_s, u"demo"_s, u"help"_s};
    return names;
}
} // namespace

QStringList Cli::commandNames()
{
    return commands();
}

Cli::Cli()
{
    m_print.setKnownSecrets(&m_known);
}
Cli::~Cli() = default;

QString Cli::helpText()
{
    return uR"(Usage: tokenbench-cli [--workspace FILE] [--json] [--proxy URL] [--no-proxy HOSTS] COMMAND ...

Get OAuth 2 access tokens for the environments of a Tokenbench workspace and call
their APIs with them, headless.

Commands:
%1
Run 'tokenbench-cli COMMAND --help' (or 'tokenbench-cli help COMMAND') for a command's
options, exit codes and examples.

Global options:
  --workspace FILE   Workspace file (default: $TOKENBENCH_WORKSPACE, else the per-user
                     data folder). Workspace files never contain secrets.
  --json             Machine-readable output on standard output.
  --proxy URL        The proxy for every request of this run, over the system's settings
                     and the environment's own: http://, https://, socks5:// or
                     socks5h://HOST:PORT (no credentials in it), or direct.
  --no-proxy HOSTS   Hosts reached without a proxy, comma-separated: names (with their
                     subdomains), IP addresses, CIDR ranges, or *.
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
     not a supported format); the workspace is unchanged; matrix: the plan,
     OpenAPI document or report cannot be read, or the reports do not merge
  15 matrix: an expectation failed (a cell over-permissive, unexpectedly denied,
     untestable or in error), or cells of the plan are missing from a merge
send exits 0 on 2xx and 304 Not Modified (with --expect-status: on the statuses
listed); a token it could not get exits as 'token' does (3, 4, 5, 6 or 7).
send --json always has "status": the API's, or null when none answered.
)"_s.arg(CommandHelp::commandList());
}

int Cli::usageError(const QString &message)
{
    // Pointed at the help of the command being run ("env add --help"), else at the command list.
    m_print.failure(u"usage"_s, message + u"\nRun 'tokenbench-cli %1--help' for usage."_s.arg(m_helpTopic.isEmpty() ? QString() : m_helpTopic + u' '));
    return Usage;
}

int Cli::run(const QStringList &arguments)
{
    QStringList args = arguments.mid(1);
    m_workspacePath = qEnvironmentVariable("TOKENBENCH_WORKSPACE");
    // Global options come before the command.
    std::optional<QString> proxy;
    std::optional<QString> noProxy;
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
        } else if (option == u"--proxy"_s || option.startsWith(u"--proxy="_s) || option == u"--no-proxy"_s || option.startsWith(u"--no-proxy="_s)) {
            const QString name = option.section(u'=', 0, 0);
            if (!option.contains(u'=') && args.isEmpty())
                return usageError(u"%1 needs a value"_s.arg(name));
            const QString value = option.contains(u'=') ? option.section(u'=', 1) : args.takeFirst();
            (name == u"--proxy"_s ? proxy : noProxy) = value;
        } else {
            const QString name = option.section(u'=', 0, 0);
            QString hint = DidYouMean::hint(name.mid(name.startsWith(u"--"_s) ? 2 : 1),
                                            {u"json"_s, u"workspace"_s, u"help"_s, u"version"_s, u"proxy"_s, u"no-proxy"_s}, u"--"_s);
            // An option of a command given before it: say where it goes.
            if (hint.isEmpty() && name.startsWith(u"--"_s))
                hint = u" Options of a command come after it (tokenbench-cli send NAME GET /me %1)."_s.arg(option);
            return usageError(u"unknown option %1.%2"_s.arg(option, hint));
        }
    }
    if (proxy || noProxy) {
        QString problem;
        if (!CliSupport::applyProxyOptions(proxy, noProxy, &problem))
            return usageError(problem);
    }
    if (m_workspacePath.isEmpty())
        m_workspacePath = WorkspaceStore::defaultPath();
    if (args.isEmpty())
        return usageError(u"no command given"_s);

    const QString command = args.takeFirst();
    if (command == u"help"_s) {
        if (args.value(0) == u"--man"_s || args.value(0) == u"--completion"_s)
            return runHelpExport(args);
        // `help --help` and `help help` are the global help too.
        QStringList topic;
        for (const QString &arg : std::as_const(args)) {
            if (!arg.startsWith(u'-') && !(topic.isEmpty() && arg == u"help"_s))
                topic.append(arg);
        }
        return printHelp(topic, true);
    }
    if (!commands().contains(command))
        return usageError(u"unknown command \"%1\".%2"_s.arg(command, DidYouMean::hint(command, commands())));
    // The words before the first option name the command ("env add NAME" → env add).
    QStringList words{command};
    for (const QString &arg : std::as_const(args)) {
        if (arg.startsWith(u'-'))
            break;
        words.append(arg);
    }
    // `COMMAND ... --help` anywhere before "--", as git and cargo read it: that command's usage,
    // whatever else the line holds, and nothing run.
    const QStringList options = args.mid(0, args.indexOf(u"--"_s) < 0 ? args.size() : args.indexOf(u"--"_s));
    if (options.contains(u"--help"_s) || options.contains(u"-h"_s))
        return printHelp(words, false);
    if (const auto entry = CommandHelp::find(words))
        m_helpTopic = entry->name;
    else if (!CommandHelp::groupUsage(command).isEmpty())
        m_helpTopic = command;
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
    if (command == u"import"_s && args.value(0) == u"openapi"_s)
        return runImport(args);
    if (command == u"import"_s || command == u"export"_s) {
        const QString kind = args.value(0);
        const QStringList kinds = command == u"import"_s ? QStringList{u"openapi"_s, u"postman"_s} : QStringList{u"postman"_s};
        if (kind != u"postman"_s)
            return usageError(u"usage: %1 %2 FILE ...%3"_s.arg(command, kinds.join(u'|'), kind.isEmpty() ? QString() : DidYouMean::hint(kind, kinds)));
        CliPostman postman(m_print, m_workspacePath, m_known, [this](const QString &key) { return readSecret(key); });
        return command == u"import"_s ? postman.importCollection(args.mid(1)) : postman.exportCollection(args.mid(1));
    }
    if (command == u"template"_s)
        return runTemplate(args);
    if (command == u"demo"_s)
        return runDemo(args);
    if (command == u"revoke"_s)
        return runRevoke(args);
    if (command == u"introspect"_s)
        return runIntrospect(args);
    if (command == u"matrix"_s)
        return args.value(0) == u"merge"_s ? runMatrixMerge(args.mid(1)) : runMatrix(args);
    return usageError(u"unknown command \"%1\".%2"_s.arg(command, DidYouMean::hint(command, commands())));
}

int Cli::printHelp(const QStringList &words, bool strict)
{
    if (words.isEmpty()) {
        m_print.out() << helpText();
        return Ok;
    }
    const QString &command = words.first();
    if (!commands().contains(command) || command == u"help"_s)
        return usageError(u"unknown command \"%1\".%2"_s.arg(command, DidYouMean::hint(command, commands())));
    if (const auto entry = CommandHelp::find(words)) {
        m_print.out() << entry->usage();
        return Ok;
    }
    // A command documented by its subcommands ("env"): an unknown one named after `help` is a
    // mistake worth saying; after --help the rest of the line may be anything.
    QStringList subcommands;
    for (const CommandHelp &entry : CommandHelp::all()) {
        if (entry.name.startsWith(command + u' '))
            subcommands.append(entry.name.section(u' ', 1, 1));
    }
    if (strict && words.size() > 1 && !subcommands.isEmpty())
        return usageError(u"unknown %1 subcommand \"%2\".%3"_s.arg(command, words.at(1), DidYouMean::hint(words.at(1), subcommands)));
    const QString group = CommandHelp::groupUsage(command);
    if (group.isEmpty()) {
        m_print.failure(u"usage"_s, u"no help for \"%1\""_s.arg(command));
        return Unexpected;
    }
    m_print.out() << group;
    return Ok;
}

bool Cli::loadWorkspace(bool createIfMissing)
{
    auto result = createIfMissing ? WorkspaceStore::loadOrCreate(m_workspacePath, WorkspaceStore::DefaultLockWaitMs, StarterWorkspace::create())
                                  : WorkspaceStore::load(m_workspacePath);
    if (!createIfMissing && result.status == WorkspaceStore::Status::NotFound) {
        m_workspace = StarterWorkspace::create();
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
    const auto result = WorkspaceStore::update(m_workspacePath, change, WorkspaceStore::DefaultLockWaitMs, StarterWorkspace::create());
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
