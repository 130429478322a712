#include "http/ProxyPolicy.h"

#include "workspace/Environment.h"

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QNetworkProxy>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
// Requests are built on the GUI thread and on the matrix's worker threads alike.
struct Shared
{
    QMutex mutex;
    ProxyPolicy application;
    std::optional<ProxyPolicy> runOverride;
    QStringList alwaysDirect;
    QHash<QString, QString> environmentPasswords;

    // Under the lock: what a policy becomes in this run.
    ProxyPolicy effective(ProxyPolicy policy) const
    {
        if (runOverride)
            policy = *runOverride;
        return alwaysDirect.isEmpty() ? policy : policy.withAlsoDirect(alwaysDirect);
    }
};

Shared &shared()
{
    static Shared state;
    return state;
}

bool isLoopback(const QString &host)
{
    QHostAddress address;
    return host == u"localhost"_s || host.endsWith(u".localhost"_s) || (address.setAddress(host) && address.isLoopback());
}

ProxyRoute fromNetworkProxy(const QNetworkProxy &proxy)
{
    ProxyRoute route;
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy:
        route.type = ProxyRoute::Type::Http;
        break;
    case QNetworkProxy::Socks5Proxy:
        route.type = proxy.capabilities().testFlag(QNetworkProxy::HostNameLookupCapability) ? ProxyRoute::Type::Socks5Hostname
                                                                                           : ProxyRoute::Type::Socks5;
        break;
    default:
        return route; // NoProxy, DefaultProxy, FtpCachingProxy: straight there
    }
    route.host = proxy.hostName();
    route.port = proxy.port();
    // Credentials the platform gave (http_proxy=http://user:pass@host): beside the address, as ours.
    route.username = proxy.user();
    route.password = proxy.password();
    return route;
}
} // namespace

ProxyPolicy ProxyPolicy::system(const QStringList &noProxy)
{
    ProxyPolicy policy;
    policy.m_noProxy = noProxy;
    return policy;
}

ProxyPolicy ProxyPolicy::withAlsoDirect(const QStringList &hosts) const
{
    ProxyPolicy policy = *this;
    policy.m_noProxy += hosts;
    policy.m_noProxy.removeDuplicates();
    return policy;
}

ProxyPolicy ProxyPolicy::direct()
{
    ProxyPolicy policy;
    policy.m_mode = Mode::Direct;
    return policy;
}

ProxyPolicy ProxyPolicy::manual(const ProxyRoute &proxy, const QStringList &noProxy)
{
    ProxyPolicy policy;
    policy.m_mode = Mode::Manual;
    policy.m_proxy = proxy;
    policy.m_noProxy = noProxy;
    return policy;
}

ProxyPolicy ProxyPolicy::broken(const QString &problem)
{
    ProxyPolicy policy;
    policy.m_mode = Mode::Manual;
    policy.m_problem = problem;
    return policy;
}

ProxyPolicy ProxyPolicy::application()
{
    Shared &state = shared();
    const QMutexLocker lock(&state.mutex);
    return state.effective(state.application);
}

void ProxyPolicy::setApplication(const ProxyPolicy &policy)
{
    Shared &state = shared();
    const QMutexLocker lock(&state.mutex);
    state.application = policy;
}

void ProxyPolicy::setRunOverride(const std::optional<ProxyPolicy> &policy, const QStringList &alwaysDirect)
{
    Shared &state = shared();
    const QMutexLocker lock(&state.mutex);
    state.runOverride = policy;
    state.alwaysDirect = alwaysDirect;
}

void ProxyPolicy::setEnvironmentPassword(const QString &environmentId, const QString &password)
{
    Shared &state = shared();
    const QMutexLocker lock(&state.mutex);
    if (password.isEmpty())
        state.environmentPasswords.remove(environmentId);
    else
        state.environmentPasswords.insert(environmentId, password);
}

ProxyPolicy ProxyPolicy::forEnvironment(const Environment &environment)
{
    const ProxySetting &setting = environment.proxy;
    Shared &state = shared();
    const QMutexLocker lock(&state.mutex);
    switch (setting.mode) {
    case ProxyMode::App:
        return state.effective(state.application);
    case ProxyMode::Direct:
        return state.effective(direct());
    case ProxyMode::Manual:
        break;
    }
    QString problem;
    ProxyRoute route = ProxyRoute::fromUrl(setting.url, &problem);
    if (!problem.isEmpty())
        return state.effective(broken(u"the environment's proxy: %1"_s.arg(problem)));
    route.username = setting.username;
    if (!route.username.isEmpty())
        route.password = state.environmentPasswords.value(environment.id);
    return state.effective(manual(route, setting.noProxy));
}

ProxyRoute ProxyPolicy::routeFor(const QUrl &target) const
{
    switch (m_mode) {
    case Mode::Direct:
        return {};
    case Mode::Manual:
        if (!m_problem.isEmpty() || listBypasses(m_noProxy, target))
            return {};
        return m_proxy;
    case Mode::System:
        break;
    }
    if (listBypasses(m_noProxy, target))
        return {};
    // A proxy elsewhere cannot reach this machine's loopback (the Demo API, a local mock): Qt's
    // system configuration never proxies it either.
    if (isLoopback(target.host().toLower()))
        return {};
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(target));
    for (const QNetworkProxy &proxy : proxies) {
        // The first the platform lists that libcurl can speak; NoProxy first means straight there.
        if (proxy.type() == QNetworkProxy::NoProxy)
            return {};
        const ProxyRoute route = fromNetworkProxy(proxy);
        if (!route.isDirect())
            return route;
    }
    return {};
}

bool ProxyPolicy::listBypasses(const QStringList &noProxy, const QUrl &target)
{
    const QString host = target.host().toLower();
    QHostAddress address;
    const bool isAddress = address.setAddress(host);
    for (QString entry : noProxy) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == u"*"_s)
            return true;
        if (entry.contains(u'/')) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (isAddress && subnet.second >= 0 && address.isInSubnet(subnet))
                return true;
            continue;
        }
        if (entry.startsWith(u'[') && entry.endsWith(u']'))
            entry = entry.mid(1, entry.size() - 2);
        QHostAddress entryAddress;
        if (entryAddress.setAddress(entry)) {
            if (isAddress && entryAddress.isEqual(address))
                return true;
            continue;
        }
        if (entry.startsWith(u"*."_s))
            entry.remove(0, 2);
        else if (entry.startsWith(u'.'))
            entry.remove(0, 1);
        if (host == entry || host.endsWith(u'.' + entry))
            return true;
    }
    return false;
}

QStringList ProxyPolicy::splitHosts(const QString &text)
{
    static const QRegularExpression separators(u"[\\s,;]+"_s);
    QStringList hosts = text.split(separators, Qt::SkipEmptyParts);
    hosts.removeDuplicates();
    return hosts;
}
