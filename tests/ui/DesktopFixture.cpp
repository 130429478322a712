#include "DesktopFixture.h"
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

QString DesktopFixture::startDesktop(const QString &applicationName, const Options &options)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Tokenbench-tests"));
    QCoreApplication::setApplicationName(applicationName);
    QSettings().clear();
    if (!m_dir.isValid())
        return QStringLiteral("no temporary folder: %1").arg(m_dir.errorString());
    QString error;
    if (!m_demo.start(0, &error))
        return error;
    m_model = std::make_unique<EnvironmentListModel>();
    if (!m_model->open(m_dir.filePath(QStringLiteral("ws.json")), &error))
        return error;
    m_authorizer = std::make_unique<Authorizer>(&m_secrets, options.manualClock ? &m_clock : nullptr);
    m_authorizer->setBuiltinResolver(m_demo.environmentResolver());
    m_authorizer->setWorkspaceId(m_model->workspace().id());
    m_window = std::make_unique<MainWindow>(m_model.get(), m_authorizer.get(), &m_secrets);
    if (options.history)
        m_window->setHistory(options.history);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return QStringLiteral("the main window was not shown");
    return {};
}
