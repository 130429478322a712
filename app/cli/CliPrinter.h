#pragma once

#include "http/ApiCallResult.h"
#include "oauth/TokenRequest.h"
#include "oauth/AccessToken.h"
#include "jwt/IdTokenClaimsCheck.h"
#include "jwt/SignatureCheck.h"
#include "oauth/OAuthError.h"
#include "secrets/KnownSecrets.h"
#include "workspace/Environment.h"
#include "workspace/Workspace.h"

#include "ExpectedStatus.h"
#include "LargeJsonBody.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QTextStream>

#include <memory>

class TerminalSink;

// What `send --repeat N` did over all its runs.
struct RepeatSummary
{
    int requested = 0;              // N
    int count = 0;                  // runs done (fewer than N when a run could not be sent at all)
    QMap<QString, int> statuses;    // "200", "503", or the outcome of a run without an answer ("transport_failed")
    double totalMs = 0;
    double medianMs = 0;            // nearest rank, over every run's whole call (token fetches included)
    double p95Ms = 0;
    double maxMs = 0;
    int tokenRequests = 0;          // tokens fetched from the authorization server
    int exitCode = 0;               // the highest of the runs'
    QString stoppedBecause;         // why the runs stopped before N; empty when all ran

    // Nearest-rank percentile (0 < p <= 100) of sorted values.
    static double percentile(const QList<double> &sorted, double p);
    QString statusesText() const;   // "200 ×998, 503 ×2"
    QJsonObject toJson() const;
};

// Renders core values for a terminal or as JSON. Tokens are shown only when asked.
//
// Text reaches the terminal clean: stderr always, and stdout for everything but a response body
// sent to a pipe or file, goes through TerminalSink (TerminalText), so server text (an
// error_description, a 401 body, a header) cannot drive the terminal. A body piped or
// redirected stays byte for byte what the API sent: there it is data, not terminal output.
class CliPrinter
{
public:
    CliPrinter();
    ~CliPrinter();

    void setJson(bool json) { m_json = json; }
    // send: a failure in JSON carries "status": null too, as every object send prints has a status.
    void setStatusInFailures(bool on) { m_statusInFailures = on; }
    // Masked in every error message and excerpt printed (failure(), error()); the caller keeps it.
    void setKnownSecrets(const KnownSecrets *known) { m_known = known; }
    bool json() const { return m_json; }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    void environmentList(const QList<Environment> &environments);
    void environment(const Environment &environment);
    // signature: the access token's check against the issuer's JWKS; idTokenSignature and
    // idTokenClaims: the ID token's signature and claims (OpenID Connect Core §3.1.3.7), when
    // the response carried one.
    void token(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken,
               const SignatureCheck &signature = {}, const std::optional<SignatureCheck> &idTokenSignature = std::nullopt,
               const std::optional<IdTokenClaimsCheck> &idTokenClaims = std::nullopt);
    void error(const OAuthError &error);
    // A problem that is not an OAuth error (usage, workspace, keychain): one line, or {"error":…} in JSON mode.
    void failure(const QString &kind, const QString &message);
    void message(const QString &text);
    // What `send` did: in text, the body on stdout (with --include the status line and headers
    // first) and notes and the readout of a denial on stderr; in JSON, one object with all of it.
    // expected (send --expect-status): a status outside it is said on stderr, and in JSON
    // "expected_status" and "status_expected" are added.
    void apiCall(const Environment &environment, const ApiCallResult &result, bool include, bool verbose,
                 const ExpectedStatus *expected = nullptr);
    // `send --repeat`: the last run as apiCall() prints it, the summary on stderr (and in the JSON object).
    void repeatedApiCall(const Environment &environment, const ApiCallResult &last, const RepeatSummary &summary, bool include,
                         bool verbose, const ExpectedStatus *expected = nullptr);
    // send --verbose: the token request as `token --verbose` shows it (every secret as ••••), on stderr.
    void tokenRequest(const TokenRequest &request);
    // One row per request: name, method, URL, folder and the scopes the API documents it needs.
    void savedRequestList(const QList<SavedRequest> &requests);
    // A request's documented scopes as alternatives: "a b | c" (a and b, or c); "(no scope)" for
    // an alternative that needs none, "-" when nothing is documented.
    static QString requiredScopesText(const QList<ScopeRequirement> &alternatives);
    void savedRequest(const SavedRequest &request);
    // Bytes to stdout as they are when it is a pipe or a file (a response body is data, not text
    // to re-encode); on a terminal, as UTF-8 text cleaned by TerminalText.
    void writeRaw(const QByteArray &bytes);

    static QJsonObject tokenJson(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken);
    static QJsonObject errorJson(const OAuthError &error);
    // Never holds a credential: Authorization values are masked, the token's value is not in the result.
    // large: where a body over LargeJsonBody::threshold goes instead of the object (a
    // placeholder takes its place); without it, every body goes into the object.
    static QJsonObject apiCallJson(const Environment &environment, const ApiCallResult &result, const ExpectedStatus *expected = nullptr,
                                   LargeJsonBody *large = nullptr);
    // Whether standard output is a terminal (a body printed there gets a final line break).
    static bool stdoutIsTerminal();
    // The stored form, with id, name and folder.
    static QJsonObject savedRequestJson(const SavedRequest &request);
    // The indented JSON text printed for --json; no raw control character in it, see printJson().
    static QString jsonText(const QJsonObject &object);
    static QString formatTime(const QDateTime &utc);
    static QString formatDuration(qint64 seconds);

private:
    void printJson(const QJsonObject &object);
    void printJson(const QJsonObject &object, const LargeJsonBody &large);

    bool m_json = false;
    bool m_statusInFailures = false;
    bool m_stdoutIsTerminal;
    // Before the streams, so each stream flushes into its sink before the sink goes.
    std::unique_ptr<TerminalSink> m_outSink;
    std::unique_ptr<TerminalSink> m_errSink;
    const KnownSecrets *m_known = nullptr;
    QTextStream m_out;
    QTextStream m_err;
};
