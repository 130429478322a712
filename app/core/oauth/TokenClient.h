#pragma once

#include "oauth/TokenRequest.h"

#include <QObject>

class Clock;
struct ExchangeResult;
class TokenFetch;
struct TokenResult;

// Sends token requests (client credentials, password grant) through libcurl, as API requests
// go (Exchange on the thread's CurlMulti): the same proxy decision (ProxyPolicy), TLS checks and
// trusted certificates, no redirect followed, and the answer counted in decoded bytes as it
// arrives and stopped where it passes maxResponseBytes. Never blocks: each request is a
// TokenFetch that reports back with a signal.
class TokenClient : public QObject
{
    Q_OBJECT

public:
    // A token response is a small JSON object (a large JWT is a few KB): one past this is
    // stopped where it passes it, decoded bytes counted.
    static constexpr qint64 maxResponseBytes = qint64(1024) * 1024;

    explicit TokenClient(const Clock *clock = nullptr, QObject *parent = nullptr);

    // The returned fetch is owned by the client and deletes itself after finished().
    TokenFetch *fetch(const TokenRequest &request);

private:
    // What the exchange's answer (or failure) means for the request.
    TokenResult interpret(const ExchangeResult &answer, const TokenRequest &request) const;

    const Clock *m_clock;
};
