#include "workspace/WorkspaceWatcher.h"

#include <QFileInfo>

namespace {
// Long enough to see a writer's temporary file, rename and lock removal as one change; short
// enough that the list shows another process's edit at once.
constexpr int SettleMs = 150;
} // namespace

WorkspaceWatcher::WorkspaceWatcher(QObject *parent)
    : QObject(parent)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &WorkspaceWatcher::checkNow);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &WorkspaceWatcher::onPathChanged);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &WorkspaceWatcher::onPathChanged);
}

void WorkspaceWatcher::watch(const QString &path, const WorkspaceRevision &known)
{
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    m_path = QFileInfo(path).absoluteFilePath();
    m_known = known;
    arm();
}

bool WorkspaceWatcher::isWatchingFile() const
{
    return m_watcher.files().contains(m_path);
}

void WorkspaceWatcher::arm()
{
    if (m_path.isEmpty())
        return;
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(folder) && QFileInfo(folder).isDir())
        m_watcher.addPath(folder);
    // A rename over the file leaves the watch on the old inode: watch the name again.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
}

void WorkspaceWatcher::onPathChanged()
{
    arm();
    m_settle.start();
}

void WorkspaceWatcher::checkNow()
{
    m_settle.stop();
    arm();
    if (m_path.isEmpty())
        return;
    const WorkspaceRevision current = WorkspaceRevision::ofFile(m_path);
    if (current.sameContent(m_known))
        return;
    m_known = current; // reported once; the owner answers with what it then holds
    Q_EMIT changedOnDisk(current);
}
