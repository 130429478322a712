#include "oauth/AuthorizationCodeGrant.h"

#include "oauth/AuthorizationRequestFlow.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"

#include <QDateTime>
#include <QHostAddress>
#include <QMetaObject>
#include <QOAuthHttpServerReplyHandler>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {
const QString closePage = u" You can close this page and return to Tokenbench."_s;

// Qt 6.4's handler hands the query's values over half-decoded (QUrlQuery's PrettyDecoded:
// "%3A" and "%25" kept, '+' not a space): decoded here as a form field is (WHATWG urlencoded).
QString formValue(const QVariantMap &values, const QString &name)
{
    QString value = values.value(name).toString();
    value.replace(u'+', u' ');
    return QUrl::fromPercentEncoding(value.toUtf8());
}
} // namespace

AuthorizationCodeGrant::AuthorizationCodeGrant(const TokenRequest &request, TokenClient *client, TokenFetch *fetch)
    : QObject(fetch)
    , m_request(request)
    , m_client(client)
    , m_fetch(fetch)
    , m_pkce(Pkce::generate())
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        OAuthError error;
        error.kind = OAuthError::Kind::Timeout;
        error.endpoint = m_request.authorizationUrl;
        error.detail = u"no answer from the browser within %1 s of opening the authorization page"_s.arg(m_request.interactionTimeoutMs / 1000);
        fail(error, {});
    });
    // However the fetch ends (cancelled, timed out, done), the port is closed at once.
    connect(fetch, &TokenFetch::finished, this, &AuthorizationCodeGrant::stop);
}

AuthorizationCodeGrant::~AuthorizationCodeGrant() = default;

bool AuthorizationCodeGrant::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 AuthorizationCodeGrant::port() const
{
    return m_listener ? m_listener->port() : 0;
}

void AuthorizationCodeGrant::start()
{
    // Loopback only (RFC 8252 §7.3, §8.3): Qt's default would listen on every interface.
    m_listener = new QOAuthHttpServerReplyHandler(QHostAddress(QHostAddress::LocalHost), quint16(m_request.redirectPort), this);
    if (!m_listener->isListening()) {
        OAuthError error;
        error.kind = OAuthError::Kind::Configuration;
        error.endpoint = m_request.authorizationUrl;
        error.detail = u"cannot listen on 127.0.0.1:%1 for the browser's redirect (is the port in use?)"_s.arg(m_request.redirectPort);
        QMetaObject::invokeMethod(this, [this, error] { fail(error, {}); }, Qt::QueuedConnection);
        return;
    }
    m_listener->setCallbackPath(QString::fromLatin1(callbackPath));

    m_flow = new AuthorizationRequestFlow(this);
    m_flow->setReplyHandler(m_listener);
    m_flow->setAuthorizationUrl(m_request.authorizationUrl);
    m_flow->setAccessTokenUrl(m_request.tokenUrl);
    m_flow->setClientIdentifier(m_request.clientId);
    m_flow->setScope(m_request.scopes.join(u' '));
    // Qt 6.4 draws the state from a time-seeded mt19937; this one is from the system's CSPRNG.
    m_flow->setState(QString::fromLatin1(Pkce::randomToken()));
    const QByteArray challenge = m_pkce.challenge;
    // Qt replaces the authorization URL's query: one it has (a tenant, a policy) is kept here.
    QList<QPair<QString, QString>> extraParams = QUrlQuery(m_request.authorizationUrl).queryItems(QUrl::FullyDecoded);
    extraParams += m_request.extraParams;
    // A nonce of the environment's own parameters is the one to expect back; else a fresh one.
    QString nonce;
    for (const auto &[name, value] : std::as_const(extraParams)) {
        if (name == u"nonce"_s)
            m_nonce = value;
    }
    if (m_nonce.isEmpty() && m_request.scopes.contains(u"openid"_s)) {
        m_nonce = QString::fromLatin1(Pkce::randomToken());
        nonce = m_nonce;
    }
    const QStringList secretNames = m_request.secretParamNames;
    m_flow->setModifyParametersFunction([challenge, nonce, extraParams, secretNames](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *parameters) {
        if (stage != QAbstractOAuth::Stage::RequestingAuthorization)
            return;
        // Qt 6.4 has no PKCE (it came in 6.8): the hook adds it.
        parameters->insert(u"code_challenge"_s, QString::fromLatin1(challenge));
        parameters->insert(u"code_challenge_method"_s, QString::fromLatin1(Pkce::method));
        if (!nonce.isEmpty())
            parameters->insert(u"nonce"_s, nonce);
        // The environment's parameters (audience, resource, prompt…) go with the authorization
        // request too; a secret one only to the token endpoint, never into a URL.
        for (const auto &[name, value] : extraParams) {
            if (!secretNames.contains(name))
                parameters->insert(name, value);
        }
        // QUrlQuery keeps '+' as it is (a space to the server) and leaves '%' sequences alone:
        // every value goes percent-encoded, so an id or scope with '+', '%' or '&' arrives as typed.
        for (auto it = parameters->begin(); it != parameters->end(); ++it)
            it.value() = QString::fromLatin1(QUrl::toPercentEncoding(it.value().toString()));
    });
    connect(m_flow, &QAbstractOAuth2::authorizationCallbackReceived, this, &AuthorizationCodeGrant::onCallback);
    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) {
        m_request.redirectUri = m_listener->callback();
        GrantInteraction interaction;
        interaction.kind = GrantInteraction::Kind::OpenBrowser;
        interaction.url = url;
        interaction.expiresAt = QDateTime::currentDateTimeUtc().addMSecs(m_request.interactionTimeoutMs);
        m_deadline.start(m_request.interactionTimeoutMs);
        m_fetch->requireInteraction(interaction);
    });
    m_flow->grant();
}

void AuthorizationCodeGrant::onCallback(const QVariantMap &values)
{
    // A second request to the callback (a reload, a stray tab) changes nothing.
    if (m_answered || m_fetch->isFinished())
        return;
    m_answered = true;
    OAuthError error;
    error.endpoint = m_request.authorizationUrl;
    const auto refuse = [&error](OAuthError::Kind kind, const QString &detail) {
        error.kind = kind;
        error.detail = detail;
        return error;
    };

    // The state first: a redirect this grant did not ask for is no answer to it, error or not (RFC 6749 §10.12).
    const QString state = formValue(values, u"state"_s);
    if (state.isEmpty() || state != m_flow->state()) {
        fail(refuse(OAuthError::Kind::Protocol, state.isEmpty() ? u"the redirect carries no state; the code was not used"_s
                                                                 : u"the redirect's state does not match the authorization request's; the code was not used"_s),
             u"This answer does not belong to the authorization Tokenbench started; it was ignored."_s);
        return;
    }
    // RFC 9207: the issuer that answered must be the one asked (a mix-up attack otherwise).
    const QString iss = formValue(values, u"iss"_s);
    if (!iss.isEmpty() && !m_request.issuer.isEmpty() && iss != m_request.issuer.toString()) {
        fail(refuse(OAuthError::Kind::Protocol, u"the redirect's issuer (iss) is %1, not the environment's issuer %2; the code was not used"_s.arg(iss, m_request.issuer.toString())),
             u"The answer came from another authorization server than the environment's; it was not used."_s);
        return;
    }
    const QString code = formValue(values, u"code"_s);
    const QString errorCode = formValue(values, u"error"_s);
    if (!errorCode.isEmpty() || code.isEmpty()) {
        error.code = errorCode;
        error.description = formValue(values, u"error_description"_s);
        error.uri = formValue(values, u"error_uri"_s);
        if (errorCode.isEmpty())
            fail(refuse(OAuthError::Kind::InvalidResponse, u"the redirect carries neither a code nor an error"_s), u"The answer carried no authorization code."_s);
        else
            fail(refuse(OAuthError::Kind::Protocol, {}), u"The authorization was not granted (%1)."_s.arg(errorCode));
        return;
    }

    m_listener->setCallbackText((u"Tokenbench has the authorization and is getting the token."_s + closePage).toHtmlEscaped());
    stop();
    TokenRequest exchange = m_request;
    exchange.authorizationCode = code;
    exchange.codeVerifier = QString::fromLatin1(m_pkce.verifier);
    TokenPost *post = m_client->post(exchange, m_fetch);
    connect(post, &TokenPost::finished, this, &AuthorizationCodeGrant::onExchanged);
}

void AuthorizationCodeGrant::onExchanged(const TokenResult &result)
{
    TokenResult exchanged = result;
    if (exchanged.ok())
        exchanged.token->idTokenNonce = m_nonce;
    m_fetch->finish(exchanged);
}

void AuthorizationCodeGrant::fail(const OAuthError &error, const QString &page)
{
    stop();
    if (!m_listener || page.isEmpty()) {
        m_fetch->finish({std::nullopt, error});
        return;
    }
    // Qt writes the page after callbackReceived() returns: what it says is set here. Its
    // connection dies with the listener, which dies with the fetch (and the CLI exits when the
    // fetch finishes): the refusal is reported a moment later, once the browser has its page.
    m_listener->setCallbackText((page + closePage).toHtmlEscaped());
    QTimer::singleShot(pageGraceMs, this, [this, error] { m_fetch->finish({std::nullopt, error}); });
}

void AuthorizationCodeGrant::stop()
{
    m_deadline.stop();
    if (m_listener)
        m_listener->close();
}
