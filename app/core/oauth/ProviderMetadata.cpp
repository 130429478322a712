#include "oauth/ProviderMetadata.h"

#include "oauth/TokenResponseParser.h"
#include "util/JsonFieldReader.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace {
const QString deviceGrantType = u"urn:ietf:params:oauth:grant-type:device_code"_s;

// An endpoint of the metadata: an absolute http(s) URL without user info or fragment; https
// unless the issuer itself is plain http (a loopback test server).
bool readEndpoint(JsonFieldReader &reader, const QString &key, const QUrl &issuer, QUrl *out)
{
    QString text;
    if (!reader.string(key, &text))
        return false;
    if (!reader.has(key))
        return true;
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s))
        return reader.fail(key, u"\"%1\" is not an absolute http(s) URL"_s.arg(text.left(200)));
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return reader.fail(key, u"an endpoint must not carry user info or a fragment"_s);
    if (url.scheme() == u"http"_s && issuer.scheme() != u"http"_s)
        return reader.fail(key, u"\"%1\" is plain http under an https issuer"_s.arg(text.left(200)));
    *out = url;
    return true;
}

bool listed(const QStringList &list, const QString &value)
{
    return !value.isEmpty() && list.contains(value);
}
} // namespace

std::optional<ProviderMetadata> ProviderMetadata::parse(const QByteArray &body, const QByteArray &contentType, const QUrl &expectedIssuer,
                                                         QString *error, bool *notJson)
{
    if (notJson)
        *notJson = true;
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty()) {
        *error = u"the answer is empty, not a metadata document"_s;
        return std::nullopt;
    }
    if (trimmed.startsWith('<') || contentType.toLower().contains("html")) {
        *error = u"the answer is an HTML page, not a metadata document: \"%1\""_s.arg(TokenResponseParser::excerpt(body, 120));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"the answer is not JSON (%1 at byte %2): \"%3\""_s.arg(parseError.errorString()).arg(parseError.offset).arg(
            TokenResponseParser::excerpt(body, 120));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = u"the answer is JSON but not an object, so not a metadata document"_s;
        return std::nullopt;
    }

    if (notJson)
        *notJson = false;
    JsonFieldReader reader(document.object());
    ProviderMetadata metadata;
    QString issuer;
    if (!reader.required(u"issuer"_s) || !reader.string(u"issuer"_s, &issuer)) {
        *error = reader.error();
        return std::nullopt;
    }
    // RFC 8414 §3.3: exactly the issuer asked for, compared as strings, or the document speaks
    // for another server (a mix-up, or a host serving someone else's metadata).
    const QString expected = expectedIssuer.toString(QUrl::FullyEncoded);
    if (issuer != expected) {
        *error = u"the metadata names the issuer \"%1\", not \"%2\" that was asked for (RFC 8414 §3.3): refused, its endpoints could "
                 "be another server's. If \"%1\" is the right issuer, use it exactly"_s.arg(issuer.left(300), expected);
        return std::nullopt;
    }
    metadata.issuer = expectedIssuer;
    if (!reader.required(u"token_endpoint"_s) || !readEndpoint(reader, u"token_endpoint"_s, expectedIssuer, &metadata.tokenEndpoint)
        || !readEndpoint(reader, u"authorization_endpoint"_s, expectedIssuer, &metadata.authorizationEndpoint)
        || !readEndpoint(reader, u"device_authorization_endpoint"_s, expectedIssuer, &metadata.deviceAuthorizationEndpoint)
        || !readEndpoint(reader, u"revocation_endpoint"_s, expectedIssuer, &metadata.revocationEndpoint)
        || !readEndpoint(reader, u"introspection_endpoint"_s, expectedIssuer, &metadata.introspectionEndpoint)
        || !readEndpoint(reader, u"jwks_uri"_s, expectedIssuer, &metadata.jwksUri)) {
        *error = reader.error();
        return std::nullopt;
    }
    const bool aliasesRead = reader.object(u"mtls_endpoint_aliases"_s, [&](JsonFieldReader &aliases) {
        MutualTlsAliases &out = metadata.mtlsAliases;
        return readEndpoint(aliases, u"token_endpoint"_s, expectedIssuer, &out.tokenEndpoint)
            && readEndpoint(aliases, u"device_authorization_endpoint"_s, expectedIssuer, &out.deviceAuthorizationEndpoint)
            && readEndpoint(aliases, u"revocation_endpoint"_s, expectedIssuer, &out.revocationEndpoint)
            && readEndpoint(aliases, u"introspection_endpoint"_s, expectedIssuer, &out.introspectionEndpoint);
    });
    if (!aliasesRead) {
        *error = reader.error();
        return std::nullopt;
    }
    // RFC 8414 §2's defaults for the lists a server leaves out.
    metadata.grantTypesSupported = {u"authorization_code"_s, u"implicit"_s};
    metadata.tokenEndpointAuthMethodsSupported = {u"client_secret_basic"_s};
    if (!reader.stringList(u"grant_types_supported"_s, &metadata.grantTypesSupported)
        || !reader.stringList(u"token_endpoint_auth_methods_supported"_s, &metadata.tokenEndpointAuthMethodsSupported)
        || !reader.stringList(u"scopes_supported"_s, &metadata.scopesSupported)) {
        *error = reader.error();
        return std::nullopt;
    }
    for (const QStringList *list : {&metadata.grantTypesSupported, &metadata.tokenEndpointAuthMethodsSupported, &metadata.scopesSupported}) {
        for (const QString &entry : *list) {
            if (entry.isEmpty() || entry.size() > 1000 || entry.contains(u' ')) {
                *error = u"a supported grant, method or scope is empty, has a space or is over 1,000 characters: refused"_s;
                return std::nullopt;
            }
        }
    }
    return metadata;
}

QString ProviderMetadata::grantTypeFor(GrantType grant)
{
    return grant == GrantType::DeviceCode ? deviceGrantType : Environment::grantName(grant);
}

std::optional<ClientAuthStyle> ProviderMetadata::clientAuthForMethod(const QString &method)
{
    if (method == u"client_secret_basic"_s)
        return ClientAuthStyle::Basic;
    if (method == u"client_secret_post"_s)
        return ClientAuthStyle::Body;
    if (method == u"private_key_jwt"_s)
        return ClientAuthStyle::PrivateKeyJwt;
    if (method == u"none"_s)
        return ClientAuthStyle::None;
    if (method == u"tls_client_auth"_s)
        return ClientAuthStyle::TlsClientAuth;
    if (method == u"self_signed_tls_client_auth"_s)
        return ClientAuthStyle::SelfSignedTlsClientAuth;
    return std::nullopt;
}

QString ProviderMetadata::methodForClientAuth(ClientAuthStyle style)
{
    switch (style) {
    case ClientAuthStyle::Basic: return u"client_secret_basic"_s;
    case ClientAuthStyle::Body: return u"client_secret_post"_s;
    case ClientAuthStyle::PrivateKeyJwt: return u"private_key_jwt"_s;
    case ClientAuthStyle::None: return u"none"_s;
    case ClientAuthStyle::TlsClientAuth: return u"tls_client_auth"_s;
    case ClientAuthStyle::SelfSignedTlsClientAuth: return u"self_signed_tls_client_auth"_s;
    case ClientAuthStyle::Json: return {}; // no registered name: a JSON body is a server's own extension
    }
    return {};
}

QStringList ProviderMetadata::applyTo(Environment *env, const Choices &choices) const
{
    QStringList report;
    const auto fill = [&report](const QString &what, const QUrl &value, QUrl *target, bool given = false) {
        if (given) {
            if (value != *target)
                report.append(u"%1: %2 (as given; the metadata says %3)"_s.arg(what, target->toDisplayString(),
                                                                              value.isEmpty() ? u"none"_s : value.toDisplayString()));
            return;
        }
        if (value.isEmpty() && target->isEmpty())
            return;
        *target = value;
        report.append(u"%1: %2"_s.arg(what, value.isEmpty() ? u"(none)"_s : value.toDisplayString()));
    };
    // RFC 8705 §5: a client that presents a certificate uses the aliases where there are some.
    const bool certificate = !env->clientCertificate.isEmpty();
    const auto endpoint = [certificate](const QUrl &plain, const QUrl &alias) { return certificate && !alias.isEmpty() ? alias : plain; };
    const QString aliasNote = u" (mutual TLS alias)"_s;
    const auto aliased = [&](const QString &what, const QUrl &alias) { return certificate && !alias.isEmpty() ? what + aliasNote : what; };
    fill(aliased(u"token URL"_s, mtlsAliases.tokenEndpoint), endpoint(tokenEndpoint, mtlsAliases.tokenEndpoint), &env->tokenUrl,
         choices.tokenUrlGiven);
    env->provider.issuer = issuer;
    fill(u"authorization endpoint"_s, authorizationEndpoint, &env->provider.authorizationUrl, choices.authorizationUrlGiven);
    fill(aliased(u"device authorization endpoint"_s, mtlsAliases.deviceAuthorizationEndpoint),
         endpoint(deviceAuthorizationEndpoint, mtlsAliases.deviceAuthorizationEndpoint), &env->provider.deviceAuthorizationUrl,
         choices.deviceAuthorizationUrlGiven);
    fill(aliased(u"revocation endpoint"_s, mtlsAliases.revocationEndpoint), endpoint(revocationEndpoint, mtlsAliases.revocationEndpoint),
         &env->provider.revocationUrl, choices.revocationUrlGiven);
    fill(aliased(u"introspection endpoint"_s, mtlsAliases.introspectionEndpoint),
         endpoint(introspectionEndpoint, mtlsAliases.introspectionEndpoint), &env->provider.introspectionUrl, choices.introspectionUrlGiven);
    fill(u"JWKS"_s, jwksUri, &env->provider.jwksUrl);
    env->provider.grantsSupported = grantTypesSupported;
    env->provider.clientAuthMethodsSupported = tokenEndpointAuthMethodsSupported;
    report.append(u"grants supported: %1"_s.arg(grantTypesSupported.join(u' ')));
    report.append(u"client authentication supported: %1"_s.arg(tokenEndpointAuthMethodsSupported.join(u' ')));

    if (!choices.grantGiven && !listed(grantTypesSupported, grantTypeFor(env->grant))) {
        // The machine grant first (what most API explorers use), then the ones with a person;
        // never the password grant, which needs a user name nobody gave.
        for (const GrantType candidate : {GrantType::ClientCredentials, GrantType::AuthorizationCode, GrantType::DeviceCode}) {
            if (listed(grantTypesSupported, grantTypeFor(candidate))) {
                report.append(u"grant: %1 (the server does not list %2)"_s.arg(Environment::grantName(candidate), grantTypeFor(env->grant)));
                env->grant = candidate;
                break;
            }
        }
    }
    // A certificate is a stronger credential than a shared secret: with one configured, a
    // secret-based style nobody chose gives way to RFC 8705 §2.1 when the server offers it.
    // A style saved earlier was somebody's choice, and changing it would silently change what
    // authenticates the client.
    const QString tlsClientAuth = methodForClientAuth(ClientAuthStyle::TlsClientAuth);
    if (!choices.clientAuthGiven && !choices.clientAuthKept && certificate && Environment::usesClientSecret(env->clientAuth)
        && listed(tokenEndpointAuthMethodsSupported, tlsClientAuth)) {
        report.append(u"client authentication: %1 (a client certificate is configured)"_s.arg(tlsClientAuth));
        env->clientAuth = ClientAuthStyle::TlsClientAuth;
    }
    if (!choices.clientAuthGiven && !listed(tokenEndpointAuthMethodsSupported, methodForClientAuth(env->clientAuth))) {
        for (const ClientAuthStyle candidate : {ClientAuthStyle::Basic, ClientAuthStyle::Body, ClientAuthStyle::PrivateKeyJwt, ClientAuthStyle::None}) {
            if (listed(tokenEndpointAuthMethodsSupported, methodForClientAuth(candidate))) {
                report.append(u"client authentication: %1 (%2)"_s.arg(Environment::clientAuthName(candidate), methodForClientAuth(candidate)));
                env->clientAuth = candidate;
                break;
            }
        }
    }

    int added = 0;
    for (const QString &scope : scopesSupported) {
        const bool described = std::any_of(env->scopeCatalog.cbegin(), env->scopeCatalog.cend(),
                                           [&scope](const CatalogScope &known) { return known.name == scope; });
        if (!described) {
            env->scopeCatalog.append(CatalogScope{scope, {}});
            ++added;
        }
    }
    if (added > 0)
        report.append(u"scope catalog: %1 scope(s) added (%2)"_s.arg(added).arg(scopesSupported.join(u' ')));
    return report;
}
