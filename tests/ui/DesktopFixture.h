#pragma once
#include "MainWindow.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "util/ManualClock.h"
#include "workspace/EnvironmentListModel.h"
#include <QString>
#include <QTemporaryDir>
#include <memory>

class HistoryStore;

// The desktop app as a first start builds it — a new workspace in a temporary folder, the
// in-process Demo API, the Authorizer, the main window shown — for the widget tests that drive
// the whole window. A test class inherits it and calls startDesktop() from initTestCase().
class DesktopFixture
{
public:
    struct Options
    {
        bool manualClock = true;         // tokens age only when the test moves m_clock
        HistoryStore *history = nullptr; // given to the window before it is shown
    };

protected:
    // The application name keeps each test's settings apart (they are cleared). Empty on
    // success, else what failed.
    QString startDesktop(const QString &applicationName, const Options &options);
    QString startDesktop(const QString &applicationName) { return startDesktop(applicationName, Options()); }

    QTemporaryDir m_dir;
    SecretStore m_secrets{QStringLiteral("Tokenbench-tests")};
    DemoServer m_demo;
    ManualClock m_clock;
    std::unique_ptr<EnvironmentListModel> m_model;
    std::unique_ptr<Authorizer> m_authorizer;
    std::unique_ptr<MainWindow> m_window;
};
