#pragma once

#include "contract/ImportPlan.h"

#include <QByteArray>
#include <QString>

#include <optional>

// Reads an API document the user picked — an OpenAPI 3.x or Swagger 2.0 document (JSON or
// YAML) or a Postman Collection — into an ImportPlan, telling which it is from its content
// rather than its name. Only a regular file up to MaxBytes is read (WorkspaceFile). Slow on a
// big document by nature: callers with an event loop run it on a worker thread.
class ApiDocumentReader
{
public:
    static constexpr qint64 MaxBytes = 32 * 1024 * 1024;

    enum class Kind { OpenApi, Postman };

    // A JSON object with "info" and "item" and no "openapi"/"swagger" member is a Postman
    // collection; anything else goes to the OpenAPI reader, which names what it is not.
    static Kind detect(const QByteArray &text);
    static std::optional<ImportPlan> read(const QByteArray &text, QString *error);
    static std::optional<ImportPlan> readFile(const QString &path, QString *error);
};
