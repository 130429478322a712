#include "contract/ScopeGrant.h"

#include <QCoreApplication>

ScopeGrant ScopeGrant::evaluate(const QList<ScopeRequirement> &required, const std::optional<QStringList> &held)
{
    ScopeGrant grant;
    if (!held)
        return grant;
    if (required.isEmpty()) {
        grant.state = State::NotDocumented;
        return grant;
    }
    grant.state = State::Missing;
    for (int i = 0; i < required.size(); ++i) {
        QStringList missing;
        for (const QString &scope : required.at(i).scopes) {
            if (!held->contains(scope))
                missing.append(scope);
        }
        if (missing.isEmpty()) {
            grant.state = State::Granted;
            grant.missing.clear();
            grant.alternative = i;
            return grant;
        }
        // The alternative closest to being granted tells the user the least to add.
        if (grant.alternative < 0 || missing.size() < grant.missing.size()) {
            grant.missing = missing;
            grant.alternative = i;
        }
    }
    return grant;
}

QString ScopeGrant::describe(const QList<ScopeRequirement> &required)
{
    QStringList alternatives;
    for (const ScopeRequirement &requirement : required) {
        alternatives.append(requirement.scopes.isEmpty() ? QCoreApplication::translate("ScopeGrant", "(none)")
                                                         : requirement.scopes.join(QLatin1Char(' ')));
    }
    return alternatives.join(QStringLiteral(" | "));
}
