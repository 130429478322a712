#pragma once

#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class Exchange;

// One client-authenticated POST to an authorization server endpoint other than the token
// endpoint (revocation, introspection), on the token path's terms: Exchange on libcurl, no
// redirect followed, the environment's certificates, the answer stopped past 1 MB (decoded).
// Reports the answer, or the failure as an OAuthError with the request's secrets masked.
class EndpointCall : public QObject
{
    Q_OBJECT

public:
    struct Answer
    {
        OAuthError error; // a transport failure, a redirect, an oversized answer; Kind::None otherwise
        int status = 0;
        QByteArray body;  // with the request's secrets masked
    };

    static constexpr qint64 maxResponseBytes = qint64(1024) * 1024;

    explicit EndpointCall(QObject *parent = nullptr);

    // what names the endpoint in errors ("revocation URL"); the fields go in the form body.
    void start(const TokenRequest &client, const QUrl &endpoint, const QString &what, const QList<QPair<QString, QString>> &fields);
    void cancel();

    // An error answer's RFC 6749 §5.2 body, else the status and an excerpt.
    static OAuthError errorFrom(const Answer &answer, const QUrl &endpoint);

Q_SIGNALS:
    void finished(const EndpointCall::Answer &answer);

private:
    QPointer<Exchange> m_exchange;
};
