#include "CliPostman.h"

#include "Cli.h"
#include "CliPrinter.h"
#include "CliSupport.h"
#include "DidYouMean.h"
#include "contract/PostmanExport.h"
#include "secrets/SecretStore.h"
#include "workspace/WorkspaceStore.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;


CliPostman::CliPostman(CliPrinter &print, const QString &workspacePath, KnownSecrets &known, SecretReader readSecret)
    : m_print(print)
    , m_workspacePath(workspacePath)
    , m_known(known)
    , m_readSecret(std::move(readSecret))
{
}

QString CliPostman::exportUsage()
{
    return u"usage: export postman FILE [--env NAME] [--include-secrets]"_s;
}

QString CliPostman::importUsage()
{
    return u"usage: import postman FILE [--dry-run] [--json]"_s;
}

int CliPostman::usageError(const QString &message)
{
    m_print.failure(u"usage"_s, message + u"\nRun 'tokenbench-cli --help' for usage."_s);
    return Cli::Usage;
}

int CliPostman::exportCollection(const QStringList &args)
{
    const QCommandLineOption envOption(u"env"_s, u"The environment whose token endpoint and headers the collection uses"_s, u"NAME"_s);
    const QCommandLineOption includeSecrets(u"include-secrets"_s, u"Write the client secret, password and secret parameters from the keychain into the file"_s);
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    QCommandLineParser parser;
    CliSupport::configure(parser, {envOption, includeSecrets, json});
    QString error;
    if (!CliSupport::parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(exportUsage());
    const QString file = positional.first();

    auto loaded = WorkspaceStore::load(m_workspacePath);
    if (!loaded.ok()) {
        m_print.failure(u"workspace"_s, loaded.message);
        return Cli::WorkspaceProblem;
    }
    const Workspace &workspace = *loaded.workspace;
    const Environment *environment = nullptr;
    if (parser.isSet(envOption)) {
        environment = workspace.find(parser.value(envOption));
        if (!environment) {
            QStringList names;
            for (const Environment &env : workspace.environments())
                names.append(env.name);
            m_print.failure(u"workspace"_s, u"no environment named \"%1\" in %2.%3"_s.arg(parser.value(envOption), m_workspacePath,
                                                                                          DidYouMean::hint(parser.value(envOption), names)));
            return Cli::WorkspaceProblem;
        }
    } else {
        QList<const Environment *> candidates;
        for (const Environment &env : workspace.environments()) {
            if (!env.isBuiltinDemo())
                candidates.append(&env);
        }
        if (candidates.size() != 1) {
            QStringList names;
            for (const Environment *env : candidates)
                names.append(u"\"%1\""_s.arg(env->name));
            m_print.failure(u"usage"_s, candidates.isEmpty()
                                            ? u"the workspace has no environment of its own to export the collection for; add one with 'tokenbench-cli env add'"_s
                                            : u"name the environment whose token endpoint the collection uses with --env (one of %1)"_s.arg(names.join(u", "_s)));
            return Cli::Usage;
        }
        environment = candidates.first();
    }
    if (environment->isBuiltinDemo()) {
        m_print.failure(u"workspace"_s, u"the built-in Demo environment has no fixed URLs: run 'tokenbench-cli demo --port N' and add an environment for its token and API URLs"_s);
        return Cli::WorkspaceProblem;
    }
    if (environment->tokenUrl.isEmpty() || environment->apiBaseUrl.isEmpty()) {
        m_print.failure(u"workspace"_s, u"\"%1\" needs a token URL and an API URL to be exported (tokenbench-cli env set)"_s.arg(environment->name));
        return Cli::WorkspaceProblem;
    }

    // What the keychain holds for this environment: scanned for in every request, and written
    // only when the user asked for it.
    PostmanExport::Secrets secrets;
    QStringList missing;
    const auto fromKeychain = [&](const QString &name, const QString &what, QString *out) {
        const SecretResult result = m_readSecret(SecretStore::keyFor(workspace.id(), environment->id, name));
        if (result.status == SecretResult::Status::Found) {
            *out = result.value;
            m_known.add(result.value, what);
        } else if (parser.isSet(includeSecrets)) {
            missing.append(what);
        }
    };
    if (parser.isSet(includeSecrets)) {
        fromKeychain(SecretStore::clientSecretName(), u"the client secret"_s, &secrets.clientSecret);
        if (environment->grant == GrantType::Password)
            fromKeychain(SecretStore::passwordName(), u"the password"_s, &secrets.password);
        for (const QString &param : environment->secretParamNames()) {
            QString value;
            fromKeychain(SecretStore::paramName(param), u"secret parameter %1"_s.arg(param), &value);
            secrets.params.append({param, value});
        }
    }
    const PostmanExport::Result result =
        PostmanExport::build(workspace, *environment, &m_known, parser.isSet(includeSecrets) ? &secrets : nullptr);

    QSaveFile out(file);
    // A file with secrets is the user's only: made so before a byte is written.
    out.setDirectWriteFallback(false);
    const QByteArray bytes = QJsonDocument(result.collection).toJson(QJsonDocument::Indented);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        m_print.failure(u"file"_s, u"cannot write %1: %2"_s.arg(file, out.errorString()));
        return Cli::Unexpected;
    }
    if (parser.isSet(includeSecrets)) {
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        // Said on stderr even with --json: the file now needs the care a password does.
        m_print.err() << u"Warning: %1 holds the secrets of \"%2\" in clear text (--include-secrets). Do not commit or share it."_s.arg(
                             file, environment->name)
                      << Qt::endl;
        for (const QString &what : missing)
            m_print.err() << u"Warning: the keychain has no %1 for \"%2\"; its variable is left empty."_s.arg(what, environment->name) << Qt::endl;
    }
    if (m_print.json()) {
        m_print.out() << QString::fromUtf8(QJsonDocument(QJsonObject{
                                               {u"file"_s, QFileInfo(file).absoluteFilePath()},
                                               {u"environment"_s, environment->name},
                                               {u"requests"_s, result.requestCount},
                                               {u"secrets_included"_s, parser.isSet(includeSecrets)},
                                               {u"skipped"_s, QJsonArray::fromStringList(result.skipped)},
                                               {u"notes"_s, QJsonArray::fromStringList(result.notes)},
                                           }).toJson(QJsonDocument::Compact))
                      << Qt::endl;
        return Cli::Ok;
    }
    m_print.out() << u"Exported %1 saved request(s) for \"%2\" to %3 as a Postman Collection v2.1."_s.arg(result.requestCount).arg(environment->name, file)
                  << Qt::endl;
    for (const QString &skipped : result.skipped)
        m_print.out() << u"  skipped: "_s << skipped << Qt::endl;
    for (const QString &note : result.notes)
        m_print.out() << u"  note: "_s << note << Qt::endl;
    if (!parser.isSet(includeSecrets))
        m_print.out() << u"Run it with: newman run %1 --env-var client_secret=…%2"_s.arg(
                             file, environment->grant == GrantType::Password ? u" --env-var password=…"_s : QString())
                      << Qt::endl;
    return Cli::Ok;
}

int CliPostman::importCollection(const QStringList &args)
{
    Q_UNUSED(args);
    return usageError(importUsage());
}
