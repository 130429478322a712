#include "support/ForwardProxyProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {
quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed on return; the proxy takes it next
}

bool acceptsConnections(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(200);
}
} // namespace

ForwardProxyProcess::~ForwardProxyProcess()
{
    stop();
}

QString ForwardProxyProcess::program(Kind kind)
{
    const QString name = kind == Kind::Tinyproxy ? u"tinyproxy"_s : u"microsocks"_s;
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty()) // Debian puts tinyproxy in /usr/bin, some distributions in sbin
        path = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    return path;
}

std::unique_ptr<ForwardProxyProcess> ForwardProxyProcess::start(Kind kind, QString *error, const QString &username, const QString &password)
{
    const QString path = program(kind);
    if (path.isEmpty()) {
        *error = kind == Kind::Tinyproxy ? u"tinyproxy is not installed (apt-get install tinyproxy)"_s
                                         : u"microsocks is not installed (apt-get install microsocks)"_s;
        return nullptr;
    }
    std::unique_ptr<ForwardProxyProcess> proxy(new ForwardProxyProcess);
    proxy->m_kind = kind;
    if (!proxy->m_dir.isValid()) {
        *error = u"no temporary directory"_s;
        return nullptr;
    }
    proxy->m_port = freeLoopbackPort();
    QStringList arguments;
    if (kind == Kind::Tinyproxy) {
        QByteArray config = "Port " + QByteArray::number(proxy->m_port) + "\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\n"
                            "LogLevel Info\nLogFile \"" + proxy->m_dir.filePath(u"tinyproxy.log"_s).toUtf8() + "\"\n"
                            "Allow 127.0.0.1\nDisableViaHeader Yes\n";
        // No ConnectPort line: CONNECT to any port (the test servers' are random).
        if (!username.isEmpty())
            config += "BasicAuth " + username.toUtf8() + ' ' + password.toUtf8() + '\n';
        QFile file(proxy->m_dir.filePath(u"tinyproxy.conf"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(config) != config.size()) {
            *error = u"cannot write the tinyproxy configuration"_s;
            return nullptr;
        }
        file.close();
        arguments = {u"-d"_s, u"-c"_s, file.fileName()};
    } else {
        arguments = {u"-i"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(proxy->m_port)};
        if (!username.isEmpty())
            arguments += {u"-u"_s, username, u"-P"_s, password};
    }
    proxy->m_process.setProcessChannelMode(QProcess::MergedChannels);
    proxy->m_process.start(path, arguments);
    if (!proxy->m_process.waitForStarted(5000)) {
        *error = u"%1 did not start: %2"_s.arg(path, proxy->m_process.errorString());
        return nullptr;
    }
    const QDeadlineTimer deadline(10000);
    while (!acceptsConnections(proxy->m_port)) {
        if (proxy->m_process.state() != QProcess::Running || deadline.hasExpired()) {
            *error = u"%1 is not listening on 127.0.0.1:%2: %3"_s.arg(path).arg(proxy->m_port).arg(QString::fromUtf8(proxy->m_process.readAll()));
            return nullptr;
        }
        QThread::msleep(50);
    }
    return proxy;
}

QUrl ForwardProxyProcess::url() const
{
    return QUrl(u"%1://127.0.0.1:%2"_s.arg(m_kind == Kind::Tinyproxy ? u"http"_s : u"socks5h"_s).arg(m_port));
}

QByteArray ForwardProxyProcess::log() const
{
    QFile file(m_dir.filePath(u"tinyproxy.log"_s));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void ForwardProxyProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}
