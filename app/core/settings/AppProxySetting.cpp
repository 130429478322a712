#include "settings/AppProxySetting.h"

#include "http/ProxyRoute.h"

using namespace Qt::StringLiterals;

QString AppProxySetting::problem() const
{
    if (mode != Mode::Manual)
        return {};
    if (url.isEmpty())
        return u"the app's proxy has no URL"_s;
    QString error;
    ProxyRoute::fromUrl(url, &error);
    return error;
}

ProxyPolicy AppProxySetting::policy(const QString &password) const
{
    switch (mode) {
    case Mode::System:
        return ProxyPolicy::system({});
    case Mode::Direct:
        return ProxyPolicy::direct();
    case Mode::Manual:
        break;
    }
    QString error;
    ProxyRoute route = ProxyRoute::fromUrl(url, &error);
    if (!error.isEmpty() || url.isEmpty())
        return ProxyPolicy::broken(u"the app's proxy (Preferences): %1"_s.arg(error.isEmpty() ? problem() : error));
    route.username = username;
    if (!username.isEmpty())
        route.password = password;
    return ProxyPolicy::manual(route, noProxy);
}

QString AppProxySetting::describe() const
{
    switch (mode) {
    case Mode::System:
        return u"the system's proxy settings"_s;
    case Mode::Direct:
        return u"no proxy (straight to every server)"_s;
    case Mode::Manual:
        break;
    }
    if (const QString why = problem(); !why.isEmpty())
        return u"a proxy that cannot be used: %1"_s.arg(why);
    QString text = url.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    if (!username.isEmpty())
        text += u" as %1"_s.arg(username);
    if (!noProxy.isEmpty())
        text += u", except %1"_s.arg(noProxy.join(u", "_s));
    return text;
}

QString AppProxySetting::passwordKey()
{
    return u"tokenbench-app/proxy-password"_s;
}

QString AppProxySetting::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Direct:
        return u"direct"_s;
    case Mode::Manual:
        return u"manual"_s;
    case Mode::System:
        break;
    }
    return u"system"_s;
}

AppProxySetting::Mode AppProxySetting::modeFromName(const QString &name)
{
    if (name == u"direct"_s)
        return Mode::Direct;
    if (name == u"manual"_s)
        return Mode::Manual;
    return Mode::System; // absent or hand-edited into something else: the default
}
