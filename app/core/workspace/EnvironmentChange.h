#pragma once

#include "workspace/Environment.h"

// What an edit of an environment means for the token fetched with it.
class EnvironmentChange
{
public:
    // Whether a token fetched for before may differ from one fetched for after: what goes into the
    // token request (token URL, client, its authentication, grant, username, scopes, parameters),
    // what it trusts and whether it may use plain http. Name, tier, API URL, context headers and
    // variables only shape API requests, never the token. Secrets live in the keychain: a caller
    // that changed one must say so itself.
    static bool affectsToken(const Environment &before, const Environment &after);
};
