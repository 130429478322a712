#include "BuildInfo.h"
#include "AppIcon.h"
#include "MainWindow.h"

#include "demo/DemoServer.h"
#include "history/HistoryStore.h"
#include "secrets/SecretStore.h"
#include "settings/AppProxyActivation.h"
#include "session/Authorizer.h"
#include "templates/StarterWorkspace.h"
#include "util/ProcessHardening.h"
#include "workspace/EnvironmentListModel.h"
#include "workspace/WorkspaceStore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>
#include <QCommandLineParser>

namespace {
// For bench/gui-startup.sh: report when the first frame of the main window is on screen, with
// the resident memory then, and quit. Only the environment turns it on.
class FirstFrameProbe : public QObject
{
public:
    FirstFrameProbe(QWidget *window, const QElapsedTimer &sinceMain)
        : QObject(window)
        , m_sinceMain(sinceMain)
    {
        // Any widget's first paint means the window's first frame is being drawn.
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen && watched->isWidgetType()) {
            m_seen = true;
            // Once this paint is done the frame is on screen; then report and leave.
            QTimer::singleShot(0, this, [this] { report(); });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void report()
    {
        QFile status(QStringLiteral("/proc/self/status"));
        QByteArray rss = "unknown";
        if (status.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("VmRSS:"))
                    rss = line.mid(6).trimmed();
            }
        }
        qInfo("shown after %lld ms in main; VmRSS %s", static_cast<long long>(m_sinceMain.elapsed()), rss.constData());
        QCoreApplication::quit();
    }

    const QElapsedTimer &m_sinceMain;
    bool m_seen = false;
};
} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    ProcessHardening::apply();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tokenbench"));
    QApplication::setOrganizationName(QStringLiteral("Tokenbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenbench"));
    QApplication::setApplicationVersion(QString::fromLatin1(BuildInfo::version));
    QApplication::setWindowIcon(AppIcon::icon());
    QApplication::setDesktopFileName(QString::fromLatin1(BuildInfo::applicationId));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "A workbench for OAuth 2 protected HTTP APIs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(QStringLiteral("workspace"), QApplication::translate("main", "Open this workspace file."),
                                             QApplication::translate("main", "file"));
    parser.addOption(workspaceOption);
    parser.process(app);

    SecretStore secrets;
    // The app's proxy (Preferences) before any request: its password comes from the keychain,
    // and until it has, requests are refused rather than sent around the proxy.
    AppProxyActivation::activateFromPreferences(&secrets);
    DemoServer demo;
    QString demoError;
    // The Demo API is part of the product: a first start has something real to authorize against.
    const bool demoRunning = demo.start(0, &demoError);

    EnvironmentListModel environments;
    QString workspaceMessage;
    environments.open(parser.isSet(workspaceOption) ? parser.value(workspaceOption) : WorkspaceStore::defaultPath(), &workspaceMessage,
                      StarterWorkspace::create());

    Authorizer authorizer(&secrets);
    authorizer.setWorkspaceId(environments.workspace().id());
    if (demoRunning)
        authorizer.setBuiltinResolver(demo.environmentResolver());

    MainWindow window(&environments, &authorizer, &secrets);
    HistoryStore history;
    const auto historyOpened = history.open(HistoryStore::defaultPath());
    if (historyOpened.ok())
        window.setHistory(&history);
    else
        window.showStartupProblem(QApplication::translate("main", "History is off for this session: %1").arg(historyOpened.message));
    if (!workspaceMessage.isEmpty())
        window.showStartupProblem(workspaceMessage);
    if (!demoRunning)
        window.showStartupProblem(QApplication::translate("main", "The built-in Demo API could not start: %1").arg(demoError));
    window.show();
    if (qEnvironmentVariableIsSet("TOKENBENCH_QUIT_WHEN_SHOWN"))
        new FirstFrameProbe(&window, sinceMain);
    return QApplication::exec();
}
