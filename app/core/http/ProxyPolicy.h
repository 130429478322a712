#pragma once

#include "http/ProxyRoute.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

struct Environment;

// Which proxy Tokenbench's requests go through: the one place that decides it, for token
// requests, API requests and every other exchange (discovery, revocation, …) alike; Exchange
// asks routeFor() on each hop and CurlTransfer tells libcurl. Three modes:
// - System (the default): what the platform says (QNetworkProxyFactory::systemProxyForQuery —
//   on Linux http_proxy, https_proxy, all_proxy and no_proxy; the OS settings on Windows and
//   macOS), except that loopback is never proxied, as Qt's own system configuration does;
// - Direct: straight to every server, whatever the environment's variables say;
// - Manual: through one proxy, except the hosts of its no-proxy list.
// curl never reads the proxy variables itself: it is always told the route decided here.
class ProxyPolicy
{
public:
    enum class Mode { System, Direct, Manual };

    ProxyPolicy() = default; // System
    // The system's settings, except these hosts.
    static ProxyPolicy system(const QStringList &noProxy);
    static ProxyPolicy direct();
    // proxy with its credentials (ProxyRoute::fromUrl plus user name and password).
    static ProxyPolicy manual(const ProxyRoute &proxy, const QStringList &noProxy);
    // A manual proxy that cannot be used: every request fails with this reason rather than
    // going straight to the server behind the user's back.
    static ProxyPolicy broken(const QString &problem);

    // The app's policy, process-wide: the desktop app sets it from Preferences (and the
    // keychain), the CLI from --proxy / --no-proxy. System until set.
    static ProxyPolicy application();
    static void setApplication(const ProxyPolicy &policy);
    // The CLI's --proxy and --no-proxy for one run: a policy over the app's and every
    // environment's (none: each keeps its own), and hosts reached directly whatever the policy.
    static void setRunOverride(const std::optional<ProxyPolicy> &policy, const QStringList &alwaysDirect);
    // The password of an environment's own proxy, read from the keychain (or given to the CLI)
    // by whoever loads the environment's secrets; kept in memory for this process only.
    static void setEnvironmentPassword(const QString &environmentId, const QString &password);
    // An environment's policy: its own proxy or Direct, else the app's.
    static ProxyPolicy forEnvironment(const Environment &environment);

    Mode mode() const { return m_mode; }
    const ProxyRoute &proxy() const { return m_proxy; }
    const QStringList &noProxy() const { return m_noProxy; }
    // Non-empty when no request may go out under this policy (a manual proxy that cannot be used).
    const QString &problem() const { return m_problem; }

    // The route to target under this policy.
    ProxyRoute routeFor(const QUrl &target) const;
    // Whether a no-proxy list (the system's settings too take it, besides the platform's) names target's host: "*", a host and its subdomains ("example.com",
    // ".example.com", "*.example.com"), an IP address or a CIDR range ("10.0.0.0/8", "::1").
    static bool listBypasses(const QStringList &noProxy, const QUrl &target);
    // "a.example, b.example c.example" → the hosts, however separated.
    static QStringList splitHosts(const QString &text);

    // This policy with more hosts reached directly.
    ProxyPolicy withAlsoDirect(const QStringList &hosts) const;

    bool operator==(const ProxyPolicy &other) const = default;

private:
    Mode m_mode = Mode::System;
    ProxyRoute m_proxy;
    QStringList m_noProxy;
    QString m_problem;
};
