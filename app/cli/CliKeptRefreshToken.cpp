#include "Cli.h"

#include "oauth/TokenResponseParser.h"
#include "secrets/SecretStore.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

// A refresh token outlives a tokenbench-cli run only in the keychain, and only for an
// environment that asks for it (Environment::keepRefreshToken, env set --keep-refresh-token).

QString Cli::keptRefreshToken(const Environment &env)
{
    if (!env.keepRefreshToken)
        return {};
    const SecretResult kept = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, SecretStore::refreshTokenName()));
    if (kept.status != SecretResult::Status::Found)
        return {};
    m_known.add(kept.value, u"the refresh token"_s);
    return kept.value;
}

bool Cli::changeKeptRefreshToken(const Environment &env, const QString &value)
{
    const QString key = SecretStore::keyFor(m_workspace->id(), env.id, SecretStore::refreshTokenName());
    SecretResult outcome;
    QEventLoop loop;
    const auto done = [&](const SecretResult &result) {
        outcome = result;
        loop.quit();
    };
    if (value.isEmpty())
        secrets().remove(key, done);
    else
        secrets().write(key, value, done);
    loop.exec();
    if (!outcome.ok() || outcome.sessionOnly) {
        m_print.err() << "tokenbench-cli: the refresh token is not kept: " << m_known.mask(outcome.message) << Qt::endl;
        return false;
    }
    return true;
}

void Cli::updateKeptRefreshToken(const Environment &env, const QString &used, TokenResult *result)
{
    if (!env.keepRefreshToken)
        return; // in memory only: gone when this run ends
    const QString now = result->ok() ? result->token->refreshToken : QString();
    if (!now.isEmpty()) {
        // Rotation: the new one replaces the old, which is forgotten.
        result->token->refreshTokenKept = now == used || changeKeptRefreshToken(env, now);
    } else if (!used.isEmpty() && (result->refreshRefused || result->ok())) {
        // Turned down (or a grant that gave none): a refresh token the server refuses is not kept.
        changeKeptRefreshToken(env, {});
    }
}
