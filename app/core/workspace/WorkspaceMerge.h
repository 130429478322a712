#pragma once

#include "workspace/Workspace.h"
#include "workspace/WorkspaceConflict.h"

#include <QList>

// Three-way merge of a workspace, per environment and per saved request (by id), against the base
// both sides last agreed on: changed only on disk → the disk's; changed only here → ours; both,
// the same way → that; both, differently (a deletion against an edit included) → a conflict,
// with the disk's version in the result until the user chooses. Two entries added on either side
// under the same name are a conflict too, as a workspace keeps names unique.
class WorkspaceMerge
{
public:
    struct Result
    {
        Workspace merged; // the disk's id and unknown keys; ours first in our order, then the disk's additions
        QList<WorkspaceConflict> conflicts;
    };

    static Result merge(const Workspace &base, const Workspace &mine, const Workspace &disk);
    // Applies the user's choice for one conflict to a workspace that holds the disk's side of it.
    static void resolve(Workspace *workspace, const WorkspaceConflict &conflict, WorkspaceConflict::Choice choice);
    // "Name (mine)", "Name (mine 2)", …: a name no environment (or saved request) has yet.
    static QString copyName(const Workspace &workspace, WorkspaceConflict::Kind kind, const QString &name);
};
