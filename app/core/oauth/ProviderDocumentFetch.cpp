#include "oauth/ProviderDocumentFetch.h"

#include "http/Exchange.h"
#include "http/OriginGuard.h"
#include "http/PreparedRequest.h"
#include "http/ResponseLimit.h"

#include <QMetaObject>

using namespace Qt::StringLiterals;

ProviderDocumentFetch::ProviderDocumentFetch(QObject *parent)
    : QObject(parent)
{
}

void ProviderDocumentFetch::start(const QUrl &url, const QByteArray &trustedCertificates, int timeoutMs)
{
    m_origin = url;
    m_trustedCertificates = trustedCertificates;
    m_timeoutMs = timeoutMs;
    m_redirects = 0;
    m_finished = false;
    sendHop(url);
}

void ProviderDocumentFetch::cancel()
{
    if (m_exchange)
        m_exchange->cancel();
}

void ProviderDocumentFetch::sendHop(const QUrl &url)
{
    PreparedRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.append("Accept", "application/json");
    request.guard = OriginGuard(m_origin);
    // Each hop is decided here, where another origin can be refused before it is asked.
    request.maxRedirects = 0;
    request.timeoutMs = m_timeoutMs;
    request.maxResponseBytes = maxBytes;
    request.extraCaPem = m_trustedCertificates;
    if (m_proxy)
        request.proxy = *m_proxy;
    auto *exchange = new Exchange(this);
    m_exchange = exchange;
    connect(exchange, &Exchange::finished, this, [this, exchange](const ExchangeResult &answer) {
        exchange->deleteLater();
        m_exchange = nullptr;
        onAnswer(answer);
    });
    exchange->start(request);
}

void ProviderDocumentFetch::onAnswer(const ExchangeResult &answer)
{
    ProviderDocument document;
    document.url = answer.url;
    document.status = answer.status;
    document.contentType = answer.headers.value("Content-Type");
    document.cacheControl = answer.headers.value("Cache-Control");
    const QString where = answer.url.toDisplayString(QUrl::RemoveUserInfo);
    switch (answer.error) {
    case ExchangeResult::Error::None:
        break;
    case ExchangeResult::Error::TooLarge:
        document.failure = ProviderDocument::Failure::TooLarge;
        document.problem = answer.tooLarge == ExchangeResult::TooLarge::Headers
                               ? u"%1: the headers passed %2; stopped there"_s.arg(where, ResponseLimit::format(answer.sizeLimit))
                               : u"%1: the answer passed %2, far more than a metadata document or key set; stopped there"_s.arg(
                                     where, ResponseLimit::format(maxBytes));
        return finish(document);
    default:
        document.failure = ProviderDocument::Failure::Transport;
        document.problem = answer.errorText();
        return finish(document);
    }

    if (answer.status >= 300 && answer.status < 400) {
        const QByteArray location = answer.headers.value("Location").trimmed();
        const QUrl next = answer.url.resolved(QUrl::fromEncoded(location, QUrl::StrictMode));
        if (!location.isEmpty() && next.isValid() && OriginGuard::sameOrigin(next, m_origin) && m_redirects < maxSameOriginRedirects) {
            ++m_redirects;
            return sendHop(next);
        }
        document.failure = ProviderDocument::Failure::Redirect;
        document.problem = location.isEmpty() ? u"%1: HTTP %2 without a Location"_s.arg(where).arg(answer.status)
                           : OriginGuard::sameOrigin(next, m_origin)
                               ? u"%1: more than %2 redirects; not followed"_s.arg(where).arg(maxSameOriginRedirects)
                               : u"%1: HTTP %2 to another origin (%3); not followed: what another server says is not this one's"_s.arg(
                                     where).arg(answer.status).arg(next.toDisplayString(QUrl::RemoveUserInfo));
        return finish(document);
    }
    if (answer.status < 200 || answer.status >= 300) {
        document.failure = ProviderDocument::Failure::Status;
        document.problem = u"%1: HTTP %2"_s.arg(where).arg(answer.status);
        return finish(document);
    }
    document.body = answer.body;
    finish(document);
}

void ProviderDocumentFetch::finish(ProviderDocument document)
{
    if (m_finished)
        return;
    m_finished = true;
    if (document.url.isEmpty())
        document.url = m_origin;
    Q_EMIT finished(document);
}
