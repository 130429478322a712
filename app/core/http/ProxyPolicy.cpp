#include "http/ProxyPolicy.h"

#include <QUrl>

ProxyPolicy::ProxyPolicy(const QNetworkProxy &configured)
    : m_proxy(configured)
{
}

ProxyPolicy ProxyPolicy::current()
{
    return ProxyPolicy();
}

QByteArray ProxyPolicy::curlProxy() const
{
    if (isDirect())
        return QByteArray("");
    QUrl url;
    // socks5h: the proxy resolves the name, as Qt's SOCKS5 proxy does for a host name.
    url.setScheme(m_proxy.type() == QNetworkProxy::Socks5Proxy ? QStringLiteral("socks5h") : QStringLiteral("http"));
    url.setHost(m_proxy.hostName());
    url.setPort(m_proxy.port());
    return url.toEncoded();
}

QByteArray ProxyPolicy::curlNoProxy() const
{
    return isDirect() ? QByteArray("*") : QByteArray("localhost,127.0.0.0/8,::1");
}
