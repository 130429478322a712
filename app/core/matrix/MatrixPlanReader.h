#pragma once

#include "matrix/MatrixPlan.h"

#include <QByteArray>
#include <QString>

#include <optional>

class Workspace;

// Makes a MatrixPlan from where the scopes of requests are written down: the workspace's saved
// requests (imported operations carry theirs), an OpenAPI document, or a plan file written for
// the purpose (JSON or YAML; the format is in docs/matrix.md). Errors are values: nullopt with
// *error saying what and where ("plan.yaml: requests[2].scopes: expected a list, found a number").
class MatrixPlanReader
{
public:
    // A plan file is a list of requests; anything this big is not one (the workspace's limit).
    static constexpr qint64 MaxBytes = 16 * 1024 * 1024;
    // The scopes one request of a plan file names, all alternatives together: as many as an
    // OpenAPI flow may declare (OpenApiSecurity), far more than a token request carries.
    static constexpr int MaxScopesPerRequest = 1000;

    // The saved requests that carry required scopes; the others are listed in notes.
    static MatrixPlan fromWorkspace(const Workspace &workspace);
    // The operations of an OpenAPI 3.x / Swagger 2.0 document (JSON or YAML), as OpenApiImport
    // makes them; what it leaves out and why goes to notes, a document it refuses is refused
    // with its reason.
    static std::optional<MatrixPlan> fromOpenApi(const QByteArray &text, const QString &fileName, QString *error);
    // A plan file. Its requests may name a saved request of `workspace` instead of repeating it;
    // without a workspace, such a request is refused.
    static std::optional<MatrixPlan> fromFile(const QByteArray &text, const QString &fileName, QString *error,
                                              const Workspace *workspace = nullptr);
    // Reads the file at `path` (a regular file, up to MaxBytes) and hands it to fromFile.
    static std::optional<MatrixPlan> readFile(const QString &path, QString *error, const Workspace *workspace = nullptr);
};
