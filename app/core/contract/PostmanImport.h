#pragma once

#include "contract/ImportPlan.h"

#include <QByteArray>
#include <QString>

#include <optional>

// A Postman Collection (v2.1, and v2.0's object-shaped auth) as an ImportPlan: every request, in
// its folders ("Accounts/Invoices"), becomes a saved request; each oauth2 auth Tokenbench can
// speak (client credentials, password; at collection, folder or request level, inherited as
// Postman does: the request's, else its folder's, else the collection's; "noauth" and "inherit"
// understood) becomes an environment with the collection's variables; bearer auth is the
// environment's token. Nothing is run (pre-request and test scripts are listed as skipped) and no
// secret is kept: a client secret, password, token or secret-named variable with a value is
// reported so the user puts it in the keychain. A hostile or malformed collection — not JSON,
// not a collection, deeper than MaxDepth folders, more than MaxItems items, larger than
// MaxBytes — is refused with a message, in bounded time and memory.
class PostmanImport
{
public:
    static constexpr qsizetype MaxBytes = 32 * 1024 * 1024;
    static constexpr int MaxDepth = 32;       // nested folders
    static constexpr int MaxItems = 20000;    // folders and requests together
    static constexpr int MaxVariables = 5000; // collection and environment variables together

    // The collection's bytes. nullopt with *error when it cannot be imported.
    static std::optional<ImportPlan> read(const QByteArray &collection, QString *error);
    // A Postman environment file (its "values") adds its variables to every environment of the
    // plan (an environment's value wins over the collection's); secret ones are reported, not kept.
    static bool addEnvironmentFile(const QByteArray &environmentFile, ImportPlan *plan, QString *error);
};
