#include "InterruptWatch.h"

#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// The handler may only write(2): the byte wakes the event loop through the notifier.
int wakeFds[2] = {-1, -1};
struct sigaction previousInt;
struct sigaction previousTerm;
bool installed = false;

extern "C" void onSignal(int)
{
    const char byte = 1;
    const ssize_t written = ::write(wakeFds[0], &byte, 1);
    static_cast<void>(written); // nothing to do in a signal handler if the pipe is full
}
} // namespace

InterruptWatch::InterruptWatch(QObject *parent)
    : QObject(parent)
{
    if (installed || ::socketpair(AF_UNIX, SOCK_STREAM, 0, wakeFds) != 0)
        return;
    for (const int fd : wakeFds)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &previousInt);
    ::sigaction(SIGTERM, &action, &previousTerm);
    installed = true;
    m_notifier = new QSocketNotifier(wakeFds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        static_cast<void>(::read(wakeFds[1], &byte, 1));
        Q_EMIT interrupted();
    });
}

InterruptWatch::~InterruptWatch()
{
    if (!m_notifier)
        return;
    ::sigaction(SIGINT, &previousInt, nullptr);
    ::sigaction(SIGTERM, &previousTerm, nullptr);
    delete m_notifier;
    ::close(wakeFds[0]);
    ::close(wakeFds[1]);
    wakeFds[0] = wakeFds[1] = -1;
    installed = false;
}
#else
InterruptWatch::InterruptWatch(QObject *parent)
    : QObject(parent)
{
}

InterruptWatch::~InterruptWatch() = default;
#endif
