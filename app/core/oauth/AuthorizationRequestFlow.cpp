#include "oauth/AuthorizationRequestFlow.h"

AuthorizationRequestFlow::AuthorizationRequestFlow(QObject *parent)
    // No QNetworkAccessManager: nothing of this flow goes on the wire.
    : QOAuth2AuthorizationCodeFlow(static_cast<QNetworkAccessManager *>(nullptr), parent)
{
}

void AuthorizationRequestFlow::resourceOwnerAuthorization(const QUrl &url, const QMultiMap<QString, QVariant> &parameters)
{
    if (url != authorizationUrl())
        return;
    // buildAuthenticateUrl() forwards the reply handler's callbackReceived() as
    // authorizationCallbackReceived(); the grant takes it from there.
    Q_EMIT authorizeWithBrowser(buildAuthenticateUrl(parameters));
}
