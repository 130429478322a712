#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "ImportReport.h"
#include "contract/OpenApiDocument.h"
#include "contract/OpenApiImport.h"
#include "contract/WorkspaceImport.h"
#include "workspace/WorkspaceFile.h"

#include <QCommandLineParser>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
// What `import openapi` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct OpenApiImportOptions
{
    const QCommandLineOption dryRun{u"dry-run"_s, u"Show what the import would add, update or leave unchanged; change nothing"_s};
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return {dryRun, json}; }
};

const CommandHelp::Registration importOpenApiHelp([] {
    CommandHelp help(u"import openapi"_s, u"Import an OpenAPI 3.0/3.1 (JSON or YAML) or Swagger 2.0 document"_s);
    help.synopsis = {u"import openapi FILE [--dry-run] [--json]"_s};
    help.options = OpenApiImportOptions().all();
    help.details = {
        u"Every OAuth 2 flow Tokenbench runs (client credentials, password) x every server becomes an environment: the token "
        "URL resolved against the server's URL, the flow's scopes as its scope catalog, server variables at their defaults, "
        "the tier guessed from the host name and description. Every operation becomes a saved request: named by its "
        "operationId (else METHOD /path), in the folder of its first tag, with the scopes its security requirement names "
        "(alternatives kept), its parameters as {{variables}} and a JSON body from its example or schema."_s,
        u"Authorization-code and implicit flows and references to other files are listed as skipped, with the reason; "
        "client ids and hosts the document does not give are listed to fill in. Importing a newer version of the same "
        "document (same info.title) updates what the last import created and keeps your edits: client id, username, "
        "tier, variable values, the scopes chosen, secrets."_s};
    help.exitCodes = {{Cli::Usage, u"no such file, or not a regular file"_s},
                      {Cli::DocumentRefused, u"the document cannot be imported (malformed or cut short, nested too deeply, an "
                                             "alias bomb, a reference cycle or dangling reference, over 1,000 scopes in a "
                                             "flow, not OpenAPI); nothing changed"_s}};
    help.examples = {u"tokenbench-cli import openapi api.yaml --dry-run"_s, u"tokenbench-cli import openapi api.json --json"_s};
    return help;
});
} // namespace

// `import openapi` (Cli::run sends `import postman` to CliPostman).
int Cli::runImport(const QStringList &args)
{
    const OpenApiImportOptions options;
    const QCommandLineOption &dryRun = options.dryRun;
    QCommandLineParser parser;
    if (!parseCommand(parser, options.all(), args))
        return Usage;
    QString error;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.first() != u"openapi"_s)
        return usageError(u"usage: import openapi FILE [--dry-run] [--json]"_s);
    const QString file = positional.at(1);

    WorkspaceFile::Result read = WorkspaceFile::read(file, OpenApiDocument::MaxBytes);
    if (read.status == WorkspaceFile::Status::TooLarge) {
        m_print.failure(u"import"_s, u"%1: refused, larger than %2"_s.arg(file, WorkspaceFile::describeSize(OpenApiDocument::MaxBytes)));
        return DocumentRefused;
    }
    if (!read.ok())
        return usageError(u"cannot read %1: %2"_s.arg(file, read.problem));
    // Each stage lets go of what the next no longer needs (the text once it is a tree, the tree once
    // it is a plan): a large document's peak memory is then one stage's, not the sum.
    std::optional<ImportPlan> plan;
    if (std::optional<OpenApiDocument> document = OpenApiDocument::parse(std::exchange(read.bytes, {}), &error))
        plan = OpenApiImport::fromDocument(*document, &error);
    if (!plan) {
        m_print.failure(u"import"_s, u"%1: refused, nothing imported: %2"_s.arg(file, error));
        return DocumentRefused;
    }

    ImportOutcome outcome;
    if (parser.isSet(dryRun)) {
        if (!loadWorkspace(false))
            return WorkspaceProblem;
        outcome = WorkspaceImport::preview(*m_workspace, *plan);
    } else {
        const bool written = updateWorkspace([&](Workspace &workspace, QString *refusal) {
            return WorkspaceImport::apply(&workspace, *plan, refusal, &outcome);
        });
        if (!written)
            return WorkspaceProblem;
    }
    const ImportReport report(*plan, outcome, file, parser.isSet(dryRun));
    if (m_print.json())
        m_print.out() << CliPrinter::jsonText(report.toJson());
    else
        m_print.out() << report.text();
    m_print.out().flush();
    return Ok;
}
