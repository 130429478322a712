#pragma once

#include <QByteArray>
#include <QUrl>

#include <atomic>
#include <thread>

// An HTTP server on loopback that answers every request with a body that never ends, written
// from its own thread as fast as the kernel takes it: unlike HostileHttpServer, which shares the
// test's event loop and so can never outrun the client, this one stands for a remote server on
// a fast link. It counts what the kernel took from it and notices when the client closes the
// connection, so a test proves the client stopped reading — in bytes written, not in the client's
// memory. It stops by itself after maxBytes, so a client that never stops cannot hang a test.
class FirehoseHttpServer
{
public:
    enum class Framing {
        Chunked,       // Transfer-Encoding: chunked, 64 KB chunks
        ContentLength, // a Content-Length of maxBytes, then that many bytes
        Close,         // no length: the body would end when the connection does
    };

    explicit FirehoseHttpServer(Framing framing, qint64 maxBytes = qint64(256) * 1024 * 1024);
    ~FirehoseHttpServer();
    FirehoseHttpServer(const FirehoseHttpServer &) = delete;
    FirehoseHttpServer &operator=(const FirehoseHttpServer &) = delete;

    // Listens on 127.0.0.1 (a free port) and starts serving; false if it could not.
    bool start();
    QUrl url(const QString &path) const;

    // Bytes of the body the kernel took from us.
    qint64 bytesWritten() const { return m_written.load(); }
    // The client closed the connection while the body was still being sent.
    bool clientGaveUp() const { return m_clientGaveUp.load(); }
    // We stopped at maxBytes: the client never did.
    bool hitBounds() const { return m_hitBounds.load(); }
    int requestCount() const { return m_requests.load(); }

private:
    void serve();
    void answer(int connection);

    Framing m_framing;
    qint64 m_maxBytes;
    int m_listener = -1;
    int m_wake[2] = {-1, -1}; // written to on destruction: the thread stops waiting
    quint16 m_port = 0;
    std::thread m_thread;
    std::atomic<qint64> m_written{0};
    std::atomic<bool> m_clientGaveUp{false};
    std::atomic<bool> m_hitBounds{false};
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_requests{0};
};
