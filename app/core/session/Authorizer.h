#pragma once

#include "oauth/GrantInteraction.h"
#include "oauth/TokenIntrospection.h"
#include "oauth/TokenRequest.h"
#include "oauth/TokenResponseParser.h"
#include "secrets/KnownSecrets.h"
#include "workspace/Environment.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

#include <optional>

class Clock;
class BuiltinEnvironmentResolver;
class SecretStore;
class TokenCache;
class TokenClient;
class TokenFetch;

// What the user typed in the Authorize dialog.
struct AuthorizationCredentials
{
    QString clientSecret;  // empty: read from the keychain
    QString password;      // empty: read from the keychain (password grant)
    bool remember = false; // store what was typed in the keychain once it worked
    // Renewal (auto-renew, a token that expired): a refresh token held — in memory, or kept in
    // the keychain — is used before the grant runs again. Interactive grants always try it first.
    bool renew = false;
};

// Gets tokens for environments the way the Authorize dialog needs: secrets from what the user
// typed or from the keychain, a built-in environment (the Demo) resolved through the
// BuiltinEnvironmentResolver the application installed, one request in flight per environment, and the environment's current token kept in
// memory. Never blocks: everything reports back with signals.
class Authorizer : public QObject
{
    Q_OBJECT

public:
    using Credentials = AuthorizationCredentials;

    Authorizer(SecretStore *secrets, const Clock *clock = nullptr, QObject *parent = nullptr);
    ~Authorizer() override;

    // Where built-in environments get their URLs and credentials (the application's Demo server);
    // none: a built-in environment cannot be authorized.
    void setBuiltinResolver(const BuiltinEnvironmentResolver *resolver) { m_builtin = resolver; }
    const BuiltinEnvironmentResolver *builtinResolver() const { return m_builtin; }
    // The environment as it will be used: for a built-in one, its live URLs and client id.
    Environment resolved(const Environment &environment) const;

    void setWorkspaceId(const QString &id) { m_workspaceId = id; }
    QString workspaceId() const { return m_workspaceId; }

    void authorize(const Environment &environment, const QStringList &scopes, const Credentials &credentials = {});
    void cancel(const QString &environmentId);
    bool isBusy(const QString &environmentId) const;
    // Log out (Swagger UI's "Logout", RFC 7009): revokes what is held — the refresh token first,
    // then the access token — at the environment's revocation endpoint, and forgets both at once
    // whatever the server answers (a kept refresh token leaves the keychain too); loggedOut() says
    // how the revocation went.
    void logout(const QString &environmentId);
    // Forgets the environment's tokens without telling the server (its profile changed).
    void forget(const QString &environmentId);
    // Removes a refresh token kept in the keychain (the environment stopped keeping one).
    void forgetKeptRefreshToken(const QString &environmentId);
    // RFC 7662: asks the introspection endpoint about the current token; introspected() answers.
    void introspect(const QString &environmentId);

    std::optional<AccessToken> currentToken(const QString &environmentId) const;
    // Every secret a token request of this session was made with (typed, from the keychain or a
    // built-in environment's) and every token it got, current or long replaced: for the history's redactor and the
    // masking of what servers echo back.
    const KnownSecrets &knownSecrets() const { return m_known; }
    // Reads the environment's client secret, password and secret parameters from the keychain
    // into knownSecrets() (once per environment and session; what is not stored is skipped),
    // then calls done — at once when they were read before. done is not called once context is
    // gone. For what must be cleaned of them although no token was fetched (the history).
    void learnSecrets(const Environment &environment, QObject *context, std::function<void()> done);
    const Clock *clock() const { return m_clock; }
    // An Authorizer with this one's keychain, Demo, workspace and clock whose tokens stay its
    // own: a scope matrix run mints a token per scope set and must not replace what the user's
    // environments currently hold. This one learns each token it gets (knownSecrets).
    Authorizer *detached(QObject *parent);
    // Mutual TLS: the client certificate's private key (PEM) the environment's last token request
    // was made with, for its API requests (AuthorizerTokenSource); empty when none was read.
    QByteArray clientKey(const QString &environmentId) const { return m_clientKeys.value(environmentId).toUtf8(); }

Q_SIGNALS:
    void started(const QString &environmentId);
    void finished(const QString &environmentId, const TokenResult &result);
    void tokenChanged(const QString &environmentId);
    // The grant needs the person: open the browser at the URL, or show the device code. Ends
    // with finished() like any request; cancel() gives up the wait.
    void interactionRequired(const QString &environmentId, const GrantInteraction &interaction);
    // A typed secret could not be stored as asked; the message says where it is kept instead.
    void secretNotice(const QString &environmentId, const QString &message);
    // After logout(): what was revoked, or what failed and why (the tokens are forgotten either way).
    void loggedOut(const QString &environmentId, bool revoked, const QString &message);
    void introspected(const QString &environmentId, const IntrospectionResult &result);

private:
    void send(const Environment &environment, const TokenRequest &request, const Credentials &credentials);
    void fail(const QString &environmentId, const OAuthError &error);
    // Keeps (rotation: replaces) or removes the refresh token in the keychain as the answer says.
    void keepRefreshToken(const Environment &environment, const QString &used, const TokenResult &result);

    SecretStore *m_secrets;
    const Clock *m_clock;
    TokenClient *m_client;
    TokenCache *m_cache;
    const BuiltinEnvironmentResolver *m_builtin = nullptr;
    QString m_workspaceId;
    QHash<QString, QPointer<TokenFetch>> m_running;
    QHash<QString, AccessToken> m_current;
    QHash<QString, QString> m_clientKeys;
    KnownSecrets m_known;
    QStringList m_learned; // environments whose stored secrets are in m_known
    QHash<QString, int> m_generation; // a cancel or a new request makes late answers stale
    // What the current token was obtained with (secrets included, memory only): logout's and
    // introspect()'s client authentication and endpoints, per environment.
    QHash<QString, TokenRequest> m_requests;
    QHash<QString, Environment> m_environments;
    QHash<QString, QString> m_kept; // the refresh token known to be in the keychain, per environment
};
