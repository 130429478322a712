#include "http/Exchange.h"

#include "http/CurlMulti.h"

#include "BuildInfo.h"

#include <QMetaObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
bool isTlsFailure(CURLcode code)
{
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CLIENTCERT:
        return true;
    default:
        return false;
    }
}

// TLS 1.3 checks a client certificate after the client's half of the handshake: a server that
// wants one (or refuses the one it got) says so with an alert when the answer is read, which curl
// reports as a receive error ("tlsv13 alert certificate required"). A TLS failure all the same.
bool isTlsAlert(CURLcode code, const QString &message)
{
    return (code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) && message.contains(u"SSL"_s) && message.contains(u" alert "_s);
}

// A header line goes on the wire as one line: a CR, LF or NUL inside would start another.
bool isOneLine(const QByteArray &text)
{
    return !text.contains('\r') && !text.contains('\n') && !text.contains('\0');
}

// Milliseconds to a hundredth: loopback answers take well under one.
double elapsedMs(const QElapsedTimer &clock)
{
    return std::round(clock.nsecsElapsed() / 10000.0) / 100.0;
}

// The headers that describe a body; a redirect that turns the request into a GET drops them
// with the body (Fetch standard, "request-body-header name").
const QList<QByteArray> &bodyHeaders()
{
    static const QList<QByteArray> names = {"Content-Type", "Content-Length", "Content-Encoding", "Content-Language", "Content-Location"};
    return names;
}
} // namespace

Exchange::Exchange(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_curl = CurlMulti::forCurrentThread(&m_curlError);
    // Our own timer rather than curl's: it covers every hop, and a timeout stays
    // distinguishable from a cancel.
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        dropTransfer();
        fail(ExchangeResult::Error::Timeout, tr("%1 s").arg(m_request.timeoutMs / 1000.0));
    });
}

Exchange::~Exchange()
{
    dropTransfer();
}

QByteArray Exchange::userAgent()
{
    return "Tokenbench/"_ba + BuildInfo::version;
}

void Exchange::start(const PreparedRequest &request)
{
    if (m_running) {
        const int before = m_generation;
        cancel();
        // A slot of that cancellation's finished() started another request: it stands.
        if (m_generation != before)
            return;
    }
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
    m_certificateWithheld = !request.clientCertificate.isEmpty() && !request.clientCertificateGuard.allows(m_url);
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
    for (const auto &[name, value] : m_headers.fields()) {
        if (invalid.isEmpty() && (name.isEmpty() || !isOneLine(name) || name.contains(':') || !isOneLine(value)))
            invalid = tr("the header \"%1\" contains a line break or is not a valid name").arg(QString::fromLatin1(name.left(60)));
    }
    const auto failLater = [this, generation](const QString &why, ExchangeResult::Error error = ExchangeResult::Error::InvalidRequest) {
        // Reported from the event loop, as every other outcome, so callers can connect after start().
        QMetaObject::invokeMethod(this, [this, generation, why, error] {
            if (generation == m_generation && m_running)
                fail(error, why);
        }, Qt::QueuedConnection);
    };
    if (!invalid.isEmpty()) {
        failLater(invalid);
        return;
    }

    // The first hop too: guarded headers reach only a trusted origin, whoever put them in.
    if (!m_request.guard.allows(m_url)) {
        for (const QByteArray &name : m_request.guardedHeaders + OriginGuard::credentialHeaders()) {
            if (m_headers.remove(name) > 0 && !m_result.withheldHeaders.contains(name))
                m_result.withheldHeaders.append(name);
        }
    }
    if (!m_curl) {
        failLater(m_curlError, ExchangeResult::Error::Network); // nothing can go on the wire
        return;
    }
    m_timer->start(m_request.timeoutMs);
    const QString problem = sendHop();
    if (!problem.isEmpty())
        failLater(problem);
}

QString Exchange::sendHop()
{
    QList<QByteArray> lines;
    lines.reserve(m_headers.size() + 4);
    for (const auto &[name, value] : m_headers.fields())
        lines.append(value.isEmpty() ? name + ';' : name + ": " + value); // "Name;" is curl for an empty value
    if (!m_headers.contains("User-Agent"))
        lines.append("User-Agent: " + userAgent());
    // What the composer shows is what is sent: none of curl's own defaults.
    if (!m_headers.contains("Accept"))
        lines.append("Accept:");
    if (!m_headers.contains("Expect"))
        lines.append("Expect:");
    if (!m_headers.contains("Content-Type"))
        lines.append("Content-Type:"); // curl would invent a form type for any POST, even an empty one

    if (!m_curl)
        return m_curlError;
    if (!m_request.proxy.problem().isEmpty())
        return m_request.proxy.problem(); // never straight to the server instead of the proxy asked for
    m_route = m_request.proxy.routeFor(m_url);
    auto *transfer = new CurlTransfer(this);
    QString problem = transfer->configure(m_method, m_url.toEncoded(), lines, m_body, m_request.extraCaPem);
    if (problem.isEmpty() && !m_request.clientCertificate.isEmpty() && !m_certificateWithheld)
        problem = transfer->setClientCertificate(m_request.clientCertificate, m_request.clientKey);
    if (problem.isEmpty())
        problem = transfer->setProxy(m_route);
    if (!problem.isEmpty()) {
        delete transfer;
        return problem;
    }
    m_transfer = transfer;
    m_hop.reset(m_request.maxResponseBytes, m_method == "HEAD");
    m_lastReceived = m_lastSent = -1;
    m_curl->start(transfer);
    return {};
}

bool Exchange::transferHeaderLine(QByteArrayView line)
{
    const bool wasDone = m_hop.headersDone();
    const bool more = m_hop.headerLine(line);
    if (!wasDone && m_hop.headersDone())
        m_result.headersMs = elapsedMs(m_clock);
    return more;
}

bool Exchange::transferData(QByteArrayView data)
{
    return m_hop.data(data);
}

void Exchange::transferProgress(qint64 received, qint64 receiveTotal, qint64 sent, qint64 sendTotal)
{
    // curl calls this often; the listeners hear only of change. Totals of 0 mean "not known".
    if (sendTotal > 0 && sent != m_lastSent) {
        m_lastSent = sent;
        const QPointer<Exchange> alive(this);
        Q_EMIT uploadProgress(sent, sendTotal);
        if (!alive || !m_running)
            return; // deleted or cancelled from a slot
    }
    if (received > 0 && received != m_lastReceived) {
        m_lastReceived = received;
        Q_EMIT downloadProgress(received, receiveTotal > 0 ? receiveTotal : -1);
    }
}

void Exchange::transferDone(CURLcode code, const QString &message)
{
    CurlTransfer *transfer = m_transfer;
    m_transfer = nullptr;
    if (m_curl)
        m_curl->release(transfer);
    if (!m_running)
        return;
    m_result.finalUrl = m_url;
    m_result.method = m_method;

    // A failure on the way through a proxy names it: "connection refused" alone would point at the server.
    QString detail = m_route.isDirect() || code == CURLE_OK ? message : tr("through %1: %2").arg(m_route.display(), message);
    if (isTlsFailure(code) || isTlsAlert(code, message)) {
        if (message.contains(u"alert certificate required"_s))
            detail += tr(" — the server demands a client certificate and none was presented");
        fail(ExchangeResult::Error::Tls, detail);
        return;
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
        fail(ExchangeResult::Error::Timeout, detail);
        return;
    }
    const ResponseReader::Overflow overflow = m_hop.overflow();
    if (m_hop.status() == 0 && overflow == ResponseReader::Overflow::None) {
        fail(ExchangeResult::Error::Network, detail);
        return;
    }
    if (code == CURLE_OK && m_hop.status() >= 300 && m_hop.status() < 400 && followRedirect(m_hop.status()))
        return;

    m_result.status = m_hop.status();
    m_result.reason = m_hop.reason();
    m_result.httpVersion = m_hop.version();
    m_result.headers = HttpHeaders(m_hop.fields());
    m_result.body = m_hop.takeBody();
    if (overflow != ResponseReader::Overflow::None) {
        // Stopped here, not by the network: what came is kept (status, headers, the body up to
        // the limit) and the answer is not taken for a whole one.
        m_result.tooLarge = overflow == ResponseReader::Overflow::Headers ? ExchangeResult::TooLarge::Headers : ExchangeResult::TooLarge::Body;
        m_result.sizeLimit = overflow == ResponseReader::Overflow::Headers ? ResponseLimit::headerBytes : m_hop.bodyLimit();
        fail(ExchangeResult::Error::TooLarge, {});
        return;
    }
    if (code != CURLE_OK) {
        // The status line came, the rest did not: a truncated answer is no answer.
        fail(ExchangeResult::Error::Network, tr("the connection failed after the status %1 arrived: %2").arg(m_hop.status()).arg(detail));
        return;
    }
    finish();
}

bool Exchange::followRedirect(int status)
{
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
        return false; // 300, 304, 305, …: an answer in their own right
    const QByteArray location = HttpHeaders(m_hop.fields()).value("Location").trimmed();
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
    // A 307/308 would carry the body (with whatever {{variables}} put in it) to an origin the
    // environment does not trust: not followed, the answer is shown instead.
    if (!m_request.guard.allows(target) && hop.nextMethod == m_method && !m_body.isEmpty())
        return stop(tr("the %1 would resend the request body to %2, an origin this environment does not trust")
                        .arg(status)
                        .arg(OriginGuard::originOf(target)));
    // The Host a user set was for the server that answered, not for the next one.
    if (!OriginGuard::sameOrigin(target, m_url))
        m_headers.remove("Host");
    // Credentials stay with the origins the environment trusts; once dropped they stay dropped.
    if (!m_request.guard.allows(target)) {
        for (const QByteArray &name : m_request.guardedHeaders + OriginGuard::credentialHeaders()) {
            if (m_headers.remove(name) > 0 && !hop.strippedHeaders.contains(name))
                hop.strippedHeaders.append(name);
        }
    }

    if (!m_request.clientCertificate.isEmpty() && !m_certificateWithheld && !m_request.clientCertificateGuard.allows(target)) {
        m_certificateWithheld = true;
        hop.clientCertificateWithheld = true;
    }

    m_result.redirects.append(hop);
    m_method = hop.nextMethod;
    m_url = target;
    const QPointer<Exchange> alive(this);
    Q_EMIT redirected(hop);
    if (!alive || !m_running)
        return true; // deleted or cancelled from a slot
    const QString problem = sendHop();
    if (!problem.isEmpty())
        fail(ExchangeResult::Error::InvalidRequest, problem);
    return true;
}

void Exchange::cancel()
{
    if (!m_running)
        return;
    dropTransfer();
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
    dropTransfer();
    Q_EMIT finished(m_result);
}

void Exchange::dropTransfer()
{
    CurlTransfer *transfer = m_transfer;
    m_transfer = nullptr;
    if (m_curl)
        m_curl->release(transfer);
}
