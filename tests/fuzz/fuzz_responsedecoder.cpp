// The response decoder path with its size limits: the input is what a server sends (status
// line, headers, a body that may be chunked and gzip/deflate/br/zstd encoded). libcurl reads it
// from a loopback connection to this harness (curl's multi interface, driven here), configured
// exactly as for an API request (CurlTransfer: every encoding accepted and decoded), and hands
// header lines and decoded bytes to ResponseReader with a small body limit, which must stop the
// transfer past it and never keep more than it allows. The body kept then goes through
// JsonSyntax, as `send --json` takes it.
#include "http/CurlTransfer.h"
#include "http/ResponseLimit.h"
#include "http/ResponseReader.h"
#include "json/JsonSyntax.h"

#include <curl/curl.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <poll.h>
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

// One listening socket on 127.0.0.1 for the whole run; each input gets a fresh connection to
// it (curl wants an inet socket: it reads the connection's addresses).
int listener()
{
    static const int fd = [] {
        const int s = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(s, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || listen(s, 16) != 0)
            std::abort();
        return s;
    }();
    return fd;
}

// The server's end of the connection curl has begun to make (the handshake completes in the
// kernel's backlog); -1 when none came within two seconds.
int acceptOne()
{
    pollfd wait{listener(), POLLIN, 0};
    if (poll(&wait, 1, 2000) != 1)
        return -1;
    return accept(listener(), nullptr, nullptr);
}

quint16 listenerPort()
{
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(listener(), reinterpret_cast<sockaddr *>(&address), &length);
    return ntohs(address.sin_port);
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

    ReaderClient client;
    {
        CurlTransfer transfer(&client);
        const QByteArray url = "http://127.0.0.1:" + QByteArray::number(listenerPort()) + "/api";
        if (!transfer.configure("GET", url, {}, {}, {}).isEmpty())
            return 0;
        client.reader.reset(limit, false);
        CURL *easy = transfer.handle();
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 2000L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
        static CURLM *const multi = curl_multi_init();
        curl_multi_add_handle(multi, easy);
        int running = 0;
        curl_multi_perform(multi, &running); // resolves the literal address and starts connecting
        const int server = acceptOne();
        if (server >= 0) {
            // Bigger than any input (-max_len), so the write never blocks; then end of stream.
            const int buffer = 1 << 20;
            setsockopt(server, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
            qsizetype sent = 0;
            while (sent < response.size()) {
                const ssize_t now = write(server, response.constData() + sent, size_t(response.size() - sent));
                if (now <= 0)
                    break;
                sent += now;
            }
            shutdown(server, SHUT_WR); // it still takes the request, so curl gets no EPIPE
        }
        while (running > 0) {
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
            curl_multi_perform(multi, &running);
        }
        CURLcode code = CURLE_OK;
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg == CURLMSG_DONE)
                code = message->data.result;
        }
        curl_multi_remove_handle(multi, easy);
        if (server >= 0)
            close(server);

        const ResponseReader &reader = client.reader;
        // Never more than the limit kept; a body cut is exactly the limit long, and only a
        // body that was offered more than the limit is cut.
        if (std::getenv("FUZZ_DEBUG")) // what one input did, for a look at a seed or a crasher
            std::fprintf(stderr, "%s: %d, status %d, body %lld of %lld offered\n", transfer.errorBuffer(), int(code), reader.status(),
                         reader.bodySize(), client.decodedOffered);
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
        // What `send --json` does with a body it shows as received (JsonSyntax, in place): a
        // document it calls JSON is also UTF-8. QJsonDocument is no oracle for it: it lets raw
        // control characters and numbers such as .1 through, which RFC 8259 does not.
        if (JsonSyntax::isValid(body))
            check(JsonSyntax::isUtf8(body));
    }
    return 0;
}
