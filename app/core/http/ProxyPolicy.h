#pragma once

#include <QByteArray>
#include <QNetworkProxy>

class QNetworkAccessManager;

// Which proxy Tokenbench's requests go through: the one place that decides it, for token
// requests (QNetworkAccessManager, in TokenClient) and API requests (libcurl, in CurlTransfer)
// alike. A proxy named by the environment (http_proxy, HTTPS_PROXY, ALL_PROXY, …) is never
// used: it would see a plain-http request whole, client secret or bearer included, without the
// user having chosen it here. Qt and curl each read those variables on their own, and differently
// (Qt skips loopback hosts, curl does not), so both are told explicitly. Until Tokenbench has a
// proxy setting, current() is direct.
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
    // Makes the manager follow this policy, whatever the environment or an application-wide
    // proxy factory says: its own proxy, and no factory (a factory would override it).
    void applyTo(QNetworkAccessManager *manager) const;
    // CURLOPT_PROXY: "" when direct, which also stops curl reading the proxy variables.
    QByteArray curlProxy() const;
    // CURLOPT_NOPROXY: "*" when direct; loopback otherwise, as Qt never proxies it. Either way the
    // environment's no_proxy is not read.
    QByteArray curlNoProxy() const;

private:
    QNetworkProxy m_proxy{QNetworkProxy::NoProxy};
};
