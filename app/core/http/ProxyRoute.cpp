#include "http/ProxyRoute.h"

#include <curl/curl.h>

using namespace Qt::StringLiterals;

namespace {
QString schemeOf(ProxyRoute::Type type)
{
    switch (type) {
    case ProxyRoute::Type::Http:
        return u"http"_s;
    case ProxyRoute::Type::Https:
        return u"https"_s;
    case ProxyRoute::Type::Socks5:
        return u"socks5"_s;
    case ProxyRoute::Type::Socks5Hostname:
        return u"socks5h"_s;
    case ProxyRoute::Type::None:
        break;
    }
    return {};
}
} // namespace

QByteArray ProxyRoute::curlProxy() const
{
    if (isDirect())
        return {};
    QUrl url;
    url.setScheme(schemeOf(type));
    url.setHost(host);
    url.setPort(port);
    return url.toEncoded();
}

long ProxyRoute::curlProxyType() const
{
    switch (type) {
    case Type::Https:
        return CURLPROXY_HTTPS;
    case Type::Socks5:
        return CURLPROXY_SOCKS5;
    case Type::Socks5Hostname:
        return CURLPROXY_SOCKS5_HOSTNAME;
    case Type::Http:
    case Type::None:
        break;
    }
    return CURLPROXY_HTTP;
}

QString ProxyRoute::display() const
{
    return isDirect() ? u"no proxy"_s : u"the proxy %1"_s.arg(QString::fromLatin1(curlProxy()));
}

ProxyRoute ProxyRoute::fromUrl(const QUrl &url, QString *error)
{
    ProxyRoute route;
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http"_s)
        route.type = Type::Http;
    else if (scheme == u"https"_s)
        route.type = Type::Https;
    else if (scheme == u"socks5"_s)
        route.type = Type::Socks5;
    else if (scheme == u"socks5h"_s)
        route.type = Type::Socks5Hostname;
    if (!url.isValid() || route.type == Type::None || url.host().isEmpty()) {
        *error = u"a proxy is http://HOST:PORT, https://HOST:PORT, socks5://HOST:PORT or socks5h://HOST:PORT (got \"%1\")"_s
                     .arg(url.toDisplayString(QUrl::RemoveUserInfo));
        return {};
    }
    if (!url.userInfo().isEmpty()) {
        *error = u"a proxy URL holds no user name or password: give the user name on its own and keep the password in the keychain"_s;
        return {};
    }
    if (!url.path().isEmpty() && url.path() != u"/"_s) {
        *error = u"a proxy URL is a scheme, a host and a port, with no path (got \"%1\")"_s.arg(url.toDisplayString());
        return {};
    }
    route.host = url.host();
    // curl's default for a proxy without a port: 1080, 443 for an https proxy.
    route.port = url.port(route.type == Type::Https ? 443 : 1080);
    return route;
}
