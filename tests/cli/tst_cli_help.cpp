// Per-command help (issue 11, item 5): `COMMAND --help`, `help COMMAND` and the global command
// list come from one registry (CommandHelp), whose options are the parsers' own; and
// `request list` shows what each saved request is and the scopes it needs.
#include "support/CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// The lines of a help text's "Options:" section, as "--name" (and "-x") words, each with whether
// it takes a value.
struct DocumentedOption
{
    QStringList names;
    bool takesValue = false;
};

QList<DocumentedOption> documentedOptions(const QByteArray &help)
{
    QList<DocumentedOption> options;
    bool inOptions = false;
    for (const QByteArray &rawLine : help.split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (line == u"Options:"_s) {
            inOptions = true;
            continue;
        }
        if (inOptions && !line.startsWith(u' '))
            break;
        if (!inOptions || !line.startsWith(u"  -"_s))
            continue;
        // "  -H, --header 'K: V'     description": the syntax ends at two spaces (or the line's end).
        const QString syntax = line.trimmed().section(u"  "_s, 0, 0);
        DocumentedOption option;
        for (const QString &word : syntax.split(u' ', Qt::SkipEmptyParts)) {
            if (word.startsWith(u'-') && option.names.size() < 2 && !option.takesValue)
                option.names.append(word.endsWith(u',') ? word.chopped(1) : word);
            else
                option.takesValue = true;
        }
        options.append(option);
    }
    return options;
}
} // namespace

class TestCliHelp : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    // What each command's parser accepts today, as a second record beside the registry: a
    // parser option left out of the help fails here even if the registry were bypassed.
    static QList<QPair<QStringList, QStringList>> parserOptions()
    {
        return {
            {{u"send"_s},
             {u"-H"_s, u"--header"_s, u"-d"_s, u"--data"_s, u"-F"_s, u"--form"_s, u"--form-string"_s, u"--var"_s, u"--scope"_s, u"--scope-match"_s,
              u"--client-secret-env"_s, u"--password-env"_s, u"--client-secret-stdin"_s, u"--password-stdin"_s, u"-i"_s, u"--include"_s, u"--json"_s,
              u"-y"_s, u"--yes"_s, u"--timeout"_s, u"-v"_s, u"--verbose"_s, u"--saved"_s, u"--repeat"_s, u"--save-as"_s, u"--cacert"_s,
              u"--expect-status"_s, u"--max-response-size"_s, u"--allow-file-upload"_s}},
            {{u"token"_s},
             {u"--scope"_s, u"--client-secret-env"_s, u"--password-env"_s, u"--client-secret-stdin"_s, u"--password-stdin"_s, u"--timeout"_s,
              u"--show-token"_s, u"--verbose"_s, u"--json"_s, u"--cacert"_s}},
            {{u"env"_s, u"add"_s},
             {u"--token-url"_s, u"--api-url"_s, u"--client-id"_s, u"--tier"_s, u"--grant"_s, u"--client-auth"_s, u"--username"_s, u"--scope"_s,
              u"--param"_s, u"--secret-param"_s, u"--header"_s, u"--var"_s, u"--allow-insecure-http"_s, u"--replace"_s, u"--json"_s, u"--cacert"_s,
              u"--template"_s, u"--kind"_s, u"--keep-refresh-token"_s, u"--no-keep-refresh-token"_s, u"--revocation-url"_s, u"--introspection-url"_s}},
            {{u"request"_s, u"list"_s}, {u"--json"_s}},
            {{u"request"_s, u"show"_s}, {u"--json"_s, u"--reveal"_s}},
            {{u"request"_s, u"remove"_s}, {u"--json"_s}},
            {{u"demo"_s}, {u"--port"_s, u"--token-lifetime"_s}},
            {{u"revoke"_s}, {u"--token-stdin"_s, u"--token-type-hint"_s, u"--client-secret-env"_s, u"--client-secret-stdin"_s, u"--json"_s}},
            {{u"introspect"_s},
             {u"--token-stdin"_s, u"--token-type-hint"_s, u"--scope"_s, u"--client-secret-env"_s, u"--password-env"_s, u"--client-secret-stdin"_s,
              u"--password-stdin"_s, u"--json"_s}},
            {{u"env"_s, u"set"_s},
             {u"--token-url"_s, u"--api-url"_s, u"--client-id"_s, u"--tier"_s, u"--grant"_s, u"--client-auth"_s, u"--username"_s, u"--scope"_s,
              u"--param"_s, u"--secret-param"_s, u"--header"_s, u"--var"_s, u"--allow-insecure-http"_s, u"--json"_s, u"--cacert"_s,
              u"--keep-refresh-token"_s, u"--no-keep-refresh-token"_s, u"--revocation-url"_s, u"--introspection-url"_s}},
            {{u"template"_s, u"list"_s}, {u"--json"_s}},
            {{u"template"_s, u"show"_s}, {u"--json"_s}},
            {{u"import"_s, u"postman"_s}, {u"--dry-run"_s, u"--environment"_s, u"--json"_s}},
            {{u"import"_s, u"openapi"_s}, {u"--dry-run"_s, u"--json"_s}},
            {{u"export"_s, u"postman"_s}, {u"--env"_s, u"--include-secrets"_s, u"--json"_s}},
        };
    }

    // The commands the global help lists ("env add", "send", ...).
    QStringList listedCommands()
    {
        const CliRun help = runCli({u"--help"_s});
        QStringList names;
        bool inCommands = false;
        for (const QByteArray &rawLine : help.out.split('\n')) {
            const QString line = QString::fromUtf8(rawLine);
            if (line == u"Commands:"_s) {
                inCommands = true;
                continue;
            }
            if (inCommands && line.isEmpty())
                break;
            // "  env add           summary"; a summary's continuation lines start further right.
            if (inCommands && line.startsWith(u"  "_s) && line.at(2) != u' ')
                names.append(line.trimmed().section(u"  "_s, 0, 0));
        }
        return names;
    }

    void writeWorkspace(const QJsonArray &requests)
    {
        // A workspace as another tool (an OpenAPI import) writes it: requests with documented scopes.
        const QJsonObject root{{u"format"_s, u"tokenbench-workspace"_s},
                               {u"schemaVersion"_s, 1},
                               {u"id"_s, u"7b0a4a47-3c1e-4f8e-9d7e-0d6a1c9e2f10"_s},
                               {u"environments"_s, QJsonArray{}},
                               {u"requests"_s, requests}};
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
    }

    void globalHelpListsEveryCommand()
    {
        const CliRun help = runCli({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        const QStringList listed = listedCommands();
        for (const QString &command : {u"env add"_s, u"env list"_s, u"env show"_s, u"env remove"_s, u"secret set"_s, u"secret remove"_s, u"token"_s,
                                       u"send"_s, u"request list"_s, u"request show"_s, u"request remove"_s, u"demo"_s, u"env set"_s,
                                       u"template list"_s, u"template show"_s, u"import postman"_s, u"import openapi"_s, u"export postman"_s})
            QVERIFY2(listed.contains(command), qPrintable(command + u" not in "_s + listed.join(u", "_s)));
        QVERIFY(help.out.contains("COMMAND --help"));
        QVERIFY(help.out.contains("Exit codes:"));
    }

    // Every command the global help lists answers --help and `help COMMAND` with the same text:
    // its synopsis first, on stdout, exit 0, nothing run.
    void everyListedCommandHasItsOwnHelp()
    {
        const QStringList listed = listedCommands();
        QVERIFY(listed.size() >= 18);
        for (const QString &command : listed) {
            const QStringList words = command.split(u' ');
            const CliRun help = runCli(ws(words + QStringList{u"--help"_s}));
            QVERIFY2(help.exitCode == 0, qPrintable(command + u": "_s + QString::fromUtf8(help.err)));
            QVERIFY2(help.err.isEmpty(), help.err.constData());
            QVERIFY2(help.out.startsWith("Usage: tokenbench-cli " + command.toUtf8()), help.out.constData());
            const CliRun short_ = runCli(ws(words + QStringList{u"-h"_s}));
            QCOMPARE(short_.out, help.out);
            const CliRun viaHelp = runCli(ws(QStringList{u"help"_s} + words));
            QCOMPARE(viaHelp.exitCode, 0);
            QCOMPARE(viaHelp.out, help.out);
        }
        QVERIFY(!QFile::exists(m_workspace)); // --help reads and writes nothing
    }

    void everyParserOptionIsDocumented()
    {
        for (const auto &[words, options] : parserOptions()) {
            const CliRun help = runCli(words + QStringList{u"--help"_s});
            QCOMPARE(help.exitCode, 0);
            QStringList documented;
            for (const DocumentedOption &option : documentedOptions(help.out))
                documented += option.names;
            for (const QString &option : options)
                QVERIFY2(documented.contains(option), qPrintable(words.join(u' ') + u": "_s + option + u" not documented"_s));
        }
    }

    // The other way round: an option a command's help lists is one its parser takes (not
    // "unknown option"), value and all.
    void everyDocumentedOptionIsAccepted()
    {
        for (const QString &command : listedCommands()) {
            const QStringList words = command.split(u' ');
            const CliRun help = runCli(words + QStringList{u"--help"_s});
            for (const DocumentedOption &option : documentedOptions(help.out)) {
                for (const QString &name : option.names) {
                    // No environment named and a value no command takes: each stops at its own
                    // usage check, before any network, keychain or server.
                    QStringList args = ws(words) + QStringList{name};
                    if (option.takesValue)
                        args.append(u"not-a-value"_s);
                    const CliRun run = runCli(args);
                    QVERIFY2(!run.err.contains("nknown option"), qPrintable(command + u' ' + name + u": "_s + QString::fromUtf8(run.err)));
                }
            }
        }
        QFile::remove(m_workspace);
    }

    void helpAnywhereAfterTheCommand()
    {
        const QByteArray send = runCli({u"send"_s, u"--help"_s}).out;
        QVERIFY(send.contains("send NAME METHOD PATH_OR_URL [OPTIONS]"));
        QVERIFY(send.contains("send NAME --saved REQUEST [METHOD PATH_OR_URL] [OPTIONS]"));
        QVERIFY(send.contains("--max-response-size SIZE"));
        QVERIFY(send.contains("(default: 256M)"));
        QVERIFY(send.contains("Examples:"));
        // After the arguments too, and before options that would otherwise be refused.
        for (const QStringList &args : {QStringList{u"send"_s, u"Demo"_s, u"GET"_s, u"/me"_s, u"--help"_s},
                                        QStringList{u"send"_s, u"--repeat"_s, u"0"_s, u"-h"_s}, QStringList{u"help"_s, u"send"_s}}) {
            const CliRun run = runCli(ws(args));
            QCOMPARE(run.exitCode, 0);
            QCOMPARE(run.out, send);
        }
        const CliRun envAdd = runCli({u"env"_s, u"add"_s, u"staging"_s, u"--token-url"_s, u"https://x"_s, u"--help"_s});
        QCOMPARE(envAdd.exitCode, 0);
        QVERIFY(envAdd.out.startsWith("Usage: tokenbench-cli env add NAME --token-url URL --api-url URL --client-id ID"));
        QCOMPARE(runCli({u"help"_s, u"env"_s, u"add"_s}).out, envAdd.out);
        // After "--" it is an argument like any other: send gets four and refuses them.
        const CliRun literal = runCli(ws({u"send"_s, u"Demo"_s, u"GET"_s, u"/me"_s, u"--"_s, u"--help"_s}));
        QCOMPARE(literal.exitCode, 2);
        QVERIFY(literal.out.isEmpty());
        QVERIFY(!QFile::exists(m_workspace));
    }

    void commandGroupsListTheirSubcommands()
    {
        for (const QStringList &args : {QStringList{u"env"_s, u"--help"_s}, QStringList{u"help"_s, u"env"_s}}) {
            const CliRun run = runCli(args);
            QCOMPARE(run.exitCode, 0);
            QVERIFY(run.out.startsWith("Usage: tokenbench-cli env SUBCOMMAND"));
            for (const char *sub : {"env add ", "env list ", "env show ", "env remove "})
                QVERIFY2(run.out.contains(sub), sub);
        }
        QVERIFY(runCli({u"request"_s, u"--help"_s}).out.contains("request list"));
        QVERIFY(runCli({u"secret"_s, u"-h"_s}).out.contains("secret set"));
        const QByteArray import = runCli({u"import"_s, u"--help"_s}).out;
        QVERIFY(import.contains("import openapi") && import.contains("import postman"));
    }

    void unknownCommandsAreUsageErrors()
    {
        CliRun run = runCli({u"sned"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("unknown command \"sned\". Did you mean \"send\"?"), run.err.constData());
        run = runCli({u"help"_s, u"tokn"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("Did you mean \"token\"?"), run.err.constData());
        run = runCli({u"help"_s, u"env"_s, u"ad"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("unknown env subcommand \"ad\". Did you mean \"add\"?"), run.err.constData());
        const QByteArray global = runCli({u"--help"_s}).out;
        for (const QStringList &args : {QStringList{u"help"_s}, QStringList{u"help"_s, u"--help"_s}, QStringList{u"help"_s, u"help"_s}})
            QCOMPARE(runCli(args).out, global);
    }

    // A usage error points to the help of the command that was given.
    void usageErrorsPointToTheCommandsHelp()
    {
        const QList<QPair<QStringList, QByteArray>> cases{
            {{u"send"_s, u"Demo"_s}, "Run 'tokenbench-cli send --help' for usage."},
            {{u"send"_s, u"Demo"_s, u"GET"_s, u"/me"_s, u"--repat"_s, u"2"_s}, "Run 'tokenbench-cli send --help' for usage."},
            {{u"env"_s, u"add"_s, u"x"_s}, "Run 'tokenbench-cli env add --help' for usage."},
            {{u"env"_s, u"frob"_s}, "Run 'tokenbench-cli env --help' for usage."},
            {{u"request"_s, u"list"_s, u"--reveal"_s}, "Run 'tokenbench-cli request list --help' for usage."},
            {{u"frob"_s}, "Run 'tokenbench-cli --help' for usage."},
        };
        for (const auto &[args, hint] : cases) {
            const CliRun run = runCli(ws(args));
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(hint), run.err.constData());
        }
        QVERIFY(!QFile::exists(m_workspace));
    }

    void requestListShowsMethodUrlFolderAndScopes()
    {
        writeWorkspace(QJsonArray{
            QJsonObject{{u"id"_s, u"r1"_s},
                        {u"name"_s, u"List accounts"_s},
                        {u"folder"_s, u"accounts"_s},
                        {u"summary"_s, u"Every account of the bank"_s},
                        {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/api/accounts"_s}}},
                        {u"requiredScopes"_s, QJsonArray{QJsonObject{{u"scheme"_s, u"oauth"_s},
                                                                     {u"scopes"_s, QJsonArray{u"accounts:read"_s, u"core.users:act-on-behalf-of"_s}}},
                                                         QJsonObject{{u"scheme"_s, u"oauth"_s}, {u"scopes"_s, QJsonArray{u"accounts:admin"_s}}}}}},
            QJsonObject{{u"id"_s, u"r2"_s},
                        {u"name"_s, u"Health"_s},
                        {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"https://api.example.com/health"_s}}},
                        {u"requiredScopes"_s, QJsonArray{QJsonObject{{u"scheme"_s, u""_s}, {u"scopes"_s, QJsonArray{}}}}}},
            QJsonObject{{u"id"_s, u"r3"_s},
                        {u"name"_s, u"Made by hand"_s},
                        {u"request"_s, QJsonObject{{u"method"_s, u"POST"_s}, {u"url"_s, u"/echo"_s}}}},
        });
        const CliRun text = runCli(ws({u"request"_s, u"list"_s}));
        QVERIFY2(text.exitCode == 0, text.err.constData());
        const QList<QByteArray> lines = text.out.trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(4));
        QVERIFY(lines.at(0).startsWith("NAME"));
        for (const char *column : {"METHOD", "URL", "FOLDER", "SCOPES"})
            QVERIFY2(lines.at(0).contains(column), column);
        const QRegularExpression accounts(u"^List accounts +GET +/api/accounts +accounts +accounts:read core.users:act-on-behalf-of \\| accounts:admin$"_s);
        QVERIFY2(accounts.match(QString::fromUtf8(lines.at(1))).hasMatch(), lines.at(1).constData());
        const QRegularExpression health(u"^Health +GET +https://api.example.com/health +\\(no scope\\)$"_s);
        QVERIFY2(health.match(QString::fromUtf8(lines.at(2))).hasMatch(), lines.at(2).constData());
        const QRegularExpression byHand(u"^Made by hand +POST +/echo +-$"_s);
        QVERIFY2(byHand.match(QString::fromUtf8(lines.at(3))).hasMatch(), lines.at(3).constData());
        // The columns line up: every row's URL starts where the header's does.
        const qsizetype urlColumn = lines.at(0).indexOf("URL");
        QCOMPARE(lines.at(1).indexOf("/api/accounts"), urlColumn);
        QCOMPARE(lines.at(2).indexOf("https://"), urlColumn);

        for (const QStringList &args : {QStringList{u"request"_s, u"list"_s, u"--json"_s}, QStringList{u"--json"_s, u"request"_s, u"list"_s}}) {
            const CliRun json = runCli(ws(args));
            QVERIFY2(json.exitCode == 0, json.err.constData());
            const QJsonArray requests = json.json().value(u"requests"_s).toArray();
            QCOMPARE(requests.size(), qsizetype(3));
            const QJsonObject first = requests.at(0).toObject();
            QCOMPARE(first.value(u"name"_s).toString(), u"List accounts"_s);
            QCOMPARE(first.value(u"method"_s).toString(), u"GET"_s);
            QCOMPARE(first.value(u"url"_s).toString(), u"/api/accounts"_s);
            QCOMPARE(first.value(u"folder"_s).toString(), u"accounts"_s);
            QCOMPARE(first.value(u"summary"_s).toString(), u"Every account of the bank"_s);
            const QJsonArray alternatives = first.value(u"requiredScopes"_s).toArray();
            QCOMPARE(alternatives.size(), qsizetype(2));
            QCOMPARE(alternatives.at(0).toObject().value(u"scheme"_s).toString(), u"oauth"_s);
            QCOMPARE(alternatives.at(0).toObject().value(u"scopes"_s).toArray(),
                     (QJsonArray{u"accounts:read"_s, u"core.users:act-on-behalf-of"_s}));
            QCOMPARE(alternatives.at(1).toObject().value(u"scopes"_s).toArray(), QJsonArray{u"accounts:admin"_s});
            QCOMPARE(requests.at(1).toObject().value(u"requiredScopes"_s).toArray().first().toObject().value(u"scopes"_s).toArray(), QJsonArray{});
            // Nothing documented: an empty list, never a missing key.
            QVERIFY(requests.at(2).toObject().value(u"requiredScopes"_s).isArray());
            QVERIFY(requests.at(2).toObject().value(u"requiredScopes"_s).toArray().isEmpty());
        }
        // --reveal belongs to request show.
        const CliRun reveal = runCli(ws({u"request"_s, u"list"_s, u"--reveal"_s}));
        QCOMPARE(reveal.exitCode, 2);
        QVERIFY(reveal.err.contains("--reveal is an option of request show"));
    }

    void requestListOfAnEmptyWorkspace()
    {
        writeWorkspace(QJsonArray{});
        const CliRun text = runCli(ws({u"request"_s, u"list"_s}));
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.startsWith("No saved requests in this workspace."), text.out.constData());
        const CliRun json = runCli(ws({u"request"_s, u"list"_s, u"--json"_s}));
        QCOMPARE(json.exitCode, 0);
        QVERIFY(json.json().value(u"requests"_s).isArray());
        QVERIFY(json.json().value(u"requests"_s).toArray().isEmpty());
        QFile::remove(m_workspace);
        // No workspace file at all reads as a new one: the Demo's example requests.
        QVERIFY(runCli(ws({u"request"_s, u"list"_s})).out.contains("List accounts"));
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
