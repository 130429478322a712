#include "oauth/AccessToken.h"

#include <algorithm>

qint64 AccessToken::secondsLeft(const QDateTime &now) const
{
    return expiresAt.isValid() ? now.secsTo(expiresAt) : -1;
}

qint64 AccessToken::lifetimeSeconds() const
{
    return expiresAt.isValid() && obtainedAt.isValid() ? obtainedAt.secsTo(expiresAt) : -1;
}

bool AccessToken::needsRenewal(const QDateTime &now) const
{
    if (!expiresAt.isValid())
        return false; // nothing to go by; a 401 will tell
    const qint64 margin = std::clamp<qint64>(lifetimeSeconds() / 10, 0, 30);
    return now.secsTo(expiresAt) <= margin;
}

QStringList AccessToken::missingScopes() const
{
    if (scopeSource == ScopeSource::NotReported)
        return {};
    QStringList missing;
    for (const auto &scope : requestedScopes) {
        if (!grantedScopes.contains(scope))
            missing.append(scope);
    }
    return missing;
}
