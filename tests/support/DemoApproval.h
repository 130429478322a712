#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

// What a person does on the Demo API's own pages, for tests: the consent page of its
// authorization endpoint (Approve or Deny, then the redirect to the app's loopback callback) and
// its device verification page (the user code, Approve or Deny). Loopback only, never a proxy.
class DemoApproval
{
public:
    DemoApproval();

    struct Answer
    {
        int status = 0;
        QByteArray body;
        QUrl location; // a redirect's Location, resolved against the request's URL
    };

    // One GET (form null) or form POST, redirects not followed, waited for with the event loop turning.
    Answer http(const QUrl &url, const QByteArray &form = {});

    // The consent page's hidden fields, submitted with the button decision ("approve" or "deny").
    static QByteArray consentForm(const QByteArray &page, const QString &decision);
    // Opens the authorization URL and submits its consent page with decision; the answer is the
    // endpoint's redirect (302) unless the page was refused.
    Answer decideConsent(const QUrl &authorizationUrl, const QString &decision);
    // Approve, then the redirect followed to the loopback callback, which must say it is done.
    bool approveInBrowser(const QUrl &authorizationUrl);

    // Posts the user code to the device verification page with decision; the HTTP status.
    int decideDevice(const QUrl &verificationPage, const QString &userCode, const QString &decision);
    bool approveDevice(const QUrl &verificationPage, const QString &userCode);

private:
    QNetworkAccessManager m_network;
};
