// The man page and the shell completions are made from the same help as --help (CommandHelp):
// the man page lists every command the global help lists, with each command's options as its
// --help prints them, and renders with man(1) without a warning; bash, zsh and fish complete
// every command, subcommand and option — bash and fish asked for real, zsh checked by zsh -n.
#include "support/CliRunner.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// The command names of the global --help ("Commands:" up to the blank line): "env add", "send", …
QStringList helpCommands()
{
    const QString help = QString::fromUtf8(runCli({u"--help"_s}).out);
    QStringList names;
    bool in = false;
    for (const QString &line : help.split(u'\n')) {
        if (line == u"Commands:"_s) {
            in = true;
            continue;
        }
        if (in && line.isEmpty())
            break;
        // "  env add             Add …", or a long name alone on its line.
        if (in && line.startsWith(u"  "_s) && !line.startsWith(u"    "_s))
            names.append(line.trimmed().section(u"  "_s, 0, 0));
    }
    return names;
}

// The option names a command's --help lists under "Options:" ("-H", "--header", …).
QStringList helpOptions(const QString &command)
{
    const QString help = QString::fromUtf8(runCli(command.split(u' ') + QStringList{u"--help"_s}).out);
    QStringList names;
    bool in = false;
    for (const QString &line : help.split(u'\n')) {
        if (line == u"Options:"_s) {
            in = true;
            continue;
        }
        if (in && !line.startsWith(u' '))
            break;
        if (in && line.startsWith(u"  -"_s)) {
            for (const QString &word : line.trimmed().section(u"  "_s, 0, 0).split(u' ')) {
                if (word.startsWith(u'-'))
                    names.append(word.endsWith(u',') ? word.chopped(1) : word);
            }
        }
    }
    return names;
}

QString roff(QString text)
{
    return text.replace(u'-', u"\\-"_s);
}

struct Shell
{
    int exitCode = -1;
    QString out;
    QString err;
};

Shell runShell(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    Shell result;
    if (!process.waitForFinished(30000))
        return result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}
} // namespace

class TestCliDocs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_commands;      // "env add", "send", …
    QStringList m_commandWords;  // "env", "send", …, "help"

    QString script(const QString &shell)
    {
        const CliRun run = runCli({u"help"_s, u"--completion"_s, shell});
        if (run.exitCode != 0)
            return {};
        const QString path = m_dir.filePath(u"completion."_s + shell);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(run.out);
        return path;
    }

    // What bash completes after `tokenbench-cli WORDS…`, the last word being the one completed.
    QStringList bashCompletes(const QStringList &words)
    {
        QStringList quoted;
        for (const QString &word : words)
            quoted.append(u"'"_s + word + u"'"_s);
        const Shell run = runShell(u"bash"_s, {u"-c"_s, u"source \"$1\"; COMP_WORDS=(tokenbench-cli %1); COMP_CWORD=%2; _tokenbench_cli; "
                                                           "printf '%s\\n' \"${COMPREPLY[@]}\""_s.arg(quoted.join(u' ')).arg(words.size()),
                                                    u"bash"_s, script(u"bash"_s)});
        return run.out.split(u'\n', Qt::SkipEmptyParts);
    }

    QStringList fishCompletes(const QString &line)
    {
        const Shell run = runShell(u"fish"_s, {u"--no-config"_s, u"-c"_s, u"source $argv[1]; complete -C $argv[2]"_s, script(u"fish"_s), line});
        QStringList words;
        for (const QString &row : run.out.split(u'\n', Qt::SkipEmptyParts))
            words.append(row.section(u'\t', 0, 0));
        return words;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_commands = helpCommands();
        QVERIFY2(m_commands.size() >= 15, qPrintable(m_commands.join(u", "_s)));
        for (const QString &command : std::as_const(m_commands)) {
            if (!m_commandWords.contains(command.section(u' ', 0, 0)))
                m_commandWords.append(command.section(u' ', 0, 0));
        }
        m_commandWords.append(u"help"_s);
    }

    void manPageHasEveryCommandAndOption()
    {
        const CliRun run = runCli({u"help"_s, u"--man"_s});
        QCOMPARE(run.exitCode, 0);
        const QString page = QString::fromUtf8(run.out);
        QVERIFY(page.startsWith(u".\\\" Generated by"_s));
        QVERIFY2(page.contains(u".TH TOKENBENCH\\-CLI 1 \""_s), qPrintable(page.left(300)));
        // Each command's section: from its heading to the next one; each option a term (the line after .TP).
        for (const QString &command : std::as_const(m_commands)) {
            const QString heading = u".SS \\fB"_s + roff(command) + u"\\fR\n"_s;
            const qsizetype start = page.indexOf(heading);
            QVERIFY2(start >= 0, qPrintable(command));
            const qsizetype end = page.indexOf(u".SS "_s, start + 1);
            QStringList terms;
            const QStringList lines = page.mid(start, end < 0 ? -1 : end - start).split(u'\n');
            for (qsizetype i = 1; i < lines.size(); ++i) {
                if (lines.at(i - 1) == u".TP"_s)
                    terms.append(lines.at(i));
            }
            for (const QString &option : helpOptions(command)) {
                const QRegularExpression word(u"(\\\\fB|, )"_s + QRegularExpression::escape(roff(option)) + u"( |,|\\\\fR)"_s);
                QVERIFY2(std::any_of(terms.cbegin(), terms.cend(), [&](const QString &term) { return word.match(term).hasMatch(); }), qPrintable(command + u' ' + option + u" not in "_s + terms.join(u" | "_s)));
            }
        }
        // The global help's exit codes, all of them.
        for (int code = 0; code <= 14; ++code)
            QVERIFY2(page.contains(u".TP\n\\fB%1\\fR\n"_s.arg(code)), qPrintable(QString::number(code)));
    }

    void manPageRendersWithoutWarnings()
    {
        const QString man = QStandardPaths::findExecutable(u"man"_s);
        QVERIFY2(!man.isEmpty(), "man(1) is needed (Debian: man-db; .ci/install-deps installs it)");
        const QString path = m_dir.filePath(u"tokenbench-cli.1"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(runCli({u"help"_s, u"--man"_s}).out);
        file.close();
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"MANWIDTH"_s, u"80"_s);
        environment.insert(u"MAN_KEEP_FORMATTING"_s, u""_s);
        process.setProcessEnvironment(environment);
        process.start(man, {u"--warnings=all"_s, u"-l"_s, path});
        QVERIFY(process.waitForFinished(30000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QVERIFY2(out.contains(u"TOKENBENCH-CLI(1)"_s), qPrintable(out.left(400)));
        QVERIFY2(out.contains(u"tokenbench-cli send NAME METHOD PATH_OR_URL [OPTIONS]"_s), qPrintable(out.left(2000)));
    }

    void exportIsRefusedWithoutAKnownShell()
    {
        QCOMPARE(runCli({u"help"_s, u"--completion"_s, u"tcsh"_s}).exitCode, 2);
        QCOMPARE(runCli({u"help"_s, u"--man"_s, u"extra"_s}).exitCode, 2);
    }

    void bashCompletesEveryCommandSubcommandAndOption()
    {
        QStringList words = bashCompletes({QString()});
        words.sort();
        QStringList expected = m_commandWords;
        expected.sort();
        QCOMPARE(words, expected);
        for (const QString &command : std::as_const(m_commands)) {
            const QStringList parts = command.split(u' ');
            if (parts.size() == 2)
                QVERIFY2(bashCompletes({parts.first(), QString()}).contains(parts.at(1)), qPrintable(command));
            const QStringList options = bashCompletes(parts + QStringList{u"-"_s});
            for (const QString &option : helpOptions(command))
                QVERIFY2(options.contains(option), qPrintable(command + u' ' + option + u" not in "_s + options.join(u' ')));
        }
        QCOMPARE(bashCompletes({u"se"_s}), (QStringList{u"secret"_s, u"send"_s}));
        // After a global option's value, still the commands.
        QVERIFY(bashCompletes({u"--workspace"_s, u"ws.json"_s, u"tok"_s}).contains(u"token"_s));
    }

    void fishCompletesEveryCommandSubcommandAndOption()
    {
        if (QStandardPaths::findExecutable(u"fish"_s).isEmpty())
            QSKIP("fish is not installed (.ci/install-deps installs it)");
        QStringList words = fishCompletes(u"tokenbench-cli "_s);
        for (const QString &word : std::as_const(m_commandWords))
            QVERIFY2(words.contains(word), qPrintable(word + u" not in "_s + words.join(u' ')));
        for (const QString &command : std::as_const(m_commands)) {
            const QStringList parts = command.split(u' ');
            if (parts.size() == 2)
                QVERIFY2(fishCompletes(u"tokenbench-cli "_s + parts.first() + u' ').contains(parts.at(1)), qPrintable(command));
            const QStringList options = fishCompletes(u"tokenbench-cli "_s + command + u" -"_s);
            for (const QString &option : helpOptions(command)) {
                if (option.startsWith(u"--"_s))
                    QVERIFY2(options.contains(option), qPrintable(command + u' ' + option + u" not in "_s + options.join(u' ')));
            }
        }
    }

    void zshScriptNamesEverythingAndParses()
    {
        const QString path = script(u"zsh"_s);
        QVERIFY(!path.isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith(u"#compdef tokenbench-cli\n"_s));
        for (const QString &command : std::as_const(m_commands)) {
            for (const QString &word : command.split(u' '))
                QVERIFY2(text.contains(u"'"_s + word + u':'), qPrintable(word));
            for (const QString &option : helpOptions(command))
                QVERIFY2(text.contains(u"'"_s + option + u':'), qPrintable(command + u' ' + option));
        }
        if (QStandardPaths::findExecutable(u"zsh"_s).isEmpty())
            QSKIP("zsh is not installed (.ci/install-deps installs it)");
        const Shell check = runShell(u"zsh"_s, {u"-n"_s, path});
        QVERIFY2(check.exitCode == 0 && check.err.isEmpty(), qPrintable(check.err));
    }
};

QTEST_GUILESS_MAIN(TestCliDocs)
#include "tst_cli_docs.moc"
