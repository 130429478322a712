#pragma once

#include "http/CurlTransfer.h"
#include "http/ExchangeResult.h"
#include "http/ProxyRoute.h"
#include "http/PreparedRequest.h"
#include "http/ResponseReader.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class CurlMulti;
class QTimer;

// Sends one request through libcurl (the thread's CurlMulti, so connections are reused) and
// follows its redirects itself: curl is told never to follow one, and every hop is decided
// here — at most maxRedirects, 307/308 keep method and body, 303 (and 301/302 after POST)
// become GET, https never downgrades to http, and the guarded headers never reach an origin the
// guard does not trust. Certificates are always verified; a TLS failure is reported with curl's
// reason. An answer past the request's size limit (decoded bytes) is cut there and its transfer
// stopped at once: Error::TooLarge, with what came of it. Never blocks; finished() comes exactly
// once, always from the event loop.
class Exchange : public QObject, private CurlTransferClient
{
    Q_OBJECT

public:
    explicit Exchange(QObject *parent = nullptr);
    ~Exchange() override;

    // Starts the exchange; a running one is cancelled first.
    void start(const PreparedRequest &request);
    bool isRunning() const { return m_running; }
    const ExchangeResult &result() const { return m_result; }

    static QByteArray userAgent();

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void redirected(const ExchangeResult::Hop &hop);
    void uploadProgress(qint64 sent, qint64 total);
    void downloadProgress(qint64 received, qint64 total);
    void finished(const ExchangeResult &result);

private:
    bool transferHeaderLine(QByteArrayView line) override;
    bool transferData(QByteArrayView data) override;
    void transferProgress(qint64 received, qint64 receiveTotal, qint64 sent, qint64 sendTotal) override;
    void transferDone(CURLcode code, const QString &message) override;

    // Empty, or why the hop could not be put on the wire.
    QString sendHop();
    // Whether the answer was a redirect that was followed (a new hop is then on its way).
    bool followRedirect(int status);
    void fail(ExchangeResult::Error error, const QString &detail);
    void finish();
    void dropTransfer();

    std::shared_ptr<CurlMulti> m_curl; // null when libcurl cannot be loaded: every start says so
    QString m_curlError;
    CurlTransfer *m_transfer = nullptr;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    PreparedRequest m_request;
    // The hop being sent: method, URL, headers and body change along redirects.
    QByteArray m_method;
    QUrl m_url;
    HttpHeaders m_headers;
    QByteArray m_body;
    // The client certificate stays with the origins its guard trusts; once withheld, it stays so.
    bool m_certificateWithheld = false;
    ProxyRoute m_route; // the hop's way there, from m_request.proxy
    // The answer of the hop being sent, as it arrives, within the request's size limits.
    ResponseReader m_hop;
    qint64 m_lastReceived = -1;
    qint64 m_lastSent = -1;
    bool m_running = false;
    int m_generation = 0; // a late queued report of an earlier start() is ignored
    ExchangeResult m_result;
};
