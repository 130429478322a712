#pragma once

#include "http/TokenScopes.h"
#include "oauth/AccessToken.h"
#include "oauth/GrantInteraction.h"
#include "oauth/TokenResponseParser.h"
#include "secrets/KnownSecrets.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class Clock;

// Where ApiCall gets its tokens: the CLI from a TokenRequest with its secrets already gathered
// (CachedTokenSource), the GUI through the Authorizer it shares with the Authorize dialog
// (AuthorizerTokenSource). Only the source knows about secrets; ApiCall only sees tokens.
class TokenSource : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const TokenResult &)>;

    explicit TokenSource(QObject *parent = nullptr);
    ~TokenSource() override;

    // A token usable now for the scopes (fresh, and scopes.accepts() it), without asking anyone.
    virtual std::optional<AccessToken> usableToken(const TokenScopes &scopes) const = 0;
    // Reports a token for the scopes through done: the usable one when there is one and its value is
    // not `rejected`, else a new one from the authorization server, asked for exactly scopes.scopes.
    // done is called exactly once, never from inside this call, and not at all once context is destroyed.
    virtual void obtainToken(const TokenScopes &scopes, const QString &rejected, QObject *context, Callback done) = 0;
    virtual const Clock *clock() const = 0;
    // The secrets behind the tokens (client secret, password, secret parameters) and every token
    // handed out so far: ApiCall masks them in what it reports. Empty unless the source knows some.
    virtual const KnownSecrets &knownSecrets() const;
    // Mutual TLS: the private key (PEM) of the environment's client certificate, as the source
    // read it for its token requests; empty when it has none or has not read it yet.
    virtual QByteArray clientKey() const;
    // Gives up the token requests this source has in flight — an interactive grant waiting for a
    // person (the browser, the device code) included: their callbacks answer Cancelled. For a
    // command or a run that is stopped. Nothing by default.
    virtual void cancelTokenRequests();

Q_SIGNALS:
    // A token request for these scopes waits for a person (authorization code, device grant):
    // what they must do, for the caller to show — with the scopes, so a person knows what they
    // approve. interactionFinished(scopes) follows when that request ends, however it ends.
    void interactionRequired(const QStringList &scopes, const GrantInteraction &interaction);
    void interactionFinished(const QStringList &scopes);
};
