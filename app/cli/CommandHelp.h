#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// The documentation of one tokenbench-cli command, kept as data: `COMMAND --help`, `help COMMAND`
// and the command list of the global --help are rendered from it, and the man page is meant to be
// generated from the same entries, so none of them can disagree.
//
// How a command documents itself (one block in the command's own file, e.g. CliImport.cpp):
//  1. Define its options once, in a struct or function of that file; its parser is configured
//     from that list (CliSupport::configure(parser, options.all())) and so is its help, so an
//     option cannot be accepted without being documented. QCommandLineOption's description is the
//     help text, its valueName the placeholder, its defaultValues the default shown.
//  2. Register the entry next to it, at namespace scope:
//       const CommandHelp::Registration importOpenApiHelp([] {
//           CommandHelp help(u"import openapi"_s, u"Import an OpenAPI 3 or Swagger 2.0 document"_s);
//           help.synopsis = {u"import openapi FILE [OPTIONS]"_s};
//           help.options = ImportOptions().all();
//           help.details = {u"A paragraph, wrapped when printed."_s};
//           help.exitCodes = {{Cli::DocumentRefused, u"the document cannot be imported"_s}};
//           help.examples = {u"tokenbench-cli import openapi api.yaml --dry-run"_s};
//           return help;
//       });
//  3. Add the command word to Cli::run's dispatch. tst_cli_help checks every command listed in
//     the global --help answers --help with its synopsis and options.
// A command with subcommands ("env add", "env list") has one entry per subcommand; `env --help`
// lists them.
struct CommandHelp
{
    CommandHelp(const QString &commandName, const QString &oneLine);

    QString name;        // the words that select it: "send", "env add"
    QString summary;     // one line, for the command list
    QStringList synopsis; // each form without the program name: "send NAME METHOD PATH_OR_URL [OPTIONS]"
    QList<QCommandLineOption> options; // the parser's own definitions
    QStringList details; // paragraphs, wrapped when printed
    QList<QPair<int, QString>> exitCodes; // the ones that matter for this command
    QStringList examples; // whole command lines

    // What `tokenbench-cli NAME --help` prints.
    QString usage() const;

    // A command's entry made on first use (the factory runs when help is asked for, not at start).
    class Registration
    {
    public:
        explicit Registration(CommandHelp (*make)());
    };

    // Every registered entry, ordered by name.
    static QList<CommandHelp> all();
    // The entry named by the longest run of leading words ("env add NAME" → "env add").
    static std::optional<CommandHelp> find(const QStringList &words);
    // `tokenbench-cli COMMAND --help` for a command whose help is its subcommands' ("env"):
    // the list of them; empty when no entry starts with that word.
    static QString groupUsage(const QString &command);
    // The command list of the global --help: each entry's name and summary.
    static QString commandList();
    // Text wrapped at width columns, every line after the first indented by indent spaces.
    static QString wrap(const QString &text, int indent, int width = 80);
    // "-H, --header K: V": how an option is written in a usage text.
    static QString optionSyntax(const QCommandLineOption &option);
};
