#pragma once

#include "http/ProxyPolicy.h"

#include <QString>
#include <QStringList>
#include <QUrl>

// The app's own proxy, chosen in Preferences: the system's settings (the default), none, or one
// proxy of the user's (its URL, a user name, hosts reached without it). Every environment that
// says "the app's" takes it. All of it but the password is kept in QSettings (Preferences); the
// password lives in the keychain under passwordKey(), never in the settings file.
struct AppProxySetting
{
    enum class Mode { System, Direct, Manual };

    Mode mode = Mode::System;
    QUrl url;           // Manual: http, https, socks5 or socks5h, without credentials
    QString username;   // Manual: empty when the proxy asks for none
    QStringList noProxy; // Manual: hosts, addresses, CIDR ranges reached directly

    // Why a manual proxy cannot be used (no URL, or one ProxyRoute::fromUrl refuses, as the
    // CLI's --proxy does); empty when it can.
    QString problem() const;
    // Whether the proxy asks for a password (kept in the keychain).
    bool needsPassword() const { return mode == Mode::Manual && !username.isEmpty(); }
    // The policy requests take under this setting (password for a proxy that needs one). A
    // manual proxy that cannot be used refuses every request, naming why: never straight to the
    // server behind the user's back.
    ProxyPolicy policy(const QString &password = {}) const;
    // For the user, in a sentence: "the system's proxy settings", "no proxy",
    // "http://proxy.corp:3128 as alice, except localhost, .internal".
    QString describe() const;

    // The keychain entry of the password (not tied to a workspace or an environment).
    static QString passwordKey();
    static QString modeName(Mode mode);
    static Mode modeFromName(const QString &name);

    bool operator==(const AppProxySetting &other) const = default;
};
