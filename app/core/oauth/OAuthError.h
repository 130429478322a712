#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

// Why a token could not be had, as a value the CLI and the UI can show.
struct OAuthError
{
    enum class Kind {
        None,
        Configuration,   // the profile cannot make a valid request (no URL, no secret, …)
        InsecureUrl,     // plain http to a non-loopback host without the profile's consent
        Network,         // refused, DNS, reset, …
        Tls,             // certificate or handshake problems; never ignored
        Timeout,
        Cancelled,
        Redirect,        // the token endpoint redirected; not followed so credentials stay put
        Protocol,        // an RFC 6749 §5.2 error body
        Http,            // an error status without an RFC 6749 body (HTML page, text, …)
        InvalidResponse, // a success status whose body is not a usable token response
        TooLarge,        // the answer passed the size limit (detail: the limit) and was stopped there
    };

    Kind kind = Kind::None;
    QUrl endpoint;
    int httpStatus = 0;
    QString code;        // RFC 6749 "error"
    QString description; // RFC 6749 "error_description", verbatim
    QString uri;         // RFC 6749 "error_uri"
    QString detail;      // transport message, or what was wrong with the body
    QString excerpt;     // start of a non-JSON body, made printable

    bool isError() const { return kind != Kind::None; }
    // A plain-language hint: what this usually means and what to try.
    QString hint() const;
    // One line: the status, code and description as the server gave them.
    QString summary() const;
    // Of the requested scopes, those an invalid_scope error names in its description (all of them
    // when only one was requested: it cannot have been another); empty for any other error.
    QStringList refusedScopes(const QStringList &requested) const;
    static QString kindName(Kind kind);
    static QString hintForCode(const QString &code);
};
