// The response decoder path with its size limits: the input is what a server sends (status
// line, headers, a body that may be chunked and gzip/deflate/br/zstd encoded). libcurl reads it
// from one end of a socket pair, exactly as configured for an API request (CurlTransfer: every
// encoding accepted and decoded), and hands header lines and decoded bytes to ResponseReader with
// a small body limit, which must stop the transfer past it and never keep more than it allows.
#include "http/CurlTransfer.h"
#include "http/ResponseLimit.h"
#include "http/ResponseReader.h"

#include <curl/curl.h>

#include <cstdint>
#include <cstdlib>
#include <sys/socket.h>
#include <unistd.h>

namespace {
class ReaderClient : public CurlTransferClient
{
public:
    ResponseReader reader;
    qint64 decodedOffered = 0;
    qint64 headerOffered = 0;

    bool transferHeaderLine(QByteArrayView line) override
    {
        headerOffered += line.size();
        return reader.headerLine(line);
    }
    bool transferData(QByteArrayView data) override
    {
        decodedOffered += data.size();
        return reader.data(data);
    }
    void transferProgress(qint64, qint64, qint64, qint64) override {}
    void transferDone(CURLcode, const QString &) override {}
};

curl_socket_t openPrepared(void *socket, curlsocktype, curl_sockaddr *)
{
    return *static_cast<int *>(socket);
}

int alreadyConnected(void *, curl_socket_t, curlsocktype)
{
    return CURL_SOCKOPT_ALREADY_CONNECTED;
}

int keepOpen(void *, curl_socket_t)
{
    return 0; // the harness closes its own socket
}

void check(bool condition)
{
    if (!condition)
        std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // The first two bytes choose the body limit, 1 to 4096 bytes: small enough that most
    // decoded bodies pass it.
    const qint64 limit = 1 + ((qint64(data[0]) << 8 | data[1]) % 4096);
    const QByteArray response(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));

    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        return 0;
    // Bigger than any input (-max_len), so the write never blocks; then end of stream.
    const int buffer = 1 << 20;
    setsockopt(pair[1], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    setsockopt(pair[0], SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    qsizetype sent = 0;
    while (sent < response.size()) {
        const ssize_t now = write(pair[1], response.constData() + sent, size_t(response.size() - sent));
        if (now <= 0)
            break;
        sent += now;
    }
    shutdown(pair[1], SHUT_WR); // the peer still takes the request, so curl gets no EPIPE

    ReaderClient client;
    {
        CurlTransfer transfer(&client);
        if (!transfer.configure("GET", "http://127.0.0.1:9/api", {}, {}, {}).isEmpty()) {
            close(pair[0]);
            close(pair[1]);
            return 0;
        }
        client.reader.reset(limit, false);
        CURL *easy = transfer.handle();
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &openPrepared);
        curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &pair[0]);
        curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, &alreadyConnected);
        curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &keepOpen);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 2000L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
        const CURLcode code = curl_easy_perform(easy);

        const ResponseReader &reader = client.reader;
        // Never more than the limit kept; a body cut is exactly the limit long, and only a
        // body that was offered more than the limit is cut.
        check(reader.bodySize() <= limit);
        check(reader.bodyLimit() == limit);
        if (reader.overflow() == ResponseReader::Overflow::Body)
            check(reader.bodySize() == limit && client.decodedOffered > limit);
        else
            check(reader.bodySize() == client.decodedOffered || reader.overflow() == ResponseReader::Overflow::Headers);
        if (reader.overflow() == ResponseReader::Overflow::Headers)
            check(client.headerOffered > ResponseLimit::headerBytes);
        // A limit that was passed stopped the transfer: curl never reports it complete.
        if (reader.overflow() != ResponseReader::Overflow::None)
            check(code != CURLE_OK);
        QByteArray body = client.reader.takeBody();
        check(body.size() <= limit);
    }
    close(pair[0]);
    close(pair[1]);
    return 0;
}
