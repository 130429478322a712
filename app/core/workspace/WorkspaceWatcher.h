#pragma once

#include "workspace/WorkspaceRevision.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

// Tells when a workspace file holds something other than the revision its owner last read or
// wrote: another process saved it. Writers replace the file by renaming a new one over it, which
// drops a watch on the file itself, so the folder is watched too and the file's watch re-armed
// after every change. Bursts (the temporary file, the rename, the lock file) come out as one signal.
class WorkspaceWatcher : public QObject
{
    Q_OBJECT

public:
    explicit WorkspaceWatcher(QObject *parent = nullptr);

    // Starts watching path (stops watching the previous one); `known` is what its owner holds.
    void watch(const QString &path, const WorkspaceRevision &known);
    // The owner read or wrote this revision itself: nothing to report about it.
    void setKnownRevision(const WorkspaceRevision &known) { m_known = known; }
    WorkspaceRevision knownRevision() const { return m_known; }
    QString path() const { return m_path; }
    bool isWatchingFile() const;

    // Checks now instead of after the settle delay.
    void checkNow();

Q_SIGNALS:
    // The file on disk is no longer the known revision (changed, replaced, or deleted).
    void changedOnDisk(const WorkspaceRevision &current);

private:
    void onPathChanged();
    void arm();

    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QString m_path;
    WorkspaceRevision m_known;
};
