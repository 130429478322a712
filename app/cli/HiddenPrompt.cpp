#include "HiddenPrompt.h"

#include <QByteArray>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

bool HiddenPrompt::available()
{
#ifdef Q_OS_UNIX
    return ::isatty(STDIN_FILENO) != 0 && ::isatty(STDERR_FILENO) != 0;
#else
    return false; // no echo control here: never ask for a secret that would show as typed
#endif
}

std::optional<QString> HiddenPrompt::ask(const QString &question)
{
#ifdef Q_OS_UNIX
    if (!available())
        return std::nullopt;
    // Echo off before the question shows, as getpass does: whatever is typed once it is seen
    // stays hidden (and what was typed ahead of it is discarded, TCSAFLUSH).
    termios saved = {};
    const bool silenced = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (silenced) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= tcflag_t(ECHONL); // the Enter still moves to the next line
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    const QByteArray text = question.toUtf8();
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
    QByteArray line;
    bool ended = false;
    for (;;) {
        char byte = 0;
        const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
        if (got <= 0) {
            ended = true;
            break;
        }
        if (byte == '\n')
            break;
        line.append(byte);
    }
    if (silenced)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (ended) {
        std::fputc('\n', stderr);
        if (line.isEmpty())
            return std::nullopt;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    const QString answer = QString::fromUtf8(line);
    line.fill('\0'); // the typed bytes do not linger in this buffer
    return answer;
#else
    static_cast<void>(question);
    return std::nullopt;
#endif
}
