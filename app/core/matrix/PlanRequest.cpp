#include "matrix/PlanRequest.h"

bool PlanRequest::isStateChanging() const
{
    static const QStringList safe = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("OPTIONS"),
                                     QStringLiteral("TRACE")};
    return !safe.contains(draft.method.trimmed().toUpper());
}
