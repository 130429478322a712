#include "contract/ApiDocumentReader.h"

#include "contract/OpenApiImport.h"
#include "contract/PostmanImport.h"
#include "workspace/WorkspaceFile.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

ApiDocumentReader::Kind ApiDocumentReader::detect(const QByteArray &text)
{
    // YAML is only ever OpenAPI here; a collection is always JSON.
    if (!text.trimmed().startsWith('{'))
        return Kind::OpenApi;
    const QJsonObject root = QJsonDocument::fromJson(text).object();
    if (root.contains(QLatin1String("openapi")) || root.contains(QLatin1String("swagger")))
        return Kind::OpenApi;
    if (root.value(QLatin1String("info")).isObject() && root.contains(QLatin1String("item")))
        return Kind::Postman;
    return Kind::OpenApi;
}

std::optional<ImportPlan> ApiDocumentReader::read(const QByteArray &text, QString *error)
{
    if (detect(text) == Kind::Postman)
        return PostmanImport::read(text, error);
    return OpenApiImport::fromText(text, error);
}

std::optional<ImportPlan> ApiDocumentReader::readFile(const QString &path, QString *error)
{
    const WorkspaceFile::Result file = WorkspaceFile::read(path, MaxBytes);
    if (!file.ok()) {
        if (error) {
            *error = file.status == WorkspaceFile::Status::TooLarge
                ? QCoreApplication::translate("ApiDocumentReader", "%1 is larger than %2: not an API document this reads.")
                      .arg(path, WorkspaceFile::describeSize(MaxBytes))
                : QCoreApplication::translate("ApiDocumentReader", "%1 cannot be read: %2").arg(path, file.problem);
        }
        return std::nullopt;
    }
    return read(file.bytes, error);
}
