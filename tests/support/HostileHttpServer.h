#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

// A server that attacks the client's memory, on loopback: after each request it sends one of
// the answers below and counts what it wrote, so a test can prove the client stopped reading
// (ScriptedHttpServer answers with fixed bytes; this one streams). It stops by itself after
// maxBytes or maxSeconds, whichever comes first, so a client that never stops cannot make a
// test run forever.
class HostileHttpServer : public QObject
{
    Q_OBJECT

public:
    enum class Attack {
        EndlessBody,    // 200, no length, body bytes until the client goes away
        EndlessHeaders, // a status line, then header fields without end
        ResetMidBody,   // announces a length, sends part of it, then a TCP reset (SO_LINGER 0)
        Fixed,          // sends setResponse()'s bytes (a decompression bomb) and closes
    };

    explicit HostileHttpServer(Attack attack, QObject *parent = nullptr);

    bool listen();
    QUrl url(const QString &path) const;

    // Fixed: the whole answer. ResetMidBody: the body bytes sent before the reset (the
    // announced length is twice theirs).
    void setResponse(const QByteArray &bytes) { m_response = bytes; }
    // Extra header lines for EndlessBody ("Content-Type: …\r\n").
    void setExtraHeaders(const QByteArray &lines) { m_extraHeaders = lines; }
    void setBounds(qint64 maxBytes, int maxSeconds);

    int requestCount() const { return m_requests; }
    // Bytes the kernel took from us across all connections (the client's socket buffers hold
    // some of them, so the client read at most this much).
    qint64 bytesWritten() const { return m_written; }
    // The client closed the connection while we were still sending.
    bool clientGaveUp() const { return m_clientGaveUp; }
    // We stopped because of setBounds(): the client never did.
    bool hitBounds() const { return m_hitBounds; }

    // The bytes of one HTTP/1.1 answer with a Content-Length.
    static QByteArray answer(const QByteArray &headerLines, const QByteArray &body);

private:
    void accept();
    void onData(QTcpSocket *socket);
    void pump(QTcpSocket *socket);
    void resetAfterFlush(QTcpSocket *socket);

    QTcpServer m_server;
    Attack m_attack;
    QByteArray m_response;
    QByteArray m_extraHeaders;
    QByteArray m_chunk;
    QElapsedTimer m_clock;
    qint64 m_maxBytes = qint64(4) * 1024 * 1024 * 1024;
    int m_maxSeconds = 30;
    int m_requests = 0;
    qint64 m_written = 0;
    bool m_clientGaveUp = false;
    bool m_hitBounds = false;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QSet<QTcpSocket *> m_answered;
};
