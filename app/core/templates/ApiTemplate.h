#pragma once

#include "workspace/Environment.h"
#include "workspace/SavedRequest.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// One API template of resources/templates/ (docs/templates.md): what a vendor's documentation
// says about its token endpoint, scopes and context headers, as data. Values the documentation
// does not give (hosts, ids, the client id) are Asks, filled in when the template is applied
// (TemplateApplication), never invented.
struct ApiTemplate
{
    // A value the user must supply.
    struct Ask
    {
        enum class Kind { Text, Host, Url, Id, Path };
        enum class Target { Variable, ClientId, Username };

        QString name;        // the {{name}} it fills, and the environment variable it becomes
        QString label;       // "API domain"
        QString description; // what to enter, in the seed's words where it has some
        Kind kind = Kind::Text;
        Target target = Target::Variable;
        bool required = true;
    };

    // A tier the seed documents, with its URLs ({{asks}} allowed). Tier "any": the seed names
    // none, so the user picks the tier and these URLs serve every one.
    struct TierVariant
    {
        std::optional<Tier> tier; // nullopt: "any"
        QString tokenUrl;
        QString apiBaseUrl;
        QString note;
    };

    // A kind of token the API issues with the same endpoint (Cybrid's Bank and Organization
    // tokens): its own default scopes.
    struct Kind
    {
        QString id;
        QString title;
        QString description;
        QStringList defaultScopes;
    };

    // A documented error answer, for people (template show, docs).
    struct DocumentedError
    {
        int status = 0;
        QString when;
        QJsonObject body;
    };

    struct Request
    {
        QString name;
        QString folder;
        QString summary;
        QString method;
        QString path;
        QByteArray body; // compact JSON when the template gives one
        QList<ScopeRequirement> requiredScopes;
        int successStatus = 0;
    };

    QString id;
    QString title;
    QString seed;      // "000": the seed document it is written from; empty for the Demo
    QString seedTitle;
    QString summary;
    GrantType grant = GrantType::ClientCredentials;
    ClientAuthStyle clientAuth = ClientAuthStyle::Basic;
    QString tokenType;   // "bearer"
    QString tokenFormat; // "opaque", "jwt", "unspecified"
    int tokenLifetimeSeconds = 0; // 0: the seed does not say
    QString clientId;    // when the seed gives it (the Demo's)
    QList<TierVariant> tiers;
    QList<Ask> asks;
    QList<Kind> kinds;
    QList<CatalogScope> scopeCatalog; // {{asks}} allowed
    QStringList defaultScopes;        // used when the template has no kinds
    QList<HeaderTemplate> contextHeaders;
    QList<QPair<QString, QString>> variables;
    QList<TokenParam> tokenParams;    // {{asks}} allowed in values; a secret one has no value
    QList<RequestDraft::Row> requestHeaders; // sent by every example request
    QList<Request> requests;
    QList<DocumentedError> errors;
    QStringList notes;

    // Every member read with its type (JsonFieldReader), names checked (grant, client auth, tiers,
    // ask kinds), every {{name}} used in a URL, parameter or scope defined by an ask: a template
    // that would need an invented value is refused, with the member's path.
    static std::optional<ApiTemplate> fromJson(const QJsonObject &json, QString *error);

    const TierVariant *variantFor(Tier tier) const;
    const Kind *kind(const QString &id) const;
    // "sandbox, staging" or "any"
    QStringList tierNames() const;
    static QString askKindName(Ask::Kind kind);
};
