#include "http/ApiCall.h"

#include "http/Exchange.h"
#include "http/HeaderInjector.h"
#include "http/ProductionGuard.h"
#include "http/RequestBuilder.h"
#include "http/TokenSource.h"
#include "oauth/TokenRequest.h"
#include "util/Clock.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace {
QString names(const QList<QByteArray> &list)
{
    QStringList out;
    for (const QByteArray &name : list)
        out.append(QString::fromLatin1(name));
    return out.join(u", "_s);
}

// What a result may hold of a token: everything but the credential itself.
AccessToken withoutValue(AccessToken token)
{
    token.value.clear();
    token.refreshToken.clear();
    return token;
}

HttpHeaders masked(const HttpHeaders &headers)
{
    HttpHeaders out;
    for (const auto &[name, value] : headers.fields()) {
        const bool secret = HttpHeaders::sameName(name, "Authorization") || HttpHeaders::sameName(name, "Proxy-Authorization");
        out.append(name, secret ? InjectedHeader::maskAuthorization(value).toUtf8() : value);
    }
    return out;
}
} // namespace

ApiCall::ApiCall(TokenSource *tokens, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_exchange(new Exchange(this))
{
    connect(m_exchange, &Exchange::finished, this, &ApiCall::onExchangeFinished);
    connect(m_exchange, &Exchange::redirected, this, &ApiCall::redirected);
    connect(m_exchange, &Exchange::uploadProgress, this, &ApiCall::uploadProgress);
    connect(m_exchange, &Exchange::downloadProgress, this, &ApiCall::downloadProgress);
}

ApiCall::~ApiCall() = default;

QStringList ApiCall::neededScopes(const RequestDraft &draft, const Environment &environment)
{
    return TokenScopes::forRequest(draft, environment).scopes;
}

void ApiCall::start(const Environment &environment, const RequestDraft &draft, const Options &options)
{
    if (m_running)
        cancel();
    ++m_generation;
    m_running = true;
    m_token.reset();
    m_result = {};
    // The build depends on nothing but these three, and it expands templates and parses URLs:
    // sending the same request again (send --repeat, a resend) reuses it — unless it read files,
    // which are read again as they are now.
    if (!m_prepared || draft.readsFiles() || !(options == m_options) || !(draft == m_draft) || !(environment == m_environment)) {
        m_environment = environment;
        m_draft = draft;
        m_options = options;
        m_scopes = TokenScopes::forRequest(draft, environment);
        m_guard = OriginGuard(environment.apiBaseUrl, options.trustedOrigins);
        m_uploads = {};
        if (draft.readsFiles()) {
            // Described first: a file goes to an origin the environment does not trust only with
            // consent, and until then it is not even opened.
            m_built = RequestBuilder::build(draft, environment, RequestBuilder::Files::Describe);
            m_uploads = FileUploadConsent::forRequest(m_built, m_guard, options.confirmedUploads);
        }
        if (!m_uploads.needed())
            m_built = RequestBuilder::build(draft, environment);
        m_needsToken = m_built.ok() && HeaderInjector::needsToken(draft, m_built, m_guard);
        m_prepared = true;
    }
    m_result.scopes = m_scopes.scopes;
    m_result.scopeMatch = m_scopes.match;

    if (!m_built.ok()) {
        stopLater(ApiCallResult::Outcome::NotSent, m_built.allProblems());
        return;
    }
    m_result.request.method = m_built.method;
    m_result.request.url = m_built.url;
    if (m_uploads.needed()) {
        m_result.uploadConsent = m_uploads;
        stopLater(ApiCallResult::Outcome::NeedsUploadConsent);
        return;
    }
    if (ProductionGuard::needsConfirmation(environment, QString::fromLatin1(m_built.method)) && !options.productionConfirmed) {
        m_result.confirmation = ProductionGuard::confirmationText(environment, QString::fromLatin1(m_built.method), m_built.url);
        stopLater(ApiCallResult::Outcome::NeedsConfirmation);
        return;
    }
    // The token is as good as a password while it lives: like the client secret, it crosses the
    // network only encrypted, loopback and an explicit profile switch aside.
    if (m_guard.allows(m_built.url) && m_built.url.scheme().toLower() == u"http"_s && !environment.allowInsecureHttp
        && !TokenRequest::isLoopback(m_built.url)) {
        stopLater(ApiCallResult::Outcome::Refused,
                  {tr("refusing to send the access token over plain http to %1; use https, or allow insecure http for this environment")
                       .arg(m_built.url.host())});
        return;
    }

    if (!m_needsToken) {
        // Queued like every other path, so finished() never comes from inside start().
        const int generation = m_generation;
        QMetaObject::invokeMethod(this, [this, generation] {
            if (generation == m_generation && m_running)
                send(std::nullopt);
        }, Qt::QueuedConnection);
        return;
    }
    if (auto token = m_tokens->usableToken(m_scopes)) {
        // Sent at once, without a trip through the event loop (send --repeat pays it per request):
        // the exchange reports from the event loop and send() defers its own stops, so finished()
        // still never comes from inside start().
        send(token, true);
        return;
    }
    m_result.authorizedFirst = true;
    requestToken({});
}

void ApiCall::requestToken(const QString &rejected)
{
    const int generation = m_generation;
    Q_EMIT authorizing(m_result.scopes);
    m_tokens->obtainToken(m_scopes, rejected, this, [this, generation](const TokenResult &token) {
        if (generation == m_generation && m_running)
            onToken(token);
    });
}

void ApiCall::onToken(const TokenResult &token)
{
    if (!token.ok()) {
        m_result.tokenError = token.error;
        stop(token.error.kind == OAuthError::Kind::Cancelled ? ApiCallResult::Outcome::Cancelled : ApiCallResult::Outcome::TokenFailed);
        return;
    }
    send(token.token);
}

void ApiCall::send(const std::optional<AccessToken> &token, bool fromStart)
{
    const auto notSent = [this, fromStart](const QStringList &problems) {
        if (fromStart)
            stopLater(ApiCallResult::Outcome::NotSent, problems);
        else
            stop(ApiCallResult::Outcome::NotSent, problems);
    };
    m_token = token;
    const HeaderInjector::Plan plan = HeaderInjector::plan(m_environment, token, m_draft, m_built, m_guard);
    if (!plan.ok()) {
        BuiltRequest unresolved;
        unresolved.unresolved = plan.unresolved;
        unresolved.problems = plan.problems;
        notSent(unresolved.allProblems());
        return;
    }

    PreparedRequest request;
    request.method = m_built.method;
    request.url = m_built.url;
    request.headers = m_built.headers;
    HeaderInjector::apply(plan.headers, &request.headers);
    request.body = m_built.body;
    request.guard = m_guard;
    request.guardedHeaders = HeaderInjector::guardedHeaderNames(m_environment);
    request.timeoutMs = m_options.timeoutMs;
    request.maxRedirects = m_options.maxRedirects;
    request.maxResponseBytes = m_options.maxResponseBytes;
    request.extraCaPem = m_environment.trustedCertificates + m_options.extraCaPem;
    if (!m_environment.clientCertificate.isEmpty()) {
        // The environment's API origin only: not the origins trusted besides it, nor a redirect's.
        request.clientCertificate = m_environment.clientCertificate;
        request.clientKey = m_tokens->clientKey();
        request.clientCertificateGuard = OriginGuard(m_environment.apiBaseUrl);
        if (request.clientKey.isEmpty() && request.clientCertificateGuard.allows(request.url)) {
            notSent({tr("the environment's client certificate has no private key in this session; store it with the environment "
                        "(tokenbench-cli env set NAME --client-key FILE) and authorize first")});
            return;
        }
    }
    // The token request's rule, for the same environment.
    request.proxy = ProxyPolicy::forEnvironment(m_environment);

    if (token && OriginGuard::urlContains(request.url, token->value)) {
        notSent({tr("the access token appears in the URL; it is sent only in the Authorization header, never in a URL")});
        return;
    }

    m_result.tokenSent = false;
    m_result.injected = plan.headers;
    for (auto &header : m_result.injected) {
        if (header.secret && !header.value.isEmpty())
            header.value = InjectedHeader::maskAuthorization(header.value).toUtf8();
        if (header.secret && header.isSent() && !header.overridden && token)
            m_result.tokenSent = true;
    }
    m_result.token = token ? std::optional<AccessToken>(withoutValue(*token)) : std::nullopt;
    m_result.request = request;
    m_result.request.headers = masked(request.headers);

    m_exchangeGeneration = m_generation;
    Q_EMIT sending(request.url, m_result.reauthorizations + 1);
    m_exchange->start(request);
}

void ApiCall::onExchangeFinished(const ExchangeResult &exchange)
{
    if (m_exchangeGeneration != m_generation || !m_running)
        return;
    m_result.exchange = exchange;
    if (exchange.error != ExchangeResult::Error::None) {
        stop(exchange.error == ExchangeResult::Error::Cancelled ? ApiCallResult::Outcome::Cancelled : ApiCallResult::Outcome::TransportFailed);
        return;
    }
    m_result.readout = DenialReadout::explain(exchange, m_token, m_result.tokenSent, m_tokens->clock()->now());
    // A token the server turns down may just be stale (expired early, revoked, keys rotated):
    // one fresh token and one retry, never a loop.
    if (exchange.status == 401 && m_result.tokenSent && m_result.readout.tokenRejected() && m_result.reauthorizations == 0) {
        m_result.reauthorizations = 1;
        m_result.rejectedAttempt = exchange;
        m_result.notes.append(tr("the first attempt got %1; re-authorized once and sent again").arg(m_result.readout.summary));
        requestToken(m_token ? m_token->value : QString());
        return;
    }
    stop(ApiCallResult::Outcome::Answered);
}

void ApiCall::addNotes()
{
    for (const QString &warning : std::as_const(m_built.warnings))
        m_result.notes.append(warning);
    QList<QByteArray> withheld;
    for (const auto &header : std::as_const(m_result.injected)) {
        if (header.state == InjectedHeader::State::Withheld)
            withheld.append(header.name);
    }
    for (const QByteArray &name : std::as_const(m_result.exchange.withheldHeaders)) {
        if (!withheld.contains(name))
            withheld.append(name);
    }
    if (!withheld.isEmpty())
        m_result.notes.append(tr("not sent: %1 — %2").arg(names(withheld), m_guard.withheldReason(m_result.request.url)));
    for (const auto &hop : std::as_const(m_result.exchange.redirects)) {
        QString note = tr("%1 redirect to %2").arg(hop.status).arg(hop.to.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        if (hop.nextMethod != hop.method)
            note += tr(", followed as %1").arg(QString::fromLatin1(hop.nextMethod));
        if (!hop.strippedHeaders.isEmpty())
            note += tr("; %1 dropped: %2 is not the environment's API origin").arg(names(hop.strippedHeaders), OriginGuard::originOf(hop.to));
        if (hop.clientCertificateWithheld)
            note += tr("; the client certificate was not presented to %1").arg(OriginGuard::originOf(hop.to));
        m_result.notes.append(note);
    }
}

void ApiCall::stopLater(ApiCallResult::Outcome outcome, const QStringList &problems)
{
    const int generation = m_generation;
    QMetaObject::invokeMethod(this, [this, generation, outcome, problems] {
        if (generation == m_generation && m_running)
            stop(outcome, problems);
    }, Qt::QueuedConnection);
}

void ApiCall::stop(ApiCallResult::Outcome outcome, const QStringList &problems)
{
    m_result.outcome = outcome;
    m_result.problems += problems;
    finish();
}

void ApiCall::finish()
{
    if (!m_running)
        return;
    m_running = false;
    addNotes();
    KnownSecrets known = m_tokens->knownSecrets();
    if (m_token)
        known.addToken(*m_token);
    addDraftCredentials(&known);
    m_result.maskTexts(known);
    m_token.reset(); // the credential lives no longer than the call needs it
    if (m_draft.readsFiles()) {
        m_built = {}; // an upload's bytes are not kept once sent
        m_prepared = false;
    }
    Q_EMIT finished(m_result);
}

void ApiCall::addDraftCredentials(KnownSecrets *known) const
{
    // What the request itself puts in a credential header: a literal value, or the variables of the
    // request that feed one.
    const QStringList feeding = m_draft.credentialVariableNames();
    for (const auto &[name, value] : m_draft.extraVariables) {
        if (feeding.contains(name))
            known->add(value, tr("the variable %1").arg(name));
    }
    for (const auto &row : m_draft.headers) {
        if (!row.enabled || !OriginGuard::isCredentialHeader(row.name.toLatin1()) || RequestDraft::isCredentialTemplate(row.value))
            continue;
        const QString value = row.value.trimmed();
        known->add(value, tr("the %1 header").arg(row.name.trimmed()));
        // "Bearer abc": the credentials without their scheme, as a server would quote them.
        if (const qsizetype space = value.indexOf(u' '); space > 0)
            known->add(value.mid(space + 1).trimmed(), tr("the %1 header").arg(row.name.trimmed()));
    }
}

void ApiCall::cancel()
{
    if (!m_running)
        return;
    ++m_generation; // late answers of the token source or the exchange are now stale
    m_exchange->cancel();
    m_result.outcome = ApiCallResult::Outcome::Cancelled;
    finish();
}
