#pragma once

#include "http/BuiltRequest.h"
#include "http/DenialReadout.h"
#include "http/ExchangeResult.h"
#include "http/FileUploadConsent.h"
#include "http/InjectedHeader.h"
#include "http/PreparedRequest.h"
#include "http/TokenScopes.h"
#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class KnownSecrets;

// Everything one ApiCall did, for the response view, the CLI and history. It never holds a
// credential: the Authorization value is masked and the token's value is dropped.
struct ApiCallResult
{
    enum class Outcome {
        Answered,          // the server answered (any status); see readout
        NotSent,           // the request could not be built; see problems
        Refused,           // sending would expose the token (plain http to a remote host); see problems
        NeedsConfirmation, // a state-changing request to production without confirmation; nothing sent
        NeedsUploadConsent,// local files would go to an origin the environment does not trust; none read, nothing sent
        TokenFailed,       // no token could be had; see tokenError
        TransportFailed,   // no answer: network, TLS, timeout; see exchange
        Cancelled,
    };

    Outcome outcome = Outcome::NotSent;
    QStringList problems;            // NotSent: one sentence each
    QString confirmation;            // NeedsConfirmation: what the user is asked to confirm
    FileUploadConsent uploadConsent; // NeedsUploadConsent: the files and where they would go
    QStringList scopes;              // the scopes the token was asked for
    TokenScopes::Match scopeMatch = TokenScopes::Match::Exact; // which held token could serve them
    std::optional<AccessToken> token;// the token that went with the last attempt, value dropped
    bool tokenSent = false;
    bool authorizedFirst = false;    // no usable token at the start: one was fetched
    int reauthorizations = 0;        // 0 or 1: a 401 for the token, a fresh one, one retry
    OAuthError tokenError;
    PreparedRequest request;         // the last attempt's first hop, Authorization masked
    QList<InjectedHeader> injected;  // Authorization masked
    ExchangeResult exchange;         // the last attempt
    std::optional<ExchangeResult> rejectedAttempt; // the 401 answer that led to the retry
    DenialReadout readout;
    QStringList notes;               // withheld and stripped credentials, retries, warnings

    bool answered() const { return outcome == Outcome::Answered; }
    // Masks the known secrets in every sentence meant for the user (problems, notes, the readout,
    // the token error, the transport error, the reason phrase): a server or proxy that echoes a
    // request must not get its credentials shown. The response itself (headers, body) is data and
    // stays as it came.
    void maskTexts(const KnownSecrets &known);
    static QString outcomeName(Outcome outcome);
};
