#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QThread>

#if defined(Q_OS_LINUX)
#include <pty.h>
#include <unistd.h>
#elif defined(Q_OS_MACOS)
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
inline int runCliOnTerminal(const QStringList &arguments, const QProcessEnvironment &environment, int terminalFd,
                            QByteArray *onTerminal)
{
    int master = -1;
    int slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        return -1;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setChildProcessModifier([slave, terminalFd] { ::dup2(slave, terminalFd); });
    process.start(QStringLiteral(TOKENBENCH_CLI), arguments);
    bool done = process.waitForStarted(10000);
    if (done) {
        QSignalSpy finished(&process, &QProcess::finished);
        done = finished.wait(30000);
    }
    ::close(slave);
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(master, buffer, sizeof buffer);
        if (got <= 0)
            break;
        onTerminal->append(buffer, got);
    }
    ::close(master);
    return done ? process.exitCode() : -1;
}
#endif
