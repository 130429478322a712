#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

// What one Exchange ended with: the final answer (status, headers, body, timings, where it
// came from and through which redirects), or why there was none.
struct ExchangeResult
{
    enum class Error {
        None,
        InvalidRequest, // nothing was sent: not an http(s) URL, …
        Network,        // refused, DNS, reset, …
        Tls,            // certificate or handshake problems; never ignored
        Timeout,
        Cancelled,
        TooLarge,       // the answer passed a size limit (see tooLarge); its transfer was stopped
    };
    enum class TooLarge { None, Headers, Body };

    // One redirect that was followed.
    struct Hop
    {
        int status = 0;
        QUrl from;
        QUrl to;
        QByteArray method;                  // the method of the request that was redirected
        QByteArray nextMethod;              // 303 (and 301/302 after POST) turn it into GET
        QList<QByteArray> strippedHeaders;  // credentials not carried to the next origin
        bool clientCertificateWithheld = false; // the client certificate not presented to the next origin
    };

    Error error = Error::None;
    QString errorDetail;

    int status = 0;
    QByteArray reason;
    QByteArray httpVersion;     // "HTTP/1.1", "HTTP/2"
    HttpHeaders headers;
    QByteArray body;
    QByteArray method;          // of the final request
    QUrl url;                   // the first request's URL
    QUrl finalUrl;
    QList<Hop> redirects;
    QString redirectNotFollowed; // why a final 3xx with a Location was not followed; empty otherwise
    QList<QByteArray> withheldHeaders; // guarded headers kept from the first hop's origin
    double totalMs = 0;         // from start() to the end, redirects included
    double headersMs = -1;      // until the final response's headers arrived
    // Error::TooLarge: which part passed its limit, and that limit in bytes (decoded, for the
    // body). Status, headers and the body up to the limit are kept as they came.
    TooLarge tooLarge = TooLarge::None;
    qint64 sizeLimit = 0;

    bool answered() const { return error == Error::None && status > 0; }
    qint64 size() const { return body.size(); }
    static QString errorName(Error error);
    // One line for a failure without an answer; empty when answered.
    QString errorText() const;
};
