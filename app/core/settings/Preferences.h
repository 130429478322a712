#pragma once

#include "settings/AppProxySetting.h"

#include <QtGlobal>

// The desktop app's preferences: choices that are no secret and outlive a session, kept in
// QSettings (the application's organisation and name) and read where they apply, at the moment
// they apply. The CLI has none: its options say everything for each run.
class Preferences
{
public:
    // The largest API response body the composer keeps, decoded (ResponseLimit); a missing or
    // out-of-range stored value reads as the default, 256 MB.
    static qint64 maxResponseBytes();
    static void setMaxResponseBytes(qint64 bytes);

    // The app's proxy, without its password (that is in the keychain: AppProxySetting::passwordKey).
    // Put into effect by AppProxyActivation.
    static AppProxySetting proxy();
    static void setProxy(const AppProxySetting &setting);
};
