#pragma once

#include <QByteArray>
#include <QNetworkProxy>

// Which proxy Tokenbench's requests go through: the one place that decides it, for token
// requests (TokenClient) and API requests alike, both on libcurl (CurlTransfer applies it to
// each easy handle). A proxy named by the environment (http_proxy, HTTPS_PROXY, ALL_PROXY, …)
// is never used: it would see a plain-http request whole, client secret or bearer included,
// without the user having chosen it here. curl reads those variables on its own (loopback
// included) unless told otherwise, so it is told explicitly. Until Tokenbench has a proxy
// setting, current() is direct.
class ProxyPolicy
{
public:
    // Straight to every server.
    ProxyPolicy() = default;
    // Through this proxy (an HttpProxy or Socks5Proxy with host and port).
    explicit ProxyPolicy(const QNetworkProxy &configured);

    // The policy in force.
    static ProxyPolicy current();

    bool isDirect() const { return m_proxy.type() == QNetworkProxy::NoProxy; }
    const QNetworkProxy &networkProxy() const { return m_proxy; }
    // CURLOPT_PROXY: "" when direct, which also stops curl reading the proxy variables.
    QByteArray curlProxy() const;
    // CURLOPT_NOPROXY: "*" when direct; loopback otherwise, as Qt never proxies it. Either way the
    // environment's no_proxy is not read.
    QByteArray curlNoProxy() const;

private:
    QNetworkProxy m_proxy{QNetworkProxy::NoProxy};
};
