#pragma once

#include <QString>

// What checking a JWT's signature against its issuer's keys came to, as a value to show:
// "signature verified with key kid=…", or the precise reason it is not.
struct SignatureCheck
{
    enum class Status {
        NotChecked, // nothing to check against (an opaque token, no JWKS URL) or the check did not run
        Verified,   // the signature verifies with the key named
        Invalid,    // a key for it was found and the signature does not verify with it
        Refused,    // the token's alg is not one that can be verified with a public key (none, HMAC, unknown)
        NoKey,      // the JWKS has no usable key for the token's kid and alg
        Failed,     // the JWKS could not be had (network, TLS, not a key set)
    };

    Status status = Status::NotChecked;
    QString algorithm; // the token header's alg
    QString keyId;     // the kid of the key that verified it, or that was looked for
    QString reason;    // one line: what was found, or why not

    bool isVerified() const { return status == Status::Verified; }
    // "signature verified with key kid=…" or "signature NOT verified: <reason>".
    QString summary() const;
    static QString statusName(Status status);
};
