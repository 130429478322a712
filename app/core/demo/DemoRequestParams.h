#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

class QHttpServerRequest;

// How the Demo's OAuth endpoints read what a client sends: the parameters of a form or JSON body
// (RFC 6749 §3.1: a parameter without a value counts as omitted, none may appear twice).
class DemoRequestParams
{
public:
    // false with *problem (for invalid_request) when the body is neither, or breaks those rules.
    static bool read(const QHttpServerRequest &request, QHash<QString, QString> *params, QString *problem);
    // application/x-www-form-urlencoded decoding: '+' is a space, %XX are UTF-8 bytes. RFC 6749
    // §2.3.1 applies it to the client id and secret inside the Basic credentials too.
    static QString formDecode(QByteArray encoded);
    // The Content-Type without its parameters, lower case.
    static QByteArray mediaType(const QHttpServerRequest &request);
};
