#pragma once

#include "workspace/Environment.h"
#include "workspace/Workspace.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

class KnownSecrets;

// A workspace's saved requests as a Postman Collection v2.1 that Postman and newman run against
// one environment. Neither runs Postman's own OAuth 2 helper headless (newman only sends a token
// it is given), so the collection's first request, "Get token", asks the environment's token
// endpoint for one with the environment's grant and client authentication — every value a
// collection variable — and its test script keeps the answer's access_token in the collection
// variable access_token; the collection's bearer auth sends it with every request to the API's
// origin, with the environment's context headers. Secrets are empty variables ({{client_secret}}
// filled by `newman --env-var client_secret=…` or a Postman environment) unless the caller
// passes them, which only an explicit request of the user may do.
class PostmanExport
{
public:
    // Values filled in only on the user's explicit request (export postman --include-secrets).
    struct Secrets
    {
        QString clientSecret;
        QString password;
        QList<QPair<QString, QString>> params; // secret token parameters by name
    };

    struct Result
    {
        QJsonObject collection;
        int requestCount = 0;  // saved requests exported (the token request not counted)
        QStringList skipped;   // saved requests left out, and why
        QStringList notes;     // what differs from how Tokenbench sends them
    };

    static constexpr QLatin1StringView SchemaUrl{"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"};
    static constexpr QLatin1StringView TokenRequestName{"Get token"};

    // known: the secrets of this session; a saved request holding one (or any credential) is left
    // out, never exported. secrets: null exports none.
    static Result build(const Workspace &workspace, const Environment &environment, const KnownSecrets *known,
                        const Secrets *secrets = nullptr);
    // The variable a secret token parameter's value goes in: "param_audience".
    static QString paramVariable(const QString &paramName);
};
