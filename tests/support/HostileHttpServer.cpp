#include "support/HostileHttpServer.h"

#include <QTcpSocket>

#include <sys/socket.h>

HostileHttpServer::HostileHttpServer(Attack attack, QObject *parent)
    : QObject(parent)
    , m_attack(attack)
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, &HostileHttpServer::accept);
}

bool HostileHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HostileHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
}

void HostileHttpServer::setBounds(qint64 maxBytes, int maxSeconds)
{
    m_maxBytes = maxBytes;
    m_maxSeconds = maxSeconds;
}

QByteArray HostileHttpServer::answer(const QByteArray &headerLines, const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\n" + headerLines + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void HostileHttpServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket](qint64 bytes) {
            m_written += bytes;
            pump(socket);
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (m_attack == Attack::EndlessBody || m_attack == Attack::EndlessHeaders)
                m_clientGaveUp = !m_hitBounds;
            socket->deleteLater();
        });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
            if (m_attack == Attack::EndlessBody || m_attack == Attack::EndlessHeaders)
                m_clientGaveUp = !m_hitBounds;
            socket->abort();
        });
    }
}

void HostileHttpServer::onData(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (!buffer.contains("\r\n\r\n") || m_answered.contains(socket))
        return; // one request per connection: every answer here ends it
    m_answered.insert(socket);
    ++m_requests;
    if (!m_clock.isValid())
        m_clock.start();
    switch (m_attack) {
    case Attack::EndlessBody:
        socket->write("HTTP/1.1 200 OK\r\n" + m_extraHeaders + "Connection: close\r\n\r\n");
        m_chunk = QByteArray(64 * 1024, 'x');
        pump(socket);
        return;
    case Attack::EndlessHeaders:
        socket->write("HTTP/1.1 200 OK\r\n");
        m_chunk = QByteArray("X-Filler: ") + QByteArray(200, 'h') + "\r\n";
        m_chunk = m_chunk.repeated(300);
        pump(socket);
        return;
    case Attack::ResetMidBody:
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(m_response.size() * 2) + "\r\n\r\n" + m_response);
        resetAfterFlush(socket);
        return;
    case Attack::Fixed:
        socket->write(m_response);
        socket->disconnectFromHost();
        return;
    }
}

void HostileHttpServer::pump(QTcpSocket *socket)
{
    if (m_attack != Attack::EndlessBody && m_attack != Attack::EndlessHeaders)
        return;
    if (socket->state() != QAbstractSocket::ConnectedState || !m_answered.contains(socket))
        return;
    if (m_written >= m_maxBytes || m_clock.elapsed() > qint64(m_maxSeconds) * 1000) {
        m_hitBounds = true;
        socket->abort();
        return;
    }
    // A few chunks ahead of the kernel, never more: the count stays close to what was taken.
    while (socket->bytesToWrite() < 4 * m_chunk.size())
        socket->write(m_chunk);
}

void HostileHttpServer::resetAfterFlush(QTcpSocket *socket)
{
    // Once every byte of the partial body has left, a zero linger turns close() into a RST
    // rather than a FIN: the client sees "connection reset", not an orderly end.
    const auto reset = [socket] {
        const linger hard{1, 0};
        ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        socket->abort();
    };
    socket->flush();
    if (socket->bytesToWrite() == 0) {
        reset();
        return;
    }
    connect(socket, &QTcpSocket::bytesWritten, socket, [socket, reset] {
        if (socket->bytesToWrite() == 0)
            reset();
    });
}
