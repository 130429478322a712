#include "oauth/TokenClient.h"

#include "http/ProxyPolicy.h"
#include "oauth/TokenFetch.h"
#include "secrets/KnownSecrets.h"
#include "util/Clock.h"

#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
QString limitText()
{
    return u"%1 MB"_s.arg(TokenClient::maxResponseBytes / (1024 * 1024));
}
} // namespace

TokenClient::TokenClient(QNetworkAccessManager *network, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock ? clock : Clock::system())
{
    // Qt would otherwise take a proxy from http_proxy/ALL_PROXY for any host but loopback and
    // hand it the client secret; API requests follow the same policy (CurlTransfer).
    ProxyPolicy::current().applyTo(m_network);
}

TokenFetch *TokenClient::fetch(const TokenRequest &request)
{
    auto *fetch = new TokenFetch(this);
    const OAuthError invalid = request.validate();
    if (invalid.isError()) {
        // Report on the next turn of the event loop so callers can connect first, as for a real request.
        QMetaObject::invokeMethod(fetch, [fetch, invalid] { fetch->finish({std::nullopt, invalid}); }, Qt::QueuedConnection);
        return fetch;
    }

    QNetworkRequest networkRequest = request.networkRequest();
    // Qt's own bomb check (a ratio test past 10 MB) ends a bomb as "Decompression failed" with
    // no body, which reads as an empty answer; the count below stops it sooner and says why.
    networkRequest.setDecompressedSafetyCheckThreshold(-1);
    QNetworkReply *reply = m_network->post(networkRequest, request.body());
    fetch->m_reply = reply;

    // Our own timer rather than setTransferTimeout so a timeout is told apart from a cancel.
    auto *timer = new QTimer(fetch);
    timer->setSingleShot(true);
    fetch->m_timer = timer;
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, fetch, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(request.timeoutMs);

    // The body is read as it comes, in decoded bytes (Qt unpacks gzip, deflate, br and zstd on
    // its own), and the transfer stopped the moment it passes the limit: an endless body or a
    // decompression bomb costs no more than that. No read buffer size: Qt would then hand over
    // 64 KB per turn while its own socket buffer, which it does not bound, kept filling.
    auto body = std::make_shared<QByteArray>();
    auto tooLarge = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::readyRead, fetch, [reply, body, tooLarge] {
        while (reply->bytesAvailable() > 0 && !*tooLarge) {
            body->append(reply->read(std::min<qint64>(reply->bytesAvailable(), maxResponseBytes + 1 - body->size())));
            if (body->size() > maxResponseBytes) {
                *tooLarge = true;
                body->clear();
                reply->abort(); // finished() comes from here, at once
            }
        }
    });

    auto sslProblems = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, fetch, [sslProblems](const QList<QSslError> &errors) {
        // Never ignoreSslErrors(): collect the reasons so the user learns why nothing was sent.
        for (const auto &e : errors)
            sslProblems->append(e.errorString());
    });

    // On https, a connection that failed after it was made but before it was encrypted failed in
    // the TLS handshake, whatever error code the backend picked for it.
    auto encrypted = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::encrypted, fetch, [encrypted] { *encrypted = true; });

    const QUrl endpoint = request.tokenUrl;
    const QStringList scopes = request.scopes;
    // A proxy's or server's error page may echo the request: its secrets never reach an error text.
    KnownSecrets sent;
    sent.addTokenRequest(request);
    connect(reply, &QNetworkReply::finished, fetch, [this, fetch, reply, endpoint, scopes, timedOut, sslProblems, encrypted, sent, body, tooLarge,
                                                     timeoutMs = request.timeoutMs] {
        reply->deleteLater();
        fetch->m_reply = nullptr;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkReply::NetworkError netError = reply->error();

        OAuthError error;
        error.endpoint = endpoint;
        error.httpStatus = status;
        if (*timedOut) {
            error.kind = OAuthError::Kind::Timeout;
            error.detail = u"%1 s"_s.arg(timeoutMs / 1000.0);
            fetch->finish({std::nullopt, error});
            return;
        }
        if (*tooLarge) {
            error.kind = OAuthError::Kind::TooLarge;
            error.detail = limitText();
            fetch->finish({std::nullopt, error});
            return;
        }
        const bool beforeEncryption = endpoint.scheme() == u"https"_s && !*encrypted && status == 0
            && (netError == QNetworkReply::RemoteHostClosedError || netError == QNetworkReply::UnknownNetworkError
                || netError == QNetworkReply::ProtocolFailure);
        if (!sslProblems->isEmpty() || netError == QNetworkReply::SslHandshakeFailedError || beforeEncryption) {
            error.kind = OAuthError::Kind::Tls;
            error.detail = sslProblems->isEmpty() ? reply->errorString() : sslProblems->join(u"; "_s);
            fetch->finish({std::nullopt, error});
            return;
        }
        if (status == 0) {
            // No HTTP answer at all: the transport failed.
            error.kind = netError == QNetworkReply::OperationCanceledError ? OAuthError::Kind::Cancelled : OAuthError::Kind::Network;
            error.detail = reply->errorString();
            fetch->finish({std::nullopt, error});
            return;
        }
        if (netError > QNetworkReply::NoError && netError < QNetworkReply::ProxyConnectionRefusedError) {
            // The answer began, then the connection broke (reset, closed before the announced
            // length): a transport failure, not a body to judge.
            error.kind = OAuthError::Kind::Network;
            error.detail = u"the connection broke after %1 bytes of the answer (%2)"_s.arg(body->size()).arg(reply->errorString());
            fetch->finish({std::nullopt, error});
            return;
        }
        if (status >= 300 && status < 400) {
            error.kind = OAuthError::Kind::Redirect;
            const QUrl target = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
            error.detail = target.isEmpty() ? u"(no Location)"_s : endpoint.resolved(target).toDisplayString(QUrl::RemoveUserInfo);
            fetch->finish({std::nullopt, error});
            return;
        }
        // An HTTP error status still carries a body worth parsing (RFC 6749 §5.2).
        body->append(reply->read(maxResponseBytes + 1 - body->size()));
        if (body->size() > maxResponseBytes) {
            error.kind = OAuthError::Kind::TooLarge;
            error.detail = limitText();
            fetch->finish({std::nullopt, error});
            return;
        }
        const QByteArray contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        TokenResult result = TokenResponseParser::parse(status, contentType, *body, endpoint, scopes, m_clock->now());
        if (result.error.isError()) {
            // Masked before the excerpt is cut from it, so no beginning of a secret is left at the cut.
            result = TokenResponseParser::parse(status, contentType, sent.mask(*body), endpoint, scopes, m_clock->now());
            result.error = sent.mask(result.error);
        }
        fetch->finish(result);
    });
    return fetch;
}
