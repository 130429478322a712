#pragma once

#include "workspace/Workspace.h"
#include "workspace/WorkspaceConflict.h"
#include "workspace/WorkspaceRevision.h"
#include "workspace/WorkspaceWatcher.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QTimer>

// The workspace's environments as a list model for the side list, and the one place the GUI
// changes and saves them. A failed save keeps the edit in memory and says why.
//
// Other processes (tokenbench-cli, another window) may write the same file. The model remembers
// the revision it last read or wrote and the workspace it held then (the base): it writes only
// over that revision, and when the file changed (seen by its WorkspaceWatcher, or by a save that
// found another revision) it merges per environment and saved request (WorkspaceMerge): what only
// the other process changed is taken, what only this one changed is kept and written, and what
// both changed differently becomes a conflict the user settles (conflictsFound).
class EnvironmentListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TierRole,      // int (Tier)
        TierNameRole,  // QString
        BuiltinRole,   // bool: the built-in Demo environment
        TokenUrlRole,  // QString
    };

    explicit EnvironmentListModel(QObject *parent = nullptr);

    // Loads the workspace at path, or creates it as `fresh` (the app passes StarterWorkspace's).
    // On failure the model holds `fresh` unsaved — never written over the unreadable file — and
    // the message says why.
    bool open(const QString &path, QString *message, const Workspace &fresh = Workspace::createDefault());
    QString path() const { return m_path; }
    const Workspace &workspace() const { return m_workspace; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Environment *environmentAt(int row) const;
    int rowOf(const QString &environmentId) const;
    const Environment *findById(const QString &environmentId) const;

    // Adds or replaces (by id, else by name) and saves. Returns the row.
    int upsert(const Environment &environment);
    // Saves an edit of `original` (as it was when the editor opened). If the environment changed
    // or went meanwhile (another process), nothing is overwritten: a conflict shows both. Returns
    // the row of the environment (-1 when it is gone).
    int upsertEdited(const Environment &edited, const Environment &original);
    // A copy under a new name ("Sandbox copy", "Sandbox copy 2", …) with a new id, in the
    // source's tier unless one is given; returns its row.
    int duplicate(int row, const QString &newName = {}, std::optional<Tier> tier = std::nullopt);
    bool removeAt(int row);
    // Removes the environment the user confirmed deleting, as it was then. If another process
    // changed it meanwhile, nothing is removed: a conflict shows its version against the deletion.
    // True when it was removed now.
    bool removeKnown(const Environment &original);
    QString uniqueName(const QString &base) const;

    // Saved requests live in the same workspace file and are saved the same way: a failed write
    // keeps the change in memory and reports saveFailed. A request the workspace refuses (no name,
    // a taken name, a credential in its draft) changes nothing: nullopt, and *error says why.
    // Returns the request as stored (with its new id when it had none).
    std::optional<SavedRequest> saveRequest(const SavedRequest &request, QString *error = nullptr);
    bool removeRequest(const QString &id);
    // Makes the model hold `next`, a change to the whole workspace made from workspace() (an
    // import), and saves it the same way as any edit: merged with another process's write.
    void replaceWorkspace(const Workspace &next);

    QString lastError() const { return m_lastError; }
    bool isReadOnly() const { return m_readOnly; }

    // What both this process and another one changed differently, oldest first; the list shows
    // the other process's side of each until the user chooses.
    const QList<WorkspaceConflict> &conflicts() const { return m_conflicts; }
    void resolveConflict(int index, WorkspaceConflict::Choice choice);
    // Reads the file now if another process changed it (normally done a moment after the change).
    void syncWithDisk();
    WorkspaceRevision revision() const { return m_baseRevision; }

Q_SIGNALS:
    void saveFailed(const QString &message);
    // The saved requests changed (added, replaced, removed, or a new workspace was opened).
    void requestsChanged();
    // New conflicts were added to conflicts().
    void conflictsFound();
    // Another process changed (or removed) this environment and the model took its version.
    void environmentChangedElsewhere(const QString &environmentId);

private:
    bool save();
    // Reads the file and merges it into the model; false (saveFailed said why) when it cannot be read.
    bool mergeFromDisk();
    void onChangedOnDisk();
    // Makes the model hold next, with row signals for each environment removed, changed or added.
    void apply(const Workspace &next);
    void addConflicts(const QList<WorkspaceConflict> &found);

    Workspace m_workspace;
    Workspace m_base; // what the file held at m_baseRevision: the common ancestor of a merge
    WorkspaceRevision m_baseRevision;
    WorkspaceWatcher m_watcher;
    QList<WorkspaceConflict> m_conflicts;
    QTimer m_retry; // another process held the lock: try the save again shortly
    QString m_path;
    QString m_lastError;
    bool m_readOnly = false; // the file on disk could not be read: never overwrite it
};
