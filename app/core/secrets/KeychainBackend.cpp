#include "secrets/KeychainBackend.h"

#include <QLocale>

QString KeychainBackend::name()
{
#if defined(Q_OS_WIN)
    return QStringLiteral("Windows Credential Manager");
#elif defined(Q_OS_MACOS)
    return QStringLiteral("macOS Keychain");
#else
    return QStringLiteral("Secret Service or KWallet, over D-Bus");
#endif
}

std::optional<qsizetype> KeychainBackend::secretSizeLimit()
{
#if defined(Q_OS_WIN)
    return 2560;
#else
    return std::nullopt;
#endif
}

QString KeychainBackend::checkSize(const QString &value, std::optional<qsizetype> limitBytes, const QString &backendName)
{
    if (!limitBytes)
        return {};
    const qsizetype bytes = value.toUtf8().size();
    if (bytes <= *limitBytes)
        return {};
    // English digit grouping, as the rest of the messages: "2,560 bytes".
    const QLocale c(QLocale::English, QLocale::UnitedStates);
    return QStringLiteral("the secret is %1 bytes (UTF-8) and %2 stores at most %3 bytes per secret: it was not saved, nor cut to fit")
        .arg(c.toString(bytes), backendName, c.toString(*limitBytes));
}
