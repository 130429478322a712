#pragma once

#include "contract/ImportPlan.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

class OpenApiDocument;
class OpenApiSecurity;

// Every operation of an API document as a saved request: named by its operationId (else
// "METHOD /path"), in the folder of its first tag, with its summary; the scopes its security
// requirement (else the document's) names, each requirement object kept as one alternative; path
// parameters as {{name}} in the URL, query and header parameters as rows holding {{name}} (enabled
// when required), their examples or defaults as the request's variables unless they look like a
// credential; a JSON body from the request body's example, else its schema (BodySkeleton); the
// first documented 2xx as the success status.
class OpenApiOperations
{
public:
    static constexpr int MaxNotes = 200;

    OpenApiOperations(const OpenApiDocument &document, const OpenApiSecurity &security)
        : m_document(document)
        , m_security(security)
    {
    }

    void addTo(ImportPlan *plan);

private:
    void addOperation(const QString &path, const QString &method, const QJsonObject &operation, const QJsonArray &pathParameters,
                      ImportPlan *plan);
    QList<ScopeRequirement> requirements(const QJsonValue &security, const QString &operationName);
    bool setBody(const QJsonObject &operation, const QJsonArray &parameters, RequestDraft *draft, const QString &operationName);
    void note(const QString &text);
    static QByteArray bodyText(const QJsonValue &value);
    QByteArray skeletonText(const QJsonValue &schema);

    const OpenApiDocument &m_document;
    const OpenApiSecurity &m_security;
    QSet<QString> m_keys;
    QSet<QString> m_unknownSchemes;
    QHash<QString, QByteArray> m_skeletons; // a body schema's $ref → the body built from it
    QStringList m_pendingNotes;
    int m_notesDropped = 0;
};
