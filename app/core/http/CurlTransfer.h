#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <curl/curl.h>

struct CurlLibrary;
struct ProxyRoute;

// What hears of one transfer: Exchange. The callbacks come from the event loop, through curl.
class CurlTransferClient
{
public:
    virtual ~CurlTransferClient() = default;
    // One raw header line as it came, CRLF included: status lines of every response (1xx
    // too), fields, and the empty line that ends a header block. False stops the transfer.
    virtual bool transferHeaderLine(QByteArrayView line) = 0;
    // Body bytes as decoded (gzip, deflate, br, zstd undone). False stops the transfer at once:
    // curl reads no further and ends it with CURLE_WRITE_ERROR.
    virtual bool transferData(QByteArrayView data) = 0;
    virtual void transferProgress(qint64 received, qint64 receiveTotal, qint64 sent, qint64 sendTotal) = 0;
    // The end; code is CURLE_OK when a whole response came. The transfer may be released here.
    virtual void transferDone(CURLcode code, const QString &message) = 0;
};

// One request on the wire: a curl easy handle with what must outlive it (the header list and
// the body curl reads from), wired to its client. Redirects are never followed here, cookies
// never stored, no proxy but the one ProxyPolicy decided (curl never reads http_proxy itself), only http and https spoken, and
// certificates always verified.
class CurlTransfer
{
public:
    explicit CurlTransfer(CurlTransferClient *client);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer &) = delete;
    CurlTransfer &operator=(const CurlTransfer &) = delete;

    // headerLines "Name: value" each; body sent as is (with the method, whatever it is).
    // extraCaPem: certificates trusted besides the system's. Returns an error text, empty on success.
    QString configure(const QByteArray &method, const QByteArray &encodedUrl, const QList<QByteArray> &headerLines,
                      const QByteArray &body, const QByteArray &extraCaPem);

    // Mutual TLS: the client certificate and its key (PEM) for this transfer's handshake. Both are
    // kept here (curl reads them where they are) and the key is overwritten when the transfer ends.
    QString setClientCertificate(const QByteArray &certificatePem, const QByteArray &keyPem);
    // The proxy for this transfer (after configure, which leaves it direct); credentials go in
    // their own options, never in the proxy's URL. Returns an error text, empty on success.
    QString setProxy(const ProxyRoute &route);

    CURL *handle() const { return m_easy; }
    CurlTransferClient *client() const { return m_client; }
    // After release: the callbacks of a transfer nobody listens to abort it.
    void detach() { m_client = nullptr; }
    const char *errorBuffer() const { return m_errorBuffer; }
    bool isRunning() const { return m_running; }
    void setRunning(bool running) { m_running = running; }

private:
    static QByteArray systemCertificates(const CurlLibrary *curl, CURL *easy);
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onData(char *data, size_t size, size_t count, void *self);
    static int onProgress(void *self, curl_off_t receiveTotal, curl_off_t received, curl_off_t sendTotal, curl_off_t sent);

    const CurlLibrary *m_curl;
    CurlTransferClient *m_client;
    CURL *m_easy;
    curl_slist *m_headers = nullptr;
    QByteArray m_body;
    QByteArray m_extraCaPem;
    QByteArray m_clientCertificate;
    QByteArray m_clientKey;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    bool m_running = false;
};
