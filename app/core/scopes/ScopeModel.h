#pragma once

#include "scopes/ScopeInfo.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QStringList>

// Scopes grouped by resource as a two-level tree (group → scope), checkable, for the scope
// picker. After an authorization it also knows what was granted, so views can highlight what
// was requested but not granted.
//
// Groups come in the catalog's order of first appearance; scopes that name no resource go under
// "General", scopes the catalog lacks (typed by hand, or named by a request) under "Not in the catalog" (always the last group). Styling is the
// view's business: this model only exposes roles, so light and dark palettes both work.
class ScopeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString scope name (scope rows) or resource (group rows)
        DescriptionRole,             // QString
        LevelRole,                   // int (ScopeInfo::Level)
        PrivilegedRole,              // bool
        AccountRestrictedRole,       // bool
        KnownRole,                   // bool: false for free-text scopes
        GrantStateRole,              // int (GrantState)
        IsGroupRole,                 // bool
        ActsOnBehalfOfRole,          // bool: the scope lets the token act as another user
    };
    // Refused: the server turned the whole token request down (invalid_scope) naming this scope.
    enum class GrantState { NotAuthorized, Granted, NotGranted, NotReported, Refused };
    Q_ENUM(GrantState)

    explicit ScopeModel(QObject *parent = nullptr);

    // Replaces the catalog. What was selected stays selected (names the new catalog lacks become
    // free-text scopes), so a catalog that arrives late does not lose the user's choice; grant
    // results are cleared.
    void setCatalog(const ScopeCatalog &catalog);
    ScopeCatalog catalog() const;

    QStringList selectedScopes() const;          // in catalog order, then free-text ones
    QList<ScopeInfo> selectedScopeInfos() const; // the same, classified
    // Checks exactly these (whitespace-separated entries are split); unknown names are added as
    // free-text scopes, free-text scopes not named are removed, names ScopeInfo::syntaxProblem
    // refuses are ignored.
    void setSelectedScopes(const QStringList &scopes);
    // Adds a scope the catalog does not know (free text), checked; a scope already listed is just
    // checked. Returns false when ScopeInfo::syntaxProblem refuses it (empty, whitespace, …).
    bool addScope(const QString &name);
    void setGroupChecked(const QModelIndex &group, bool checked);
    void selectAll(bool checked);
    // Checks or unchecks the named scopes in one step (one selectionChanged); unknown names are ignored.
    void setScopesChecked(const QStringList &names, bool checked);

    // After authorizing: granted == nullopt-like when the server did not report them.
    void setGrantResult(const QStringList &requested, const QStringList &granted, bool reported);
    // After a refused token request: these scopes were named as the reason, in the server's words.
    void setRefusedScopes(const QStringList &refused, const QString &reason);
    void clearGrantResult();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void selectionChanged();

private:
    enum class GroupKind { Resource, General, Other };
    struct Entry
    {
        ScopeInfo info;
        bool checked = false;
        GrantState grant = GrantState::NotAuthorized;
        int group = -1;
    };
    struct Group
    {
        GroupKind kind = GroupKind::Resource;
        QString resource;
        QList<int> members; // indices into m_entries, in catalog order
    };

    const Entry *entryAt(const QModelIndex &index) const;
    QString groupTitle(const Group &group) const;
    QVariant groupData(int row, int column, int role) const;
    QVariant scopeData(const Entry &entry, int column, int role) const;
    QString scopeToolTip(const Entry &entry) const;
    int otherGroupRow() const;
    void appendFreeText(const QString &name, bool checked);
    void removeFreeText(const QStringList &keep);
    // Public operations compare the selection before and after, so each emits selectionChanged
    // at most once however many rows it touches.
    void setEntriesChecked(const QList<int> &entries, bool checked);
    void applyCheckStates(const QHash<int, bool> &states); // entry index → checked; dataChanged only
    void setGrantStates(const QList<GrantState> &states);  // one per entry
    void emitGroupChanged(int groupRow);

    QList<Entry> m_entries;  // catalog entries in catalog order, then free-text ones
    QList<Group> m_groups;
    QHash<QString, int> m_byName;
    int m_catalogSize = 0;
    QString m_refusalReason;
};
