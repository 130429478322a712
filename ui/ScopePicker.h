#pragma once

#include "scopes/ScopeInfo.h"

#include <QModelIndex>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;
class ScopeModel;
class ScopeViewModel;

// Picks the scopes to request: the catalog grouped by resource with checkboxes, a filter, scopes
// typed by hand, and — after an authorization — which requested scopes the server did not grant.
//
// "Select all" / "Select none" act on every scope the filter shows (all of them when it is
// empty); "All in ‹group›" / "None in ‹group›" on the shown scopes of the current item's group.
// The group rows' own checkboxes do the same for one group with the mouse or Space.
class ScopePicker : public QWidget
{
    Q_OBJECT

public:
    // Roles the tree's model (a filtering view proxy over model()) adds for the view.
    enum ViewRole {
        BadgeRole = Qt::UserRole + 100, // QString: "write", "execute", "on behalf of user" …; empty for none
    };

    explicit ScopePicker(QWidget *parent = nullptr);

    void setCatalog(const ScopeCatalog &catalog);
    void setSelectedScopes(const QStringList &scopes);
    QStringList selectedScopes() const;
    void setGrantResult(const QStringList &requested, const QStringList &granted, bool reported);
    void setRefusedScopes(const QStringList &refused, const QString &reason);
    void clearGrantResult();
    // What the summary says when nothing is checked: the Authorize dialog's default says the
    // server decides; the composer's Scopes tab says the environment's scopes are asked for.
    void setEmptySelectionText(const QString &text);
    ScopeModel *model() const;

Q_SIGNALS:
    void selectionChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onFilterChanged(const QString &text);
    void addFreeText();
    void toggleCurrent();
    void setShownChecked(bool checked);
    void setCurrentGroupChecked(bool checked);
    QModelIndex currentGroup() const; // in the tree's model
    QStringList shownScopes(const QModelIndex &group) const;
    void afterRowsChanged();
    void fitNameColumn();
    void updateButtons();
    void updateSummary();
    void updateRejectionPalette();

    ScopeModel *m_model;
    ScopeViewModel *m_view;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QPushButton *m_selectAll;
    QPushButton *m_selectNone;
    QPushButton *m_groupAll;
    QPushButton *m_groupNone;
    QLineEdit *m_addEdit;
    QPushButton *m_addButton;
    QLabel *m_rejected;
    QLabel *m_summary;
    QString m_emptySelectionText;
    bool m_fittingColumn = false;
    bool m_columnResizedByUser = false;
};
