#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QThread>

#include <QCoreApplication>
#include <QElapsedTimer>

#if defined(Q_OS_LINUX)
#include <poll.h>
#include <pty.h>
#include <unistd.h>
#elif defined(Q_OS_MACOS)
#include <poll.h>
#include <unistd.h>
#include <util.h>
#endif

// Runs tokenbench-cli as its own process while this test's event loop keeps turning, so a
// Demo API living in the test process can answer it.
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QStringList arguments;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

inline CliRun runCli(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                     const QByteArray &stdinData = {}, QString *cmdlineSeen = nullptr)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    CliRun run;
    run.arguments = arguments;
    if (!process.waitForStarted(10000))
        return run;
    if (cmdlineSeen) {
        // Right after exec the kernel may still show an empty argv; ask again for a moment.
        for (int attempt = 0; attempt < 100 && cmdlineSeen->isEmpty() && process.state() == QProcess::Running; ++attempt) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(process.processId()));
            if (cmdline.open(QIODevice::ReadOnly))
                *cmdlineSeen = QString::fromUtf8(cmdline.readAll().replace('\0', ' ')).trimmed();
            if (cmdlineSeen->isEmpty())
                QThread::msleep(5);
        }
    }
    process.write(stdinData);
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    if (process.state() != QProcess::NotRunning && !finished.wait(30000)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

#if defined(Q_OS_LINUX) || defined(Q_OS_MACOS)
// Runs tokenbench-cli with one stream (STDOUT_FILENO or STDERR_FILENO) on a pseudo-terminal, as
// in a user's shell; what the terminal received goes to *onTerminal (with the terminal's own
// "\r\n"). The exit code is -1 when no terminal could be had or the program did not finish.
// A pseudo-terminal: the program's end (slave) and the test's (master), closed when it goes.
struct PseudoTerminal
{
    int master = -1;
    int slave = -1;

    PseudoTerminal()
    {
        if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
            master = slave = -1;
    }
    ~PseudoTerminal()
    {
        closeSlave();
        if (master >= 0)
            ::close(master);
    }
    PseudoTerminal(const PseudoTerminal &) = delete;
    PseudoTerminal &operator=(const PseudoTerminal &) = delete;
    bool isOpen() const { return master >= 0; }
    // Once the program has it: then the master reads end when the program is gone.
    void closeSlave()
    {
        if (slave >= 0)
            ::close(slave);
        slave = -1;
    }
};

inline int runCliOnTerminal(const QStringList &arguments, const QProcessEnvironment &environment, int terminalFd,
                            QByteArray *onTerminal)
{
    PseudoTerminal terminal;
    if (!terminal.isOpen())
        return -1;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setChildProcessModifier([slave = terminal.slave, terminalFd] { ::dup2(slave, terminalFd); });
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    bool done = process.waitForStarted(10000);
    if (done) {
        QSignalSpy finished(&process, &QProcess::finished);
        done = finished.wait(30000);
    }
    terminal.closeSlave();
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(terminal.master, buffer, sizeof buffer);
        if (got <= 0)
            break;
        onTerminal->append(buffer, got);
    }
    return done ? process.exitCode() : -1;
}

// Runs tokenbench-cli at a terminal as a person does: standard input and error on one
// pseudo-terminal, standard output a pipe (*out). Once the terminal shows `question`, `typed` is
// typed into it. What the terminal displayed goes to *onTerminal. The test's event loop keeps
// turning (a server in this process can answer). The exit code, or -1.
inline int runCliTyping(const QStringList &arguments, const QProcessEnvironment &environment, const QByteArray &question,
                        const QByteArray &typed, QByteArray *onTerminal, QByteArray *out = nullptr)
{
    PseudoTerminal terminal;
    if (!terminal.isOpen())
        return -1;
    const int master = terminal.master;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setChildProcessModifier([slave = terminal.slave] {
        ::dup2(slave, STDIN_FILENO);
        ::dup2(slave, STDERR_FILENO);
    });
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    bool done = process.waitForStarted(10000);
    terminal.closeSlave();
    const auto drain = [&] {
        char buffer[4096];
        for (;;) {
            pollfd ready{master, POLLIN, 0};
            if (::poll(&ready, 1, 0) <= 0)
                return;
            const ssize_t got = ::read(master, buffer, sizeof buffer);
            if (got <= 0)
                return;
            onTerminal->append(buffer, got);
        }
    };
    bool asked = false;
    QElapsedTimer clock;
    clock.start();
    while (done && process.state() != QProcess::NotRunning) {
        if (clock.elapsed() > 30000) {
            done = false;
            break;
        }
        drain();
        if (!asked && onTerminal->contains(question)) {
            asked = true;
            static_cast<void>(::write(master, typed.constData(), size_t(typed.size())));
        }
        process.waitForFinished(10);
        QCoreApplication::processEvents();
    }
    if (!done) {
        process.kill();
        process.waitForFinished();
    }
    drain();
    if (out)
        *out = process.readAllStandardOutput();
    return done && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}
#endif
