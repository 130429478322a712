// A pasted curl command is parsed as literal text; what is parsed prints back to the same request
// (forms included).
// The history redactor gets the same bytes: it must never crash on them.
#include "history/Redactor.h"
#include "interop/CurlCommand.h"

#include <cstdint>

namespace {
// With a form, curl writes the multipart Content-Type itself: print leaves the given one out.
CurlCommand::Headers comparable(const CurlCommand::ParseResult &result)
{
    CurlCommand::Headers headers = result.headers;
    if (!result.form.isEmpty()) {
        headers.removeIf([](const auto &header) {
            return QByteArrayView(header.first).compare("Content-Type", Qt::CaseInsensitive) == 0
                && header.second.trimmed().toLower().startsWith("multipart/form-data");
        });
    }
    return headers;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);
    const auto parsed = CurlCommand::parse(text);
    if (parsed.ok()) {
        CurlCommand::PrintOptions options;
        options.credentials = CurlCommand::Credentials::Reveal;
        const auto again = CurlCommand::parse(CurlCommand::print(parsed.request(), options));
        if (!again.ok() || again.method != parsed.method || again.url != parsed.url || again.headers != comparable(parsed)
            || again.body != parsed.body || again.form != parsed.form)
            __builtin_trap();
    }
    static const Redactor redactor = [] {
        Redactor r;
        r.setSecrets({QStringLiteral("S3cr3t pa/ss+Wo=rd"), QStringLiteral("tok_abcdef")});
        return r;
    }();
    (void)redactor.redactBody(bytes, "application/json", true);
    (void)redactor.redactBody(bytes, "application/x-www-form-urlencoded");
    (void)redactor.redactBody(bytes, "multipart/form-data; boundary=" + bytes.left(8), true);
    (void)redactor.redactBody(bytes, "multipart/form-data; boundary=\"--\"");
    (void)redactor.redactUrl(text);
    (void)redactor.redactText(text);
    (void)redactor.redactHeaderValue("Authorization", bytes);
    return 0;
}
