#pragma once

#include "oauth/TokenRequest.h"

#include <QObject>

class Clock;
class QNetworkAccessManager;
class TokenFetch;

// Sends token requests (client credentials, password grant) on a shared QNetworkAccessManager.
// Never blocks: each request is a TokenFetch that reports back with a signal.
class TokenClient : public QObject
{
    Q_OBJECT

public:
    explicit TokenClient(QNetworkAccessManager *network, const Clock *clock = nullptr, QObject *parent = nullptr);

    // The returned fetch is owned by the client and deletes itself after finished().
    TokenFetch *fetch(const TokenRequest &request);

private:
    QNetworkAccessManager *m_network;
    const Clock *m_clock;
};
