#include "Cli.h"

#include "EnvironmentOptions.h"
#include "HiddenPrompt.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

bool Cli::readProxyPassword(const QCommandLineParser &parser, const EnvironmentOptions &options, const Environment &env, EnvironmentKeys *keys)
{
    const bool hasUser = env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty();
    if (options.proxyPasswordFromStdin(parser)) {
        if (!hasUser) {
            usageError(u"--proxy-password-stdin is the password of the environment's proxy user: give --proxy URL --proxy-user NAME"_s);
            return false;
        }
        const QString password = readStdinSecret();
        if (password.isEmpty()) {
            usageError(u"--proxy-password-stdin: no password on standard input (pipe it in, e.g. from your password manager)"_s);
            return false;
        }
        keys->proxyPassword = password;
    } else if (hasUser && options.proxyUserSet(parser) && HiddenPrompt::available()) {
        // A new user name wants its password; at a terminal it is asked for now, as discovery
        // may need it, rather than left for a later 'secret set'. An empty answer stores none.
        const auto typed = HiddenPrompt::ask(u"Password of proxy user %1 at %2 (not shown; Enter for none): "_s.arg(
            env.proxy.username, env.proxy.url.toDisplayString()));
        if (typed && !typed->isEmpty())
            keys->proxyPassword = *typed;
    }
    if (keys->proxyPassword)
        m_known.add(*keys->proxyPassword, u"the proxy password"_s);
    return true;
}
