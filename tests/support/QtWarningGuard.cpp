#include "support/QtWarningGuard.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

QtWarningGuard *QtWarningGuard::s_current = nullptr;

QtWarningGuard::QtWarningGuard()
{
    Q_ASSERT(!s_current);
    s_current = this;
    m_previous = qInstallMessageHandler(&QtWarningGuard::handle);
}

QtWarningGuard::~QtWarningGuard()
{
    qInstallMessageHandler(m_previous);
    s_current = nullptr;
}

QStringList QtWarningGuard::takeUnattributed()
{
    const QMutexLocker lock(&m_mutex);
    return std::exchange(m_unattributed, {});
}

namespace {
// The one message let through, and why it is outside our control: Qt's offscreen platform
// plugin (the headless one the tests run on) does not implement
// QPlatformWindow::propagateSizeHints(), whose default prints this for every window whose
// minimum or maximum size changes. On a real platform the call does its work silently.
bool isPlatformNoise(const QString &message)
{
    return message == QLatin1String("This plugin does not support propagateSizeHints()")
        && QGuiApplication::platformName() == QLatin1String("offscreen");
}
} // namespace

void QtWarningGuard::handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QtWarningGuard *guard = s_current;
    if (!guard)
        return;
    if ((type == QtWarningMsg || type == QtCriticalMsg) && !isPlatformNoise(message)) {
        const bool mainThread = QCoreApplication::instance() && QThread::currentThread() == QCoreApplication::instance()->thread();
        if (mainThread && QTest::currentTestFunction()) {
            if (type == QtWarningMsg) {
                // QTest matches this pattern after its ignore list: an expected warning passes.
                QTest::failOnWarning(QRegularExpression());
            } else {
                guard->m_previous(type, context, message);
                QTest::qFail(qPrintable(QStringLiteral("Received a critical message:\n") + message), context.file, context.line);
                return;
            }
        } else {
            const QMutexLocker lock(&guard->m_mutex);
            guard->m_unattributed.append(message);
        }
    }
    guard->m_previous(type, context, message);
}
