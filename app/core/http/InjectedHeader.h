#pragma once

#include <QByteArray>
#include <QString>

// A header the environment adds to a request — Authorization from the token, or a context
// header such as X-On-Behalf-Of — with where it came from and what became of it. The GUI shows
// these as marked rows of the headers table; the CLI prints them with --json/--verbose.
struct InjectedHeader
{
    enum class State {
        Sent,
        Disabled,                // switched off for this request
        ReplacedByRequestHeader, // the request has its own header of that name
        Withheld,                // the origin guard kept it from another origin
    };

    QByteArray name;
    QByteArray value;            // empty when not sent
    QString source;              // "token", "environment header X-On-Behalf-Of"
    State state = State::Sent;
    bool overridden = false;     // the value is the request's override, not the environment's
    bool secret = false;         // Authorization: never shown in clear

    bool isSent() const { return state == State::Sent; }
    // The value as it may be shown: the credential of Authorization masked as ••••.
    QString displayValue() const;
    static QString stateName(State state);
    static QString maskAuthorization(const QByteArray &value);
};
