#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "history/DraftRedactor.h"
#include "history/Redactor.h"
#include "secrets/CredentialScan.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {
// What `request` accepts: its parser is configured from this and the subcommands' --help list it
// (CommandHelp); --reveal belongs to show alone.
struct RequestOptions
{
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};
    const QCommandLineOption reveal{u"reveal"_s, u"Print a credential found in the saved request as stored, not as ••••"_s};

    QList<QCommandLineOption> all() const { return {json, reveal}; }
};

const CommandHelp::Registration requestListHelp([] {
    CommandHelp help(u"request list"_s, u"List the saved requests and the scopes each needs"_s);
    help.synopsis = {u"request list [--json]"_s};
    help.options = {RequestOptions().json};
    help.details = {u"The scopes are those the API documents the request needs (from an OpenAPI import, for instance), as "
                    "alternatives: \"a b | c\" means a token with both a and b, or one with c. --json gives every request whole, "
                    "with \"requiredScopes\": [{\"scheme\", \"scopes\"}, ...]."_s};
    help.examples = {u"tokenbench-cli request list"_s, u"tokenbench-cli request list --json"_s};
    return help;
});

const CommandHelp::Registration requestShowHelp([] {
    CommandHelp help(u"request show"_s, u"Show one saved request"_s);
    help.synopsis = {u"request show NAME [--reveal] [--json]"_s};
    const RequestOptions options;
    help.options = {options.json, options.reveal};
    help.details = {u"A credential in it (from a workspace written elsewhere) is shown as •••• unless --reveal."_s};
    help.exitCodes = {{Cli::WorkspaceProblem, u"no saved request of that name, or an unreadable workspace"_s}};
    help.examples = {u"tokenbench-cli request show 'List accounts'"_s};
    return help;
});

const CommandHelp::Registration requestRemoveHelp([] {
    CommandHelp help(u"request remove"_s, u"Remove a saved request from the workspace"_s);
    help.synopsis = {u"request remove NAME [--json]"_s};
    help.options = {RequestOptions().json};
    help.exitCodes = {{Cli::WorkspaceProblem, u"no saved request of that name, or the workspace cannot be written"_s}};
    help.examples = {u"tokenbench-cli request remove 'List accounts'"_s};
    return help;
});
} // namespace

int Cli::runRequest(const QStringList &args)
{
    const RequestOptions accepted; // the parser's options and the help's
    const QCommandLineOption &reveal = accepted.reveal;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args))
        return Usage;
    const QStringList positional = parser.positionalArguments();
    const QString sub = positional.value(0);
    if (!((sub == u"list"_s && positional.size() == 1) || ((sub == u"show"_s || sub == u"remove"_s) && positional.size() == 2)))
        return usageError(u"usage: request list | request show NAME | request remove NAME.%1"_s.arg(
            QStringList{u"list"_s, u"show"_s, u"remove"_s}.contains(sub) ? QString() : DidYouMean::hint(sub, {u"list"_s, u"show"_s, u"remove"_s})));
    if (parser.isSet(reveal) && sub != u"show"_s)
        return usageError(u"--reveal is an option of request show"_s);
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
