#pragma once

#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"
#include "oauth/TokenRevocation.h"
#include "secrets/KnownSecrets.h"

#include <QList>
#include <QObject>

// Log out (RFC 7009 §2.1): the refresh token is revoked first — at most servers that ends the
// grant's access tokens too — then the access token, each with its token_type_hint. Both are
// tried whatever the first answer was; the caller forgets the tokens whatever the outcome.
class TokenLogout : public QObject
{
    Q_OBJECT

public:
    struct Outcome
    {
        TokenRevocation::Hint hint;
        OAuthError error; // Kind::None: revoked
    };

    explicit TokenLogout(QObject *parent = nullptr);

    // Either token may be empty (not held). Without a revocation endpoint nothing is sent and
    // finished() reports that nothing could be revoked.
    void start(const TokenRequest &client, const QUrl &endpoint, const QString &refreshToken, const QString &accessToken);

    // "revoked the refresh token and the access token", or what failed and why.
    static QString describe(const QList<Outcome> &outcomes);
    static bool succeeded(const QList<Outcome> &outcomes);

Q_SIGNALS:
    void finished(const QList<TokenLogout::Outcome> &outcomes);

private:
    void next();

    TokenRequest m_client;
    QUrl m_endpoint;
    QList<QPair<TokenRevocation::Hint, QString>> m_pending;
    QList<Outcome> m_outcomes;
    KnownSecrets m_tokens; // both, masked in every outcome: a server may echo either
};
