#pragma once

#include "oauth/OAuthError.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

// A device authorization endpoint's answer (RFC 8628 §3.2), or why there is none. The device
// code is a secret: it goes back to the token endpoint only, never into a message or a log.
struct DeviceAuthorization
{
    // RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default."
    static constexpr int defaultIntervalMs = 5000;
    // A server that asks for less is polled this often at most: a zero interval is no licence to spin.
    static constexpr int minimumIntervalMs = 50;

    QString deviceCode;
    QString userCode;
    QUrl verificationUri;
    QUrl verificationUriComplete; // may be empty
    QDateTime expiresAt;          // UTC
    int intervalMs = defaultIntervalMs;
    OAuthError error;

    bool ok() const { return !error.isError(); }

    // status, body: the endpoint's answer; endpoint: where it came from; now: when it came.
    // An error status or an "error" member is the server's OAuthError (RFC 8628 §3.2 refers to
    // RFC 6749 §5.2); a success without the four required members, with a verification URI
    // that is not http(s), or with nonsense times is Kind::InvalidResponse naming what is wrong.
    static DeviceAuthorization parse(int status, const QByteArray &contentType, const QByteArray &body, const QUrl &endpoint,
                                     const QDateTime &now);
};
