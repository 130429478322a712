#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

// What a browser does with the redirect to a loopback callback, for tests: one GET of the URL
// (path and query as given), the whole answer read until the listener closes. Loopback only.
namespace LoopbackBrowser {

inline QByteArray get(const QUrl &url, int timeoutMs = 5000)
{
    // The listener runs on this thread's event loop: wait with it running, never blocked in waitFor*.
    QTcpSocket socket;
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] {
        // In one write: Qt 6.4's QOAuthHttpServerReplyHandler drops a request whose headers come in pieces.
        socket.write("GET " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) + " HTTP/1.1\r\nHost: "
                     + url.authority().toUtf8() + "\r\nConnection: close\r\n\r\n");
    });
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [&] { closed = true; });
    socket.connectToHost(url.host(), quint16(url.port()));
    QElapsedTimer clock;
    clock.start();
    while (!closed && clock.elapsed() < timeoutMs)
        QTest::qWait(10);
    return answer + socket.readAll();
}

// Whether anything accepts connections on 127.0.0.1:port.
inline bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return socket.waitForConnected(2000);
}

// A query value as a server reads it (form-decoded: '+' is a space).
inline QString formValue(const QUrl &url, const QString &name)
{
    QString value = QUrlQuery(url).queryItemValue(name, QUrl::FullyEncoded);
    value.replace(u'+', u' ');
    return QUrl::fromPercentEncoding(value.toUtf8());
}

} // namespace LoopbackBrowser
