#include "Cli.h"

#include "CliSupport.h"
#include "DidYouMean.h"
#include "history/DraftRedactor.h"
#include "history/Redactor.h"
#include "secrets/CredentialScan.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;
using CliSupport::configure;
using CliSupport::parse;

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
