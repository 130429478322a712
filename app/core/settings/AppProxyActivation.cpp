#include "settings/AppProxyActivation.h"

#include "secrets/SecretStore.h"
#include "settings/Preferences.h"

#include <QObject>
#include <QPointer>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {
// The latest activation: an older one's late keychain answer must not undo it.
std::atomic_int generation{0};
} // namespace

void AppProxyActivation::activate(SecretStore *store, const AppProxySetting &setting, const QObject *context,
                                  std::function<void(const QString &problem)> done)
{
    const int mine = ++generation;
    const QPointer<const QObject> guard(context);
    const bool hasContext = context != nullptr;
    auto report = [guard, hasContext, done](const QString &problem) {
        if (done && (!hasContext || guard))
            done(problem);
    };
    if (!setting.needsPassword() || !setting.problem().isEmpty()) {
        ProxyPolicy::setApplication(setting.policy());
        report({});
        return;
    }
    if (!store) {
        ProxyPolicy::setApplication(setting.policy());
        report(u"no keychain to read the app's proxy password from"_s);
        return;
    }
    ProxyPolicy::setApplication(ProxyPolicy::broken(u"the app's proxy password is still being read from the keychain"_s));
    store->read(AppProxySetting::passwordKey(), [setting, mine, report](const SecretResult &result) {
        if (generation != mine)
            return;
        const bool found = result.status == SecretResult::Status::Found;
        ProxyPolicy::setApplication(setting.policy(found ? result.value : QString()));
        report(found ? QString()
                     : u"no password for the app's proxy in the keychain%1"_s.arg(result.message.isEmpty() ? QString() : u": "_s + result.message));
    });
}

void AppProxyActivation::activateFromPreferences(SecretStore *store)
{
    activate(store, Preferences::proxy());
}
