#include "workspace/WorkspaceConflict.h"

#include <QCoreApplication>

QString WorkspaceConflict::name() const
{
    if (kind == Kind::Environment)
        return mineEnvironment ? mineEnvironment->name : diskEnvironment ? diskEnvironment->name : QString();
    return mineRequest ? mineRequest->name : diskRequest ? diskRequest->name : QString();
}

QString WorkspaceConflict::description() const
{
    const QString what = kind == Kind::Environment ? QCoreApplication::translate("WorkspaceConflict", "The environment \"%1\"").arg(name())
                                                   : QCoreApplication::translate("WorkspaceConflict", "The saved request \"%1\"").arg(name());
    const bool sameEntry = kind == Kind::Environment ? (mineEnvironment && diskEnvironment && mineEnvironment->id == diskEnvironment->id)
                                                     : (mineRequest && diskRequest && mineRequest->id == diskRequest->id);
    if (mineDeleted())
        return QCoreApplication::translate("WorkspaceConflict", "%1 was deleted here, and changed in the workspace file by another program.").arg(what);
    if (diskDeleted())
        return QCoreApplication::translate("WorkspaceConflict", "%1 was changed here, and deleted from the workspace file by another program.").arg(what);
    if (!sameEntry)
        return QCoreApplication::translate("WorkspaceConflict", "%1 was added here, and another program added one with the same name to the workspace file.").arg(what);
    return QCoreApplication::translate("WorkspaceConflict", "%1 was changed here, and differently in the workspace file by another program.").arg(what);
}
