#pragma once

#include <QString>

#include <optional>

// Asks the person at the terminal for a secret, as sudo and ssh do: the question on standard
// error, the answer typed on standard input with the terminal's echo off (restored afterwards,
// also when the answer ends with Ctrl-D). Only when both are a terminal: a script piping into
// the command is never stopped by a question it cannot see.
class HiddenPrompt
{
public:
    static bool available();
    // The line typed (without its line break); nullopt when no terminal is there to ask or the
    // input ended before a line.
    static std::optional<QString> ask(const QString &question);
};
