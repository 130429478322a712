#include "workspace/EnvironmentChange.h"

bool EnvironmentChange::affectsToken(const Environment &before, const Environment &after)
{
    return before.id != after.id || before.builtin != after.builtin || before.tokenUrl != after.tokenUrl
        || before.clientId != after.clientId || before.clientAuth != after.clientAuth || before.grant != after.grant
        || before.username != after.username || before.scopes != after.scopes || before.params != after.params
        || before.trustedCertificates != after.trustedCertificates || before.allowInsecureHttp != after.allowInsecureHttp;
}
