#pragma once

#include "settings/AppProxySetting.h"

#include <QString>

#include <functional>

class QObject;
class SecretStore;

// Puts the app's proxy into effect for every later request (ProxyPolicy::setApplication): at
// start, before the first request, and whenever Preferences change it — no restart. A proxy
// that needs a password has it read from the keychain first; until the keychain answers,
// requests are refused naming the wait, never sent around the proxy the user chose.
class AppProxyActivation
{
public:
    // done(problem) once the policy is in effect: empty, or why the password could not be had
    // (the proxy is then used without it, and its 407 says so). context: done is dropped when
    // it is destroyed. A later activate() supersedes an earlier one still waiting.
    static void activate(SecretStore *store, const AppProxySetting &setting, const QObject *context = nullptr,
                         std::function<void(const QString &problem)> done = {});
    // The setting in Preferences, with its password from store.
    static void activateFromPreferences(SecretStore *store);
};
