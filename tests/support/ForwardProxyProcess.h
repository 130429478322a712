#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// A real forward proxy on loopback for tests, started from Debian's packages: tinyproxy (HTTP,
// CONNECT for https, Basic credentials) with a generated configuration and its own log, or
// microsocks (SOCKS5, user name and password). It stands in for the user's proxy, never for
// our code; its log (tinyproxy's) proves what went through it.
class ForwardProxyProcess
{
public:
    enum class Kind { Tinyproxy, Microsocks };

    ~ForwardProxyProcess();
    ForwardProxyProcess(const ForwardProxyProcess &) = delete;
    ForwardProxyProcess &operator=(const ForwardProxyProcess &) = delete;

    // The program's path, empty when it is not installed (the test then skips, saying so).
    static QString program(Kind kind);
    // Started and listening on a free loopback port, or null with *error. With a user name, the
    // proxy demands these credentials.
    static std::unique_ptr<ForwardProxyProcess> start(Kind kind, QString *error, const QString &username = {},
                                                      const QString &password = {});

    quint16 port() const { return m_port; }
    // "http://127.0.0.1:PORT" or "socks5h://127.0.0.1:PORT", no credentials.
    QUrl url() const;
    // tinyproxy's log so far (connections, request lines, CONNECTs, refusals).
    QByteArray log() const;
    // Stops it: the port then refuses connections.
    void stop();

private:
    ForwardProxyProcess() = default;

    Kind m_kind = Kind::Tinyproxy;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};
