#include "matrix/MatrixPlanner.h"

#include "matrix/MatrixPlan.h"
#include "workspace/Environment.h"

#include <QCoreApplication>
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

bool isReadScope(const QString &scope)
{
    const QString lower = scope.toLower();
    return lower.endsWith(QLatin1String(":read")) || lower.startsWith(QLatin1String("read:"))
            || lower.endsWith(QLatin1String(".read")) || lower.startsWith(QLatin1String("read."))
            || lower == QLatin1String("read");
}

// Whether a token holding `held` satisfies one of the alternatives: then it proves no denial.
bool satisfiesAny(const QStringList &held, const QList<QStringList> &alternatives)
{
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
        std::sort(set.removed.begin(), set.removed.end());
        for (MatrixCell &cell : m_cells) {
            if (cell.set.key() == set.key()) {
                // One token, missing more than one scope the request needs (a b | a c, without b
                // and without c are both {a}): the cell says it lacks each.
                for (const QString &scope : std::as_const(set.removed)) {
                    if (!cell.set.removed.contains(scope))
                        cell.set.removed.append(scope);
                }
                std::sort(cell.set.removed.begin(), cell.set.removed.end());
                return;
            }
        }
        MatrixCell cell;
        cell.request = m_index;
        cell.requestId = m_request.id;
        cell.set = set;
        cell.expectedStatus = expectedStatus;
        m_cells.append(cell);
    }

    QList<MatrixCell> cells() const { return m_cells; }

private:
    int m_index;
    const PlanRequest &m_request;
    QList<MatrixCell> m_cells;
};

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
        QList<QStringList> alternatives;
        bool scopeFree = false;
        bool anonymous = false;
        for (const ScopeRequirement &requirement : request.requiredScopes) {
            const QStringList scopes = sortedScopes(requirement.scopes);
            if (scopes.isEmpty()) {
                scopeFree = true;
                anonymous = anonymous || requirement.scheme.isEmpty();
            } else if (!alternatives.contains(scopes)) {
                alternatives.append(scopes);
            }
        }
        // In an on-behalf-of environment the context header is always sent, and acting for a user
        // needs its own scope whatever the endpoint: every token that must not be refused for
        // lacking it asks for it, so a denial can only be for the scope the cell removed.
        QList<QStringList> withContext = alternatives;
        if (onBehalf) {
            for (QStringList &scopes : withContext)
                scopes = sortedScopes(scopes + QStringList{oboScope});
        }
        const QString substitute = substituteScope(catalog, request.requiredScopes);
        RequestCells cells(index, request);

        for (const QStringList &needed : std::as_const(withContext))
            cells.add({ScopeSet::Kind::Needed, needed, {}, {}}, request.successStatus);

        if (scopeFree) {
            localNotes.append(tr("%1: one alternative needs no scope, so no token lacking a scope can be refused; only "
                                 "the needed scopes%2 are checked")
                                      .arg(request.name, anonymous ? QString() : tr(" and no token")));
        } else {
            for (int a = 0; a < alternatives.size(); ++a) {
                for (const QString &scope : alternatives.at(a)) {
                    if (onBehalf && scope == oboScope)
                        continue; // its absence is the on-behalf cell
                    QStringList scopes = withContext.at(a);
                    scopes.removeAll(scope);
                    ScopeSet set{ScopeSet::Kind::MissingScope, scopes, {scope}, {}};
                    if (scopes.isEmpty()) {
                        if (substitute.isEmpty()) {
                            localNotes.append(tr("%1, without %2: the catalog has no other scope to ask for, and a "
                                                 "server may grant its defaults to a token request naming none; the "
                                                 "cell cannot be made exact")
                                                      .arg(request.name, scope));
                        } else {
                            set.scopes = {substitute};
                            set.substitute = substitute;
                        }
                    }
                    if (satisfiesAny(set.scopes, alternatives)) {
                        localNotes.append(tr("%1, without %2: the remaining scopes still satisfy another alternative; "
                                             "no denial to test")
                                                  .arg(request.name, scope));
                        continue;
                    }
                    cells.add(set, request.denialStatus);
                }
            }
            if (onBehalf) {
                for (const QStringList &needed : std::as_const(alternatives)) {
                    QStringList scopes = needed;
                    scopes.removeAll(oboScope);
                    ScopeSet set{ScopeSet::Kind::OnBehalfWithoutScope, scopes, {oboScope}, {}};
                    if (scopes.isEmpty()) {
                        // The alternative is the on-behalf-of scope alone (an endpoint about the user).
                        if (substitute.isEmpty()) {
                            localNotes.append(tr("%1, on behalf without %2: the catalog has no other scope to ask for; "
                                                 "the cell cannot be made exact")
                                                      .arg(request.name, oboScope));
                        } else {
                            set.scopes = {substitute};
                            set.substitute = substitute;
                        }
                    }
                    cells.add(set, request.denialStatus);
                }
            }
        }
        if (!anonymous)
            cells.add({ScopeSet::Kind::NoToken, {}, {}, {}}, request.unauthenticatedStatus);
        all.append(cells.cells());
    }
    if (notes)
        notes->append(localNotes);
    return all;
}
