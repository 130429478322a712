#pragma once

#include <QByteArray>

// RFC 7636 proof key for code exchange, S256 only (plain proves nothing against an attacker who
// sees the authorization request). The verifier is a secret of one grant: it goes only into the
// code exchange's POST, never into a URL, a log or a transcript.
struct Pkce
{
    QByteArray verifier;  // 43 characters: 32 random bytes from the system's CSPRNG, base64url
    QByteArray challenge; // base64url(SHA-256(verifier)), no padding (§4.2)

    static constexpr const char *method = "S256";

    static Pkce generate();
    static QByteArray challengeFor(const QByteArray &verifier);
    // 32 random bytes from QRandomGenerator::system(), base64url without padding.
    static QByteArray randomToken();
};
