#include "oauth/TokenRevocation.h"

#include "oauth/EndpointCall.h"

using namespace Qt::StringLiterals;

TokenRevocation::TokenRevocation(QObject *parent)
    : QObject(parent)
    , m_call(new EndpointCall(this))
{
}

QString TokenRevocation::hintName(Hint hint)
{
    return hint == Hint::RefreshToken ? u"refresh_token"_s : u"access_token"_s;
}

void TokenRevocation::start(const TokenRequest &client, const QUrl &endpoint, const QString &token, Hint hint)
{
    connect(m_call, &EndpointCall::finished, this, [this, endpoint](const EndpointCall::Answer &answer) {
        if (answer.error.isError()) {
            Q_EMIT finished(answer.error);
            return;
        }
        // §2.2: 200 means revoked, or never valid; the body is to be ignored. 503 may come with
        // Retry-After (§2.2.1): reported as the HTTP error it is.
        Q_EMIT finished(answer.status == 200 ? OAuthError() : EndpointCall::errorFrom(answer, endpoint));
    }, Qt::SingleShotConnection);
    m_call->start(client, endpoint, u"revocation URL"_s, {{u"token"_s, token}, {u"token_type_hint"_s, hintName(hint)}});
}
