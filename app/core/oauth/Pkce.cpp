#include "oauth/Pkce.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace {
constexpr auto base64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

QByteArray Pkce::randomToken()
{
    std::array<quint32, 8> words; // 32 bytes (RFC 7636 §7.1 recommends 32 octets)
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.data()), sizeof(words)).toBase64(base64url);
}

QByteArray Pkce::challengeFor(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256).toBase64(base64url);
}

Pkce Pkce::generate()
{
    Pkce pkce;
    pkce.verifier = randomToken();
    pkce.challenge = challengeFor(pkce.verifier);
    return pkce;
}
