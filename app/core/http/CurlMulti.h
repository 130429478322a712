#pragma once

#include <QObject>
#include <QTimer>

#include <curl/curl.h>

#include <memory>
#include <unordered_map>
#include <vector>

class QSocketNotifier;
class CurlTransfer;
struct CurlLibrary;

// One libcurl multi handle driven by the Qt event loop of the thread that made it: curl says
// which sockets and which timeout it waits for, QSocketNotifier and a QTimer wake it. Nothing
// here blocks (curl resolves names on its own thread). The multi handle owns the connection
// cache, so the exchanges of one thread that share it reuse keep-alive connections — the reason
// this exists instead of QNetworkAccessManager, which costs about twice curl per request on
// loopback (bench/send-vs-curl.sh).
class CurlMulti : public QObject, public std::enable_shared_from_this<CurlMulti>
{
    Q_OBJECT

public:
    // The multi of the calling thread, made on first use and kept while someone holds it; null
    // (with the reason in *error) when libcurl cannot be loaded.
    static std::shared_ptr<CurlMulti> forCurrentThread(QString *error = nullptr);

    CurlMulti();
    ~CurlMulti() override;

    // Starts a configured transfer; its client hears of its end through transferDone().
    void start(CurlTransfer *transfer);
    // Stops a transfer if it runs and frees it; its client hears nothing more. Safe from inside
    // the transfer's own callbacks (the handle is then removed once curl has returned). While
    // curl is inside a callback nothing new starts: libcurl cannot be entered again, so a nested
    // event loop run from a callback's slot waits for it to return.
    void release(CurlTransfer *transfer);

private:
    static int onSocketChange(CURL *easy, curl_socket_t socket, int what, void *self, void *socketData);
    static int onTimerChange(CURLM *multi, long timeoutMs, void *self);
    void watch(curl_socket_t socket, int what);
    void drive(curl_socket_t socket, int events);
    void reapFinished();
    void freeReleased();

    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        int what = CURL_POLL_NONE; // what curl last asked for
    };

    const CurlLibrary *m_curl;
    CURLM *m_multi = nullptr;
    QTimer m_timer;
    std::unordered_map<curl_socket_t, Watch> m_watches;
    std::vector<CurlTransfer *> m_released; // released while curl was inside a callback
    std::vector<CurlTransfer *> m_starting; // started while curl was inside a callback
    std::vector<CurlTransfer *> m_failed;   // curl refused them; their end is reported from the event loop
    std::vector<curl_socket_t> m_muted;     // woke up while curl was busy: heard again after
    bool m_timeoutDeferred = false;
    int m_depth = 0;                        // nesting of curl_multi_socket_action
};
