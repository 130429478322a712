#include "matrix/MatrixCell.h"

#include "matrix/MatrixPlan.h"

#include <algorithm>

QString MatrixCell::id() const
{
    return requestId + QLatin1Char('\n') + set.key();
}

RequestDraft MatrixCell::draftToSend(const MatrixPlan &plan) const
{
    if (request < 0 || request >= plan.requests.size())
        return {};
    RequestDraft draft = plan.requests.at(request).draft;
    // The first of a name wins (RequestBuilder puts extraVariables before the environment's):
    // the request's own, then the plan's.
    draft.extraVariables = draft.extraVariables + plan.variables;
    draft.scopes = set.scopes;
    draft.noScopes = set.scopes.isEmpty();
    draft.scopeMatch = ScopeMatch::Exact;
    const QString authorization = QStringLiteral("Authorization");
    draft.injectionSwitches.erase(std::remove_if(draft.injectionSwitches.begin(), draft.injectionSwitches.end(),
                                                 [&](const RequestDraft::InjectionSwitch &s) {
                                                     return s.headerName.compare(authorization, Qt::CaseInsensitive) == 0;
                                                 }),
                                  draft.injectionSwitches.end());
    if (set.kind == ScopeSet::Kind::NoToken)
        draft.injectionSwitches.append({authorization, true, std::nullopt});
    return draft;
}
