#include "oauth/TokenRequest.h"

#include "oauth/ClientAssertion.h"

#include <QDateTime>

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
const QString mask = u"••••"_s;

QString scopeString(const QStringList &scopes)
{
    return scopes.join(u' ');
}
} // namespace

TokenRequest TokenRequest::fromEnvironment(const Environment &environment)
{
    TokenRequest request;
    request.tokenUrl = environment.tokenUrl;
    request.grant = environment.grant;
    request.clientAuth = environment.clientAuth;
    request.clientId = environment.clientId;
    request.username = environment.username;
    request.scopes = environment.scopes;
    request.allowInsecureHttp = environment.allowInsecureHttp;
    request.trustedCertificates = environment.trustedCertificates;
    request.deviceAuthorizationUrl = environment.provider.deviceAuthorizationUrl;
    request.proxy = ProxyPolicy::forEnvironment(environment);
    request.secretParamNames = environment.secretParamNames();
    request.authorizationUrl = environment.provider.authorizationUrl;
    request.issuer = environment.provider.issuer;
    request.redirectPort = environment.redirectPort;
    request.signingKeyId = environment.signingKeyId;
    request.clientCertificate = environment.clientCertificate; // its key is filled in by the caller
    for (const auto &param : environment.params)
        request.extraParams.append({param.name, param.value}); // secret values are filled in by the caller
    return request;
}

bool TokenRequest::canRefresh() const
{
    if (refreshToken.isEmpty() || refreshing)
        return false;
    for (const QString &scope : scopes) {
        if (!refreshScopes.isEmpty() && !refreshScopes.contains(scope))
            return false;
    }
    return true;
}

TokenRequest TokenRequest::refreshGrant() const
{
    TokenRequest request = *this;
    request.refreshing = true;
    return request;
}

TokenRequest TokenRequest::withoutRefresh() const
{
    TokenRequest request = *this;
    request.refreshToken.clear();
    request.refreshScopes.clear();
    request.refreshing = false;
    return request;
}

bool TokenRequest::isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString TokenRequest::grantTypeParameter(GrantType grant)
{
    if (grant == GrantType::DeviceCode)
        return u"urn:ietf:params:oauth:grant-type:device_code"_s;
    return Environment::grantName(grant);
}

QUrl TokenRequest::endpoint() const
{
    return isDeviceAuthorizationStep() ? deviceAuthorizationUrl : tokenUrl;
}

OAuthError TokenRequest::checkEndpointUrl(const QUrl &url, bool allowInsecureHttp, const QString &what)
{
    OAuthError error;
    error.endpoint = url;
    const auto fail = [&error](OAuthError::Kind kind, const QString &why) {
        error.kind = kind;
        error.detail = why;
        return error;
    };
    if (url.isEmpty())
        return fail(OAuthError::Kind::Configuration, u"the environment has no %1"_s.arg(what));
    if (!url.isValid() || url.host().isEmpty())
        return fail(OAuthError::Kind::Configuration, u"the %1 \"%2\" is not a valid URL"_s.arg(what, url.toString()));
    const QString scheme = url.scheme().toLower();
    if (scheme != u"https"_s && scheme != u"http"_s)
        return fail(OAuthError::Kind::Configuration, u"the %1 must start with https:// (it starts with %2://)"_s.arg(what, scheme));
    if (!url.userInfo().isEmpty())
        return fail(OAuthError::Kind::Configuration, u"the %1 contains a user name or password; put credentials in the profile, never in a URL"_s.arg(what));
    if (scheme == u"http"_s && !allowInsecureHttp && !isLoopback(url))
        return fail(OAuthError::Kind::InsecureUrl,
                    u"refusing to send credentials over plain http to %1; the environment does not allow insecure http"_s.arg(url.host()));
    return {};
}

PreparedRequest TokenRequest::endpointRequest(const QUrl &endpoint, const QList<QPair<QString, QString>> &fields) const
{
    // RFC 7009 §2.1 and RFC 7662 §2.1 define form bodies only; the client authenticates as at
    // the token endpoint (a JSON-body client puts its credentials in the form). The rest —
    // no redirects, the CAs, the client certificate, the proxy — is the token request's.
    PreparedRequest prepared = this->prepared();
    QList<QPair<QString, QString>> body = fields;
    HttpHeaders headers;
    headers.append("Accept", "application/json");
    headers.append("Content-Type", "application/x-www-form-urlencoded");
    if (clientAuth == ClientAuthStyle::Basic)
        headers.append("Authorization", basicCredentials(clientId, clientSecret));
    else
        body.append(clientCredentialFields(freshAssertion()));
    prepared.url = endpoint;
    prepared.headers = headers;
    prepared.body = formBody(body);
    prepared.guard = OriginGuard(endpoint);
    prepared.clientCertificateGuard = OriginGuard(endpoint);
    return prepared;
}

OAuthError TokenRequest::validate() const
{
    OAuthError error;
    error.endpoint = tokenUrl;
    const auto fail = [&error](OAuthError::Kind kind, const QString &why) {
        error.kind = kind;
        error.detail = why;
        return error;
    };
    if (const OAuthError bad = checkEndpointUrl(tokenUrl, allowInsecureHttp, u"token URL"_s); bad.isError())
        return bad;
    if (grant == GrantType::AuthorizationCode) {
        // The person signs in there: the same plain-http rule as for the token URL.
        error.endpoint = authorizationUrl;
        const QString authorizationScheme = authorizationUrl.scheme().toLower();
        if (authorizationUrl.isEmpty())
            return fail(OAuthError::Kind::Configuration, u"the authorization code grant needs the provider's authorization URL"_s);
        if (!authorizationUrl.isValid() || authorizationUrl.host().isEmpty()
            || (authorizationScheme != u"https"_s && authorizationScheme != u"http"_s))
            return fail(OAuthError::Kind::Configuration, u"the authorization URL \"%1\" is not an http(s) URL"_s.arg(authorizationUrl.toString()));
        if (authorizationScheme == u"http"_s && !allowInsecureHttp && !isLoopback(authorizationUrl))
            return fail(OAuthError::Kind::InsecureUrl,
                        u"refusing to send the browser to plain http at %1; the environment does not allow insecure http"_s.arg(authorizationUrl.host()));
        if (redirectPort < 0 || redirectPort > 65535)
            return fail(OAuthError::Kind::Configuration, u"the redirect port %1 is not a port (0 to 65535)"_s.arg(redirectPort));
        error.endpoint = tokenUrl;
    }
    if (grant == GrantType::DeviceCode) {
        if (deviceAuthorizationUrl.isEmpty())
            return fail(OAuthError::Kind::Configuration, u"the device grant needs the provider's device authorization URL"_s);
        if (const OAuthError bad = checkEndpointUrl(deviceAuthorizationUrl, allowInsecureHttp, u"device authorization URL"_s); bad.isError())
            return bad;
    }
    if (clientId.isEmpty())
        return fail(OAuthError::Kind::Configuration, u"the environment has no client ID"_s);
    if (Environment::usesClientSecret(clientAuth) && clientSecret.isEmpty())
        return fail(OAuthError::Kind::Configuration, u"no client secret is available for this environment"_s);
    if (clientAuth == ClientAuthStyle::PrivateKeyJwt) {
        if (privateKey.isEmpty())
            return fail(OAuthError::Kind::Configuration, u"private_key_jwt needs the client's private key, and none is available for this environment"_s);
        QString unusable;
        if (ClientAssertion::algorithmFor(privateKey.toUtf8(), &unusable).isEmpty())
            return fail(OAuthError::Kind::Configuration, u"private_key_jwt: %1"_s.arg(unusable));
    }
    // RFC 8705 §2: the certificate is the credential; without one the server can only refuse.
    if (Environment::usesClientCertificate(clientAuth) && clientCertificate.isEmpty())
        return fail(OAuthError::Kind::Configuration,
                    u"%1 authenticates the client with its TLS client certificate, and the environment has none"_s.arg(Environment::clientAuthName(clientAuth)));
    if (!clientCertificate.isEmpty() && clientKey.isEmpty())
        return fail(OAuthError::Kind::Configuration, u"the environment has a client certificate but its private key is not available"_s);
    if (refreshing && refreshToken.isEmpty())
        return fail(OAuthError::Kind::Configuration, u"no refresh token is held"_s);
    if (grant == GrantType::Password && !refreshing && (username.isEmpty() || password.isEmpty()))
        return fail(OAuthError::Kind::Configuration, u"the password grant needs a username and a password"_s);
    for (const auto &[name, value] : extraParams) {
        if (value.isEmpty())
            return fail(OAuthError::Kind::Configuration, u"the token parameter \"%1\" has no value"_s.arg(name));
    }
    return {};
}

QByteArray TokenRequest::formEncode(const QString &value)
{
    // Keep space out of the percent-encoding so it can become '+', as the form encoding says.
    QByteArray encoded = value.toUtf8().toPercentEncoding(" ");
    encoded.replace(' ', '+');
    return encoded;
}

QByteArray TokenRequest::formBody(const QList<QPair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[name, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += formEncode(name) + '=' + formEncode(value);
    }
    return body;
}

QByteArray TokenRequest::basicCredentials(const QString &id, const QString &secret)
{
    return "Basic " + (formEncode(id) + ':' + formEncode(secret)).toBase64();
}

QList<QPair<QString, QString>> TokenRequest::clientCredentialFields(const QString &assertion) const
{
    QList<QPair<QString, QString>> fields{{u"client_id"_s, clientId}};
    // A public client names itself and proves nothing (RFC 6749 §3.2.1); a mutual-TLS one
    // (RFC 8705 §2) names itself here and proves it with the certificate of the handshake.
    if (Environment::usesClientSecret(clientAuth))
        fields.append({u"client_secret"_s, clientSecret});
    if (clientAuth == ClientAuthStyle::PrivateKeyJwt) {
        fields.append({u"client_assertion_type"_s, ClientAssertion::assertionType()});
        fields.append({u"client_assertion"_s, assertion});
    }
    return fields;
}

QList<QPair<QString, QString>> TokenRequest::bodyFields(bool includeClientCredentials, const QString &assertion) const
{
    QList<QPair<QString, QString>> fields;
    if (refreshing) {
        // RFC 6749 §6: the refresh token carries the grant; the grant's own parameters stay home.
        fields.append({u"grant_type"_s, u"refresh_token"_s});
        fields.append({u"refresh_token"_s, refreshToken});
        if (includeClientCredentials)
            fields.append(clientCredentialFields(assertion));
        QStringList asked = scopes;
        QStringList issued = refreshScopes;
        asked.sort();
        issued.sort();
        // Leaving scope out means "as originally granted"; it is sent only to narrow them.
        if (!asked.isEmpty() && asked != issued)
            fields.append({u"scope"_s, scopeString(scopes)});
        return fields;
    }
    // RFC 8628 §3.1: the device authorization request names the client and the scope, no grant.
    if (!isDeviceAuthorizationStep())
        fields.append({u"grant_type"_s, grantTypeParameter(grant)});
    if (grant == GrantType::Password) {
        fields.append({u"username"_s, username});
        fields.append({u"password"_s, password});
    }
    const bool codeExchange = grant == GrantType::AuthorizationCode;
    if (codeExchange) {
        // RFC 6749 §4.1.3 and RFC 7636 §4.5; the scope went with the authorization request.
        fields.append({u"code"_s, authorizationCode});
        fields.append({u"redirect_uri"_s, redirectUri});
        fields.append({u"code_verifier"_s, codeVerifier});
    }
    const bool devicePoll = grant == GrantType::DeviceCode && !isDeviceAuthorizationStep();
    if (devicePoll)
        fields.append({u"device_code"_s, deviceCode});
    if (includeClientCredentials)
        fields.append(clientCredentialFields(assertion));
    // RFC 8628 §3.4: the scope and parameters went with the device authorization request.
    if (devicePoll)
        return fields;
    if (!scopes.isEmpty() && !codeExchange)
        fields.append({u"scope"_s, scopeString(scopes)});
    fields.append(extraParams);
    return fields;
}

HttpHeaders TokenRequest::headers() const
{
    HttpHeaders headers;
    headers.append("Accept", "application/json");
    headers.append("Content-Type", clientAuth == ClientAuthStyle::Json ? "application/json" : "application/x-www-form-urlencoded");
    if (clientAuth == ClientAuthStyle::Basic)
        headers.append("Authorization", basicCredentials(clientId, clientSecret));
    return headers;
}

PreparedRequest TokenRequest::prepared() const
{
    PreparedRequest prepared;
    prepared.method = "POST";
    prepared.url = endpoint();
    prepared.headers = headers();
    prepared.body = body();
    // The endpoint is the one origin the credentials are for.
    prepared.guard = OriginGuard(prepared.url);
    // A redirect would resend the credentials to wherever it points; it is reported instead.
    prepared.maxRedirects = 0;
    prepared.timeoutMs = timeoutMs;
    prepared.extraCaPem = trustedCertificates;
    // The client certificate is for the token endpoint, as the credentials are.
    prepared.clientCertificate = clientCertificate;
    prepared.clientKey = clientKey.toUtf8();
    prepared.clientCertificateGuard = OriginGuard(tokenUrl);
    prepared.proxy = proxy;
    return prepared;
}

QString TokenRequest::freshAssertion() const
{
    if (clientAuth != ClientAuthStyle::PrivateKeyJwt)
        return {};
    // A new one for every request: the server refuses a jti it has seen (RFC 7523 §3). The
    // audience is the token endpoint, which RFC 7523 §3 lets every endpoint of the server accept.
    // validate() has checked the key; a key that still fails sends no assertion, and the
    // server's invalid_client says so.
    return ClientAssertion::create(clientId, tokenUrl, signingKeyId, privateKey.toUtf8(), QDateTime::currentSecsSinceEpoch()).assertion;
}

QByteArray TokenRequest::body() const
{
    const auto fields = bodyFields(clientAuth != ClientAuthStyle::Basic, freshAssertion());
    if (clientAuth == ClientAuthStyle::Json) {
        QJsonObject json;
        for (const auto &[name, value] : fields)
            json.insert(name, value);
        return QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    return formBody(fields);
}

QString TokenRequest::redactedTranscript() const
{
    QStringList lines;
    lines.append(u"POST %1"_s.arg(endpoint().toDisplayString(QUrl::RemoveUserInfo)));
    lines.append(u"Accept: application/json"_s);
    lines.append(clientAuth == ClientAuthStyle::Json ? u"Content-Type: application/json"_s
                                                     : u"Content-Type: application/x-www-form-urlencoded"_s);
    if (clientAuth == ClientAuthStyle::Basic)
        lines.append(u"Authorization: Basic "_s + mask);
    lines.append(QString());

    QList<QPair<QString, QString>> shown;
    for (auto [name, value] : bodyFields(clientAuth != ClientAuthStyle::Basic, mask)) {
        const bool isSecret = name == u"client_secret"_s || name == u"client_assertion"_s || name == u"password"_s || name == u"code"_s
                              || name == u"code_verifier"_s || name == u"device_code"_s
                              || name == u"refresh_token"_s || secretParamNames.contains(name);
        shown.append({name, isSecret ? mask : value});
    }
    if (clientAuth == ClientAuthStyle::Json) {
        QJsonObject json;
        for (const auto &[name, value] : shown)
            json.insert(name, value);
        lines.append(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
    } else {
        QStringList pairs;
        for (const auto &[name, value] : shown)
            pairs.append(name + u'=' + (value == mask ? mask : QString::fromLatin1(formEncode(value))));
        lines.append(pairs.join(u'&'));
    }
    return lines.join(u'\n');
}
