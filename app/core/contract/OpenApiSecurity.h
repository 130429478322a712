#pragma once

#include "contract/ImportPlan.h"
#include "contract/OpenApiServer.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

class OpenApiDocument;

// The security schemes of an API document and the environments its OAuth 2 flows make: every
// flow Tokenbench can run (client credentials, password; Swagger 2.0's application and password)
// × every server is one environment, its token URL resolved against the server's URL, the flow's
// scopes as its catalog, the tier guessed (TierGuess). Authorization-code and implicit flows are
// reported as skipped with the reason.
class OpenApiSecurity
{
public:
    static constexpr int MaxScopesPerFlow = 1000;
    static constexpr int MaxScopeLength = 256;

    struct Flow
    {
        QString scheme;  // the security scheme's name
        QString name;    // OpenAPI 3's flow name: clientCredentials, password, authorizationCode, implicit
        QString tokenUrl; // as written; may be relative to the server
        QList<CatalogScope> scopes;
    };

    // Refuses (nullopt, *error) a document whose flows cannot be read safely: more than
    // MaxScopesPerFlow scopes, a scope name longer than MaxScopeLength. What is merely odd (no
    // tokenUrl, scopes written as a list, a scheme that refers nowhere) goes to notes/skipped.
    static std::optional<OpenApiSecurity> read(const OpenApiDocument &document, QStringList *notes, QStringList *skipped,
                                               QString *error);

    bool isDefined(const QString &scheme) const { return m_types.contains(scheme); }
    bool isOAuth2(const QString &scheme) const { return m_types.value(scheme) == QLatin1String("oauth2"); }
    // Every scope any flow of the scheme declares.
    const QSet<QString> declaredScopes(const QString &scheme) const { return m_declared.value(scheme); }
    const QList<Flow> &flows() const { return m_flows; }

    // One environment per usable flow × server, with what the user must fill in as plan inputs.
    void addEnvironments(const QList<OpenApiServer> &servers, ImportPlan *plan) const;

private:
    QHash<QString, QString> m_types; // scheme name → type (oauth2, apiKey, http, …)
    QHash<QString, QSet<QString>> m_declared;
    QList<Flow> m_flows;
};
