#pragma once

#include "workspace/Environment.h"
#include "workspace/SavedRequest.h"

#include <QList>
#include <QString>
#include <QStringList>

// What an API document, a collection or a template would add to a workspace, before anything is
// changed: the environments and saved requests it makes (each with its ImportOrigin), what was
// left out and why, and what the user must still fill in. Producers (OpenApiImport, the Postman
// import, templates) build one; WorkspaceImport previews and applies it.
struct ImportPlan
{
    // A value the document does not give and that must never be invented: a host, an account id,
    // the client id. Asked for when the plan is applied (the GUI's preview, `env set`).
    struct Input
    {
        QString environmentKey; // the ImportOrigin::key of the environment it belongs to
        QString name;           // the environment variable's name, or "clientId" / "username"
        QString description;    // what to enter, in the document's words when it has some
        QString defaultValue;   // the document's default, when it gives one (server variables)

        bool operator==(const Input &other) const = default;
    };

    QString sourceKind; // "OpenAPI 3.1", "Swagger 2.0", "Postman Collection v2.1", "Template"
    QString title;      // the document's own title, for people
    QString document;   // ImportOrigin::document of everything it creates: "openapi:<title>"
    QString version;    // the document's version when it states one

    QList<Environment> environments; // origin set on each
    QList<SavedRequest> requests;    // origin set on each
    QStringList skipped; // what was left out and why: "operation getX: implicit flow is not supported"
    QStringList notes;   // warnings about what was imported: an undeclared scope, a relative token URL
    QList<Input> inputs;

    // The inputs of one environment of the plan, in order.
    QList<Input> inputsFor(const Environment &environment) const;

    bool operator==(const ImportPlan &other) const = default;
};
