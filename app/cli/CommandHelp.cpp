#include "CommandHelp.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
using Factory = CommandHelp (*)();

QList<Factory> &factories()
{
    static QList<Factory> list;
    return list;
}

constexpr int optionColumn = 28;  // where an option's description starts
constexpr int commandColumn = 20; // where a command's summary starts in a list of commands

// "  left      right", right wrapped at that column; a left too long for it gets a line of its own.
QString columns(const QString &left, const QString &right, int column)
{
    const QString lead = u"  "_s + left;
    if (lead.size() + 2 > column)
        return lead + u'\n' + QString(column, u' ') + CommandHelp::wrap(right, column) + u'\n';
    return lead.leftJustified(column, u' ') + CommandHelp::wrap(right, column) + u'\n';
}
} // namespace

CommandHelp::CommandHelp(const QString &commandName, const QString &oneLine)
    : name(commandName)
    , summary(oneLine)
{
}

CommandHelp::Registration::Registration(CommandHelp (*make)())
{
    factories().append(make);
}

QList<CommandHelp> CommandHelp::all()
{
    QList<CommandHelp> entries;
    for (const Factory make : std::as_const(factories()))
        entries.append(make());
    std::sort(entries.begin(), entries.end(), [](const CommandHelp &a, const CommandHelp &b) { return a.name < b.name; });
    return entries;
}

std::optional<CommandHelp> CommandHelp::find(const QStringList &words)
{
    std::optional<CommandHelp> best;
    qsizetype bestLength = 0;
    for (const CommandHelp &entry : all()) {
        const QStringList entryWords = entry.name.split(u' ');
        if (entryWords.size() > words.size() || entryWords.size() <= bestLength)
            continue;
        if (words.mid(0, entryWords.size()) == entryWords) {
            best = entry;
            bestLength = entryWords.size();
        }
    }
    return best;
}

QString CommandHelp::groupUsage(const QString &command)
{
    QString list;
    for (const CommandHelp &entry : all()) {
        if (entry.name.startsWith(command + u' '))
            list += columns(entry.name, entry.summary, commandColumn);
    }
    if (list.isEmpty())
        return {};
    return u"Usage: tokenbench-cli %1 SUBCOMMAND ...\n\nSubcommands:\n%2\nRun 'tokenbench-cli %1 SUBCOMMAND --help' for the options of one.\n"_s
        .arg(command, list);
}

QString CommandHelp::commandList()
{
    QString list;
    for (const CommandHelp &entry : all())
        list += columns(entry.name, entry.summary, commandColumn);
    return list;
}

QString CommandHelp::optionSyntax(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &optionName : option.names())
        names.append((optionName.size() == 1 ? u"-"_s : u"--"_s) + optionName);
    QString syntax = names.join(u", "_s);
    if (!option.valueName().isEmpty())
        syntax += u' ' + option.valueName();
    return syntax;
}

QString CommandHelp::usage() const
{
    QString text;
    for (qsizetype i = 0; i < synopsis.size(); ++i)
        text += (i == 0 ? u"Usage: tokenbench-cli "_s : u"       tokenbench-cli "_s) + synopsis.at(i) + u'\n';
    text += u'\n' + wrap(summary + u'.', 0) + u'\n';
    for (const QString &paragraph : details)
        text += u'\n' + wrap(paragraph, 0) + u'\n';
    if (!options.isEmpty()) {
        text += u"\nOptions:\n"_s;
        for (const QCommandLineOption &option : options) {
            QString description = option.description();
            if (!option.defaultValues().isEmpty())
                description += u" (default: %1)"_s.arg(option.defaultValues().join(u", "_s));
            text += columns(optionSyntax(option), description, optionColumn);
        }
    }
    if (!exitCodes.isEmpty()) {
        text += u"\nExit codes:\n"_s;
        for (const auto &[code, meaning] : exitCodes)
            text += u"  "_s + QString::number(code).leftJustified(4, u' ') + wrap(meaning, 6) + u'\n';
    }
    if (!examples.isEmpty()) {
        text += u"\nExamples:\n"_s;
        for (const QString &example : examples)
            text += u"  "_s + example + u'\n';
    }
    text += u"\nGlobal options (before the command): --workspace FILE, --json. 'tokenbench-cli --help' lists every command.\n"_s;
    return text;
}

QString CommandHelp::wrap(const QString &text, int indent, int width)
{
    QString out;
    int column = indent;
    bool lineStart = true;
    const QString margin(indent, u' ');
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!lineStart && column + 1 + word.size() > width) {
            out += u'\n' + margin;
            column = indent;
            lineStart = true;
        }
        if (!lineStart) {
            out += u' ';
            ++column;
        }
        out += word;
        column += static_cast<int>(word.size());
        lineStart = false;
    }
    return out;
}
