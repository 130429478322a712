#pragma once

#include "http/PreparedRequest.h"
#include "oauth/OAuthError.h"
#include "workspace/Environment.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

// Everything one token request needs, secrets included. Built from an Environment plus the
// secrets fetched for it; never persisted.
struct TokenRequest
{
    QUrl tokenUrl;
    GrantType grant = GrantType::ClientCredentials;
    ClientAuthStyle clientAuth = ClientAuthStyle::Basic;
    QString clientId;
    QString clientSecret;
    QString username;
    QString password;
    QStringList scopes;
    QList<QPair<QString, QString>> extraParams;
    QStringList secretParamNames; // which extraParams to mask in transcripts
    bool allowInsecureHttp = false;
    QByteArray trustedCertificates; // PEM, trusted besides the system's (Environment::trustedCertificates)
    int timeoutMs = 30000;
    // The environment's proxy decision (ProxyPolicy::forEnvironment), its password included once
    // the caller has it; the app's when the request names no environment.
    ProxyPolicy proxy = ProxyPolicy::application();

    // The authorization code grant (AuthorizationCodeGrant). Filled by fromEnvironment: where the
    // browser is sent, the issuer an RFC 9207 "iss" in the redirect must name (unchecked when
    // unknown), the loopback port (0: any free one), how long the person has.
    QUrl authorizationUrl;
    QUrl issuer;
    int redirectPort = 0;
    int interactionTimeoutMs = 5 * 60 * 1000;
    // Filled by the grant for its code exchange; the code and the verifier are secrets.
    QString authorizationCode;
    QString redirectUri;
    QString codeVerifier;
    // The device authorization grant (RFC 8628): where the device code is asked for (from the
    // environment's provider endpoints), and — once DeviceCodeGrant has it — the device code
    // itself, a secret masked like the client secret. Without a device code, prepared() is the
    // device authorization request; with one, the token request that polls for the token.
    QUrl deviceAuthorizationUrl;
    QString deviceCode;

    // private_key_jwt (RFC 7523 §2.2): the client's private key (PEM, from the keychain) signs a
    // fresh ClientAssertion for each request; signingKeyId is its kid (Environment::signingKeyId).
    QString privateKey;
    QString signingKeyId;
    // Mutual TLS: the client certificate (public PEM, Environment::clientCertificate) and its
    // private key (PEM, from the keychain), presented to the token endpoint only.
    QByteArray clientCertificate;
    QString clientKey;
    // Refresh (RFC 6749 §6). A refresh token held from an earlier answer: TokenClient::fetch
    // sends the refresh grant with it first and falls back to the grant itself, once, when the
    // server turns it down. refreshScopes are the scopes it was issued for (empty: not known),
    // so that "scope" is sent only to narrow them; wider scopes need the grant.
    QString refreshToken;
    QStringList refreshScopes;
    bool refreshing = false; // this request is the refresh grant itself (refreshGrant())
    // A refresh token is held and the scopes asked for are within the ones it was issued for.
    bool canRefresh() const;
    TokenRequest refreshGrant() const;
    TokenRequest withoutRefresh() const;

    static TokenRequest fromEnvironment(const Environment &environment);

    // Configuration problems and the plain-http rule; Kind::None when the request may be sent.
    OAuthError validate() const;
    static bool isLoopback(const QUrl &url);
    // grant_type as sent: the workspace's names, but RFC 8628 §3.4's URN for the device grant.
    static QString grantTypeParameter(GrantType grant);
    // The device grant's first step: asking the device authorization endpoint for a code.
    // Not the refresh of a device grant's token: that is a token endpoint POST like any refresh.
    bool isDeviceAuthorizationStep() const { return grant == GrantType::DeviceCode && deviceCode.isEmpty() && !refreshing; }
    // Where prepared() posts: the token URL, or the device authorization URL for that step.
    QUrl endpoint() const;
    // The token URL's rules for any endpoint credentials go to ("revocation URL", …).
    static OAuthError checkEndpointUrl(const QUrl &url, bool allowInsecureHttp, const QString &what);
    // A POST of these form fields to another endpoint of the authorization server (revocation,
    // introspection), the client authenticated as at the token endpoint; like prepared() otherwise.
    PreparedRequest endpointRequest(const QUrl &endpoint, const QList<QPair<QString, QString>> &fields) const;

    // The request as it goes on the wire (Exchange): POST to the token URL with its headers and
    // body, no redirect followed (it would carry the credentials wherever it points), the
    // environment's certificates trusted besides the system's, the request's timeout.
    PreparedRequest prepared() const;
    HttpHeaders headers() const;
    QByteArray body() const;
    // The same request as text with every secret shown as ••••, for --verbose and transcripts.
    QString redactedTranscript() const;

    // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64'd.
    static QByteArray basicCredentials(const QString &clientId, const QString &clientSecret);
    // application/x-www-form-urlencoded (WHATWG): space as '+', everything but unreserved percent-encoded as UTF-8.
    static QByteArray formEncode(const QString &value);
    static QByteArray formBody(const QList<QPair<QString, QString>> &fields);

private:
    // assertion: the client_assertion to send (private_key_jwt); the transcript passes a mask.
    QList<QPair<QString, QString>> bodyFields(bool includeClientCredentials, const QString &assertion = {}) const;
    // client_id, and the secret or the private_key_jwt assertion, for a body that carries them.
    QList<QPair<QString, QString>> clientCredentialFields(const QString &assertion) const;
    // A new private_key_jwt assertion (empty for other client authentication).
    QString freshAssertion() const;
};
