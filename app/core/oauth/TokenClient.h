#pragma once

#include "oauth/TokenRequest.h"

#include <QObject>

class Clock;
class QNetworkAccessManager;
class TokenFetch;

// Sends token requests (client credentials, password grant) on a shared QNetworkAccessManager,
// which it sets to ProxyPolicy's proxy. Never blocks: each request is a TokenFetch that reports
// back with a signal.
class TokenClient : public QObject
{
    Q_OBJECT

public:
    // A token response is a small JSON object (a large JWT is a few KB): one past this is
    // stopped where it passes it, decoded bytes counted.
    static constexpr qint64 maxResponseBytes = qint64(1024) * 1024;

    explicit TokenClient(QNetworkAccessManager *network, const Clock *clock = nullptr, QObject *parent = nullptr);

    // The returned fetch is owned by the client and deletes itself after finished().
    TokenFetch *fetch(const TokenRequest &request);

private:
    QNetworkAccessManager *m_network;
    const Clock *m_clock;
};
