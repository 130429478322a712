// Any answer from a token endpoint becomes a token or an error that can be shown.
#include "oauth/TokenResponseParser.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte picks a status, so success and error paths are both explored.
    static const int statuses[] = {200, 201, 400, 401, 403, 404, 429, 500, 502, 503};
    const int status = statuses[data[0] % (sizeof statuses / sizeof *statuses)];
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1795430000, Qt::UTC);
    const TokenResult result = TokenResponseParser::parse(status, "application/json", body, QUrl(QStringLiteral("https://id.example/token")),
                                                          {QStringLiteral("a:read")}, now);
    if (result.ok()) {
        (void)result.token->needsRenewal(now);
        (void)result.token->missingScopes();
        (void)result.token->jwt();
    } else if (!result.error.isError() || result.error.summary().isEmpty()) {
        __builtin_trap(); // a failure must always explain itself
    } else {
        (void)result.error.hint();
    }
    return 0;
}
