#include "matrix/MatrixPlanner.h"

#include "matrix/MatrixPlan.h"
#include "workspace/Environment.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MatrixPlanner", text);
}

QStringList sortedScopes(const QStringList &scopes)
{
    QStringList sorted = RequestDraft::normalizedScopes(scopes);
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

QStringList catalogOf(const Environment &environment)
{
    QStringList catalog;
    for (const CatalogScope &scope : environment.scopeCatalog)
        catalog.append(scope.name);
    if (catalog.isEmpty())
        catalog = environment.scopes;
    return RequestDraft::normalizedScopes(catalog);
}

// A scope that reads, by the conventions APIs name them with: "orders:read", "read:orders",
// "orders.read", ".../disputes/read", ".../read-buyer" (its first or last word is read), not
// "readwrite".
bool isReadScope(const QString &scope)
{
    static const QRegularExpression separators(QStringLiteral("[:./]"));
    const QStringList words = scope.toLower().split(separators, Qt::SkipEmptyParts);
    if (words.isEmpty())
        return false;
    const auto reads = [](const QString &word) {
        return word == QLatin1String("read") || word.startsWith(QLatin1String("read-"))
                || word.startsWith(QLatin1String("read_"));
    };
    return reads(words.constFirst()) || reads(words.constLast());
}

// Whether a token holding `held` satisfies one of the alternatives: then it proves no denial.
bool satisfiesAny(const QStringList &heldList, const QList<QStringList> &alternatives)
{
    const QSet<QString> held(heldList.begin(), heldList.end());
    return std::any_of(alternatives.begin(), alternatives.end(), [&](const QStringList &alternative) {
        return std::all_of(alternative.begin(), alternative.end(),
                           [&](const QString &scope) { return held.contains(scope); });
    });
}

// Collects one request's cells, merging two that would mint the same token.
class RequestCells
{
public:
    RequestCells(int index, const PlanRequest &request)
        : m_index(index)
        , m_request(request)
    {
    }

    void add(ScopeSet set, int expectedStatus)
    {
        set.scopes = sortedScopes(set.scopes);
        const QString key = set.key();
        if (const auto found = m_byKey.constFind(key); found != m_byKey.cend()) {
            // One token, missing more than one scope the request needs (a b | a c, without b and
            // without c are both {a}): the cell says it lacks each.
            ScopeSet &merged = m_cells[found.value()].set;
            for (const QString &scope : std::as_const(set.removed)) {
                if (!merged.removed.contains(scope))
                    merged.removed.append(scope);
            }
            return;
        }
        m_byKey.insert(key, static_cast<int>(m_cells.size()));
        MatrixCell cell;
        cell.request = m_index;
        cell.requestId = m_request.id;
        cell.set = set;
        cell.expectedStatus = expectedStatus;
        m_cells.append(cell);
    }

    QList<MatrixCell> cells() const
    {
        QList<MatrixCell> out = m_cells;
        for (MatrixCell &cell : out)
            std::sort(cell.set.removed.begin(), cell.set.removed.end());
        return out;
    }

private:
    int m_index;
    const PlanRequest &m_request;
    QList<MatrixCell> m_cells;
    QHash<QString, int> m_byKey; // ScopeSet::key() → index in m_cells
};

// An empty set would let the server grant its defaults: ask for an unrelated scope instead.
bool fillEmpty(ScopeSet *set, const QString &substitute)
{
    if (substitute.isEmpty())
        return false;
    set->scopes = {substitute};
    set->substitute = substitute;
    return true;
}

} // namespace

QString MatrixPlanner::onBehalfOfScope()
{
    return QStringLiteral("core.users:act-on-behalf-of");
}

bool MatrixPlanner::isOnBehalfOf(const Environment &environment)
{
    const bool sendsHeader = std::any_of(environment.headers.begin(), environment.headers.end(), [](const HeaderTemplate &h) {
        return !h.name.trimmed().isEmpty() && !h.valueTemplate.trimmed().isEmpty();
    });
    return sendsHeader && catalogOf(environment).contains(onBehalfOfScope());
}

QString MatrixPlanner::substituteScope(const QStringList &catalog, const QList<ScopeRequirement> &alternatives)
{
    QSet<QString> used;
    for (const ScopeRequirement &alternative : alternatives) {
        for (const QString &scope : alternative.scopes)
            used.insert(scope);
    }
    used.insert(onBehalfOfScope());
    QStringList unrelated;
    for (const QString &scope : catalog) {
        if (!used.contains(scope))
            unrelated.append(scope);
    }
    std::sort(unrelated.begin(), unrelated.end());
    for (const QString &scope : std::as_const(unrelated)) {
        if (isReadScope(scope))
            return scope;
    }
    // Any unrelated scope still makes the token lack every alternative; a read one is only
    // preferred because it is the least a stray grant could do.
    return unrelated.isEmpty() ? QString() : unrelated.constFirst();
}

TemplateExpander::Variables MatrixPlanner::variables(const MatrixPlan &plan, const PlanRequest &request,
                                                    const Environment &environment)
{
    // The first of a name wins (TemplateExpander, RequestBuilder): the request's own, then the
    // plan's, then the environment's.
    return request.draft.extraVariables + plan.variables + environment.variables;
}

QList<MatrixCell> MatrixPlanner::cells(const MatrixPlan &plan, const Environment &environment, QStringList *notes)
{
    QStringList localNotes;
    const QStringList catalog = catalogOf(environment);
    const bool onBehalf = isOnBehalfOf(environment);
    const QString oboScope = onBehalfOfScope();
    QList<MatrixCell> all;

    for (int index = 0; index < plan.requests.size(); ++index) {
        const PlanRequest &request = plan.requests.at(index);
        if (request.requiredScopes.isEmpty()) {
            localNotes.append(tr("%1: no scopes documented; not verified").arg(request.name));
            continue;
        }
        const TemplateExpander::Variables known = variables(plan, request, environment);
        QStringList unresolved;
        TemplateExpander::expand(request.draft.url, known, &unresolved);

        // A scope may name a variable ("account:{{accountId}}"): the token is asked for its value.
        QList<ScopeRequirement> requirements;
        QList<QStringList> alternatives; // those that need a scope, each sorted
        bool scopeFree = false;          // an alternative needs a token but no scope
        bool anonymous = false;          // an alternative needs nothing at all (OpenAPI's {})
        for (const ScopeRequirement &requirement : request.requiredScopes) {
            QStringList expanded;
            for (const QString &scope : requirement.scopes)
                expanded.append(TemplateExpander::expand(scope, known, &unresolved));
            const QStringList scopes = sortedScopes(expanded);
            requirements.append({requirement.scheme, scopes});
            if (scopes.isEmpty()) {
                scopeFree = true;
                anonymous = anonymous || requirement.scheme.isEmpty();
            } else if (!alternatives.contains(scopes)) {
                alternatives.append(scopes);
            }
        }
        if (!unresolved.isEmpty()) {
            localNotes.append(tr("%1: {{%2}} is defined neither by the plan nor by the environment")
                                      .arg(request.name, unresolved.join(QStringLiteral("}}, {{"))));
        }
        if (anonymous) {
            localNotes.append(tr("%1: its document lets anyone call it, with or without a token; not verified")
                                      .arg(request.name));
            continue;
        }
        // The needed sets, in order: each alternative, and the empty set when one needs no scope.
        QList<QStringList> needed = alternatives;
        if (scopeFree)
            needed.append(QStringList());
        // In an on-behalf-of environment the context header is always sent, and acting for a user
        // needs its own scope whatever the endpoint: every token that must not be refused for
        // lacking it asks for it, so a denial can only be for the scope the cell removed.
        QList<QStringList> withContext = needed;
        if (onBehalf) {
            for (QStringList &scopes : withContext)
                scopes = sortedScopes(scopes + QStringList{oboScope});
        }
        const QString substitute = substituteScope(catalog, requirements);
        RequestCells cells(index, request);

        for (const QStringList &scopes : std::as_const(withContext))
            cells.add({ScopeSet::Kind::Needed, scopes, {}, {}}, request.successStatus);

        if (scopeFree) {
            localNotes.append(tr("%1: it can be called with a token of any scope, so no missing scope can be refused")
                                      .arg(request.name));
        } else {
            for (int a = 0; a < alternatives.size(); ++a) {
                for (const QString &scope : alternatives.at(a)) {
                    if (onBehalf && scope == oboScope)
                        continue; // its absence is the on-behalf cell's
                    QStringList scopes = withContext.at(a);
                    scopes.removeAll(scope);
                    ScopeSet set{ScopeSet::Kind::MissingScope, scopes, {scope}, {}};
                    if (scopes.isEmpty() && !fillEmpty(&set, substitute)) {
                        localNotes.append(tr("%1, without %2: the catalog has no other scope to ask for, and a server "
                                             "may grant its defaults to a token request naming none; the cell cannot "
                                             "be made exact")
                                                  .arg(request.name, scope));
                    }
                    if (satisfiesAny(set.scopes, alternatives)) {
                        // Only when one alternative holds another (a b | a): not a denial to test.
                        localNotes.append(tr("%1, without %2: the remaining scopes still satisfy another alternative; "
                                             "no denial to test")
                                                  .arg(request.name, scope));
                        continue;
                    }
                    cells.add(set, request.denialStatus);
                }
            }
        }
        if (onBehalf) {
            for (const QStringList &scopes : std::as_const(needed)) {
                QStringList without = scopes;
                without.removeAll(oboScope);
                ScopeSet set{ScopeSet::Kind::OnBehalfWithoutScope, without, {oboScope}, {}};
                if (without.isEmpty() && !fillEmpty(&set, substitute)) {
                    localNotes.append(tr("%1, on behalf without %2: the catalog has no other scope to ask for; the "
                                         "cell cannot be made exact")
                                              .arg(request.name, oboScope));
                }
                cells.add(set, request.denialStatus);
            }
        }
        cells.add({ScopeSet::Kind::NoToken, {}, {}, {}}, request.unauthenticatedStatus);
        all.append(cells.cells());
    }
    if (notes)
        notes->append(localNotes);
    return all;
}
