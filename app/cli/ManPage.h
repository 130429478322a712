#pragma once

#include <QString>

// tokenbench-cli(1) in roff (man(7) macros), rendered from what --help prints: the global help
// text (Cli::helpText) for the synopsis, description, global options and exit status, and every
// CommandHelp entry for COMMANDS — so the man page and --help cannot disagree. The build runs
// `tokenbench-cli help --man` to make it.
class ManPage
{
public:
    // globalHelp: the global --help text; version and date go in the title line.
    static QString render(const QString &globalHelp, const QString &version, const QString &date);
    // Text made safe for roff: backslashes, a leading dot or quote, and hyphens of options.
    static QString escape(const QString &text);
};
