#pragma once

#include <QString>
#include <QStringList>

class KnownSecrets;
struct RequestDraft;

// Looks for credentials in a request as composed before it leaves memory for a file or the
// clipboard (a saved request, an export). A credential is, by name: a credential header row
// (Authorization, Cookie, API keys: OriginGuard's list) with anything but {{variables}}; a query
// parameter or form field named like a secret (the Redactor's field names) with a literal value;
// a variable of the request itself that feeds any of those, or an override of an injected
// credential header. By value: any known secret or token (KnownSecrets) in the URL, a query
// parameter, a header, a variable, the body or a form field, in any encoding, and any string
// shaped like a JWT.
class CredentialScan
{
public:
    // known: null checks names and token shapes only.
    explicit CredentialScan(const KnownSecrets *known = nullptr)
        : m_known(known)
    {
    }

    // Each finding names where it is and why: "header X-Api-Key: holds a credential",
    // "variable t (feeds Authorization)", "URL query access_token: holds a token-shaped string (a JWT)".
    QStringList findings(const RequestDraft &draft) const;
    // The first finding, or empty.
    QString problem(const RequestDraft &draft) const;
    // Why a draft must not be stored in a workspace file, which is meant to be shared, as a
    // refusal: what a scan without known secrets finds (credential headers with a literal, the
    // draft's variables feeding them, secret-named parameters, token-shaped strings) and what the
    // file format refuses. Empty when it can be stored. Callers that know the session's secrets
    // scan with them first.
    static QString storageProblem(const RequestDraft &draft);
    // A whole sentence for a refusal: what was found and what to do instead.
    static QString refusal(const QString &finding);

private:
    QString valueFinding(const QString &value) const;

    const KnownSecrets *m_known;
};
