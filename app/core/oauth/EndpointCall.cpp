#include "oauth/EndpointCall.h"

#include "http/Exchange.h"
#include "http/ResponseLimit.h"
#include "oauth/TokenResponseParser.h"
#include "secrets/KnownSecrets.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>

using namespace Qt::StringLiterals;

EndpointCall::EndpointCall(QObject *parent)
    : QObject(parent)
{
}

void EndpointCall::start(const TokenRequest &client, const QUrl &endpoint, const QString &what, const QList<QPair<QString, QString>> &fields)
{
    KnownSecrets sent;
    sent.addTokenRequest(client);
    for (const auto &[name, value] : fields)
        sent.add(value, name);
    const auto report = [this, sent](Answer answer) {
        answer.error = sent.mask(answer.error);
        answer.body = sent.mask(answer.body);
        Q_EMIT finished(answer);
    };

    Answer refused;
    refused.error = TokenRequest::checkEndpointUrl(endpoint, client.allowInsecureHttp, what);
    if (!refused.error.isError() && client.clientId.isEmpty()) {
        refused.error.kind = OAuthError::Kind::Configuration;
        refused.error.detail = u"the environment has no client ID"_s;
    }
    if (refused.error.isError()) {
        // Reported from the event loop, as an answer would be, so callers can connect first.
        QMetaObject::invokeMethod(this, [report, refused] { report(refused); }, Qt::QueuedConnection);
        return;
    }

    PreparedRequest prepared = client.endpointRequest(endpoint, fields);
    prepared.maxResponseBytes = maxResponseBytes;
    auto *exchange = new Exchange(this);
    m_exchange = exchange;
    connect(exchange, &Exchange::finished, this, [this, exchange, endpoint, report, timeoutMs = client.timeoutMs](const ExchangeResult &result) {
        exchange->deleteLater();
        m_exchange = nullptr;
        Answer answer;
        answer.status = result.status;
        answer.body = result.body;
        OAuthError &error = answer.error;
        error.endpoint = endpoint;
        error.httpStatus = result.status;
        switch (result.error) {
        case ExchangeResult::Error::None:
            if (result.status >= 300 && result.status < 400) {
                error.kind = OAuthError::Kind::Redirect;
                error.detail = QString::fromUtf8(result.headers.value("Location"));
            }
            break;
        case ExchangeResult::Error::Timeout:
            error.kind = OAuthError::Kind::Timeout;
            error.detail = u"%1 s"_s.arg(timeoutMs / 1000.0);
            break;
        case ExchangeResult::Error::Cancelled:
            error.kind = OAuthError::Kind::Cancelled;
            break;
        case ExchangeResult::Error::Tls:
            error.kind = OAuthError::Kind::Tls;
            error.detail = result.errorDetail;
            break;
        case ExchangeResult::Error::InvalidRequest:
            error.kind = OAuthError::Kind::Configuration;
            error.detail = result.errorDetail;
            break;
        case ExchangeResult::Error::TooLarge:
            error.kind = OAuthError::Kind::TooLarge;
            error.detail = ResponseLimit::format(maxResponseBytes);
            answer.body.clear(); // part of an answer is no answer
            break;
        case ExchangeResult::Error::Network:
            error.kind = OAuthError::Kind::Network;
            error.detail = result.errorDetail;
            break;
        }
        report(answer);
    });
    exchange->start(prepared);
}

void EndpointCall::cancel()
{
    if (m_exchange)
        m_exchange->cancel();
}

OAuthError EndpointCall::errorFrom(const Answer &answer, const QUrl &endpoint)
{
    // The token endpoint's error format (RFC 6749 §5.2) is what RFC 7009 and RFC 7662 use too.
    TokenResult parsed = TokenResponseParser::parse(answer.status, {}, answer.body, endpoint, {}, {});
    if (parsed.error.isError())
        return parsed.error;
    OAuthError error;
    error.kind = OAuthError::Kind::Http;
    error.endpoint = endpoint;
    error.httpStatus = answer.status;
    error.excerpt = TokenResponseParser::excerpt(answer.body);
    return error;
}
