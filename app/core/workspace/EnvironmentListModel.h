#pragma once

#include "workspace/Workspace.h"

#include <QAbstractListModel>
#include <QString>

// The workspace's environments as a list model for the side list, and the one place the GUI
// changes and saves them. A failed save keeps the edit in memory and says why.
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

    // Loads (or creates with the Demo environment) the workspace at path. On failure the model
    // holds a default workspace that is not saved over the unreadable file, and the message says why.
    bool open(const QString &path, QString *message);
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
    // A copy under a new name ("Sandbox copy", "Sandbox copy 2", …) with a new id; returns its row.
    int duplicate(int row, const QString &newName = {});
    bool removeAt(int row);
    QString uniqueName(const QString &base) const;

    // Saved requests live in the same workspace file and are saved the same way: a failed write
    // keeps the change in memory and reports saveFailed. A request the workspace refuses (no name,
    // a taken name, a credential in its draft) changes nothing: nullopt, and *error says why.
    // Returns the request as stored (with its new id when it had none).
    std::optional<SavedRequest> saveRequest(const SavedRequest &request, QString *error = nullptr);
    bool removeRequest(const QString &id);

    QString lastError() const { return m_lastError; }
    bool isReadOnly() const { return m_readOnly; }

Q_SIGNALS:
    void saveFailed(const QString &message);
    // The saved requests changed (added, replaced, removed, or a new workspace was opened).
    void requestsChanged();

private:
    bool save();

    Workspace m_workspace;
    QString m_path;
    QString m_lastError;
    bool m_readOnly = false; // the file on disk could not be read: never overwrite it
};
