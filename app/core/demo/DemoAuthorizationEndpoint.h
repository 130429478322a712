#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

// The Demo API's authorization endpoint (RFC 6749 §4.1 with PKCE S256 required, RFC 7636), so
// the authorization code grant can be tried offline: GET /oauth/authorize shows a page with
// Approve and Deny (a plain form, so a script can approve it), POST /oauth/authorize redirects
// to the client's loopback redirect URI with a one-time code, the state and RFC 9207's iss (or
// error=access_denied). Only loopback redirect URIs are accepted. The token endpoint redeems a
// code with redeem(): once, for the same client and redirect URI, within 60 s, with the verifier.
class DemoAuthorizationEndpoint
{
public:
    struct Grant
    {
        QString clientId;
        QStringList scopes;
    };

    // issuer: the Demo's base URL (the iss of the redirect), asked each time (its port is known late).
    explicit DemoAuthorizationEndpoint(std::function<QUrl()> issuer);

    void registerRoutes(QHttpServer *server);
    // What the code was issued for; nullopt with *problem (for invalid_grant) otherwise.
    std::optional<Grant> redeem(const QString &code, const QString &clientId, const QString &redirectUri, const QString &verifier,
                                QString *problem);

private:
    struct Pending
    {
        Grant grant;
        QString redirectUri;
        QByteArray challenge;
        QDateTime expiresAt;
    };

    QHttpServerResponse authorize(const QHttpServerRequest &request);
    QHttpServerResponse decide(const QHttpServerRequest &request);

    std::function<QUrl()> m_issuer;
    QHash<QString, Pending> m_codes;
};
