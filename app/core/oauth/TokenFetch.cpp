#include "oauth/TokenFetch.h"

#include "http/Exchange.h"

TokenFetch::TokenFetch(QObject *parent)
    : QObject(parent)
{
}

TokenFetch::~TokenFetch()
{
    // The exchange is a child: deleting it stops its transfer.
    if (m_exchange)
        m_exchange->disconnect(this);
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
    if (m_exchange) {
        // Disconnect first: cancel() reports at once and we already have our answer.
        m_exchange->disconnect(this);
        m_exchange->cancel();
        m_exchange->deleteLater();
        m_exchange = nullptr;
    }
    Q_EMIT finished(m_result);
    deleteLater();
}
