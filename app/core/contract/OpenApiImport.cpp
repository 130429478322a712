#include "contract/OpenApiImport.h"

#include "contract/OpenApiDocument.h"
#include "contract/OpenApiOperations.h"
#include "contract/OpenApiSecurity.h"
#include "contract/OpenApiServer.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

std::optional<ImportPlan> OpenApiImport::fromText(const QByteArray &text, QString *error)
{
    const std::optional<OpenApiDocument> document = OpenApiDocument::parse(text, error);
    if (!document)
        return std::nullopt;
    return fromDocument(*document, error);
}

std::optional<ImportPlan> OpenApiImport::fromDocument(const OpenApiDocument &document, QString *error)
{
    const QJsonObject info = document.object(document.root().value(u"info"_s));
    ImportPlan plan;
    plan.sourceKind = document.kindName();
    plan.title = info.value(u"title"_s).toString().trimmed().left(200);
    if (plan.title.isEmpty()) {
        if (error)
            *error = u"the document's info.title is missing: it names the API and tells a later import of a newer "
                     u"version what to update"_s;
        return std::nullopt;
    }
    const QJsonValue version = info.value(u"version"_s);
    plan.version = (version.isString() ? version.toString() : version.toVariant().toString()).left(100);
    plan.document = u"openapi:"_s + plan.title;

    const std::optional<OpenApiSecurity> security = OpenApiSecurity::read(document, &plan.notes, &plan.skipped, error);
    if (!security)
        return std::nullopt;
    const QList<OpenApiServer> servers = OpenApiServer::read(document, &plan.notes);
    security->addEnvironments(servers, &plan);
    if (security->flows().isEmpty())
        plan.notes.append(u"the document has no OAuth 2 flow Tokenbench can run, so no environment is created; its requests "
                          u"work with any environment"_s);

    OpenApiOperations(document, *security).addTo(&plan);
    for (const QString &ref : document.externalRefs())
        plan.skipped.append(u"reference %1: another file, not fetched"_s.arg(ref.left(300)));
    return plan;
}
