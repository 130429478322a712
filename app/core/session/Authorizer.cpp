#include "session/Authorizer.h"

#include "oauth/TokenCache.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenIntrospection.h"
#include "oauth/TokenLogout.h"
#include "secrets/SecretStore.h"
#include "util/Clock.h"
#include "workspace/BuiltinEnvironmentResolver.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace {
// The secrets one request still needs from the keychain, read one after another.
struct PendingSecret
{
    QString name;     // SecretStore name: client-secret, password, param:K
    QString label;    // for the error message
    QString *target;  // where in the request it goes
    bool optional = false; // a kept refresh token: none stored is no failure
};
} // namespace

Authorizer::Authorizer(SecretStore *secrets, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_clock(clock ? clock : Clock::system())
    , m_client(new TokenClient(m_clock, this))
    , m_cache(new TokenCache(m_client, m_clock, this))
{
}

Authorizer::~Authorizer() = default;

Environment Authorizer::resolved(const Environment &environment) const
{
    if (m_builtin && m_builtin->provides(environment))
        return m_builtin->resolved(environment);
    return environment;
}

Authorizer *Authorizer::detached(QObject *parent)
{
    auto *other = new Authorizer(m_secrets, m_clock, parent);
    other->m_builtin = m_builtin;
    other->m_workspaceId = m_workspaceId;
    connect(other, &Authorizer::finished, this, [this](const QString &, const TokenResult &result) {
        if (result.ok())
            m_known.addToken(*result.token);
    });
    return other;
}

bool Authorizer::isBusy(const QString &environmentId) const
{
    return m_generation.contains(environmentId) && m_running.contains(environmentId);
}

std::optional<AccessToken> Authorizer::currentToken(const QString &environmentId) const
{
    const auto it = m_current.constFind(environmentId);
    if (it == m_current.constEnd())
        return std::nullopt;
    return *it;
}

void Authorizer::forget(const QString &environmentId)
{
    cancel(environmentId);
    m_cache->invalidateEnvironment(environmentId);
    m_requests.remove(environmentId);
    m_environments.remove(environmentId);
    if (m_current.remove(environmentId) > 0)
        Q_EMIT tokenChanged(environmentId);
}

void Authorizer::logout(const QString &environmentId)
{
    const QString id = environmentId;
    const std::optional<AccessToken> token = currentToken(id);
    const TokenRequest client = m_requests.value(id);
    const Environment environment = m_environments.value(id);
    QString refreshToken = token ? token->refreshToken : QString();
    if (refreshToken.isEmpty())
        refreshToken = m_kept.value(id);
    const QString accessToken = token ? token->value : QString();
    // Forgotten at once, whatever the server will say: logging out must not wait on it.
    forget(id);
    if (m_kept.contains(id) || environment.keepRefreshToken)
        forgetKeptRefreshToken(id);
    if (refreshToken.isEmpty() && accessToken.isEmpty())
        return;
    auto *revocation = new TokenLogout(this);
    connect(revocation, &TokenLogout::finished, this, [this, id, revocation](const QList<TokenLogout::Outcome> &outcomes) {
        revocation->deleteLater();
        Q_EMIT loggedOut(id, TokenLogout::succeeded(outcomes), m_known.mask(TokenLogout::describe(outcomes)));
    });
    revocation->start(client, environment.provider.revocationUrl, refreshToken, accessToken);
}

void Authorizer::forgetKeptRefreshToken(const QString &environmentId)
{
    m_kept.remove(environmentId);
    m_secrets->remove(SecretStore::keyFor(m_workspaceId, environmentId, SecretStore::refreshTokenName()), [](const SecretResult &) {});
}

void Authorizer::introspect(const QString &environmentId)
{
    const std::optional<AccessToken> token = currentToken(environmentId);
    if (!token || !m_requests.contains(environmentId)) {
        IntrospectionResult none;
        none.error.kind = OAuthError::Kind::Configuration;
        none.error.detail = tr("there is no token to introspect");
        Q_EMIT introspected(environmentId, none);
        return;
    }
    auto *introspection = new TokenIntrospection(this);
    connect(introspection, &TokenIntrospection::finished, this, [this, environmentId, introspection](const IntrospectionResult &result) {
        introspection->deleteLater();
        IntrospectionResult masked = result;
        masked.error = m_known.mask(result.error);
        Q_EMIT introspected(environmentId, masked);
    });
    introspection->start(m_requests.value(environmentId), m_environments.value(environmentId).provider.introspectionUrl, token->value);
}

void Authorizer::keepRefreshToken(const Environment &environment, const QString &used, const TokenResult &result)
{
    if (!environment.keepRefreshToken)
        return; // memory only: never written
    const QString id = environment.id;
    const QString key = SecretStore::keyFor(m_workspaceId, id, SecretStore::refreshTokenName());
    const QString now = result.ok() ? result.token->refreshToken : QString();
    if (!now.isEmpty()) {
        if (m_kept.value(id) == now)
            return;
        // Rotation: the new one replaces the old, which is forgotten.
        m_secrets->write(key, now, [this, id, now](const SecretResult &stored) {
            if (stored.ok() && !stored.sessionOnly) {
                m_kept.insert(id, now);
                return;
            }
            if (auto it = m_current.find(id); it != m_current.end() && it->refreshToken == now) {
                it->refreshTokenKept = false;
                Q_EMIT tokenChanged(id);
            }
            Q_EMIT secretNotice(id, tr("The refresh token is not kept in the keychain: %1").arg(stored.message));
        });
    } else if (!used.isEmpty() && (result.refreshRefused || result.ok())) {
        // Turned down by the server, or replaced by a grant that gave none: not worth keeping.
        forgetKeptRefreshToken(id);
    }
}

void Authorizer::cancel(const QString &environmentId)
{
    if (!m_running.contains(environmentId))
        return;
    const QPointer<TokenFetch> fetch = m_running.take(environmentId);
    ++m_generation[environmentId]; // whatever is still on its way is now stale
    if (fetch)
        fetch->cancel();
    OAuthError error;
    error.kind = OAuthError::Kind::Cancelled;
    Q_EMIT finished(environmentId, {std::nullopt, error});
}

void Authorizer::fail(const QString &environmentId, const OAuthError &error)
{
    m_running.remove(environmentId);
    Q_EMIT finished(environmentId, {std::nullopt, error});
}

void Authorizer::authorize(const Environment &environment, const QStringList &scopes, const Credentials &credentials)
{
    const QString id = environment.id;
    cancel(id);
    const int generation = ++m_generation[id];
    m_running.insert(id, nullptr); // busy from now on, while secrets are read
    Q_EMIT started(id);

    const Environment env = resolved(environment);
    auto request = std::make_shared<TokenRequest>(TokenRequest::fromEnvironment(env));
    request->scopes = scopes;

    if (!environment.builtin.isEmpty()) {
        const bool provided = m_builtin && m_builtin->provides(environment);
        const QString unavailable = provided ? m_builtin->unavailableReason()
                                             : tr("nothing in this session provides the built-in environment “%1”").arg(environment.name);
        if (!unavailable.isEmpty()) {
            OAuthError error;
            error.kind = OAuthError::Kind::Configuration;
            error.detail = unavailable;
            fail(id, error);
            return;
        }
        // A built-in environment's credentials are public and come with it; nothing to ask the keychain for.
        const BuiltinEnvironmentResolver::Credentials builtin = m_builtin->credentials(env);
        request->clientSecret = builtin.clientSecret;
        if (env.grant == GrantType::Password)
            request->password = builtin.password;
    }
    if (!credentials.clientSecret.isEmpty())
        request->clientSecret = credentials.clientSecret;
    if (!credentials.password.isEmpty())
        request->password = credentials.password;

    auto pending = std::make_shared<QList<PendingSecret>>();
    if (request->clientSecret.isEmpty() && Environment::usesClientSecret(env.clientAuth))
        pending->append({SecretStore::clientSecretName(), tr("client secret"), &request->clientSecret});
    if (env.grant == GrantType::Password && request->password.isEmpty())
        pending->append({SecretStore::passwordName(), tr("password"), &request->password});
    // Renewal uses a held refresh token before the grant: the one in memory, else one kept in
    // the keychain (after a restart). An interactive grant (a browser, a code) always tries it first.
    if (credentials.renew || Environment::isInteractive(env.grant)) {
        if (const auto held = m_current.constFind(id); held != m_current.constEnd() && !held->refreshToken.isEmpty()) {
            request->refreshToken = held->refreshToken;
            request->refreshScopes = held->scopeSource == AccessToken::ScopeSource::NotReported ? held->requestedScopes : held->grantedScopes;
        } else if (env.keepRefreshToken) {
            pending->append({SecretStore::refreshTokenName(), tr("kept refresh token"), &request->refreshToken, true});
        }
    }
    for (auto &[name, value] : request->extraParams) {
        if (request->secretParamNames.contains(name))
            pending->append({SecretStore::paramName(name), tr("secret parameter %1").arg(name), &value});
    }
    if (env.clientAuth == ClientAuthStyle::PrivateKeyJwt)
        pending->append({SecretStore::privateKeyName(), tr("private key (private_key_jwt)"), &request->privateKey});
    if (!env.clientCertificate.isEmpty())
        pending->append({SecretStore::clientKeyName(), tr("client certificate's private key"), &request->clientKey});
    // The environment's own proxy, when it names a user: its password, kept for the API calls too.
    auto proxyPassword = std::make_shared<QString>();
    if (env.proxy.mode == ProxyMode::Manual && !env.proxy.username.isEmpty())
        pending->append({SecretStore::proxyPasswordName(), tr("proxy password"), proxyPassword.get()});

    // Reads the keychain one secret at a time, then sends; a stale generation stops the chain.
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, id, generation, env, request, pending, next, credentials, proxyPassword] {
        if (m_generation.value(id) != generation)
            return;
        if (pending->isEmpty()) {
            if (!proxyPassword->isEmpty()) {
                ProxyPolicy::setEnvironmentPassword(env.id, *proxyPassword);
                m_known.add(*proxyPassword, tr("the proxy password"));
                request->proxy = ProxyPolicy::forEnvironment(env);
            }
            send(env, *request, credentials);
            *next = nullptr; // break the self-reference
            return;
        }
        const PendingSecret secret = pending->takeFirst();
        m_secrets->read(SecretStore::keyFor(m_workspaceId, env.id, secret.name), [this, id, generation, secret, next](const SecretResult &result) {
            if (m_generation.value(id) != generation)
                return;
            if (result.status != SecretResult::Status::Found && secret.optional) {
                (*next)();
                return;
            }
            if (result.status != SecretResult::Status::Found) {
                OAuthError error;
                error.kind = OAuthError::Kind::Configuration;
                error.detail = tr("no %1 for this environment: %2. Type it in the Authorize dialog or the environment editor.").arg(secret.label, result.message);
                fail(id, error);
                *next = nullptr;
                return;
            }
            *secret.target = result.value;
            (*next)();
        });
    };
    (*next)();
}

void Authorizer::learnSecrets(const Environment &environment, QObject *context, std::function<void()> done)
{
    if (m_learned.contains(environment.id)) {
        done();
        return;
    }
    if (m_builtin && m_builtin->provides(environment)) {
        const BuiltinEnvironmentResolver::Credentials builtin = m_builtin->credentials(environment);
        m_known.add(builtin.clientSecret, tr("the client secret"));
        m_known.add(builtin.password, tr("the password"));
        m_learned.append(environment.id);
        done();
        return;
    }
    auto pending = std::make_shared<QList<QPair<QString, QString>>>(QList<QPair<QString, QString>>{
        {SecretStore::clientSecretName(), tr("the client secret")}, {SecretStore::passwordName(), tr("the password")}});
    for (const QString &param : environment.secretParamNames())
        pending->append({SecretStore::paramName(param), tr("the secret parameter %1").arg(param)});
    if (environment.proxy.mode == ProxyMode::Manual && !environment.proxy.username.isEmpty())
        pending->append({SecretStore::proxyPasswordName(), tr("the proxy password")});
    const QString id = environment.id;
    const QPointer<QObject> guard(context);
    auto next = std::make_shared<std::function<void()>>();
    *next = [this, id, pending, next, guard, done] {
        if (pending->isEmpty()) {
            if (!m_learned.contains(id))
                m_learned.append(id);
            if (guard)
                done();
            *next = nullptr; // break the self-reference
            return;
        }
        const QPair<QString, QString> item = pending->takeFirst();
        const QString what = item.second;
        m_secrets->read(SecretStore::keyFor(m_workspaceId, id, item.first), [this, what, next](const SecretResult &result) {
            if (result.status == SecretResult::Status::Found)
                m_known.add(result.value, what);
            (*next)();
        });
    };
    (*next)();
}

void Authorizer::send(const Environment &environment, const TokenRequest &request, const Credentials &credentials)
{
    const QString id = environment.id;
    const int generation = m_generation.value(id);
    const QString key = TokenCache::keyFor(id, request);
    m_known.addTokenRequest(request);
    if (request.clientKey.isEmpty())
        m_clientKeys.remove(id);
    else
        m_clientKeys.insert(id, request.clientKey);
    const QString usedRefreshToken = request.refreshToken;
    if (environment.keepRefreshToken && !usedRefreshToken.isEmpty() && !m_kept.contains(id))
        m_kept.insert(id, usedRefreshToken); // read from the keychain
    // Authorize means "get me a token now", as in Swagger UI: never hand back a cached one.
    m_cache->invalidate(key);
    std::optional<AccessToken> cached;
    TokenFetch *fetch = m_cache->obtain(key, request, &cached);
    m_running.insert(id, fetch);
    connect(fetch, &TokenFetch::interactionRequired, this, [this, id, generation](const GrantInteraction &interaction) {
        if (m_generation.value(id) == generation)
            Q_EMIT interactionRequired(id, interaction);
    });
    if (fetch->interaction())
        Q_EMIT interactionRequired(id, *fetch->interaction());
    connect(fetch, &TokenFetch::finished, this, [this, id, generation, environment, credentials, request, usedRefreshToken](const TokenResult &result) {
        if (m_generation.value(id) != generation)
            return;
        m_running.remove(id);
        keepRefreshToken(environment, usedRefreshToken, result);
        if (!result.ok() && result.refreshRefused) {
            // Turned down: the refresh token in memory is not tried again either.
            if (auto it = m_current.find(id); it != m_current.end() && it->refreshToken == usedRefreshToken)
                it->refreshToken.clear();
        }
        if (result.ok()) {
            m_known.addToken(*result.token);
            AccessToken token = *result.token;
            token.refreshTokenKept = environment.keepRefreshToken && !token.refreshToken.isEmpty();
            m_current.insert(id, token);
            m_requests.insert(id, request.withoutRefresh());
            m_environments.insert(id, environment);
            Q_EMIT tokenChanged(id);
            if (credentials.remember && environment.builtin.isEmpty()) {
                // Only secrets that just worked are worth keeping.
                const QList<QPair<QString, QString>> typed = {{SecretStore::clientSecretName(), credentials.clientSecret},
                                                              {SecretStore::passwordName(), credentials.password}};
                for (const auto &[name, value] : typed) {
                    if (value.isEmpty())
                        continue;
                    m_secrets->write(SecretStore::keyFor(m_workspaceId, id, name), value, [this, id](const SecretResult &stored) {
                        if (stored.sessionOnly || !stored.ok())
                            Q_EMIT secretNotice(id, stored.message);
                    });
                }
            }
        }
        Q_EMIT finished(id, result);
    });
}
