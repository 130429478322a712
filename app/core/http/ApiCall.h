#pragma once

#include "http/ApiCallResult.h"
#include "http/BuiltRequest.h"
#include "http/FileUploadConsent.h"
#include "http/OriginGuard.h"
#include "request/RequestDraft.h"
#include "http/ResponseLimit.h"
#include "oauth/TokenResponseParser.h"
#include "workspace/Environment.h"

#include <QList>
#include <QObject>
#include <QUrl>

#include <optional>

class Exchange;
class TokenSource;

// One request from draft to readout, the way the composer and `tokenbench-cli send` need it:
// build ({{variables}}, URL) → production guard → a token for the needed scopes (authorizing
// first when there is none) → inject Authorization and the context headers → origin guard →
// send (Exchange: manual redirects, timeout) → on a 401 that rejects the token, re-authorize once
// and send again → explain the answer (DenialReadout). Never blocks; finished() comes exactly
// once, never from inside start().
class ApiCall : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool productionConfirmed = false; // the user confirmed a state-changing request to production
        int timeoutMs = 30000;            // per attempt, redirects included
        int maxRedirects = 5;
        qint64 maxResponseBytes = ResponseLimit::defaultBodyBytes; // decoded bytes; past it: TransportFailed, Error::TooLarge
        QList<QUrl> trustedOrigins;       // besides the API base: origins the user trusts with the credentials
        QByteArray extraCaPem;            // PEM certificates trusted besides the system's
        // Absolute paths of local files the user agreed to send to an origin other than the
        // environment's API (FileUploadConsent); any other file is not read for such an origin.
        QStringList confirmedUploads;

        bool operator==(const Options &other) const = default;
    };

    explicit ApiCall(TokenSource *tokens, QObject *parent = nullptr);
    ~ApiCall() override;

    // environment as resolved for use (Authorizer::resolved for the built-in Demo). Starting the
    // same request again (equal environment, draft and options) reuses the request as built.
    void start(const Environment &environment, const RequestDraft &draft, const Options &options);
    void start(const Environment &environment, const RequestDraft &draft) { start(environment, draft, Options()); }
    bool isRunning() const { return m_running; }
    const ApiCallResult &result() const { return m_result; }

    // The draft's scopes, else the environment's (TokenScopes::forRequest(…).scopes).
    static QStringList neededScopes(const RequestDraft &draft, const Environment &environment);

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void authorizing(const QStringList &scopes);
    void sending(const QUrl &url, int attempt);
    void redirected(const ExchangeResult::Hop &hop);
    void uploadProgress(qint64 sent, qint64 total);
    void downloadProgress(qint64 received, qint64 total);
    void finished(const ApiCallResult &result);

private:
    void requestToken(const QString &rejected);
    void onToken(const TokenResult &token);
    // fromStart: called inside start(), so a call that ends before anything is sent ends from the event loop.
    void send(const std::optional<AccessToken> &token, bool fromStart = false);
    void onExchangeFinished(const ExchangeResult &exchange);
    void stop(ApiCallResult::Outcome outcome, const QStringList &problems = {});
    void stopLater(ApiCallResult::Outcome outcome, const QStringList &problems = {});
    void finish();
    void addDraftCredentials(KnownSecrets *known) const;
    void addNotes();

    TokenSource *m_tokens;
    Exchange *m_exchange;
    Environment m_environment;
    RequestDraft m_draft;
    Options m_options;
    BuiltRequest m_built;
    OriginGuard m_guard;
    FileUploadConsent m_uploads; // files m_built would send without consent: then it is only described
    TokenScopes m_scopes;
    bool m_needsToken = false;
    bool m_prepared = false; // m_built, m_guard, m_scopes and m_needsToken are for the members above
    std::optional<AccessToken> m_token; // with its value, for this call only
    bool m_running = false;
    int m_generation = 0;
    int m_exchangeGeneration = -1;
    ApiCallResult m_result;
};
