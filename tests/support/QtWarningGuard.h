#pragma once

#include <QMutex>
#include <QStringList>

#include <utility>
#include <QtGlobal>

// Makes every Qt warning a test failure. Installed between QTest's own message handler and Qt
// (after QTest::qInit, see WidgetTestMain.h), it sees each message first:
// - a warning or critical on the main thread inside a test function arms QTest::failOnWarning
//   for it and hands it on, so QTest fails that test function — after QTest::ignoreMessage has
//   had its say, so an expected warning stays expected;
// - one from another thread, or outside any test function, is kept and reported by
//   takeUnattributed(), which the test's main turns into a failing exit code.
// One message is let through, explained in the .cpp (the offscreen plugin's own); any other
// warning means a bug in our code or in how we use Qt.
class QtWarningGuard
{
public:
    QtWarningGuard();
    ~QtWarningGuard();
    QtWarningGuard(const QtWarningGuard &) = delete;
    QtWarningGuard &operator=(const QtWarningGuard &) = delete;

    // Warnings that no test function could be failed for; empty when all is well.
    QStringList takeUnattributed();

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message);

    static QtWarningGuard *s_current;
    QtMessageHandler m_previous = nullptr;
    QMutex m_mutex;
    QStringList m_unattributed;
};
