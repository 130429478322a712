#include "oauth/TokenFetch.h"

#include <QNetworkReply>
#include <QTimer>

TokenFetch::TokenFetch(QObject *parent)
    : QObject(parent)
{
}

TokenFetch::~TokenFetch()
{
    if (m_reply)
        m_reply->abort();
}

void TokenFetch::cancel()
{
    if (m_finished)
        return;
    OAuthError error;
    error.kind = OAuthError::Kind::Cancelled;
    finish({std::nullopt, error});
}

void TokenFetch::finish(const TokenResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = result;
    if (m_timer)
        m_timer->stop();
    if (m_reply) {
        // Disconnect first: abort() emits finished() synchronously and we already have our answer.
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    Q_EMIT finished(m_result);
    deleteLater();
}
