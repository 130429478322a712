#pragma once

#include "jwt/JwksKeySet.h"
#include "jwt/SignatureCheck.h"

#include <QString>

// Verifies a JWS compact serialization (a JWT) against an issuer's key set with OpenSSL's EVP
// API: RS256/384/512 (PKCS #1 v1.5), PS256/384/512 (PSS, salt the hash's length), ES256/384/512
// (JOSE's r||s made DER for EVP) and EdDSA (Ed25519, Ed448). Nothing is verified by hand here.
// alg "none" and the HMAC algorithms are refused before any key is looked at: an HMAC keyed
// with a public key is the algorithm-confusion attack (RFC 8725 §2.1). The key is the one the
// header's kid names; without a kid, each key of the alg's type is tried.
class JwsSignatureCheck
{
public:
    // Refused (alg none, HMAC, unknown) or NotChecked (not a JWT) without keys; empty status
    // NotChecked with an empty reason when the token's alg is one this can verify.
    static SignatureCheck precheck(const QString &token);
    static SignatureCheck verify(const QString &token, const JwksKeySet &keys);
};
