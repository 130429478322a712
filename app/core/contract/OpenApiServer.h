#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

class OpenApiDocument;

// One server an API document names (OpenAPI's servers, Swagger 2.0's schemes × host + basePath),
// with its {variables} at their defaults.
struct OpenApiServer
{
    static constexpr int MaxServers = 20;

    QString written;     // as the document writes it: what an environment's ImportOrigin key uses
    QUrl url;            // with the variables' defaults; empty when the document gives no host
    QString description;
    QList<QPair<QString, QString>> variables; // name → default
    QStringList variableHints;                // per variable: its description and the values allowed

    // Every server of the document (at most MaxServers); a document without any, or with only a
    // relative one, gives one server without a URL: the host must be asked for, never invented.
    static QList<OpenApiServer> read(const OpenApiDocument &document, QStringList *notes);
};
