#include "support/FirehoseHttpServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

FirehoseHttpServer::FirehoseHttpServer(Framing framing, qint64 maxBytes)
    : m_framing(framing)
    , m_maxBytes(maxBytes)
{
}

FirehoseHttpServer::~FirehoseHttpServer()
{
    m_stopping = true;
    if (m_wake[1] >= 0) {
        const char byte = 0;
        [[maybe_unused]] const ssize_t n = ::write(m_wake[1], &byte, 1);
    }
    if (m_thread.joinable())
        m_thread.join();
    for (const int fd : {m_listener, m_wake[0], m_wake[1]}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool FirehoseHttpServer::start()
{
    if (::pipe(m_wake) != 0)
        return false;
    m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listener < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(m_listener, 8) != 0
        || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return false;
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
    return true;
}

QUrl FirehoseHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void FirehoseHttpServer::serve()
{
    while (!m_stopping) {
        pollfd waits[2] = {{m_listener, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(waits, 2, -1) < 0 && errno != EINTR)
            return;
        if (m_stopping || (waits[1].revents & POLLIN))
            return;
        if (!(waits[0].revents & POLLIN))
            continue;
        const int connection = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0)
            continue;
        answer(connection);
        ::close(connection);
    }
}

void FirehoseHttpServer::answer(int connection)
{
    // The request, up to the end of its headers (and the small body that follows them, which
    // the kernel delivers with them or right after; it is not read: the answer does not wait).
    QByteArray request;
    char buffer[16 * 1024];
    while (!request.contains("\r\n\r\n")) {
        pollfd wait{connection, POLLIN, 0};
        if (::poll(&wait, 1, 5000) <= 0)
            return;
        const ssize_t got = ::recv(connection, buffer, sizeof buffer, 0);
        if (got <= 0)
            return;
        request.append(buffer, got);
    }
    ++m_requests;

    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n";
    if (m_framing == Framing::Chunked)
        head += "Transfer-Encoding: chunked\r\n";
    else if (m_framing == Framing::ContentLength)
        head += "Content-Length: " + QByteArray::number(m_maxBytes) + "\r\n";
    head += "\r\n";
    // A token response that never ends: JSON up to a string that never closes.
    const QByteArray opening = R"({"token_type":"Bearer","access_token":")";
    const QByteArray filler(64 * 1024, 'x');
    QByteArray block = m_framing == Framing::Chunked ? QByteArray::number(filler.size(), 16) + "\r\n" + filler + "\r\n" : filler;
    QByteArray first = head
        + (m_framing == Framing::Chunked ? QByteArray::number(opening.size(), 16) + "\r\n" + opening + "\r\n" : opening);

    // Blocks only in poll(), which the destructor's wake-up ends: a client that stops reading
    // without closing cannot keep the test from finishing.
    const auto send = [this, connection](const QByteArray &bytes, bool counted) {
        qsizetype done = 0;
        while (done < bytes.size()) {
            pollfd waits[2] = {{connection, POLLOUT, 0}, {m_wake[0], POLLIN, 0}};
            if (::poll(waits, 2, -1) < 0 && errno != EINTR)
                return false;
            if (m_stopping)
                return false;
            if (waits[0].revents & (POLLERR | POLLHUP))
                return false;
            if (!(waits[0].revents & POLLOUT))
                continue;
            const ssize_t put = ::send(connection, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (put < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (put <= 0)
                return false; // EPIPE, ECONNRESET: the client closed
            done += put;
            if (counted)
                m_written += put;
        }
        return true;
    };
    if (!send(first, false)) {
        m_clientGaveUp = !m_stopping;
        return;
    }
    while (!m_stopping) {
        if (m_written.load() >= m_maxBytes) {
            m_hitBounds = true;
            return;
        }
        if (!send(block, true)) {
            m_clientGaveUp = !m_stopping;
            return;
        }
    }
}
