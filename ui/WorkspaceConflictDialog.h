#pragma once

#include "workspace/WorkspaceConflict.h"

#include <QDialog>

// Shows both versions of an environment or saved request that this window and another program
// changed differently, and lets the user keep the file's, keep theirs from this window, or keep
// both (this window's under a new name). Closing it keeps the file's version, which loses nothing
// on disk; the choice is read with choice() after finished().
class WorkspaceConflictDialog : public QDialog
{
    Q_OBJECT

public:
    WorkspaceConflictDialog(const WorkspaceConflict &conflict, const QString &copyName, QWidget *parent = nullptr);

    WorkspaceConflict::Choice choice() const { return m_choice; }

private:
    WorkspaceConflict::Choice m_choice = WorkspaceConflict::Choice::KeepDisk;
};
