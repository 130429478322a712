// A scope-matrix plan file (JSON or YAML, written by hand or by anyone) is read strictly or
// refused; the plan it makes has named requests with unique ids, each with scopes to verify, and
// its cells have unique ids, each in exactly one shard.
#include "matrix/MatrixPlanReader.h"
#include "matrix/MatrixPlanner.h"
#include "matrix/MatrixShard.h"
#include "workspace/Environment.h"

#include <QSet>

#include <cstdint>

namespace {
void check(const std::optional<MatrixPlan> &plan, const QString &error)
{
    if (!plan) {
        if (error.isEmpty())
            __builtin_trap();
        return;
    }
    QSet<QString> ids;
    for (const PlanRequest &request : plan->requests) {
        if (request.name.trimmed().isEmpty() || request.id.isEmpty() || request.requiredScopes.isEmpty()
            || ids.contains(request.id)) {
            __builtin_trap();
        }
        ids.insert(request.id);
    }
    Environment environment;
    environment.scopes = {QStringLiteral("a:read"), QStringLiteral("b:write"), QStringLiteral("core.users:act-on-behalf-of")};
    environment.headers = {{QStringLiteral("X-On-Behalf-Of"), QStringLiteral("user {{userId}}")}};
    environment.variables = {{QStringLiteral("userId"), QStringLiteral("u")}};
    QStringList notes;
    const QList<MatrixCell> cells = MatrixPlanner::cells(*plan, environment, &notes);
    QSet<QString> cellIds;
    for (const MatrixCell &cell : cells) {
        const QString id = cell.id();
        if (cellIds.contains(id) || cell.request < 0 || cell.request >= plan->requests.size())
            __builtin_trap();
        cellIds.insert(id);
        if (cell.set.kind == ScopeSet::Kind::NoToken && !cell.set.scopes.isEmpty())
            __builtin_trap();
        int shards = 0;
        for (int index = 1; index <= 3; ++index)
            shards += MatrixShard{index, 3}.contains(id) ? 1 : 0;
        if (shards != 1)
            __builtin_trap();
        (void)cell.draftToSend(*plan);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const QString &name : {QStringLiteral("plan.json"), QStringLiteral("plan.yaml")}) {
        QString error;
        const auto plan = MatrixPlanReader::fromFile(text, name, &error);
        check(plan, error);
    }
    QString error;
    (void)MatrixShard::parse(QString::fromUtf8(text.left(64)), &error);
    return 0;
}
