// The workspace's typed reads (JsonFieldReader through Workspace, Environment and RequestDraft):
// any JSON is either read or refused with the path of what is wrong, and what is read survives
// a save and a second read unchanged — typed values and unknown members alike. The first byte
// places the rest: as the whole file, as one environment, or as one saved request's draft, so
// the fuzzer reaches the nested readers without first having to find a valid file around them.
#include "util/JsonFieldReader.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>

using namespace Qt::StringLiterals;

namespace {
QJsonObject around(const QJsonArray &environments, const QJsonArray &requests = {})
{
    QJsonObject root{{u"format"_s, u"tokenbench-workspace"_s}, {u"schemaVersion"_s, Workspace::SchemaVersion},
                     {u"id"_s, u"ws"_s}, {u"environments"_s, environments}};
    if (!requests.isEmpty())
        root.insert(u"requests"_s, requests);
    return root;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        return 0;
    QJsonObject root;
    switch (data[0] % 3) {
    case 0:
        root = doc.object();
        break;
    case 1:
        root = around({doc.object()});
        break;
    default:
        root = around({}, {QJsonObject{{u"name"_s, u"r"_s}, {u"request"_s, doc.object()}}});
        break;
    }

    QString error;
    const auto workspace = Workspace::fromJson(root, &error);
    if (!workspace) {
        if (error.isEmpty())
            __builtin_trap(); // a refusal names what is wrong
        return 0;
    }
    // Written and read again: the same workspace (unknown members included), and the same bytes.
    const QByteArray saved = WorkspaceStore::serialize(*workspace);
    QString againError;
    const auto again = Workspace::fromJson(QJsonDocument::fromJson(saved).object(), &againError);
    if (!again || !(*again == *workspace))
        __builtin_trap();
    if (WorkspaceStore::serialize(*again) != saved)
        __builtin_trap();
    // Every member the input had is still there after the save (nothing dropped); only values
    // the writer normalises (defaults it spells out) may be added.
    const QJsonObject written = QJsonDocument::fromJson(saved).object();
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (!written.contains(it.key()) && !it.value().isNull() && it.key() != u"requests"_s)
            __builtin_trap();
    }
    return 0;
}
