// Any WWW-Authenticate value parses or is reported, and the 401/403 readout built on it never crashes.
#include "http/DenialReadout.h"
#include "http/WwwAuthenticate.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    const WwwAuthenticate parsed = WwwAuthenticate::parse(value);
    for (const auto &challenge : parsed.challenges())
        (void)challenge.param(QStringLiteral("scope"));
    HttpHeaders headers;
    headers.append("WWW-Authenticate", value);
    headers.append("Retry-After", value);
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1795430000, Qt::UTC);
    for (const int status : {401, 403, 409, 429}) {
        const DenialReadout readout = DenialReadout::explain(status, "x", headers, value, std::nullopt, false, now);
        if (readout.summary.isEmpty())
            __builtin_trap(); // every denial says something
    }
    return 0;
}
