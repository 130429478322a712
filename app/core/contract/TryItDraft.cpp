#include "contract/TryItDraft.h"

#include "util/TemplateExpander.h"

RequestDraft TryItDraft::of(const SavedRequest &request, const Environment *environment)
{
    RequestDraft draft = request.draft;
    if (draft.scopes.isEmpty() && !draft.noScopes && !request.requiredScopes.isEmpty()) {
        const ScopeRequirement &first = request.requiredScopes.first();
        if (!first.scopes.isEmpty()) {
            draft.scopes = RequestDraft::normalizedScopes(first.scopes);
            draft.scopeMatch = ScopeMatch::Exact;
        }
    }
    QStringList used = TemplateExpander::placeholders(draft.url);
    for (const auto &rows : {draft.queryParams, draft.headers}) {
        for (const RequestDraft::Row &row : rows) {
            if (row.enabled)
                used += TemplateExpander::placeholders(row.name) + TemplateExpander::placeholders(row.value);
        }
    }
    const auto defines = [](const QList<QPair<QString, QString>> &variables, const QString &name) {
        return std::any_of(variables.cbegin(), variables.cend(), [&name](const auto &v) { return v.first == name; });
    };
    for (const QString &name : std::as_const(used)) {
        if (defines(draft.extraVariables, name) || (environment && defines(environment->variables, name)))
            continue;
        draft.extraVariables.append({name, QString()});
    }
    return draft;
}
