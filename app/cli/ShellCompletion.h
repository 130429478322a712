#pragma once

#include <QString>
#include <QStringList>

// Completion scripts for tokenbench-cli in bash, zsh and fish, rendered from the same CommandHelp
// entries --help prints (commands, their subcommands, each one's options with their
// descriptions), so a command or option cannot be completed without being documented or be
// documented without being completed. The build runs `tokenbench-cli help --completion SHELL`.
class ShellCompletion
{
public:
    static QStringList shells() { return {QStringLiteral("bash"), QStringLiteral("zsh"), QStringLiteral("fish")}; }
    // commands: every command word the CLI dispatches ("env", "send", …, "help"). Empty for an
    // unknown shell.
    static QString render(const QString &shell, const QStringList &commands);
};
