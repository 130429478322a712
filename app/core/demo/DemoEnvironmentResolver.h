#pragma once

#include "workspace/BuiltinEnvironmentResolver.h"

class DemoServer;

// The built-in Demo environment resolved to the Demo API running in this process: its URLs from
// the server's port, its client id, username and credentials the Demo's own.
class DemoEnvironmentResolver : public BuiltinEnvironmentResolver
{
public:
    explicit DemoEnvironmentResolver(const DemoServer *server);

    bool provides(const Environment &environment) const override;
    QString unavailableReason() const override;
    QUrl serverUrl() const override;
    Environment resolved(const Environment &environment) const override;
    Credentials credentials(const Environment &environment) const override;

private:
    const DemoServer *m_server;
};
