#pragma once

#include "workspace/Environment.h"

#include <QString>
#include <QUrl>

// Where a built-in environment (Environment::builtin set, e.g. the Demo) gets what the workspace
// does not hold: its live URLs and client id, and its credentials, from a server running in this
// process. The session layer asks through this interface only; the application (GUI main, the
// CLI, tests) installs the implementation, so the session knows no particular server.
class BuiltinEnvironmentResolver
{
public:
    struct Credentials
    {
        QString clientSecret;
        QString password; // used by the password grant only
    };

    virtual ~BuiltinEnvironmentResolver() = default;

    // Whether this resolver provides the environment.
    virtual bool provides(const Environment &environment) const = 0;
    // Empty when the server can be used now; else why not, in words ("… is not running").
    virtual QString unavailableReason() const = 0;
    // Where the server listens, for the status bar; empty when it does not run.
    virtual QUrl serverUrl() const = 0;
    // The environment with its live URLs and client id (and the password grant's username).
    virtual Environment resolved(const Environment &environment) const = 0;
    // The credentials it is used with: built in and public, never the user's.
    virtual Credentials credentials(const Environment &environment) const = 0;
};
