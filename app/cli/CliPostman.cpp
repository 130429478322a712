#include "CliPostman.h"

#include "Cli.h"
#include "CliPrinter.h"
#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "contract/PostmanExport.h"
#include "contract/PostmanImport.h"
#include "contract/WorkspaceImport.h"
#include "secrets/SecretStore.h"
#include "templates/StarterWorkspace.h"
#include "workspace/WorkspaceStore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;


CliPostman::CliPostman(CliPrinter &print, const QString &workspacePath, KnownSecrets &known, SecretReader readSecret)
    : m_print(print)
    , m_workspacePath(workspacePath)
    , m_known(known)
    , m_readSecret(std::move(readSecret))
{
}

namespace {
// What `export postman` and `import postman` accept: their parsers are configured from these and
// their --help lists them (CommandHelp).
struct ExportOptions
{
    const QCommandLineOption envOption{u"env"_s, u"The environment whose token endpoint and headers the collection uses (needed when there are several)"_s,
                                       u"NAME"_s};
    const QCommandLineOption includeSecrets{u"include-secrets"_s,
                                            u"Write the client secret, password and secret parameters from the keychain into the file"_s};
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return {envOption, includeSecrets, json}; }
};

struct ImportOptions
{
    const QCommandLineOption dryRun{u"dry-run"_s, u"Show what the import would do; change nothing"_s};
    const QCommandLineOption environmentFile{u"environment"_s, u"A Postman environment file whose variables the environments get"_s, u"FILE"_s};
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return {dryRun, environmentFile, json}; }
};

const CommandHelp::Registration exportPostmanHelp([] {
    CommandHelp help(u"export postman"_s, u"Write the saved requests as a Postman Collection v2.1"_s);
    help.synopsis = {u"export postman FILE [--env NAME] [--include-secrets] [--json]"_s};
    help.options = ExportOptions().all();
    help.details = {u"The collection runs in Postman and newman: a first request gets the token from NAME's token endpoint with its grant "
                    "and client authentication, as collection variables. Secrets are empty variables unless --include-secrets, which "
                    "copies them from the keychain (with a warning, into a file only you can read)."_s};
    help.exitCodes = {{Cli::Unexpected, u"the file cannot be written"_s},
                      {Cli::Usage, u"no file given, or several environments and no --env"_s},
                      {Cli::WorkspaceProblem, u"no environment of that name, the built-in Demo, or one without a token or API URL"_s}};
    help.examples = {u"tokenbench-cli export postman api.postman_collection.json --env staging"_s};
    return help;
});

const CommandHelp::Registration importPostmanHelp([] {
    CommandHelp help(u"import postman"_s, u"Import a Postman Collection v2.1"_s);
    help.synopsis = {u"import postman FILE [--environment POSTMAN_ENV_FILE] [--dry-run] [--json]"_s};
    help.options = ImportOptions().all();
    help.details = {u"Its requests (folders kept), variables and oauth2/bearer auth become saved requests and environments. A second "
                    "import of the same collection updates what the first created, keeping your own edits. Scripts are listed, never run; "
                    "literal secrets are reported, never stored."_s};
    help.exitCodes = {{Cli::Usage, u"no file given, or it cannot be read"_s},
                      {Cli::WorkspaceProblem, u"the workspace cannot be read or written"_s},
                      {Cli::DocumentRefused, u"the document cannot be imported (malformed, hostile, too large, not v2.1); nothing changed"_s}};
    help.examples = {u"tokenbench-cli import postman api.postman_collection.json --dry-run"_s,
                     u"tokenbench-cli import postman api.postman_collection.json --environment staging.postman_environment.json"_s};
    return help;
});
} // namespace

QString CliPostman::exportUsage()
{
    return u"usage: export postman FILE [--env NAME] [--include-secrets]"_s;
}

QString CliPostman::importUsage()
{
    return u"usage: import postman FILE [--environment POSTMAN_ENVIRONMENT_FILE] [--dry-run] [--json]"_s;
}

int CliPostman::usageError(const QString &message)
{
    m_print.failure(u"usage"_s, message + u"\nRun 'tokenbench-cli --help' for usage."_s);
    return Cli::Usage;
}

int CliPostman::exportCollection(const QStringList &args)
{
    const ExportOptions accepted; // the parser's options and the help's
    const QCommandLineOption &envOption = accepted.envOption;
    const QCommandLineOption &includeSecrets = accepted.includeSecrets;
    const QCommandLineOption &json = accepted.json;
    QCommandLineParser parser;
    CliSupport::configure(parser, accepted.all());
    QString error;
    if (!CliSupport::parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(exportUsage());
    const QString file = positional.first();

    auto loaded = WorkspaceStore::load(m_workspacePath);
    if (!loaded.ok()) {
        m_print.failure(u"workspace"_s, loaded.message);
        return Cli::WorkspaceProblem;
    }
    const Workspace &workspace = *loaded.workspace;
    const Environment *environment = nullptr;
    if (parser.isSet(envOption)) {
        environment = workspace.find(parser.value(envOption));
        if (!environment) {
            QStringList names;
            for (const Environment &env : workspace.environments())
                names.append(env.name);
            m_print.failure(u"workspace"_s, u"no environment named \"%1\" in %2.%3"_s.arg(parser.value(envOption), m_workspacePath,
                                                                                          DidYouMean::hint(parser.value(envOption), names)));
            return Cli::WorkspaceProblem;
        }
    } else {
        QList<const Environment *> candidates;
        for (const Environment &env : workspace.environments()) {
            if (!env.isBuiltinDemo())
                candidates.append(&env);
        }
        if (candidates.size() != 1) {
            QStringList names;
            for (const Environment *env : candidates)
                names.append(u"\"%1\""_s.arg(env->name));
            m_print.failure(u"usage"_s, candidates.isEmpty()
                                            ? u"the workspace has no environment of its own to export the collection for; add one with 'tokenbench-cli env add'"_s
                                            : u"name the environment whose token endpoint the collection uses with --env (one of %1)"_s.arg(names.join(u", "_s)));
            return Cli::Usage;
        }
        environment = candidates.first();
    }
    if (environment->isBuiltinDemo()) {
        m_print.failure(u"workspace"_s, u"the built-in Demo environment has no fixed URLs: run 'tokenbench-cli demo --port N' and add an environment for its token and API URLs"_s);
        return Cli::WorkspaceProblem;
    }
    if (environment->tokenUrl.isEmpty() || environment->apiBaseUrl.isEmpty()) {
        m_print.failure(u"workspace"_s, u"\"%1\" needs a token URL and an API URL to be exported (tokenbench-cli env set)"_s.arg(environment->name));
        return Cli::WorkspaceProblem;
    }

    // What the keychain holds for this environment: scanned for in every request, and written
    // only when the user asked for it.
    PostmanExport::Secrets secrets;
    QStringList missing;
    const auto fromKeychain = [&](const QString &name, const QString &what, QString *out) {
        const SecretResult result = m_readSecret(SecretStore::keyFor(workspace.id(), environment->id, name));
        if (result.status == SecretResult::Status::Found) {
            *out = result.value;
            m_known.add(result.value, what);
        } else if (parser.isSet(includeSecrets)) {
            missing.append(what);
        }
    };
    if (parser.isSet(includeSecrets)) {
        fromKeychain(SecretStore::clientSecretName(), u"the client secret"_s, &secrets.clientSecret);
        if (environment->grant == GrantType::Password)
            fromKeychain(SecretStore::passwordName(), u"the password"_s, &secrets.password);
        for (const QString &param : environment->secretParamNames()) {
            QString value;
            fromKeychain(SecretStore::paramName(param), u"secret parameter %1"_s.arg(param), &value);
            secrets.params.append({param, value});
        }
    }
    const PostmanExport::Result result =
        PostmanExport::build(workspace, *environment, &m_known, parser.isSet(includeSecrets) ? &secrets : nullptr);

    QSaveFile out(file);
    // A file with secrets is the user's only: made so before a byte is written.
    out.setDirectWriteFallback(false);
    const QByteArray bytes = QJsonDocument(result.collection).toJson(QJsonDocument::Indented);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        m_print.failure(u"file"_s, u"cannot write %1: %2"_s.arg(file, out.errorString()));
        return Cli::Unexpected;
    }
    if (parser.isSet(includeSecrets)) {
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        // Said on stderr even with --json: the file now needs the care a password does.
        m_print.err() << u"Warning: %1 holds the secrets of \"%2\" in clear text (--include-secrets). Do not commit or share it."_s.arg(
                             file, environment->name)
                      << Qt::endl;
        for (const QString &what : missing)
            m_print.err() << u"Warning: the keychain has no %1 for \"%2\"; its variable is left empty."_s.arg(what, environment->name) << Qt::endl;
    }
    if (m_print.json()) {
        m_print.out() << QString::fromUtf8(QJsonDocument(QJsonObject{
                                               {u"file"_s, QFileInfo(file).absoluteFilePath()},
                                               {u"environment"_s, environment->name},
                                               {u"requests"_s, result.requestCount},
                                               {u"secrets_included"_s, parser.isSet(includeSecrets)},
                                               {u"skipped"_s, QJsonArray::fromStringList(result.skipped)},
                                               {u"notes"_s, QJsonArray::fromStringList(result.notes)},
                                           }).toJson(QJsonDocument::Compact))
                      << Qt::endl;
        return Cli::Ok;
    }
    m_print.out() << u"Exported %1 saved request(s) for \"%2\" to %3 as a Postman Collection v2.1."_s.arg(result.requestCount).arg(environment->name, file)
                  << Qt::endl;
    for (const QString &skipped : result.skipped)
        m_print.out() << u"  skipped: "_s << skipped << Qt::endl;
    for (const QString &note : result.notes)
        m_print.out() << u"  note: "_s << note << Qt::endl;
    if (!parser.isSet(includeSecrets))
        m_print.out() << u"Run it with: newman run %1 --env-var client_secret=…%2"_s.arg(
                             file, environment->grant == GrantType::Password ? u" --env-var password=…"_s : QString())
                      << Qt::endl;
    return Cli::Ok;
}

bool CliPostman::readDocument(const QString &path, QByteArray *bytes)
{
    // Only a regular file, read bounded: a FIFO or a device would block or never end.
    const QFileInfo info(path);
    if (!info.exists()) {
        m_print.failure(u"file"_s, u"%1: no such file"_s.arg(path));
        return false;
    }
    if (!info.isFile()) {
        m_print.failure(u"import"_s, u"%1 is not a regular file"_s.arg(path));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_print.failure(u"file"_s, u"cannot read %1: %2"_s.arg(path, file.errorString()));
        return false;
    }
    *bytes = file.read(PostmanImport::MaxBytes + 1);
    if (bytes->size() > PostmanImport::MaxBytes) {
        m_print.failure(u"import"_s, u"%1 cannot be imported: it is larger than %2 MB"_s.arg(path).arg(PostmanImport::MaxBytes / (1024 * 1024)));
        return false;
    }
    return true;
}

int CliPostman::importCollection(const QStringList &args)
{
    const ImportOptions accepted; // the parser's options and the help's
    const QCommandLineOption &dryRun = accepted.dryRun;
    const QCommandLineOption &environmentFile = accepted.environmentFile;
    const QCommandLineOption &json = accepted.json;
    QCommandLineParser parser;
    CliSupport::configure(parser, accepted.all());
    QString error;
    if (!CliSupport::parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(importUsage());
    const QString path = positional.first();

    QByteArray bytes;
    if (!readDocument(path, &bytes))
        return QFileInfo::exists(path) && QFileInfo(path).isReadable() ? Cli::DocumentRefused : Cli::Usage;
    std::optional<ImportPlan> plan = PostmanImport::read(bytes, &error);
    if (!plan) {
        m_print.failure(u"import"_s, u"%1 cannot be imported: %2. Nothing was changed."_s.arg(path, error));
        return Cli::DocumentRefused;
    }
    if (parser.isSet(environmentFile)) {
        const QString environmentPath = parser.value(environmentFile);
        if (!readDocument(environmentPath, &bytes))
            return Cli::DocumentRefused;
        if (!PostmanImport::addEnvironmentFile(bytes, &*plan, &error)) {
            m_print.failure(u"import"_s, u"%1 cannot be imported: %2. Nothing was changed."_s.arg(environmentPath, error));
            return Cli::DocumentRefused;
        }
    }

    ImportOutcome outcome;
    if (parser.isSet(dryRun)) {
        auto loaded = WorkspaceStore::load(m_workspacePath);
        if (loaded.status == WorkspaceStore::Status::NotFound) {
            outcome = WorkspaceImport::preview(StarterWorkspace::create(), *plan);
        } else if (!loaded.ok()) {
            m_print.failure(u"workspace"_s, loaded.message);
            return Cli::WorkspaceProblem;
        } else {
            outcome = WorkspaceImport::preview(*loaded.workspace, *plan);
        }
    } else {
        const auto result = WorkspaceStore::update(m_workspacePath, [&](Workspace &workspace, QString *refusal) {
            return WorkspaceImport::apply(&workspace, *plan, refusal, &outcome);
        }, WorkspaceStore::DefaultLockWaitMs, StarterWorkspace::create());
        if (!result.ok()) {
            m_print.failure(u"workspace"_s, result.message);
            return Cli::WorkspaceProblem;
        }
    }
    printOutcome(*plan, outcome, parser.isSet(dryRun));
    return Cli::Ok;
}

void CliPostman::printOutcome(const ImportPlan &plan, const ImportOutcome &outcome, bool dryRun)
{
    const auto environmentName = [&](const QString &key) {
        for (const ImportAction &action : outcome.actions) {
            if (action.item == ImportAction::Item::Environment && action.key == key)
                return action.name;
        }
        return key;
    };
    const auto count = [&](ImportAction::Kind kind) {
        return QJsonObject{{u"environments"_s, outcome.count(kind, ImportAction::Item::Environment)},
                           {u"requests"_s, outcome.count(kind, ImportAction::Item::Request)}};
    };
    if (m_print.json()) {
        QJsonArray actions;
        for (const ImportAction &action : outcome.actions) {
            actions.append(QJsonObject{{u"action"_s, ImportAction::kindName(action.kind)},
                                       {u"item"_s, ImportAction::itemName(action.item)},
                                       {u"name"_s, action.name},
                                       {u"key"_s, action.key},
                                       {u"changes"_s, QJsonArray::fromStringList(action.changes)}});
        }
        QJsonArray inputs;
        for (const ImportPlan::Input &input : plan.inputs) {
            inputs.append(QJsonObject{{u"environment"_s, environmentName(input.environmentKey)},
                                      {u"name"_s, input.name},
                                      {u"description"_s, input.description}});
        }
        m_print.out() << QString::fromUtf8(QJsonDocument(QJsonObject{
                                               {u"source"_s, plan.sourceKind},
                                               {u"title"_s, plan.title},
                                               {u"document"_s, plan.document},
                                               {u"dry_run"_s, dryRun},
                                               {u"added"_s, count(ImportAction::Kind::Add)},
                                               {u"updated"_s, count(ImportAction::Kind::Update)},
                                               {u"unchanged"_s, count(ImportAction::Kind::Unchanged)},
                                               {u"actions"_s, actions},
                                               {u"skipped"_s, QJsonArray::fromStringList(outcome.skipped)},
                                               {u"notes"_s, QJsonArray::fromStringList(plan.notes)},
                                               {u"inputs"_s, inputs},
                                           }).toJson(QJsonDocument::Compact))
                      << Qt::endl;
        return;
    }
    QTextStream &out = m_print.out();
    out << u"%1 \"%2\"%3:"_s.arg(plan.sourceKind, plan.title, dryRun ? u" (dry run: nothing changed)"_s : QString()) << Qt::endl;
    for (const ImportAction &action : outcome.actions) {
        out << u"  %1 %2 \"%3\"%4"_s.arg(dryRun ? u"would "_s + ImportAction::kindName(action.kind) : ImportAction::kindName(action.kind),
                                          ImportAction::itemName(action.item), action.name,
                                          action.changes.isEmpty() ? QString() : u" ("_s + action.changes.join(u", "_s) + u')')
            << Qt::endl;
    }
    out << u"%1 %2 environment(s) and %3 request(s), updated %4 and %5, %6 and %7 unchanged."_s
               .arg(dryRun ? u"Would add"_s : u"Added"_s)
               .arg(outcome.count(ImportAction::Kind::Add, ImportAction::Item::Environment))
               .arg(outcome.count(ImportAction::Kind::Add, ImportAction::Item::Request))
               .arg(outcome.count(ImportAction::Kind::Update, ImportAction::Item::Environment))
               .arg(outcome.count(ImportAction::Kind::Update, ImportAction::Item::Request))
               .arg(outcome.count(ImportAction::Kind::Unchanged, ImportAction::Item::Environment))
               .arg(outcome.count(ImportAction::Kind::Unchanged, ImportAction::Item::Request))
        << Qt::endl;
    if (!outcome.skipped.isEmpty()) {
        out << u"Skipped:"_s << Qt::endl;
        for (const QString &line : outcome.skipped)
            out << u"  "_s << line << Qt::endl;
    }
    if (!plan.notes.isEmpty()) {
        out << u"Notes:"_s << Qt::endl;
        for (const QString &line : plan.notes)
            out << u"  "_s << line << Qt::endl;
    }
    if (!plan.inputs.isEmpty()) {
        out << u"To fill in (tokenbench-cli env set NAME ...):"_s << Qt::endl;
        for (const ImportPlan::Input &input : plan.inputs)
            out << u"  \"%1\": %2 — %3"_s.arg(environmentName(input.environmentKey), input.name, input.description) << Qt::endl;
    }
}
