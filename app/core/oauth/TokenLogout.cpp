#include "oauth/TokenLogout.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace {
QString what(TokenRevocation::Hint hint)
{
    return hint == TokenRevocation::Hint::RefreshToken ? u"the refresh token"_s : u"the access token"_s;
}
} // namespace

TokenLogout::TokenLogout(QObject *parent)
    : QObject(parent)
{
}

void TokenLogout::start(const TokenRequest &client, const QUrl &endpoint, const QString &refreshToken, const QString &accessToken)
{
    m_client = client;
    m_endpoint = endpoint;
    m_tokens.add(refreshToken, u"the refresh token"_s);
    m_tokens.add(accessToken, u"the access token"_s);
    if (!refreshToken.isEmpty())
        m_pending.append({TokenRevocation::Hint::RefreshToken, refreshToken});
    if (!accessToken.isEmpty())
        m_pending.append({TokenRevocation::Hint::AccessToken, accessToken});
    if (endpoint.isEmpty()) {
        OAuthError none;
        none.kind = OAuthError::Kind::Configuration;
        none.detail = u"the environment has no revocation URL; the tokens were forgotten here but stay valid at the server until they expire"_s;
        for (const auto &[hint, token] : std::as_const(m_pending))
            m_outcomes.append({hint, none});
        m_pending.clear();
    }
    QMetaObject::invokeMethod(this, &TokenLogout::next, Qt::QueuedConnection);
}

void TokenLogout::next()
{
    if (m_pending.isEmpty()) {
        Q_EMIT finished(m_outcomes);
        return;
    }
    const auto [hint, token] = m_pending.takeFirst();
    auto *revocation = new TokenRevocation(this);
    connect(revocation, &TokenRevocation::finished, this, [this, revocation, hint](const OAuthError &error) {
        revocation->deleteLater();
        m_outcomes.append({hint, m_tokens.mask(error)});
        next();
    });
    revocation->start(m_client, m_endpoint, token, hint);
}

bool TokenLogout::succeeded(const QList<Outcome> &outcomes)
{
    return std::all_of(outcomes.cbegin(), outcomes.cend(), [](const Outcome &outcome) { return !outcome.error.isError(); });
}

QString TokenLogout::describe(const QList<Outcome> &outcomes)
{
    if (outcomes.isEmpty())
        return u"no token was held; nothing to revoke"_s;
    QStringList revoked;
    QStringList failed;
    for (const Outcome &outcome : outcomes) {
        if (outcome.error.isError())
            failed.append(u"%1 was not revoked: %2"_s.arg(what(outcome.hint), outcome.error.summary()));
        else
            revoked.append(what(outcome.hint));
    }
    QStringList parts;
    if (!revoked.isEmpty())
        parts.append(u"revoked %1"_s.arg(revoked.join(u" and "_s)));
    parts.append(failed);
    return parts.join(u"; "_s);
}
