#include "matrix/MatrixCell.h"

#include "matrix/MatrixPlan.h"

QString MatrixCell::id() const
{
    return requestId + QLatin1Char('\n') + set.key();
}

RequestDraft MatrixCell::draftToSend(const MatrixPlan &plan) const
{
    if (request < 0 || request >= plan.requests.size())
        return {};
    RequestDraft draft = plan.requests.at(request).draft;
    // extraVariables win over the environment's; the request's own, listed last, win over the plan's.
    QList<QPair<QString, QString>> variables = plan.variables;
    for (const auto &variable : std::as_const(draft.extraVariables)) {
        variables.erase(std::remove_if(variables.begin(), variables.end(),
                                       [&](const QPair<QString, QString> &v) { return v.first == variable.first; }),
                        variables.end());
        variables.append(variable);
    }
    draft.extraVariables = variables;
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
