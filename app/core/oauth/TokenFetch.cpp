#include "oauth/TokenFetch.h"

TokenFetch::TokenFetch(QObject *parent)
    : QObject(parent)
{
}

void TokenFetch::cancel()
{
    if (m_finished)
        return;
    OAuthError error;
    error.kind = OAuthError::Kind::Cancelled;
    finish({std::nullopt, error});
}

void TokenFetch::requireInteraction(const GrantInteraction &interaction)
{
    if (m_finished)
        return;
    m_interaction = interaction;
    Q_EMIT interactionRequired(interaction);
}

void TokenFetch::finish(const TokenResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = result;
    Q_EMIT finished(m_result);
    deleteLater();
}
