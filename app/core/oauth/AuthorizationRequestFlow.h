#pragma once

#include <QOAuth2AuthorizationCodeFlow>

// Qt NetworkAuth's authorization code flow for the authorization request only. Qt 6.4's flow,
// once the redirect comes back, checks the state and posts the code through
// QNetworkAccessManager — without our size limit, trusted certificates, client-authentication
// styles or masking, and silently (a log line) on a state mismatch. This flow builds the
// authorization URL as Qt does (its state, scope, redirect URI from the reply handler, the
// parameter hook for PKCE) and emits authorizeWithBrowser(), but leaves the callback to whoever
// listens to authorizationCallbackReceived(): AuthorizationCodeGrant checks it and makes the
// exchange through TokenClient's direct POST.
class AuthorizationRequestFlow : public QOAuth2AuthorizationCodeFlow
{
    Q_OBJECT

public:
    explicit AuthorizationRequestFlow(QObject *parent = nullptr);

protected:
    // Qt's own connects its callback handler (which would request the token) here; this one does not.
    void resourceOwnerAuthorization(const QUrl &url, const QMultiMap<QString, QVariant> &parameters = {}) override;
};
