#pragma once

#include <QChar>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

class ExpectedStatus;
class QCommandLineOption;
class QCommandLineParser;
struct ApiCallResult;
struct OAuthError;

// What every command of tokenbench-cli parses and decides alike; shared by the Cli member
// definitions, which live in one file per command (CliEnv.cpp, CliSend.cpp, ...).
namespace CliSupport {
// Sets up a command's parser and remembers its option names for "did you mean".
void configure(QCommandLineParser &parser, const QList<QCommandLineOption> &options);
// Parses a command's arguments (without the program name); false with the error and a hint.
bool parse(QCommandLineParser &parser, const QStringList &args, QString *error);
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
