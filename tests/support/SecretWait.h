#pragma once

#include "secrets/SecretStore.h"

#include <QTest>

#include <functional>

// Runs one asynchronous SecretStore call and waits for its answer with the event loop turning,
// as a test may (the product never waits like this).
inline SecretResult waitForSecret(const std::function<void(SecretStore::Callback)> &call, int timeoutMs = 20000)
{
    SecretResult out;
    bool done = false;
    call([&](const SecretResult &result) {
        out = result;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        return {SecretResult::Status::Error, {}, false, QStringLiteral("the keychain did not answer in time")};
    return out;
}
