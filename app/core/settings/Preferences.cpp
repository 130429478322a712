#include "settings/Preferences.h"

#include "http/ResponseLimit.h"

#include <QSettings>

#include <algorithm>

namespace {
const char *const maxResponseKey = "limits/maxResponseBytes";
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
