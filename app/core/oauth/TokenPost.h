#pragma once

#include "oauth/TokenRequest.h"
#include "oauth/TokenResponseParser.h"

#include <QDateTime>
#include <QObject>

class Clock;
class Exchange;
struct ExchangeResult;

// The one direct POST to a token endpoint, and what its answer means: the whole of a direct
// grant (client credentials, password, refresh), the code-for-token exchange of the
// authorization code grant, each poll of the device grant. On libcurl (Exchange on the thread's
// CurlMulti), as API requests go: the same proxy decision, TLS checks and trusted certificates,
// no redirect followed, the answer counted in decoded bytes as it arrives and stopped where it
// passes maxResponseBytes; the request's secrets are masked in every error it reports.
class TokenPost : public QObject
{
    Q_OBJECT

public:
    // A token response is a small JSON object (a large JWT is a few KB): one past this is
    // stopped where it passes it, decoded bytes counted.
    static constexpr qint64 maxResponseBytes = qint64(1024) * 1024;

    TokenPost(const TokenRequest &request, const Clock *clock, QObject *parent = nullptr);

    // Sends the request; finished() comes once, always from the event loop.
    void start();
    // Stops the transfer; finished() is not emitted after it.
    void cancel();

    // What the exchange's answer (or failure) means for the request, its secrets masked.
    static TokenResult interpret(const ExchangeResult &answer, const TokenRequest &request, const QDateTime &now);

Q_SIGNALS:
    void finished(const TokenResult &result);

private:
    TokenRequest m_request;
    const Clock *m_clock;
    Exchange *m_exchange = nullptr;
};
