#pragma once

#include "http/HttpHeaders.h"
#include "http/OriginGuard.h"
#include "http/ProxyPolicy.h"
#include "http/ResponseLimit.h"

#include <QByteArray>
#include <QList>
#include <QUrl>

// Exactly what goes on the wire for the first hop, plus what the Exchange needs to keep
// credentials where they belong on every later hop.
struct PreparedRequest
{
    QByteArray method = "GET";
    QUrl url;
    HttpHeaders headers;
    QByteArray body;
    OriginGuard guard;
    // Never sent to an origin the guard does not trust: Authorization, Cookie, the context headers.
    QList<QByteArray> guardedHeaders = OriginGuard::credentialHeaders();
    int timeoutMs = 30000;  // for the whole exchange, redirects included
    int maxRedirects = 5;
    // Decoded body bytes kept of the answer; past it the transfer stops (Error::TooLarge).
    qint64 maxResponseBytes = ResponseLimit::defaultBodyBytes;
    // PEM certificates trusted besides the system's (a staging API behind a private CA).
    QByteArray extraCaPem;
    // Mutual TLS: the client certificate (PEM) and its private key (PEM), presented in the TLS
    // handshake only to an origin clientCertificateGuard trusts (the environment's token endpoint
    // or API), never to a redirect's other origin. Both empty: no client certificate.
    QByteArray clientCertificate;
    QByteArray clientKey;
    OriginGuard clientCertificateGuard;
    // The proxy decision, asked again on every hop (a redirect may lead to a no-proxy host).
    // An environment's requests take ProxyPolicy::forEnvironment; anything else the app's.
    ProxyPolicy proxy = ProxyPolicy::application();
};
