#pragma once

#include <QChar>
#include <QCommandLineOption>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

class ExpectedStatus;
struct CommandHelp;
class QCommandLineParser;
struct ApiCallResult;
struct OAuthError;

// What every command of tokenbench-cli parses and decides alike; shared by the Cli member
// definitions, which live in one file per command (CliEnv.cpp, CliSend.cpp, ...).
namespace CliSupport {
// Sets up a command's parser and remembers its option names for "did you mean".
void configure(QCommandLineParser &parser, const QList<QCommandLineOption> &options);
// Parses a command's arguments (without the program name); false with the error and a hint.
// Commands call both through Cli::parseCommand, which also takes --json and the name.
bool parse(QCommandLineParser &parser, const QStringList &args, QString *error);

// Where token, send, matrix and introspect take the client secret and password from before the
// keychain: an environment variable named, or standard input; never the command line.
struct SecretOptions
{
    QCommandLineOption secretEnv{QStringLiteral("client-secret-env"),
                                 QStringLiteral("Take the client secret from the environment variable VAR, not the keychain"), QStringLiteral("VAR")};
    QCommandLineOption passwordEnv{QStringLiteral("password-env"), QStringLiteral("Take the password (password grant) from the environment variable VAR"),
                                   QStringLiteral("VAR")};
    QCommandLineOption secretStdin{QStringLiteral("client-secret-stdin"), QStringLiteral("Read the client secret from standard input")};
    QCommandLineOption passwordStdin{QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input")};

    QList<QCommandLineOption> all() const { return {secretEnv, passwordEnv, secretStdin, passwordStdin}; }
    // The client's own: what a command that needs no password (revoke) accepts.
    QList<QCommandLineOption> clientOnly() const { return {secretEnv, secretStdin}; }
};

// What introspect and revoke share: a token sent to one of the provider's endpoints, the client
// authenticating as at the token endpoint; a token from standard input instead, with its hint.
QCommandLineOption tokenTypeHintOption();
// false with *error for a --token-type-hint that is neither access_token nor refresh_token.
bool checkTokenTypeHint(const QString &hint, QString *error);
// Completes such a command's help, filled with its own details and exit codes: the synopsis
// "NAME [OPTIONS]", the paragraph on the endpoint's URL ("introspection": --introspection-url)
// followed by afterUrl, and the exit codes 2, 3 and 6, in order among the command's own.
void describeTokenEndpointCommand(CommandHelp *help, const QString &endpoint, const QString &afterUrl = {});
int exitCodeFor(const OAuthError &error);
int exitCodeFor(const ApiCallResult &result, const std::optional<ExpectedStatus> &expected);
// The global --proxy URL|direct and --no-proxy HOSTS: the proxy decision of this run, over the
// system's settings and every environment's own; false with *error for an unusable value.
bool applyProxyOptions(const std::optional<QString> &proxy, const std::optional<QString> &noProxy, QString *error);
// "K=V" or "Name: value" split at the first separator; false when there is no name before it.
bool splitPair(const QString &text, QChar separator, QPair<QString, QString> *out);
// The scopes of repeated --scope options, each one or several space-separated; once each, in order.
QStringList scopeValues(const QStringList &values);
} // namespace CliSupport
