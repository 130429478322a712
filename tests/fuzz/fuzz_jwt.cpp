// JwtView must classify any bytes as opaque, JWT or malformed without crashing.
#include "jwt/JwtView.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString token = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const JwtView view = JwtView::decode(token);
    if (view.isJwt()) {
        (void)view.algorithm();
        (void)view.isUnsigned();
        (void)view.expiresAt();
        (void)view.issuedAt();
        (void)view.notBefore();
        (void)view.scopes();
    } else if (view.kind() == JwtView::Kind::Malformed && view.problem().isEmpty()) {
        __builtin_trap(); // a malformed token must always say why
    }
    return 0;
}
