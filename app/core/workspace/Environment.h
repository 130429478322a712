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
// The two machine grants, and the two that need a person: RFC 6749 §4.1 with PKCE in the
// system browser, and RFC 8628's device grant.
enum class GrantType { ClientCredentials, Password, AuthorizationCode, DeviceCode };
// RFC 6749 §2.3.1 HTTP Basic, credentials in the form body, or a JSON body (Cybrid's httpie
// example); a public client that sends only its id (RFC 6749 §2.1); or a JWT signed with the
// client's private key (RFC 7523 §2.2, OpenID Connect's private_key_jwt); or the client
// certificate of the TLS handshake (RFC 8705 §2: tls_client_auth, a certificate of a CA the server
// trusts with a registered subject; self_signed_tls_client_auth, a registered certificate).
enum class ClientAuthStyle { Basic, Body, Json, None, PrivateKeyJwt, TlsClientAuth, SelfSignedTlsClientAuth };
// Where an environment's requests go: the app's choice (Preferences, the system's settings by
// default), straight to the server, or through the proxy the environment names.
enum class ProxyMode { App, Direct, Manual };

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

// The authorization server's endpoints beyond the token URL, from its metadata (RFC 8414, OpenID
// Connect discovery) or typed by hand. Empty members are endpoints the provider has not got.
struct ProviderEndpoints
{
    QUrl issuer; // where the metadata was read; the metadata's own "issuer" must be this
    QUrl authorizationUrl;
    QUrl deviceAuthorizationUrl;
    QUrl revocationUrl;
    QUrl introspectionUrl;
    QUrl jwksUrl;
    QStringList grantsSupported;            // grant_types_supported, as the metadata says
    QStringList clientAuthMethodsSupported; // token_endpoint_auth_methods_supported

    bool isEmpty() const { return *this == ProviderEndpoints(); }
    bool operator==(const ProviderEndpoints &other) const = default;
};

// An explicit proxy (HTTP CONNECT or SOCKS5) for one environment. Its password is a secret: in
// the keychain under "proxy-password", never here.
struct ProxySetting
{
    ProxyMode mode = ProxyMode::App;
    QUrl url;            // http://host:port or socks5://host:port, no user info
    QString username;    // empty: the proxy asks for no credentials
    QStringList noProxy; // hosts (and .suffixes) reached directly

    bool operator==(const ProxySetting &other) const = default;
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
    ProviderEndpoints provider;
    // The loopback port the authorization code grant's redirect comes back to
    // (http://127.0.0.1:PORT/callback); 0 takes any free port, for providers that allow it
    // (RFC 8252 §7.3).
    int redirectPort = 0;
    // A refresh token lives in memory only, unless the user asks for it to be kept in the
    // keychain (under "refresh-token") for this environment.
    bool keepRefreshToken = false;
    // Mutual TLS: the client certificate (public PEM, here) for the token endpoint and the API;
    // its private key is in the keychain under "client-key".
    QByteArray clientCertificate;
    // private_key_jwt: the key id ("kid") the assertion names; the private key (PEM) is in the
    // keychain under "private-key".
    QString signingKeyId;
    ProxySetting proxy;
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
    static QString proxyModeName(ProxyMode mode);
    static std::optional<ProxyMode> proxyModeFromName(const QString &name);
    // Whether the grant needs a person at a browser (authorization code, device code).
    static bool isInteractive(GrantType grant);
    // Whether the client authenticates with a shared secret (Basic, body, JSON).
    static bool usesClientSecret(ClientAuthStyle style);
    // Whether the client authenticates with its TLS client certificate alone (RFC 8705 §2).
    static bool usesClientCertificate(ClientAuthStyle style);

    bool operator==(const Environment &other) const = default;
};
