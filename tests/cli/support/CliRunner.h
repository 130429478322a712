#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStringList>
#include <QThread>

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
