#pragma once

#include "support/QtWarningGuard.h"

#include <QApplication>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <memory>

// QTEST_MAIN for the widget tests, with every Qt warning a failure (QtWarningGuard): a warning
// inside a test function fails that function; one anywhere else — a worker thread, the test
// object's destructor — fails the run, listed at the end.
#define TOKENBENCH_WIDGET_TEST_MAIN(TestObject)                                                                  \
    int main(int argc, char *argv[])                                                                             \
    {                                                                                                            \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                                       \
        QApplication app(argc, argv);                                                                            \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                               \
        int result = 0;                                                                                          \
        QStringList unattributed;                                                                                \
        {                                                                                                        \
            auto test = std::make_unique<TestObject>();                                                          \
            QTest::qInit(test.get(), argc, argv);                                                                \
            {                                                                                                    \
                QtWarningGuard guard;                                                                            \
                result = QTest::qRun();                                                                          \
                unattributed += guard.takeUnattributed();                                                        \
            }                                                                                                    \
            QTest::qCleanup();                                                                                   \
            QtWarningGuard afterwards;                                                                           \
            test.reset();                                                                                        \
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);                                 \
            unattributed += afterwards.takeUnattributed();                                                       \
        }                                                                                                        \
        for (const QString &message : std::as_const(unattributed))                                              \
            std::fprintf(stderr, "FAIL: a Qt warning from another thread or outside the test functions: %s\n", qPrintable(message));    \
        return unattributed.isEmpty() ? result : std::max(result, 1);                                            \
    }
