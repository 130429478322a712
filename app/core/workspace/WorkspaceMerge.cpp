#include "workspace/WorkspaceMerge.h"

#include <QUuid>

#include <optional>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace {
template<typename T>
const T *byId(const QList<T> &list, const QString &id)
{
    for (const T &entry : list) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

template<typename T>
bool sameName(const T &a, const T &b)
{
    return a.name.trimmed().compare(b.name.trimmed(), Qt::CaseInsensitive) == 0;
}

template<typename T>
void record(QList<WorkspaceConflict> *conflicts, WorkspaceConflict::Kind kind, const std::optional<T> &mine, const std::optional<T> &disk)
{
    WorkspaceConflict conflict;
    conflict.kind = kind;
    if constexpr (std::is_same_v<T, Environment>) {
        conflict.mineEnvironment = mine;
        conflict.diskEnvironment = disk;
    } else {
        conflict.mineRequest = mine;
        conflict.diskRequest = disk;
    }
    conflicts->append(conflict);
}

template<typename T>
QList<T> mergeList(WorkspaceConflict::Kind kind, const QList<T> &base, const QList<T> &mine, const QList<T> &disk, QList<WorkspaceConflict> *conflicts)
{
    QList<T> merged;
    QList<QString> fromMine; // ids whose merged entry is ours, not the disk's
    for (const T &ours : mine) {
        const T *before = byId(base, ours.id);
        const T *theirs = byId(disk, ours.id);
        if (theirs && *theirs == ours) {
            merged.append(ours);
        } else if (before && *before == ours) {
            if (theirs) // changed only on disk; when not there, deleted only on disk
                merged.append(*theirs);
        } else if (!theirs && !before) {
            merged.append(ours); // added here
            fromMine.append(ours.id);
        } else if (before && theirs && *before == *theirs) {
            merged.append(ours); // changed only here
            fromMine.append(ours.id);
        } else {
            // Changed here and differently on disk, or changed here and deleted on disk.
            record<T>(conflicts, kind, ours, theirs ? std::optional<T>(*theirs) : std::nullopt);
            if (theirs)
                merged.append(*theirs);
        }
    }
    for (const T &theirs : disk) {
        if (byId(mine, theirs.id))
            continue;
        const T *before = byId(base, theirs.id);
        if (!before) {
            merged.append(theirs); // added on disk
        } else if (!(*before == theirs)) {
            // Deleted here, changed on disk: the change is kept until the user says otherwise.
            record<T>(conflicts, kind, std::nullopt, std::optional<T>(theirs));
            merged.append(theirs);
        }
        // else: deleted here, unchanged on disk: stays deleted.
    }
    // Names stay unique: one of ours that took a name the disk also gave out waits for the user.
    for (qsizetype i = merged.size() - 1; i >= 0; --i) {
        if (!fromMine.contains(merged.at(i).id))
            continue;
        for (qsizetype j = 0; j < merged.size(); ++j) {
            if (j != i && !fromMine.contains(merged.at(j).id) && sameName(merged.at(i), merged.at(j))) {
                record<T>(conflicts, kind, std::optional<T>(merged.at(i)), std::optional<T>(merged.at(j)));
                merged.removeAt(i);
                break;
            }
        }
    }
    return merged;
}

template<typename T>
QString uniqueCopyName(const QList<T> &list, const QString &name)
{
    const auto taken = [&list](const QString &candidate) {
        for (const T &entry : list) {
            if (entry.name.trimmed().compare(candidate, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    QString candidate = u"%1 (mine)"_s.arg(name.trimmed());
    for (int n = 2; taken(candidate); ++n)
        candidate = u"%1 (mine %2)"_s.arg(name.trimmed()).arg(n);
    return candidate;
}

template<typename T>
QList<T> resolveList(QList<T> list, const std::optional<T> &mine, const std::optional<T> &disk, WorkspaceConflict::Choice choice)
{
    const auto indexOf = [&list](const QString &id) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list.at(i).id == id)
                return i;
        }
        return qsizetype(-1);
    };
    switch (choice) {
    case WorkspaceConflict::Choice::KeepDisk:
        break; // the list already holds the disk's side
    case WorkspaceConflict::Choice::KeepMine: {
        // The same entry keeps its place in the list (and the user's selection with it); one of
        // another id that took the name goes, and ours joins at the end.
        const qsizetype inPlace = mine && disk && disk->id == mine->id ? indexOf(mine->id) : -1;
        if (inPlace < 0) {
            if (disk) {
                if (const qsizetype at = indexOf(disk->id); at >= 0)
                    list.removeAt(at);
            }
            if (mine) {
                if (const qsizetype at = indexOf(mine->id); at >= 0)
                    list.removeAt(at);
            }
        }
        if (!mine)
            break;
        T kept = *mine;
        // Another entry may have taken the name meanwhile; names stay unique.
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i != inPlace && sameName(list.at(i), kept)) {
                kept.name = uniqueCopyName(list, kept.name);
                break;
            }
        }
        if (inPlace >= 0)
            list[inPlace] = kept;
        else
            list.append(kept);
        break;
    }
    case WorkspaceConflict::Choice::KeepBoth:
        if (mine) {
            T copy = *mine;
            if (indexOf(copy.id) >= 0)
                copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            copy.name = uniqueCopyName(list, copy.name);
            list.append(copy);
        }
        break;
    }
    return list;
}
} // namespace

WorkspaceMerge::Result WorkspaceMerge::merge(const Workspace &base, const Workspace &mine, const Workspace &disk)
{
    Result result;
    result.merged = disk;
    result.merged.setEnvironments(
        mergeList(WorkspaceConflict::Kind::Environment, base.environments(), mine.environments(), disk.environments(), &result.conflicts));
    result.merged.setSavedRequests(
        mergeList(WorkspaceConflict::Kind::SavedRequest, base.savedRequests(), mine.savedRequests(), disk.savedRequests(), &result.conflicts));
    return result;
}

void WorkspaceMerge::resolve(Workspace *workspace, const WorkspaceConflict &conflict, WorkspaceConflict::Choice choice)
{
    if (conflict.kind == WorkspaceConflict::Kind::Environment)
        workspace->setEnvironments(resolveList(workspace->environments(), conflict.mineEnvironment, conflict.diskEnvironment, choice));
    else
        workspace->setSavedRequests(resolveList(workspace->savedRequests(), conflict.mineRequest, conflict.diskRequest, choice));
}

QString WorkspaceMerge::copyName(const Workspace &workspace, WorkspaceConflict::Kind kind, const QString &name)
{
    return kind == WorkspaceConflict::Kind::Environment ? uniqueCopyName(workspace.environments(), name)
                                                        : uniqueCopyName(workspace.savedRequests(), name);
}
