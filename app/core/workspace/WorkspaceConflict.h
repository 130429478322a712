#pragma once

#include "workspace/Workspace.h"

#include <QString>

#include <optional>

// One environment or saved request that this process and another one (the CLI, another window)
// both changed since they last agreed, differently: both edited it, one deleted what the other
// edited, or both added one under the same name. Neither version is dropped until the user chooses.
struct WorkspaceConflict
{
    enum class Kind { Environment, SavedRequest };
    enum class Choice {
        KeepDisk, // the other process's version (or its deletion) stays
        KeepMine, // this process's version (or its deletion) replaces it
        KeepBoth, // the other's stays, and this one's is added beside it under a new name
    };

    Kind kind = Kind::Environment;
    // One of each side for its kind; nullopt: that side deleted it (or never had it).
    std::optional<Environment> mineEnvironment;
    std::optional<Environment> diskEnvironment;
    std::optional<SavedRequest> mineRequest;
    std::optional<SavedRequest> diskRequest;

    QString name() const;
    // What happened, in words: "changed here and by another program", …
    QString description() const;
    bool mineDeleted() const { return kind == Kind::Environment ? !mineEnvironment : !mineRequest; }
    bool diskDeleted() const { return kind == Kind::Environment ? !diskEnvironment : !diskRequest; }
    // The same conflict (same entries on both sides): a second merge finding it again adds nothing.
    bool operator==(const WorkspaceConflict &other) const = default;
};
