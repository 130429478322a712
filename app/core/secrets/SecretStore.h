#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

struct Environment;

struct SecretResult
{
    enum class Status { Found, NotFound, Stored, Removed, Error };
    Status status = Status::NotFound;
    QString value;
    // True when the value lives (or was put) in this process's memory because no keychain answered.
    bool sessionOnly = false;
    QString message;

    bool ok() const { return status != Status::Error; }
};

// Client secrets and passwords in the OS keychain through QtKeychain, keyed by workspace and
// environment. When no keychain answers, it says so and keeps the value in memory for this
// session only: there is no plaintext fallback (setInsecureFallback is never called).
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const SecretResult &)>;

    explicit SecretStore(const QString &service = QStringLiteral("Tokenbench"), QObject *parent = nullptr);

    static QString keyFor(const QString &workspaceId, const QString &environmentId, const QString &name);
    static QString clientSecretName() { return QStringLiteral("client-secret"); }
    static QString passwordName() { return QStringLiteral("password"); }
    static QString paramName(const QString &param) { return QStringLiteral("param:") + param; }
    // Kept only when the environment asks (Environment::keepRefreshToken).
    static QString refreshTokenName() { return QStringLiteral("refresh-token"); }
    // PEM private keys: mutual TLS's (Environment::clientCertificate) and private_key_jwt's.
    static QString clientKeyName() { return QStringLiteral("client-key"); }
    static QString privateKeyName() { return QStringLiteral("private-key"); }
    static QString proxyPasswordName() { return QStringLiteral("proxy-password"); }

    void read(const QString &key, Callback done);
    void write(const QString &key, const QString &value, Callback done);
    void remove(const QString &key, Callback done);
    // Every entry an environment can have here (secrets, secret parameters, keys, the proxy
    // password, a kept refresh token): what deleting it must leave nothing of.
    static QStringList entryNames(const Environment &environment);
    // Removes all of them; done (if any) once every removal has answered.
    void removeEnvironment(const QString &workspaceId, const Environment &environment, std::function<void()> done = {});

    // Asks the keychain once (a read of an entry that never exists) so the UI can say up front
    // whether secrets will persist; keychainAvailabilityChanged() reports the answer.
    void probe();
    bool isProbed() const { return m_probed; }

    // Whether the last keychain call worked; false once one failed for want of a backend.
    bool keychainAvailable() const { return m_keychainAvailable; }
    QString service() const { return m_service; }
    // "stored in the system keychain" or why not.
    QString statusText() const;
    // Which backend answered, for Help ▸ About: the system keychain by name
    // (KeychainBackend::name()), or this process's memory and why; "not asked yet" before the
    // first answer.
    QString backendText() const;

    // Bytes per secret the keychain stores (KeychainBackend::secretSizeLimit(): 2,560 on
    // Windows, none elsewhere). write() refuses a longer secret before the keychain sees it.
    std::optional<qsizetype> secretSizeLimit() const { return m_secretSizeLimit; }
    void setSecretSizeLimit(std::optional<qsizetype> bytes) { m_secretSizeLimit = bytes; }

Q_SIGNALS:
    void keychainAvailabilityChanged(bool available);

private:
    void setAvailable(bool available, const QString &why);

    QString m_service;
    bool m_keychainAvailable = true;
    bool m_probed = false;
    QString m_unavailableReason;
    QHash<QString, QString> m_sessionSecrets;
    std::optional<qsizetype> m_secretSizeLimit;
};
