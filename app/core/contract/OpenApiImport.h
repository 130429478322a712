#pragma once

#include "contract/ImportPlan.h"

#include <QByteArray>
#include <QString>

#include <optional>

class OpenApiDocument;

// An OpenAPI 3.0 / 3.1 (JSON or YAML) or Swagger 2.0 document as an ImportPlan: its OAuth 2 flows
// × servers as environments (OpenApiSecurity), its operations as saved requests
// (OpenApiOperations), everything it refers to elsewhere or Tokenbench cannot run listed in
// skipped. A document that cannot be read safely — malformed or cut short, nested too deeply, an
// alias bomb, a reference cycle or a reference to nothing, a huge scope list, not OpenAPI — is
// refused with the reason, quickly and without expanding anything.
class OpenApiImport
{
public:
    static std::optional<ImportPlan> fromText(const QByteArray &text, QString *error);
    static std::optional<ImportPlan> fromDocument(const OpenApiDocument &document, QString *error);
};
