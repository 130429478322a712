#pragma once

#include "oauth/TokenResponseParser.h"

#include <QObject>
#include <QPointer>

class Exchange;

// One token request in flight. Emits finished() exactly once, then deletes itself later.
class TokenFetch : public QObject
{
    Q_OBJECT

public:
    ~TokenFetch() override;

    bool isFinished() const { return m_finished; }
    const TokenResult &result() const { return m_result; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void finished(const TokenResult &result);

private:
    friend class TokenClient;
    explicit TokenFetch(QObject *parent = nullptr);
    void finish(const TokenResult &result);

    QPointer<Exchange> m_exchange;
    bool m_finished = false;
    TokenResult m_result;
};
