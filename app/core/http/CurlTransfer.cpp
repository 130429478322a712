#include "http/CurlTransfer.h"

#include "http/CurlLibrary.h"
#include "http/ProxyRoute.h"

#include <QFile>
#include <QList>

#include <algorithm>

CurlTransfer::CurlTransfer(CurlTransferClient *client)
    : m_curl(CurlLibrary::instance())
    , m_client(client)
    , m_easy(m_curl ? m_curl->easy_init() : nullptr)
{
}

CurlTransfer::~CurlTransfer()
{
    if (m_easy)
        m_curl->easy_cleanup(m_easy);
    if (m_headers)
        m_curl->slist_free_all(m_headers);
    // The key's bytes are this transfer's own copy (detached below): nothing else reads them.
    if (!m_clientKey.isEmpty())
        std::fill(m_clientKey.begin(), m_clientKey.end(), '\0');
}

QString CurlTransfer::configure(const QByteArray &method, const QByteArray &encodedUrl, const QList<QByteArray> &headerLines,
                                const QByteArray &body, const QByteArray &extraCaPem)
{
    if (!m_easy)
        return QStringLiteral("libcurl could not make a transfer");
    const auto set = [this](CURL *easy, CURLoption option, auto value) { return m_curl->easy_setopt(easy, option, value) == CURLE_OK; };
    for (const QByteArray &line : headerLines) {
        curl_slist *grown = m_curl->slist_append(m_headers, line.constData());
        if (!grown)
            return QStringLiteral("out of memory for the request headers");
        m_headers = grown;
    }
    m_body = body;
    m_extraCaPem = extraCaPem;

    bool ok = set(m_easy, CURLOPT_URL, encodedUrl.constData())
        // Only the web: a Location or a pasted URL never makes curl speak file:, ftp:, …
        && set(m_easy, CURLOPT_PROTOCOLS_STR, "http,https")
        && set(m_easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Exchange decides every redirect itself, so credentials never follow one blindly.
        && set(m_easy, CURLOPT_FOLLOWLOCATION, 0L)
        && set(m_easy, CURLOPT_NOSIGNAL, 1L)
        // Direct until setProxy says otherwise: curl would otherwise obey http_proxy/ALL_PROXY
        // from the environment on its own, whatever ProxyPolicy decided.
        && set(m_easy, CURLOPT_PROXY, "")
        && set(m_easy, CURLOPT_NOPROXY, "*")
        && set(m_easy, CURLOPT_HTTPHEADER, m_headers)
        // Answers are decoded as QNetworkAccessManager did (gzip, deflate, br, zstd); the client
        // counts the decoded bytes and stops the transfer past its limit (a decompression bomb).
        && set(m_easy, CURLOPT_ACCEPT_ENCODING, "")
        && set(m_easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L)
        && set(m_easy, CURLOPT_SSL_VERIFYPEER, 1L)
        && set(m_easy, CURLOPT_SSL_VERIFYHOST, 2L)
        // As Qt's TLS: nothing older than TLS 1.2.
        && set(m_easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2))
        && set(m_easy, CURLOPT_PRIVATE, this)
        && set(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer)
        && set(m_easy, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader) && set(m_easy, CURLOPT_HEADERDATA, this)
        && set(m_easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::onData) && set(m_easy, CURLOPT_WRITEDATA, this)
        && set(m_easy, CURLOPT_XFERINFOFUNCTION, &CurlTransfer::onProgress) && set(m_easy, CURLOPT_XFERINFODATA, this)
        && set(m_easy, CURLOPT_NOPROGRESS, 0L);
    if (!ok)
        return QStringLiteral("libcurl refused the request options");

    if (method == "HEAD") {
        ok = set(m_easy, CURLOPT_NOBODY, 1L);
    } else if (method == "GET" && body.isEmpty()) {
        ok = set(m_easy, CURLOPT_HTTPGET, 1L);
    } else if (body.isEmpty() && method != "POST" && method != "PUT" && method != "PATCH") {
        ok = set(m_easy, CURLOPT_CUSTOMREQUEST, method.constData());
    } else {
        // The body goes as is, with a Content-Length, whatever the method (GET with a body too).
        ok = set(m_easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(m_body.size()))
            && set(m_easy, CURLOPT_POSTFIELDS, m_body.constData())
            && (method == "POST" || set(m_easy, CURLOPT_CUSTOMREQUEST, method.constData()));
    }
    if (ok && !m_extraCaPem.isEmpty()) {
        // A CA blob takes the place of curl's CA file in some TLS back ends: the system's
        // authorities go into the blob too, so the extra ones are trusted besides them.
        m_extraCaPem.prepend(systemCertificates(m_curl, m_easy));
        curl_blob blob{const_cast<char *>(m_extraCaPem.constData()), static_cast<size_t>(m_extraCaPem.size()), CURL_BLOB_NOCOPY};
        ok = set(m_easy, CURLOPT_CAINFO_BLOB, &blob);
        if (ok && systemCertificates(m_curl, m_easy).isEmpty())
            ok = set(m_easy, CURLOPT_SSL_OPTIONS, static_cast<long>(CURLSSLOPT_NATIVE_CA)); // the OS store (Windows)
    }
    return ok ? QString() : QStringLiteral("libcurl refused the method or the trusted certificates");
}

QString CurlTransfer::setClientCertificate(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    if (!m_easy)
        return QStringLiteral("libcurl could not make a transfer");
    m_clientCertificate = certificatePem;
    // A copy of its own, not shared with the caller's, so it can be overwritten when done.
    m_clientKey = QByteArray(keyPem.constData(), keyPem.size());
    // Blobs (libcurl 7.71): the key never goes to a file. NOCOPY: curl reads these bytes, which
    // outlive the easy handle's use of them (both die with this transfer).
    curl_blob certificate{m_clientCertificate.data(), static_cast<size_t>(m_clientCertificate.size()), CURL_BLOB_NOCOPY};
    curl_blob key{m_clientKey.data(), static_cast<size_t>(m_clientKey.size()), CURL_BLOB_NOCOPY};
    const bool ok = m_curl->easy_setopt(m_easy, CURLOPT_SSLCERTTYPE, "PEM") == CURLE_OK
        && m_curl->easy_setopt(m_easy, CURLOPT_SSLCERT_BLOB, &certificate) == CURLE_OK
        && m_curl->easy_setopt(m_easy, CURLOPT_SSLKEYTYPE, "PEM") == CURLE_OK
        && m_curl->easy_setopt(m_easy, CURLOPT_SSLKEY_BLOB, &key) == CURLE_OK;
    return ok ? QString() : QStringLiteral("libcurl refused the client certificate (it needs libcurl 7.71 or later with OpenSSL)");
}

QString CurlTransfer::setProxy(const ProxyRoute &route)
{
    if (!m_easy)
        return QStringLiteral("libcurl could not make a transfer");
    if (route.isDirect())
        return {};
    const auto set = [this](CURLoption option, auto value) { return m_curl->easy_setopt(m_easy, option, value) == CURLE_OK; };
    // curl copies every string it is given.
    const QByteArray address = route.curlProxy();
    const QByteArray user = route.username.toUtf8();
    const QByteArray password = route.password.toUtf8();
    bool ok = set(CURLOPT_PROXY, address.constData())
        && set(CURLOPT_PROXYTYPE, route.curlProxyType())
        // The decision was made (no-proxy list included): curl applies no list of its own.
        && set(CURLOPT_NOPROXY, "");
    if (ok && !user.isEmpty()) {
        ok = set(CURLOPT_PROXYUSERNAME, user.constData())
            && set(CURLOPT_PROXYPASSWORD, password.constData())
            // Whatever the proxy asks for (Basic, Digest, NTLM, Negotiate), as a browser answers it.
            && set(CURLOPT_PROXYAUTH, static_cast<unsigned long>(CURLAUTH_ANY));
    }
    return ok ? QString() : QStringLiteral("libcurl refused the proxy options (%1)").arg(route.display());
}

QByteArray CurlTransfer::systemCertificates(const CurlLibrary *curl, CURL *easy)
{
    // curl's own default CA bundle, read once: the file its build points at (Debian:
    // /etc/ssl/certs/ca-certificates.crt), empty where the OS store is used instead.
    static const QByteArray bundle = [curl, easy] {
        char *path = nullptr;
        if (curl->easy_getinfo(easy, CURLINFO_CAINFO, &path) != CURLE_OK || !path)
            return QByteArray();
        QFile file(QString::fromLocal8Bit(path));
        if (!file.open(QIODevice::ReadOnly))
            return QByteArray();
        QByteArray bytes = file.read(16 * 1024 * 1024);
        if (!bytes.endsWith('\n'))
            bytes += '\n';
        return bytes;
    }();
    return bundle;
}

size_t CurlTransfer::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    if (!transfer->m_client)
        return 0; // released: stop
    const size_t bytes = size * count;
    if (!transfer->m_client->transferHeaderLine(QByteArrayView(data, static_cast<qsizetype>(bytes))))
        return 0; // anything but bytes: curl stops
    return bytes;
}

size_t CurlTransfer::onData(char *data, size_t size, size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    if (!transfer->m_client)
        return CURL_WRITEFUNC_ERROR;
    const size_t bytes = size * count;
    if (!transfer->m_client->transferData(QByteArrayView(data, static_cast<qsizetype>(bytes))))
        return CURL_WRITEFUNC_ERROR;
    return bytes;
}

int CurlTransfer::onProgress(void *self, curl_off_t receiveTotal, curl_off_t received, curl_off_t sendTotal, curl_off_t sent)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    if (!transfer->m_client)
        return 1;
    transfer->m_client->transferProgress(received, receiveTotal, sent, sendTotal);
    return 0;
}
