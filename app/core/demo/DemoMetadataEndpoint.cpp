#include "demo/DemoMetadataEndpoint.h"

#include "demo/DemoDeviceEndpoint.h"
#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"
#include "demo/DemoSigningKey.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
QHttpServerResponse json(const QJsonObject &object, const QByteArray &type = "application/json"_ba)
{
    QHttpServerResponse response(type, QJsonDocument(object).toJson(QJsonDocument::Compact));
    // The key changes with every start of the Demo, so nothing may keep an old copy for long.
    response.setHeader("Cache-Control"_ba, "no-cache"_ba);
    return response;
}
} // namespace

DemoMetadataEndpoint::DemoMetadataEndpoint(const DemoServer &server, const DemoSigningKey &key)
    : m_server(server)
    , m_key(key)
{
}

void DemoMetadataEndpoint::registerRoutes(QHttpServer *server) const
{
    server->route(jwksPath(), QHttpServerRequest::Method::Get,
                  [this] { return json(m_key.keySet(), "application/jwk-set+json"_ba); });
    for (const QString &path : {openIdConfigurationPath(), authorizationServerPath()})
        server->route(path, QHttpServerRequest::Method::Get, [this] { return json(metadata()); });
}

QJsonObject DemoMetadataEndpoint::metadata() const
{
    QJsonArray scopes;
    for (const DemoScope &scope : DemoScopes::all())
        scopes.append(scope.name);
    const auto url = [](const QUrl &endpoint) { return endpoint.toString(QUrl::FullyEncoded); };
    return {
        {u"issuer"_s, url(m_server.issuer())},
        {u"authorization_endpoint"_s, url(m_server.authorizationUrl())},
        {u"token_endpoint"_s, url(m_server.tokenUrl())},
        {u"device_authorization_endpoint"_s, url(m_server.deviceAuthorizationUrl())},
        {u"revocation_endpoint"_s, url(m_server.revocationUrl())},
        {u"introspection_endpoint"_s, url(m_server.introspectionUrl())},
        {u"jwks_uri"_s, url(m_server.jwksUrl())},
        {u"scopes_supported"_s, scopes},
        {u"response_types_supported"_s, QJsonArray{u"code"_s}},
        {u"response_modes_supported"_s, QJsonArray{u"query"_s}},
        {u"grant_types_supported"_s, QJsonArray{u"client_credentials"_s, u"password"_s, u"authorization_code"_s,
                                                DemoDeviceEndpoint::grantType(), u"refresh_token"_s}},
        {u"code_challenge_methods_supported"_s, QJsonArray{u"S256"_s}},
        // The confidential demo client authenticates either way; the public one (none) uses the grants with a person.
        {u"token_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_basic"_s, u"client_secret_post"_s, u"none"_s}},
        {u"revocation_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_basic"_s, u"client_secret_post"_s, u"none"_s}},
        {u"introspection_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_basic"_s, u"client_secret_post"_s}},
        {u"authorization_response_iss_parameter_supported"_s, true},
        // OpenID Connect discovery requires these; the Demo issues no ID tokens, its access tokens are ES256 JWTs.
        {u"subject_types_supported"_s, QJsonArray{u"public"_s}},
        {u"id_token_signing_alg_values_supported"_s, QJsonArray{DemoSigningKey::algorithm()}},
    };
}
