#pragma once

#include "workspace/Environment.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// An authorization server's metadata (RFC 8414 §2, OpenID Connect Discovery 1.0 §3) as read from
// its well-known document: only the members Tokenbench uses, each read with its type. The document
// is someone else's text: anything that is not a JSON object of the right types is refused with
// what was wrong, never half-used.
struct ProviderMetadata
{
    QUrl issuer;
    QUrl tokenEndpoint;
    QUrl authorizationEndpoint;
    QUrl deviceAuthorizationEndpoint;
    QUrl revocationEndpoint;
    QUrl introspectionEndpoint;
    QUrl jwksUri;
    QStringList grantTypesSupported;               // as listed; RFC 8414's default when absent
    QStringList tokenEndpointAuthMethodsSupported; // as listed; RFC 8414's default when absent
    QStringList scopesSupported;
    // RFC 8705 §5 mtls_endpoint_aliases: where a client presenting a certificate goes instead
    // (a provider may serve mutual TLS on other hosts or ports). Empty members: no alias.
    struct MutualTlsAliases
    {
        QUrl tokenEndpoint;
        QUrl deviceAuthorizationEndpoint;
        QUrl revocationEndpoint;
        QUrl introspectionEndpoint;
    };
    MutualTlsAliases mtlsAliases;

    // What to keep of the environment when the metadata is applied: the grant, the client
    // authentication and the endpoints the user gave explicitly stay as they are.
    struct Choices
    {
        bool grantGiven = false;
        bool clientAuthGiven = false;
        bool tokenUrlGiven = false;
        bool authorizationUrlGiven = false;
        bool deviceAuthorizationUrlGiven = false;
        bool revocationUrlGiven = false;
        bool introspectionUrlGiven = false;
        // The environment's client authentication was saved before (env set on an existing one):
        // it stays while the server lists it, even where a certificate would allow tls_client_auth.
        bool clientAuthKept = false;
    };

    // Reads a metadata document. `expectedIssuer` is the issuer it was fetched for: the
    // document's "issuer" must be exactly it (RFC 8414 §3.3, OpenID Connect Discovery §4.3),
    // or the metadata could name another server's endpoints. Endpoints must be absolute http(s)
    // URLs without user info, https unless the issuer itself is plain http.
    // *notJson (optional) tells a body that is no JSON object at all (an HTML page, text) from
    // a JSON document that is bad metadata.
    static std::optional<ProviderMetadata> parse(const QByteArray &body, const QByteArray &contentType, const QUrl &expectedIssuer,
                                                 QString *error, bool *notJson = nullptr);

    // Fills the environment from the metadata: the token URL, the provider's endpoints, the
    // supported grants and client authentication methods, and the scopes it lists that the
    // scope catalog does not describe yet. Unless given, the grant and the client
    // authentication become ones the server supports (the current ones when it does). An
    // environment with a client certificate takes the mutual-TLS aliases of the endpoints, and,
    // unless given, tls_client_auth instead of a client secret when the server lists it.
    // Returns one line per thing filled or changed, for the user.
    QStringList applyTo(Environment *env, const Choices &choices) const;

    // The client authentication style a token_endpoint_auth_methods_supported name stands for.
    static std::optional<ClientAuthStyle> clientAuthForMethod(const QString &method);
    static QString methodForClientAuth(ClientAuthStyle style);
    static QString grantTypeFor(GrantType grant);
};
