#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "util/UnknownFields.h"
#include "workspace/ImportOrigin.h"

#include <optional>

enum class Tier { Sandbox, Staging, Production, Custom };
enum class GrantType { ClientCredentials, Password };
// RFC 6749 §2.3.1 HTTP Basic, credentials in the form body, or a JSON body (Cybrid's httpie example).
enum class ClientAuthStyle { Basic, Body, Json };

// An extra token-request parameter (audience, resource, …). A secret one keeps only its
// name here; its value lives in the keychain like the client secret.
struct TokenParam
{
    QString name;
    QString value;
    bool secret = false;

    bool operator==(const TokenParam &other) const = default;
};

// A header sent with every API request of the environment, e.g. X-On-Behalf-Of: user {{userId}}.
struct HeaderTemplate
{
    QString name;
    QString valueTemplate;

    bool operator==(const HeaderTemplate &other) const = default;
};

// A scope the API documents, with what it allows in the API's own words: the Authorize dialog
// and the scope picker offer the catalog of an imported environment.
struct CatalogScope
{
    QString name;
    QString description;

    bool operator==(const CatalogScope &other) const = default;
};

// One environment profile. It never holds a secret, so it can be written to a workspace file
// that is safe to commit.
struct Environment
{
    // The tier of an environment the user has not placed yet, in the desktop app and `env add`
    // alike: it claims neither that the API is a safe sandbox nor that it is production.
    static constexpr Tier NewTier = Tier::Custom;

    QString id;   // stable key for the keychain; survives renames
    QString name;
    Tier tier = Tier::Sandbox;
    QUrl tokenUrl;
    QUrl apiBaseUrl;
    GrantType grant = GrantType::ClientCredentials;
    ClientAuthStyle clientAuth = ClientAuthStyle::Basic;
    QString clientId;
    QString username;
    QStringList scopes; // asked for by default
    // The scopes the API offers (an OpenAPI flow's scopes, a template's catalog); empty for a
    // profile typed by hand, whose catalog is then its own scopes.
    QList<CatalogScope> scopeCatalog;
    QList<TokenParam> params;
    QList<HeaderTemplate> headers;
    QList<QPair<QString, QString>> variables;
    bool allowInsecureHttp = false;
    // PEM certificates trusted besides the system's for this environment's token endpoint and
    // API (a staging server behind a company CA). Public, so it lives in the workspace file.
    QByteArray trustedCertificates;
    // "demo" marks the built-in Demo environment: its URLs and credentials come from the
    // in-process Demo API at run time.
    QString builtin;
    ImportOrigin origin; // the document or template that created it; empty when made by hand
    // Members of the file's environment object (and of its tokenParams, contextHeaders and
    // variables rows) this version does not know: written back as they were.
    UnknownFields unknownFields;

    bool isBuiltinDemo() const { return builtin == QLatin1String("demo"); }
    QStringList secretParamNames() const;
    // One line per certificate of trustedCertificates (subject, expiry), or why it is unusable.
    static QStringList describeCertificates(const QByteArray &pem, QString *problem = nullptr);

    QJsonObject toJson() const;
    // Every member read with its type (JsonFieldReader); a wrong one is refused with its path
    // under `path` ("environments[2].tokenUrl: expected a string, found a number").
    static std::optional<Environment> fromJson(const QJsonObject &json, QString *error, const QString &path = {});

    static QString tierName(Tier tier);
    static std::optional<Tier> tierFromName(const QString &name);
    static QString grantName(GrantType grant);
    static std::optional<GrantType> grantFromName(const QString &name);
    static QString clientAuthName(ClientAuthStyle style);
    static std::optional<ClientAuthStyle> clientAuthFromName(const QString &name);

    bool operator==(const Environment &other) const = default;
};
