#pragma once

#include "request/RequestDraft.h"
#include "util/UnknownFields.h"
#include "workspace/ImportOrigin.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// One way of being allowed to call an operation: OpenAPI's security requirement object. The
// scopes are those of the OAuth 2 scheme named; an alternative with no scope (an empty scheme,
// or an OAuth 2 scheme with an empty list) means the operation may be called without any scope.
struct ScopeRequirement
{
    QString scheme;     // the security scheme's name in its document; empty when unknown
    QStringList scopes; // every one is needed (AND)

    bool operator==(const ScopeRequirement &other) const = default;
};

// A request the user keeps in the workspace to send again. Its draft never holds a credential:
// the workspace refuses what the file format refuses (RequestDraft::formatProblem), and every
// path that saves one scans it first (CredentialScan). The token comes from the environment it
// is sent with.
struct SavedRequest
{
    QString id;      // stable; survives renames
    QString name;    // unique in the workspace, case-insensitively, so the CLI can name it
    QString folder;  // a label to group requests by (an OpenAPI tag, a Postman folder); empty: top level
    QString summary; // what the operation does, as its document says; for people
    RequestDraft draft;
    // The scopes the API documents this request needs, as alternatives (OR of ANDs, like
    // OpenAPI's security): empty when nothing is documented. What the QA runner verifies, and
    // what "Try it" selects (the first alternative). The draft's own scopes are what its token
    // is asked for, which the user may change.
    QList<ScopeRequirement> requiredScopes;
    int successStatus = 0; // the status its document gives for success; 0: any 2xx
    ImportOrigin origin;   // empty when made by hand
    // Members of the file's entry and of its "request" (and that one's rows) this version does
    // not know: written back as they were.
    UnknownFields unknownFields;
    UnknownFields draftUnknownFields;

    // The workspace file's entry: {"id", "name", "folder"?, "summary"?, "request",
    // "requiredScopes"?: [{"scheme", "scopes": [...]}], "successStatus"?, "origin"?}.
    QJsonObject toJson() const;
    // Every member read with its type; a wrong one refused with its path (*error says which
    // request when its name could be read). Unknown members kept.
    static std::optional<SavedRequest> fromJson(JsonFieldReader &entry, QString *error);

    bool operator==(const SavedRequest &other) const = default;
};
