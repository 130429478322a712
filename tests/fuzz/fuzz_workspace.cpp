// A workspace file is either understood or refused; what is understood survives a round trip.
#include "workspace/Workspace.h"
#include "workspace/WorkspaceStore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        return 0;
    QString error;
    const auto workspace = Workspace::fromJson(doc.object(), &error);
    if (!workspace) {
        if (error.isEmpty())
            __builtin_trap(); // refusals name the problem
        return 0;
    }
    const QByteArray saved = WorkspaceStore::serialize(*workspace);
    const auto again = Workspace::fromJson(QJsonDocument::fromJson(saved).object(), &error);
    if (!again || again->environments() != workspace->environments())
        __builtin_trap(); // what we write we must read back unchanged
    return 0;
}
