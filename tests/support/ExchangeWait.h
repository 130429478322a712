#pragma once

#include "http/Exchange.h"

#include <QEventLoop>
#include <QTimer>

// Runs one exchange to its end with the event loop turning, as a test may (the product never
// waits like this); an empty result when it took longer than timeoutMs.
inline ExchangeResult finishedExchange(const PreparedRequest &request, int timeoutMs = 15000)
{
    Exchange exchange;
    ExchangeResult out;
    QEventLoop loop;
    QObject::connect(&exchange, &Exchange::finished, &loop, [&](const ExchangeResult &result) {
        out = result;
        loop.quit();
    });
    exchange.start(request);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}
