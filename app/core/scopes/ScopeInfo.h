#pragma once

#include <QList>
#include <QString>

// What a scope string says about itself. Real APIs spell scopes many ways — Cybrid's
// "trades:read", Cymbio's "read:orders", "core.users:act-on-behalf-of", Cyclr's account-restricted
// scopes, Google's and Microsoft's URL scopes — and the picker groups them by resource and marks
// the ones that change things.
//
// Acting on behalf of a user ("core.users:act-on-behalf-of", "…:impersonate") is classified as
// Level::Execute with actsOnBehalfOf set: such a token can do whatever the user can, so least
// privilege treats it like the strongest scopes, and views explain it separately.
//
// URL scopes ("https://www.googleapis.com/auth/drive.readonly") get the host and the path up to
// the last segment as their resource ("www.googleapis.com/auth"), so one API's scopes share a
// group; the action is the last segment ("drive.readonly") and the level comes from its verb.
struct ScopeInfo
{
    enum class Level { Read, Write, Execute, Other };

    QString name;
    QString description;
    QString resource;   // "trades", "orders", "core.users", "account" …; empty when none can be told
    QString action;     // "read", "write", "execute", "act-on-behalf-of" …
    Level level = Level::Other;
    bool accountRestricted = false; // e.g. Cyclr's account:<id>
    bool known = true;              // false for free-text scopes the catalog did not list
    bool actsOnBehalfOf = false;    // the token may act as another user (always Level::Execute)
    QString restrictedTo;           // the account id of an account-restricted scope

    // Splits and classifies a scope string; the description is left empty.
    static ScopeInfo classify(const QString &name, const QString &description = {});
    // Write and execute scopes: the ones least privilege asks you to think twice about.
    bool isPrivileged() const { return level == Level::Write || level == Level::Execute; }
    // Translated, lower case: "read", "write", "execute", "other".
    static QString levelName(Level level);
    // Why a string cannot be sent as one scope (RFC 6749 §3.3: printable ASCII except space, '"'
    // and '\'), translated; empty when it can.
    static QString syntaxProblem(const QString &name);
};

using ScopeCatalog = QList<ScopeInfo>;
