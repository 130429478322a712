#pragma once

#include "http/ExchangeResult.h"
#include "http/PreparedRequest.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// Sends one request on the shared QNetworkAccessManager and follows its redirects itself:
// QNetworkAccessManager would follow them with the request's headers, so it is told not to
// (ManualRedirectPolicy) and every hop is decided here — at most maxRedirects, 307/308 keep
// method and body, 303 (and 301/302 after POST) become GET, https never downgrades to http,
// and the guarded headers never reach an origin the guard does not trust. TLS errors are
// reported, never ignored. Never blocks; finished() comes exactly once, always from the event loop.
class Exchange : public QObject
{
    Q_OBJECT

public:
    explicit Exchange(QNetworkAccessManager *network, QObject *parent = nullptr);
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
    void sendHop();
    void onReplyFinished(QNetworkReply *reply);
    // Whether the answer was a redirect that was followed (a new hop is then on its way).
    bool followRedirect(QNetworkReply *reply, int status);
    void fail(ExchangeResult::Error error, const QString &detail);
    void finish();
    void dropReply();

    QNetworkAccessManager *m_network;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    PreparedRequest m_request;
    // The hop being sent: method, URL, headers and body change along redirects.
    QByteArray m_method;
    QUrl m_url;
    HttpHeaders m_headers;
    QByteArray m_body;
    QPointer<QNetworkReply> m_reply;
    QStringList m_sslProblems;
    bool m_encrypted = false;
    bool m_timedOut = false;
    bool m_running = false;
    int m_generation = 0; // a late queued report of an earlier start() is ignored
    ExchangeResult m_result;
};
