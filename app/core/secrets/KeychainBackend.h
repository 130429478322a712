#pragma once

#include <QString>

#include <optional>

// What Tokenbench knows about the keychain QtKeychain talks to on this platform: its name, for
// Help ▸ About and messages, and how large a secret it can hold.
struct KeychainBackend
{
    // "Windows Credential Manager", "macOS Keychain", or on Linux and other Unixes the D-Bus
    // services QtKeychain picks from (the Secret Service through libsecret, or KWallet).
    static QString name();
    // Bytes per secret the backend stores, when it has a limit: Windows Credential Manager
    // refuses a credential blob over CRED_MAX_CREDENTIAL_BLOB_SIZE (5 × 512 = 2,560 bytes).
    static std::optional<qsizetype> secretSizeLimit();
    // Empty when value fits in limitBytes as QtKeychain stores text (UTF-8), else why not, with
    // both sizes. A secret is never cut to fit: a truncated client secret would fail later, far
    // from its cause.
    static QString checkSize(const QString &value, std::optional<qsizetype> limitBytes, const QString &backendName = name());
};
