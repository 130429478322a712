#pragma once

#include <QObject>

class QSocketNotifier;

// While one exists, Ctrl-C (SIGINT) and SIGTERM do not kill the process: they are delivered
// as interrupted() on the event loop, so a command waiting for a person (the device grant's
// polling) can stop what it started and exit with Cli::Interrupted. The previous handlers come
// back when it is destroyed. On platforms without POSIX signals it does nothing.
class InterruptWatch : public QObject
{
    Q_OBJECT

public:
    explicit InterruptWatch(QObject *parent = nullptr);
    ~InterruptWatch() override;

    InterruptWatch(const InterruptWatch &) = delete;
    InterruptWatch &operator=(const InterruptWatch &) = delete;

Q_SIGNALS:
    void interrupted();

private:
    QSocketNotifier *m_notifier = nullptr;
};
