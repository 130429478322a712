#pragma once

#include "matrix/PlanRequest.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// What a scope-matrix run verifies: the requests, each with the scopes it needs, from the
// workspace, an OpenAPI document or a plan file (MatrixPlanReader).
struct MatrixPlan
{
    QString title;
    QString source; // "workspace", "openapi FILE", "plan FILE": for reports
    QList<PlanRequest> requests;
    // The plan's own variables (path parameters, ids): they win over the environment's, since a
    // plan names the objects it was written against; a request's own extra variables win over both.
    QList<QPair<QString, QString>> variables;
    QStringList notes; // requests left out and why ("listOrders: no scopes documented")

    // The index of the request with this id, or -1.
    int indexOf(const QString &requestId) const;

    bool operator==(const MatrixPlan &other) const = default;
};
