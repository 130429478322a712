#include "contract/WorkspaceImport.h"

#include "secrets/CredentialScan.h"
#include "workspace/RequestNameIndex.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceFile.h"
#include "workspace/WorkspaceWriter.h"

#include <QHash>
#include <QSet>

#include <optional>

using namespace Qt::StringLiterals;

namespace {
// How much a draft holds that must not be stored: what the scan finds plus what the file format refuses.
QStringList problems(const RequestDraft &draft)
{
    QStringList found = CredentialScan().findings(draft);
    if (const QString format = draft.formatProblem(); !format.isEmpty())
        found.append(format);
    return found;
}

// What removing one part of a draft cleared: the findings that went away with it.
QStringList clearedBy(const QStringList &before, const QStringList &after)
{
    QStringList cleared;
    for (const QString &finding : before) {
        if (!after.contains(finding))
            cleared.append(finding);
    }
    return cleared;
}

// Removes, one by one, each element of *list whose removal clears a finding of the draft.
template<typename T>
void dropOffending(RequestDraft *draft, QList<T> RequestDraft::*member, const QString &requestName, QStringList *dropped)
{
    QList<T> &list = draft->*member;
    for (qsizetype i = 0; i < list.size();) {
        const QStringList before = problems(*draft);
        if (before.isEmpty())
            return;
        const T removed = list.takeAt(i);
        const QStringList cleared = clearedBy(before, problems(*draft));
        if (cleared.isEmpty()) {
            list.insert(i, removed);
            ++i;
            continue;
        }
        dropped->append(u"request \"%1\": %2 — left out, never stored"_s.arg(requestName, cleared.join(u"; "_s)));
    }
}

QString uniqueEnvironmentName(const Workspace &workspace, const QString &wanted)
{
    const QString base = wanted.trimmed().isEmpty() ? u"Imported"_s : wanted.trimmed();
    QString name = base;
    for (int n = 2; workspace.find(name); ++n)
        name = u"%1 (%2)"_s.arg(base).arg(n);
    return name;
}

QString uniqueRequestName(const RequestNameIndex &names, const QString &wanted)
{
    const QString base = wanted.trimmed().isEmpty() ? u"Imported request"_s : wanted.trimmed();
    QString name = base;
    for (int n = 2; names.contains(name); ++n)
        name = u"%1 (%2)"_s.arg(base).arg(n);
    return name;
}

// Rows of `mine` first, with their values, then those of `theirs` not among them (by name).
template<typename T, typename NameOf>
QList<T> keepMineAddTheirs(const QList<T> &mine, const QList<T> &theirs, NameOf nameOf)
{
    QList<T> merged = mine;
    QSet<QString> names;
    for (const T &row : mine)
        names.insert(nameOf(row));
    for (const T &row : theirs) {
        if (!names.contains(nameOf(row))) {
            names.insert(nameOf(row));
            merged.append(row);
        }
    }
    return merged;
}

const auto pairName = [](const QPair<QString, QString> &pair) { return pair.first; };

Environment mergedEnvironment(const Environment &mine, const Environment &document)
{
    Environment merged = document;
    merged.id = mine.id;
    merged.name = mine.name;
    merged.tier = mine.tier;
    merged.clientAuth = mine.clientAuth;
    merged.clientId = mine.clientId.isEmpty() ? document.clientId : mine.clientId;
    merged.username = mine.username.isEmpty() ? document.username : mine.username;
    merged.scopes = mine.scopes;
    merged.variables = keepMineAddTheirs(mine.variables, document.variables, pairName);
    merged.params = keepMineAddTheirs(mine.params, document.params, [](const TokenParam &p) { return p.name; });
    merged.headers = keepMineAddTheirs(mine.headers, document.headers,
                                       [](const HeaderTemplate &h) { return h.name.toLower(); });
    merged.allowInsecureHttp = mine.allowInsecureHttp;
    merged.trustedCertificates = mine.trustedCertificates;
    merged.builtin = mine.builtin;
    merged.unknownFields = mine.unknownFields;
    return merged;
}

QStringList environmentChanges(const Environment &before, const Environment &after)
{
    QStringList changes;
    if (before.tokenUrl != after.tokenUrl)
        changes.append(u"token URL"_s);
    if (before.apiBaseUrl != after.apiBaseUrl)
        changes.append(u"API URL"_s);
    if (before.grant != after.grant)
        changes.append(u"grant"_s);
    if (before.scopeCatalog != after.scopeCatalog)
        changes.append(u"scope catalog (%1 scopes)"_s.arg(after.scopeCatalog.size()));
    if (before.clientId != after.clientId)
        changes.append(u"client id"_s);
    if (before.username != after.username)
        changes.append(u"username"_s);
    if (before.variables != after.variables)
        changes.append(u"variables"_s);
    if (before.params != after.params)
        changes.append(u"token parameters"_s);
    if (before.headers != after.headers)
        changes.append(u"context headers"_s);
    if (before.origin.version != after.origin.version)
        changes.append(u"version %1 → %2"_s.arg(before.origin.version, after.origin.version));
    if (changes.isEmpty() && !(before == after))
        changes.append(u"other details"_s);
    return changes;
}

SavedRequest mergedRequest(const SavedRequest &mine, const SavedRequest &document)
{
    SavedRequest merged = document;
    merged.id = mine.id;
    merged.name = mine.name;
    merged.unknownFields = mine.unknownFields;
    merged.draftUnknownFields = mine.draftUnknownFields;
    merged.draft.extraVariables = keepMineAddTheirs(mine.draft.extraVariables, document.draft.extraVariables, pairName);
    merged.draft.scopes = mine.draft.scopes;
    merged.draft.noScopes = mine.draft.noScopes;
    merged.draft.scopeMatch = mine.draft.scopeMatch;
    merged.draft.injectionSwitches = mine.draft.injectionSwitches;
    return merged;
}

QStringList requestChanges(const SavedRequest &before, const SavedRequest &after)
{
    QStringList changes;
    if (before.draft.method != after.draft.method)
        changes.append(u"method"_s);
    if (before.draft.url != after.draft.url)
        changes.append(u"URL"_s);
    if (before.draft.queryParams != after.draft.queryParams)
        changes.append(u"query parameters"_s);
    if (before.draft.headers != after.draft.headers)
        changes.append(u"headers"_s);
    if (before.draft.body != after.draft.body || before.draft.formParts != after.draft.formParts
        || before.draft.contentType != after.draft.contentType)
        changes.append(u"body"_s);
    if (before.draft.extraVariables != after.draft.extraVariables)
        changes.append(u"variables"_s);
    if (before.folder != after.folder)
        changes.append(u"folder"_s);
    if (before.summary != after.summary)
        changes.append(u"summary"_s);
    if (before.requiredScopes != after.requiredScopes)
        changes.append(u"required scopes"_s);
    if (before.successStatus != after.successStatus)
        changes.append(u"success status"_s);
    if (before.origin.version != after.origin.version)
        changes.append(u"version %1 → %2"_s.arg(before.origin.version, after.origin.version));
    if (changes.isEmpty() && !(before == after))
        changes.append(u"other details"_s);
    return changes;
}

// Runs the plan on *workspace (a copy the caller owns); false with *error when an item cannot be stored.
bool run(Workspace *workspace, const ImportPlan &plan, ImportOutcome *outcome, QString *error)
{
    outcome->skipped = plan.skipped;
    QSet<QString> seen;
    for (const Environment &incoming : plan.environments) {
        ImportAction action;
        action.item = ImportAction::Item::Environment;
        action.key = incoming.origin.key;
        if (!incoming.origin.isEmpty()) {
            if (seen.contains(incoming.origin.key)) {
                outcome->skipped.append(u"environment \"%1\": listed twice by the document (%2); the first one is kept"_s.arg(
                    incoming.name, incoming.origin.key));
                continue;
            }
            seen.insert(incoming.origin.key);
        }
        Environment *existing = nullptr;
        for (const Environment &candidate : workspace->environments()) {
            if (candidate.origin.sameItem(incoming.origin)) {
                existing = workspace->findById(candidate.id);
                break;
            }
        }
        if (existing) {
            const Environment merged = mergedEnvironment(*existing, incoming);
            action.name = existing->name;
            action.changes = environmentChanges(*existing, merged);
            action.kind = action.changes.isEmpty() ? ImportAction::Kind::Unchanged : ImportAction::Kind::Update;
            *existing = merged;
        } else {
            Environment added = incoming;
            added.id.clear();
            added.name = uniqueEnvironmentName(*workspace, incoming.name);
            if (added.name != incoming.name.trimmed())
                action.changes.append(u"named \"%1\": \"%2\" is taken"_s.arg(added.name, incoming.name.trimmed()));
            action.name = workspace->upsert(added).name;
            action.kind = ImportAction::Kind::Add;
        }
        outcome->actions.append(action);
    }

    // A document of thousands of operations: each one's earlier import is found by its origin, and
    // its name checked, through an index; the new ones are added together at the end.
    seen.clear();
    QHash<std::pair<QString, QString>, qsizetype> byOrigin;
    byOrigin.reserve(workspace->savedRequests().size());
    for (qsizetype i = 0; i < workspace->savedRequests().size(); ++i) {
        const ImportOrigin &origin = workspace->savedRequests().at(i).origin;
        if (!origin.isEmpty())
            byOrigin.insert({origin.document, origin.key}, i); // the first of several keeps its place
    }
    RequestNameIndex names(workspace->savedRequests());
    QList<SavedRequest> added;
    for (const SavedRequest &planned : plan.requests) {
        ImportAction action;
        action.item = ImportAction::Item::Request;
        action.key = planned.origin.key;
        if (!planned.origin.isEmpty()) {
            if (seen.contains(planned.origin.key)) {
                outcome->skipped.append(u"request \"%1\": listed twice by the document (%2); the first one is kept"_s.arg(
                    planned.name, planned.origin.key));
                continue;
            }
            seen.insert(planned.origin.key);
        }
        const std::optional<SavedRequest> incoming = WorkspaceImport::withoutCredentials(planned, &outcome->skipped);
        if (!incoming)
            continue;
        const SavedRequest *existing = nullptr;
        if (!incoming->origin.isEmpty()) {
            if (const auto found = byOrigin.constFind({incoming->origin.document, incoming->origin.key}); found != byOrigin.constEnd())
                existing = &workspace->savedRequests().at(found.value());
        }
        SavedRequest stored;
        if (existing) {
            stored = mergedRequest(*existing, *incoming);
            action.name = existing->name;
            action.changes = requestChanges(*existing, stored);
            action.kind = action.changes.isEmpty() ? ImportAction::Kind::Unchanged : ImportAction::Kind::Update;
        } else {
            stored = *incoming;
            stored.id.clear();
            stored.name = uniqueRequestName(names, incoming->name);
            if (stored.name != incoming->name.trimmed())
                action.changes.append(u"named \"%1\": \"%2\" is taken"_s.arg(stored.name, incoming->name.trimmed()));
            action.name = stored.name;
            action.kind = ImportAction::Kind::Add;
            names.insert(stored.name);
            added.append(std::move(stored));
        }
        if (action.kind == ImportAction::Kind::Update && !workspace->upsertRequest(stored, error))
            return false;
        outcome->actions.append(action);
    }
    if (!workspace->addRequests(std::move(added), error))
        return false;
    // A workspace file past what WorkspaceFile reads would lock the user out of all of it.
    const qint64 size = WorkspaceWriter::size(*workspace);
    if (size > WorkspaceFile::MaxBytes) {
        *error = u"the import would make the workspace %1, more than the %2 a workspace file may be; nothing was changed"_s.arg(
            WorkspaceFile::describeSize(size), WorkspaceFile::describeSize(WorkspaceFile::MaxBytes));
        return false;
    }
    return true;
}
} // namespace

QString ImportAction::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Add:
        return u"add"_s;
    case Kind::Update:
        return u"update"_s;
    case Kind::Unchanged:
        return u"unchanged"_s;
    }
    return {};
}

QString ImportAction::itemName(Item item)
{
    return item == Item::Environment ? u"environment"_s : u"request"_s;
}

int ImportOutcome::count(ImportAction::Kind kind, ImportAction::Item item) const
{
    int n = 0;
    for (const ImportAction &action : actions) {
        if (action.kind == kind && action.item == item)
            ++n;
    }
    return n;
}

std::optional<SavedRequest> WorkspaceImport::withoutCredentials(SavedRequest request, QStringList *dropped)
{
    if (problems(request.draft).isEmpty())
        return request;
    RequestDraft &draft = request.draft;
    // Variables first: a literal feeding a credential header is the credential, the {{name}} row is not.
    dropOffending(&draft, &RequestDraft::extraVariables, request.name, dropped);
    dropOffending(&draft, &RequestDraft::injectionSwitches, request.name, dropped);
    dropOffending(&draft, &RequestDraft::headers, request.name, dropped);
    dropOffending(&draft, &RequestDraft::queryParams, request.name, dropped);
    dropOffending(&draft, &RequestDraft::formParts, request.name, dropped);
    if (const QStringList before = problems(draft); !before.isEmpty() && draft.formParts.isEmpty() && !draft.body.isEmpty()) {
        const QByteArray body = draft.body;
        draft.body.clear();
        const QStringList cleared = clearedBy(before, problems(draft));
        if (cleared.isEmpty())
            draft.body = body;
        else
            dropped->append(u"request \"%1\": the body: %2 — left out, never stored"_s.arg(request.name, cleared.join(u"; "_s)));
    }
    if (const QStringList left = problems(draft); !left.isEmpty()) {
        dropped->append(u"request \"%1\": %2 — the request is not imported"_s.arg(request.name, left.join(u"; "_s)));
        return std::nullopt;
    }
    return request;
}

ImportOutcome WorkspaceImport::preview(const Workspace &workspace, const ImportPlan &plan)
{
    Workspace copy = workspace;
    ImportOutcome outcome;
    QString error;
    if (!run(&copy, plan, &outcome, &error))
        outcome.skipped.append(error);
    return outcome;
}

bool WorkspaceImport::apply(Workspace *workspace, const ImportPlan &plan, QString *error, ImportOutcome *outcome)
{
    Workspace copy = *workspace;
    ImportOutcome result;
    QString problem;
    if (!run(&copy, plan, &result, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    *workspace = std::move(copy);
    if (outcome)
        *outcome = result;
    return true;
}
