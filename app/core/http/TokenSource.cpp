#include "http/TokenSource.h"

TokenSource::TokenSource(QObject *parent)
    : QObject(parent)
{
}

TokenSource::~TokenSource() = default;

bool TokenSource::covers(const AccessToken &token, const QStringList &scopes)
{
    for (const QString &scope : scopes) {
        if (!token.requestedScopes.contains(scope) && !token.grantedScopes.contains(scope))
            return false;
    }
    return true;
}
