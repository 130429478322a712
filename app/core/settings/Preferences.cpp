#include "settings/Preferences.h"

#include "http/ResponseLimit.h"

#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace {
const char *const maxResponseKey = "limits/maxResponseBytes";
const char *const proxyModeKey = "proxy/mode";
const char *const proxyUrlKey = "proxy/url";
const char *const proxyUserKey = "proxy/username";
const char *const noProxyKey = "proxy/noProxy";
}

qint64 Preferences::maxResponseBytes()
{
    bool ok = false;
    const qint64 bytes = QSettings().value(QLatin1StringView(maxResponseKey)).toLongLong(&ok);
    // A hand-edited file must not switch the limit off or make it useless.
    if (!ok || bytes < ResponseLimit::minBodyBytes || bytes > ResponseLimit::maxBodyBytes)
        return ResponseLimit::defaultBodyBytes;
    return bytes;
}

void Preferences::setMaxResponseBytes(qint64 bytes)
{
    QSettings settings;
    if (bytes == ResponseLimit::defaultBodyBytes)
        settings.remove(QLatin1StringView(maxResponseKey)); // follows the default if it ever changes
    else
        settings.setValue(QLatin1StringView(maxResponseKey), std::clamp(bytes, ResponseLimit::minBodyBytes, ResponseLimit::maxBodyBytes));
}

AppProxySetting Preferences::proxy()
{
    const QSettings settings;
    AppProxySetting setting;
    setting.mode = AppProxySetting::modeFromName(settings.value(QLatin1StringView(proxyModeKey)).toString());
    if (setting.mode != AppProxySetting::Mode::Manual)
        return setting;
    setting.url = QUrl(settings.value(QLatin1StringView(proxyUrlKey)).toString(), QUrl::StrictMode);
    setting.username = settings.value(QLatin1StringView(proxyUserKey)).toString();
    setting.noProxy = settings.value(QLatin1StringView(noProxyKey)).toStringList();
    return setting;
}

void Preferences::setProxy(const AppProxySetting &setting)
{
    QSettings settings;
    if (setting.mode == AppProxySetting::Mode::System)
        settings.remove(QLatin1StringView(proxyModeKey)); // the default, followed if it ever changes
    else
        settings.setValue(QLatin1StringView(proxyModeKey), AppProxySetting::modeName(setting.mode));
    // A manual proxy's fields only while it is chosen: what is no longer used is not kept around.
    if (setting.mode == AppProxySetting::Mode::Manual) {
        settings.setValue(QLatin1StringView(proxyUrlKey), setting.url.toString(QUrl::RemoveUserInfo));
        settings.setValue(QLatin1StringView(proxyUserKey), setting.username);
        settings.setValue(QLatin1StringView(noProxyKey), setting.noProxy);
    } else {
        for (const char *key : {proxyUrlKey, proxyUserKey, noProxyKey})
            settings.remove(QLatin1StringView(key));
    }
}
