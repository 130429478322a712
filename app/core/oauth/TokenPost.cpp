#include "oauth/TokenPost.h"

#include "http/Exchange.h"
#include "http/ResponseLimit.h"
#include "secrets/KnownSecrets.h"
#include "util/Clock.h"

using namespace Qt::StringLiterals;

TokenPost::TokenPost(const TokenRequest &request, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_request(request)
    , m_clock(clock ? clock : Clock::system())
{
}

void TokenPost::start()
{
    cancel();
    // On libcurl rather than QNetworkAccessManager: Qt's HTTP thread reads a chunked body as
    // fast as it comes and holds it before the reply hears of it (a GB within seconds on
    // loopback), a read buffer size notwithstanding; curl hands each piece to the write
    // callback, which stops the transfer the moment the limit is passed.
    PreparedRequest prepared = m_request.prepared();
    prepared.maxResponseBytes = maxResponseBytes;
    m_exchange = new Exchange(this);
    Exchange *exchange = m_exchange;
    connect(exchange, &Exchange::finished, this, [this, exchange](const ExchangeResult &answer) {
        if (m_exchange == exchange)
            m_exchange = nullptr;
        exchange->deleteLater();
        Q_EMIT finished(interpret(answer, m_request, m_clock->now()));
    });
    exchange->start(prepared);
}

void TokenPost::cancel()
{
    if (!m_exchange)
        return;
    // Disconnect first: the exchange reports its cancellation at once, and nobody asked for it.
    Exchange *exchange = m_exchange;
    m_exchange = nullptr;
    exchange->disconnect(this);
    exchange->cancel();
    exchange->deleteLater();
}

TokenResult TokenPost::interpret(const ExchangeResult &answer, const TokenRequest &request, const QDateTime &now)
{
    // A proxy's or server's error page may echo the request: its secrets never reach an error text.
    KnownSecrets sent;
    sent.addTokenRequest(request);
    OAuthError error;
    error.endpoint = request.tokenUrl;
    error.httpStatus = answer.status;
    const auto fail = [&error, &sent](OAuthError::Kind kind, const QString &detail) {
        error.kind = kind;
        error.detail = detail;
        return TokenResult{std::nullopt, sent.mask(error)};
    };

    switch (answer.error) {
    case ExchangeResult::Error::None:
        break;
    case ExchangeResult::Error::Timeout:
        return fail(OAuthError::Kind::Timeout, u"%1 s"_s.arg(request.timeoutMs / 1000.0));
    case ExchangeResult::Error::Cancelled:
        return fail(OAuthError::Kind::Cancelled, {});
    case ExchangeResult::Error::Tls:
        return fail(OAuthError::Kind::Tls, answer.errorDetail);
    case ExchangeResult::Error::InvalidRequest:
        return fail(OAuthError::Kind::Configuration, answer.errorDetail);
    case ExchangeResult::Error::TooLarge:
        // Nothing of a cut answer is parsed: part of a token is no token.
        return fail(OAuthError::Kind::TooLarge, answer.tooLarge == ExchangeResult::TooLarge::Headers
                                                    ? u"%1 of headers"_s.arg(ResponseLimit::format(answer.sizeLimit))
                                                    : ResponseLimit::format(maxResponseBytes));
    case ExchangeResult::Error::Network:
        if (answer.status > 0) {
            // The answer began, then the connection broke (reset, closed before the announced
            // length): a transport failure, not a body to judge.
            return fail(OAuthError::Kind::Network,
                        u"the connection broke after %1 bytes of the answer (%2)"_s.arg(answer.body.size()).arg(answer.errorDetail));
        }
        return fail(OAuthError::Kind::Network, answer.errorDetail);
    }

    if (answer.status >= 300 && answer.status < 400) {
        const QByteArray location = answer.headers.value("Location").trimmed();
        return fail(OAuthError::Kind::Redirect,
                    location.isEmpty() ? u"(no Location)"_s
                                       : request.tokenUrl.resolved(QUrl::fromEncoded(location, QUrl::TolerantMode)).toDisplayString(QUrl::RemoveUserInfo));
    }
    // An HTTP error status still carries a body worth parsing (RFC 6749 §5.2).
    const QByteArray contentType = answer.headers.value("Content-Type");
    TokenResult result = TokenResponseParser::parse(answer.status, contentType, answer.body, request.tokenUrl, request.scopes, now);
    if (result.error.isError()) {
        // Masked before the excerpt is cut from it, so no beginning of a secret is left at the cut.
        result = TokenResponseParser::parse(answer.status, contentType, sent.mask(answer.body), request.tokenUrl, request.scopes, now);
        result.error = sent.mask(result.error);
    }
    return result;
}
