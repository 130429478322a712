#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

#include <functional>

// A hostile or broken HTTP peer for tests: answers each request with bytes the test chooses
// (an HTML proxy page, a redirect, silence, a reset) and records what it received, so a test
// can prove what did or did not reach it. It stands in for other servers, never for our code.
class ScriptedHttpServer : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Respond, Stall, Reset };

    explicit ScriptedHttpServer(QTcpServer *server = nullptr, QObject *parent = nullptr)
        : QObject(parent)
        , m_server(server ? server : new QTcpServer(this))
    {
        if (server)
            server->setParent(this);
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ScriptedHttpServer::accept);
    }

    // Another address than loopback only inside a test's own network namespace.
    bool listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost)) { return m_server->listen(address, 0); }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path, const QString &scheme = QStringLiteral("http")) const
    {
        const QHostAddress address = m_server->serverAddress();
        const QString host = address.isLoopback() || address.isNull() ? QStringLiteral("127.0.0.1") : address.toString();
        return QUrl(QStringLiteral("%1://%2:%3%4").arg(scheme, host).arg(port()).arg(path));
    }

    void setMode(Mode mode) { m_mode = mode; }
    // Answers the first `count` requests as the mode says, then stalls on every later one (a
    // server that stops answering in the middle of a run).
    void setStallAfter(int count) { m_stallAfter = count; }
    // Keeps each connection open after answering (the responses must then not say "close").
    void setKeepAlive(bool keepAlive) { m_keepAlive = keepAlive; }
    int connectionCount() const { return m_connections; }
    void setResponse(const QByteArray &raw) { m_response = raw; }
    // Answers the next requests with these, in order, before falling back to setResponse()'s.
    void queueResponse(const QByteArray &raw) { m_queue.append(raw); }
    static QByteArray response(int status, const QByteArray &reason, const QByteArray &contentType, const QByteArray &body,
                               const QByteArray &extraHeaders = {})
    {
        return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: " + contentType
            + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body;
    }

    // Everything any client sent, request line, headers and body, across all connections.
    QByteArray received() const { return m_received; }
    int requestCount() const { return m_requests; }
    // Each complete request as it arrived: request line, headers and body.
    QList<QByteArray> requests() const { return m_requestLog; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            ++m_connections;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        const QByteArray chunk = socket->readAll();
        buffer += chunk;
        m_received += chunk;
        // A TLS ClientHello (record type 0x16) to a plain server: answer in plain text at once,
        // as a real http server does, so the client's handshake fails rather than stalls.
        if (buffer.startsWith('\x16') && m_mode == Mode::Respond) {
            m_buffers.remove(socket);
            socket->write(m_response);
            socket->disconnectFromHost();
            return;
        }
        while (m_buffers.contains(socket) && takeRequest(socket, m_buffers[socket])) {
        }
    }

    // Answers one complete request at the head of the buffer; false while it is incomplete.
    bool takeRequest(QTcpSocket *socket, QByteArray &buffer)
    {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return false;
        qsizetype length = 0;
        for (const QByteArray &line : buffer.left(headerEnd).split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + length)
            return false;
        m_requestLog.append(buffer.left(headerEnd + 4 + length));
        buffer.remove(0, headerEnd + 4 + length);
        ++m_requests;
        switch (m_stallAfter >= 0 && m_requests > m_stallAfter ? Mode::Stall : m_mode) {
        case Mode::Respond:
            socket->write(m_queue.isEmpty() ? m_response : m_queue.takeFirst());
            if (m_keepAlive)
                return true;
            m_buffers.remove(socket);
            socket->disconnectFromHost();
            return false;
        case Mode::Stall:
            return false; // keep the connection open and say nothing
        case Mode::Reset:
            m_buffers.remove(socket);
            socket->abort();
            return false;
        }
        return false;
    }

    QTcpServer *m_server;
    Mode m_mode = Mode::Respond;
    QByteArray m_response;
    QByteArray m_received;
    QList<QByteArray> m_queue;
    QList<QByteArray> m_requestLog;
    int m_requests = 0;
    int m_connections = 0;
    bool m_keepAlive = false;
    int m_stallAfter = -1;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
