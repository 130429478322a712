#pragma once

#include "request/ScopeMatch.h"
#include "util/UnknownFields.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// One request as the user composes it, before anything is resolved: {{variables}} are still
// templates, the URL may be relative to the environment's API base, and the headers the
// environment injects (Authorization, context headers) are not in it — only the per-request
// switches for them. A value: copy it, edit it, send it again.
struct RequestDraft
{
    // A query parameter or header row of the composer's tables.
    struct Row
    {
        QString name;
        QString value;        // may hold {{variables}}
        bool enabled = true;

        bool operator==(const Row &other) const = default;
    };

    // Switches one injected header for this request only: leave it out, or send another value.
    struct InjectionSwitch
    {
        QString headerName;            // "Authorization", "X-On-Behalf-Of"; case-insensitive
        bool disabled = false;
        std::optional<QString> value;  // replaces the injected value; may hold {{variables}}

        bool operator==(const InjectionSwitch &other) const = default;
    };

    // A field of a multipart/form-data body: text, or the content of a file.
    struct FormPart
    {
        QString name;          // may hold {{variables}}
        QString value;         // the text, or the file's path when isFile; may hold {{variables}}
        bool isFile = false;
        bool enabled = true;

        bool operator==(const FormPart &other) const = default;
    };

    QString method = QStringLiteral("GET");
    QString url;                       // absolute http(s) URL, or a path appended to the API base
    QList<Row> queryParams;
    QList<Row> headers;
    QByteArray body;                   // unused while formParts is not empty
    QList<FormPart> formParts;         // when not empty, the body is multipart/form-data made of these
    QString contentType;               // empty: the Content-Type header row, else a guess from the body
    bool expandBodyVariables = true;   // the body's and the form's {{variables}}; only valid UTF-8 bodies
    QStringList scopes;                // the scopes the token is asked for; empty: the environment's (unless noScopes)
    bool noScopes = false;             // explicitly no scope at all: a token asked for none (scopes is then ignored)
    // For the scopes named (or noScopes): reuse only a token asked for exactly them, or any that has
    // them. The environment's scopes always reuse any token that has them. See TokenScopes.
    ScopeMatch scopeMatch = ScopeMatch::Exact;
    QList<QPair<QString, QString>> extraVariables; // win over the environment's variables
    QList<InjectionSwitch> injectionSwitches;

    const InjectionSwitch *switchFor(const QString &headerName) const;
    // "a b", ["a", "b c"] → a b c, without duplicates, in the order given: how a scope list typed
    // or stored is read everywhere (TokenScopes, imports).
    static QStringList normalizedScopes(const QStringList &scopes);
    // Whether sending it reads files (an enabled file field of the form).
    bool readsFiles() const;

    // What the file format itself refuses (fromJson) and never writes (toJson): a literal
    // credential in an Authorization or Proxy-Authorization row, or a variable of the draft
    // feeding one. Empty when there is none. Saving refuses more — every credential header, secret
    // parameter and token-shaped or known secret value — in the secrets layer (CredentialScan),
    // which every path that stores or exports a draft calls.
    QString formatProblem() const;
    // Whether a credential header's value holds no credential: empty, or an optional scheme
    // followed by {{variables}} only.
    static bool isCredentialTemplate(const QString &value);
    // The {{names}} the credential header rows (OriginGuard::credentialHeaders) and the overrides of
    // injected credential headers use.
    QStringList credentialVariableNames() const;

    // The stored form ("multipart" for the form parts; "scopes": [] for noScopes, "scopeMatch":
    // "at-least" when not exact: a file part keeps its path, not its
    // content). The body is UTF-8 text when it is valid UTF-8, else base64 with
    // "bodyBase64": true. An Authorization override of the injection switches is never written
    // (only whether the header is switched off), and an Authorization row with a literal value is
    // written without it, as are the variables feeding Authorization: a caller who skipped the
    // check still stores no such credential. `unknown`: members a file held that this version does
    // not know (see fromJson), written back.
    QJsonObject toJson(const UnknownFields *unknown = nullptr) const;
    // Refuses what toJson() never writes (a literal credential in an Authorization or
    // Proxy-Authorization row, or a variable of the draft feeding one) and fields of the wrong
    // type, naming them by their path under `path` (JsonFieldReader). Members it does not know go
    // to *unknown when given, else are ignored. What only saving refuses (CredentialScan) still
    // reads, so a file an older version wrote opens and is written back as it was.
    static std::optional<RequestDraft> fromJson(const QJsonObject &json, QString *error, UnknownFields *unknown = nullptr,
                                                const QString &path = {});

    // The history's form: like toJson(), but nothing is left out — credential header rows,
    // the variables they use and an Authorization override keep their values — because the
    // history must replay exactly what was sent. The caller masks credentials first (HistoryStore
    // does, through the Redactor, unless the user opted in to keeping them).
    QJsonObject toHistoryJson() const;
    // Reads toHistoryJson(); refuses only malformed fields.
    static std::optional<RequestDraft> fromHistoryJson(const QJsonObject &json, QString *error);

    bool operator==(const RequestDraft &other) const = default;
};
