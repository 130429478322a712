#include "http/AuthorizerTokenSource.h"

#include "util/Clock.h"

#include <QMetaObject>
#include <QPointer>

#include <memory>

AuthorizerTokenSource::AuthorizerTokenSource(Authorizer *authorizer, const Environment &environment,
                                             const AuthorizationCredentials &credentials, QObject *parent)
    : TokenSource(parent)
    , m_authorizer(authorizer)
    , m_environment(environment)
    , m_credentials(credentials)
{
}

AuthorizerTokenSource::~AuthorizerTokenSource() = default;

const Clock *AuthorizerTokenSource::clock() const
{
    return m_authorizer->clock();
}

const KnownSecrets &AuthorizerTokenSource::knownSecrets() const
{
    return m_authorizer->knownSecrets();
}

std::optional<AccessToken> AuthorizerTokenSource::usableToken(const TokenScopes &scopes) const
{
    auto token = m_authorizer->currentToken(m_environment.id);
    if (!token || token->needsRenewal(clock()->now()) || !scopes.accepts(*token))
        return std::nullopt;
    return token;
}

void AuthorizerTokenSource::obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done)
{
    if (const auto token = usableToken(scopes); token && token->value != rejected) {
        QMetaObject::invokeMethod(context, [done, token = *token] { done({token, {}}); }, Qt::QueuedConnection);
        return;
    }

    // Authorizer reports per environment by signal. Only a finished() after our own started()
    // (or of the authorization already running) is ours: authorize() first cancels what runs,
    // and that cancellation is someone else's answer.
    const QString id = m_environment.id;
    const bool joinRunning = m_authorizer->isBusy(id);
    auto armed = std::make_shared<bool>(joinRunning);
    auto connections = std::make_shared<QList<QMetaObject::Connection>>();
    const QPointer<QObject> guard(context);
    connections->append(connect(m_authorizer, &Authorizer::started, context, [armed, id](const QString &environmentId) {
        if (environmentId == id)
            *armed = true;
    }));
    // An interactive grant of the authorization this waits for: shown by whoever uses this source
    // (the scope matrix's prompt), with the scopes it is for.
    auto interacted = std::make_shared<bool>(false);
    const QStringList asked = scopes.scopes;
    const QPointer<AuthorizerTokenSource> self(this);
    connections->append(connect(m_authorizer, &Authorizer::interactionRequired, context,
                                [self, armed, id, interacted, asked](const QString &environmentId, const GrantInteraction &interaction) {
                                    if (environmentId != id || !*armed || !self)
                                        return;
                                    *interacted = true;
                                    Q_EMIT self->interactionRequired(asked, interaction);
                                }));
    connections->append(connect(m_authorizer, &Authorizer::finished, context,
                                [self, armed, id, connections, guard, done, interacted, asked](const QString &environmentId, const TokenResult &result) {
                                    if (environmentId != id || !*armed)
                                        return;
                                    for (const auto &connection : std::as_const(*connections))
                                        QObject::disconnect(connection);
                                    if (*interacted && self)
                                        Q_EMIT self->interactionFinished(asked);
                                    // finished() may come from inside authorize(); answer from the event loop as promised.
                                    if (guard)
                                        QMetaObject::invokeMethod(guard, [done, result] { done(result); }, Qt::QueuedConnection);
                                }));
    if (!joinRunning) {
        // A token that expired or was turned down is renewed: a held refresh token first.
        AuthorizationCredentials renewal = m_credentials;
        renewal.renew = true;
        m_authorizer->authorize(m_environment, scopes.scopes, renewal);
    }
}

QByteArray AuthorizerTokenSource::clientKey() const
{
    return m_authorizer->clientKey(m_environment.id);
}

void AuthorizerTokenSource::cancelTokenRequests()
{
    if (m_authorizer->isBusy(m_environment.id))
        m_authorizer->cancel(m_environment.id);
}
