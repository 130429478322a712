#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

// The proxy one request goes through, or none: what CurlTransfer tells libcurl. The credentials
// travel beside the address (CURLOPT_PROXYUSERNAME / CURLOPT_PROXYPASSWORD), never inside a URL,
// so no printed or logged address ever holds them.
struct ProxyRoute
{
    // http: HTTP proxy (CONNECT for an https origin); https: the same over TLS to the proxy;
    // socks5: the name resolved here; socks5h: resolved by the proxy.
    enum class Type { None, Http, Https, Socks5, Socks5Hostname };

    Type type = Type::None;
    QString host;
    int port = 0;
    QString username;
    QString password;

    bool isDirect() const { return type == Type::None; }
    // "http://proxy.corp:3128": scheme, host and port, never the credentials; empty when direct.
    QByteArray curlProxy() const;
    // CURLOPT_PROXYTYPE's value (CURLPROXY_HTTP, …).
    long curlProxyType() const;
    // For messages: "the proxy http://proxy.corp:3128", or "no proxy".
    QString display() const;

    // A proxy from a URL the user gave (http, https, socks5, socks5h; without a port, curl's
    // default: 1080, 443 for https). A URL with a user name or password in it, a path, or
    // another scheme is refused with *error.
    static ProxyRoute fromUrl(const QUrl &url, QString *error);

    bool operator==(const ProxyRoute &other) const = default;
};
