#include "http/TokenScopes.h"

#include "request/RequestDraft.h"
#include "workspace/Environment.h"

#include <QCoreApplication>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TokenScopes", text);
}
} // namespace

QStringList TokenScopes::normalized(const QStringList &scopes)
{
    return RequestDraft::normalizedScopes(scopes);
}

TokenScopes TokenScopes::forRequest(const RequestDraft &draft, const Environment &environment)
{
    TokenScopes out;
    if (draft.noScopes) {
        out.match = draft.scopeMatch;
        return out;
    }
    out.scopes = normalized(draft.scopes);
    if (out.scopes.isEmpty()) {
        // What the user authorized in the Authorize dialog serves every request that names nothing.
        out.scopes = normalized(environment.scopes);
        out.fromEnvironment = true;
        out.match = Match::AtLeast;
        return out;
    }
    out.match = draft.scopeMatch;
    return out;
}

bool TokenScopes::accepts(const AccessToken &token) const
{
    if (match == Match::Exact) {
        // What the token was asked for, as a set: the server's grant is its own business, and
        // asking again would not change it.
        const QStringList asked = normalized(token.requestedScopes);
        return QSet<QString>(asked.cbegin(), asked.cend()) == QSet<QString>(scopes.cbegin(), scopes.cend());
    }
    for (const QString &scope : scopes) {
        if (!token.requestedScopes.contains(scope) && !token.grantedScopes.contains(scope))
            return false;
    }
    return true;
}

QString TokenScopes::describe() const
{
    if (scopes.isEmpty())
        return match == Match::Exact ? tr("no scope at all") : tr("any scope");
    const QString list = scopes.join(u' ');
    if (fromEnvironment)
        return tr("at least %1 (the environment's)").arg(list);
    return match == Match::Exact ? tr("exactly %1").arg(list) : tr("at least %1").arg(list);
}

QString TokenScopes::matchName(Match match)
{
    return ScopeMatchName::of(match);
}

bool TokenScopes::parseMatch(const QString &name, Match *match)
{
    return ScopeMatchName::parse(name, match);
}
