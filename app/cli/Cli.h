#pragma once

#include "CliPrinter.h"
#include "workspace/Workspace.h"

#include <QStringList>

#include <optional>

class QCommandLineParser;
class QNetworkAccessManager;
class SecretStore;
struct SecretResult;

// tokenbench-cli: parses a command line, runs it on the core, prints text or JSON and returns
// one of the documented exit codes.
class Cli
{
public:
    enum ExitCode {
        Ok = 0,
        Unexpected = 1,
        Usage = 2,
        WorkspaceProblem = 3, // unknown environment, unreadable or corrupt workspace, incomplete profile
        SecretUnavailable = 4,
        ServerRefused = 5,    // RFC 6749 error or an HTTP error status from the token endpoint
        TransportFailed = 6,  // network, TLS, timeout
        BadResponse = 7,      // a success status without a usable token, or a redirect
    };

    Cli();
    ~Cli();

    int run(const QStringList &arguments);
    static QString helpText();

private:
    int runEnv(const QStringList &args);
    int envAdd(const QStringList &args);
    int runSecret(const QStringList &args);
    int runToken(const QStringList &args);
    int runDemo(const QStringList &args);

    bool loadWorkspace(bool createIfMissing);
    bool saveWorkspace();
    const Environment *findEnvironment(const QString &name);
    SecretResult readSecret(const QString &key);
    SecretStore &secrets();
    int usageError(const QString &message);
    static QString readStdinSecret();

    CliPrinter m_print;
    QString m_workspacePath;
    std::optional<Workspace> m_workspace;
    SecretStore *m_secrets = nullptr;
};
