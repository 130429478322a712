#pragma once

#include "secrets/KnownSecrets.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

class CliPrinter;
struct ImportOutcome;
struct ImportPlan;
struct SecretResult;

// `tokenbench-cli import postman FILE` and `export postman FILE`: Postman Collection v2.1 in and
// out of the workspace file (PostmanImport, PostmanExport, WorkspaceImport).
class CliPostman
{
public:
    using SecretReader = std::function<SecretResult(const QString &key)>;

    CliPostman(CliPrinter &print, const QString &workspacePath, KnownSecrets &known, SecretReader readSecret);

    // args: what follows "export postman".
    int exportCollection(const QStringList &args);
    // args: what follows "import postman".
    int importCollection(const QStringList &args);

    static QString exportUsage();
    static QString importUsage();

private:
    int usageError(const QString &message);
    // A regular file of at most PostmanImport::MaxBytes; false after saying why.
    bool readDocument(const QString &path, QByteArray *bytes);
    void printOutcome(const ImportPlan &plan, const ImportOutcome &outcome, bool dryRun);

    CliPrinter &m_print;
    QString m_workspacePath;
    KnownSecrets &m_known;
    SecretReader m_readSecret;
};
