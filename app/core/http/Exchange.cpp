#include "http/Exchange.h"

#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <QTimer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// QNetworkReply's own codes for "the transport failed", as opposed to the codes it derives
// from an HTTP error status (2xx and 4xx ranges), which still mean the server answered.
bool isTransportError(QNetworkReply::NetworkError error)
{
    // ProtocolInvalidOperationError is how QNetworkReply labels a plain "400 Bad Request": an
    // answer like any other 4xx, not a broken connection.
    if (error == QNetworkReply::ProtocolInvalidOperationError)
        return false;
    const int code = static_cast<int>(error);
    return (code >= 1 && code < 200) || (code >= 300 && code < 400);
}

// The headers that describe a body; a redirect that turns the request into a GET drops them
// with the body (Fetch standard, "request-body-header name").
// Milliseconds to a hundredth: loopback answers take well under one.
double elapsedMs(const QElapsedTimer &clock)
{
    return std::round(clock.nsecsElapsed() / 10000.0) / 100.0;
}

const QList<QByteArray> &bodyHeaders()
{
    static const QList<QByteArray> names = {"Content-Type", "Content-Length", "Content-Encoding", "Content-Language", "Content-Location"};
    return names;
}
} // namespace

Exchange::Exchange(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_timer(new QTimer(this))
{
    // Our own timer rather than setTransferTimeout: it covers every hop, and a timeout stays
    // distinguishable from a cancel.
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort(); // finished() follows synchronously and reports the timeout
        else if (m_running)
            fail(ExchangeResult::Error::Timeout, tr("%1 s").arg(m_request.timeoutMs / 1000.0));
    });
}

Exchange::~Exchange()
{
    dropReply();
}

QByteArray Exchange::userAgent()
{
    return "Tokenbench/"_ba + TOKENBENCH_VERSION;
}

void Exchange::start(const PreparedRequest &request)
{
    if (m_running)
        cancel();
    const int generation = ++m_generation;
    m_request = request;
    m_result = {};
    m_result.url = request.url;
    m_result.method = request.method;
    m_result.finalUrl = request.url;
    m_method = request.method;
    m_url = request.url;
    m_url.setFragment({}); // the fragment is the client's; it never goes on the wire
    m_headers = request.headers;
    m_body = request.body;
    m_timedOut = false;
    m_running = true;
    m_clock.start();

    const QString scheme = m_url.scheme().toLower();
    QString invalid;
    if (m_method.isEmpty())
        invalid = tr("no method");
    else if (!m_url.isValid() || m_url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        invalid = tr("\"%1\" is not an http(s) URL").arg(m_url.toDisplayString(QUrl::RemoveUserInfo));
    else if (!m_url.userInfo().isEmpty())
        invalid = tr("the URL contains a user name or password; credentials never go into a URL");
    if (!invalid.isEmpty()) {
        // Reported from the event loop, as every other outcome, so callers can connect after start().
        QMetaObject::invokeMethod(this, [this, generation, invalid] {
            if (generation == m_generation && m_running)
                fail(ExchangeResult::Error::InvalidRequest, invalid);
        }, Qt::QueuedConnection);
        return;
    }

    // The first hop too: guarded headers reach only a trusted origin, whoever put them in.
    if (!m_request.guard.allows(m_url)) {
        for (const QByteArray &name : m_request.guardedHeaders + OriginGuard::credentialHeaders()) {
            if (m_headers.remove(name) > 0 && !m_result.withheldHeaders.contains(name))
                m_result.withheldHeaders.append(name);
        }
    }
    m_timer->start(m_request.timeoutMs);
    sendHop();
}

void Exchange::sendHop()
{
    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    // Never let the manager add credentials it cached for the host from somewhere else.
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    QList<QByteArray> done;
    for (const auto &[name, value] : m_headers.fields()) {
        Q_UNUSED(value)
        const QByteArray lower = name.toLower();
        if (done.contains(lower))
            continue;
        done.append(lower);
        request.setRawHeader(name, m_headers.value(name)); // repeats joined with ", " (RFC 9110 §5.3)
    }
    if (!m_headers.contains("User-Agent"))
        request.setRawHeader("User-Agent", userAgent());

    QNetworkReply *reply = nullptr;
    if (m_method == "GET" && m_body.isEmpty())
        reply = m_network->get(request);
    else if (m_method == "HEAD" && m_body.isEmpty())
        reply = m_network->head(request);
    else
        reply = m_network->sendCustomRequest(request, m_method, m_body);
    m_reply = reply;
    m_sslProblems.clear();
    m_encrypted = false;

    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Never ignoreSslErrors(): collect the reasons so the user learns why nothing was sent.
        for (const auto &error : errors)
            m_sslProblems.append(error.errorString());
    });
    connect(reply, &QNetworkReply::encrypted, this, [this] { m_encrypted = true; });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this] { m_result.headersMs = elapsedMs(m_clock); });
    connect(reply, &QNetworkReply::uploadProgress, this, &Exchange::uploadProgress);
    connect(reply, &QNetworkReply::downloadProgress, this, &Exchange::downloadProgress);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
}

void Exchange::onReplyFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError netError = reply->error();
    m_result.finalUrl = m_url;
    m_result.method = m_method;

    if (m_timedOut) {
        fail(ExchangeResult::Error::Timeout, tr("%1 s").arg(m_request.timeoutMs / 1000.0));
        return;
    }
    // On https, a connection that failed after it was made but before it was encrypted failed
    // in the TLS handshake, whatever error code the backend picked for it.
    const bool beforeEncryption = m_url.scheme().toLower() == u"https"_s && !m_encrypted && status == 0
        && (netError == QNetworkReply::RemoteHostClosedError || netError == QNetworkReply::UnknownNetworkError
            || netError == QNetworkReply::ProtocolFailure);
    if (!m_sslProblems.isEmpty() || netError == QNetworkReply::SslHandshakeFailedError || beforeEncryption) {
        fail(ExchangeResult::Error::Tls, m_sslProblems.isEmpty() ? reply->errorString() : m_sslProblems.join(u"; "_s));
        return;
    }
    if (status == 0) {
        fail(netError == QNetworkReply::OperationCanceledError ? ExchangeResult::Error::Cancelled : ExchangeResult::Error::Network,
             reply->errorString());
        return;
    }
    if (status >= 300 && status < 400 && followRedirect(reply, status))
        return;

    m_result.status = status;
    m_result.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    m_result.httpVersion = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? "HTTP/2"_ba : "HTTP/1.1"_ba;
    m_result.headers = HttpHeaders(reply->rawHeaderPairs());
    m_result.body = reply->readAll();
    if (isTransportError(netError)) {
        // The status line came, the rest did not: a truncated answer is no answer.
        fail(ExchangeResult::Error::Network,
             tr("the connection failed after the status %1 arrived: %2").arg(status).arg(reply->errorString()));
        return;
    }
    finish();
}

bool Exchange::followRedirect(QNetworkReply *reply, int status)
{
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
        return false; // 300, 304, 305, …: an answer in their own right
    const QByteArray location = reply->rawHeader("Location").trimmed();
    const auto stop = [this](const QString &why) {
        m_result.redirectNotFollowed = why;
        return false;
    };
    if (location.isEmpty())
        return stop(tr("the %1 answer has no Location").arg(status));
    QUrl target = m_url.resolved(QUrl::fromEncoded(location, QUrl::TolerantMode));
    const QString scheme = target.scheme().toLower();
    if (!target.isValid() || target.host().isEmpty())
        return stop(tr("the Location \"%1\" is not a valid URL").arg(QString::fromLatin1(location.left(200))));
    if (scheme != u"http"_s && scheme != u"https"_s)
        return stop(tr("the Location leads to %1:, not http(s)").arg(scheme));
    if (m_url.scheme().toLower() == u"https"_s && scheme == u"http"_s)
        return stop(tr("the redirect would downgrade https to plain http (%1)").arg(target.toDisplayString(QUrl::RemoveUserInfo)));
    if (!target.userInfo().isEmpty())
        return stop(tr("the Location carries a user name or password"));
    if (m_result.redirects.size() >= m_request.maxRedirects)
        return stop(tr("more than %1 redirects").arg(m_request.maxRedirects));
    target.setFragment({});

    ExchangeResult::Hop hop;
    hop.status = status;
    hop.from = m_url;
    hop.to = target;
    hop.method = m_method;
    // RFC 9110 §15.4: 307/308 keep method and body; 303 asks for a GET; 301/302 turn POST into
    // GET as every browser does.
    hop.nextMethod = m_method;
    if ((status == 303 && m_method != "HEAD") || ((status == 301 || status == 302) && m_method == "POST"))
        hop.nextMethod = "GET";
    if (hop.nextMethod != m_method) {
        m_body.clear();
        for (const QByteArray &name : bodyHeaders())
            m_headers.remove(name);
    }
    // Credentials stay with the origins the environment trusts; once dropped they stay dropped.
    if (!m_request.guard.allows(target)) {
        for (const QByteArray &name : m_request.guardedHeaders + OriginGuard::credentialHeaders()) {
            if (m_headers.remove(name) > 0 && !hop.strippedHeaders.contains(name))
                hop.strippedHeaders.append(name);
        }
    }

    m_result.redirects.append(hop);
    m_method = hop.nextMethod;
    m_url = target;
    Q_EMIT redirected(hop);
    if (!m_running)
        return true; // cancelled from a slot
    sendHop();
    return true;
}

void Exchange::cancel()
{
    if (!m_running)
        return;
    dropReply();
    fail(ExchangeResult::Error::Cancelled, {});
}

void Exchange::fail(ExchangeResult::Error error, const QString &detail)
{
    m_result.error = error;
    m_result.errorDetail = detail;
    finish();
}

void Exchange::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer->stop();
    m_result.totalMs = elapsedMs(m_clock);
    dropReply();
    Q_EMIT finished(m_result);
}

void Exchange::dropReply()
{
    if (!m_reply)
        return;
    // Disconnect first: abort() emits finished() synchronously and the outcome is already decided.
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}
