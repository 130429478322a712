#include "Cli.h"

#include "EnvironmentOptions.h"
#include "http/ClientCertificate.h"
#include "oauth/ClientAssertion.h"
#include "secrets/SecretStore.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>

using namespace Qt::StringLiterals;

namespace {
// A PEM file is a few kilobytes; anything far bigger is not one.
constexpr qint64 maximumPemBytes = 64 * 1024;

bool readPem(const QString &path, const QString &option, QByteArray *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read --%1 %2: %3"_s.arg(option, path, file.errorString());
        return false;
    }
    *out = file.read(maximumPemBytes + 1);
    if (out->size() > maximumPemBytes) {
        *error = u"--%1 %2 is larger than a PEM file (64 KB)"_s.arg(option, path);
        return false;
    }
    return true;
}
} // namespace

bool Cli::readEnvironmentKeys(const QCommandLineParser &parser, const EnvironmentOptions &options, const QByteArray &existingCertificate,
                              EnvironmentKeys *keys)
{
    QString error;
    QByteArray bytes;
    if (const QString path = options.privateKeyFile(parser); !path.isEmpty()) {
        if (!readPem(path, u"private-key"_s, &bytes, &error)) {
            usageError(error);
            return false;
        }
        QString unusable;
        if (ClientAssertion::algorithmFor(bytes, &unusable).isEmpty()) {
            usageError(u"--private-key %1: %2"_s.arg(path, unusable));
            return false;
        }
        keys->privateKey = QString::fromUtf8(bytes);
    }
    QByteArray certificate = existingCertificate;
    if (const QString path = options.clientCertificateFile(parser); !path.isEmpty()) {
        if (!readPem(path, u"client-cert"_s, &bytes, &error)) {
            usageError(error);
            return false;
        }
        if (const QString problem = ClientCertificate::problem(bytes); !problem.isEmpty()) {
            usageError(u"--client-cert %1: %2"_s.arg(path, problem));
            return false;
        }
        certificate = bytes;
        keys->clientCertificate = bytes;
    }
    if (const QString path = options.clientKeyFile(parser); !path.isEmpty()) {
        if (certificate.isEmpty()) {
            usageError(u"--client-key is the key of a client certificate: give --client-cert FILE too"_s);
            return false;
        }
        if (!readPem(path, u"client-key"_s, &bytes, &error)) {
            usageError(error);
            return false;
        }
        if (const QString problem = ClientCertificate::problem(certificate, bytes); !problem.isEmpty()) {
            usageError(u"--client-key %1: %2"_s.arg(path, problem));
            return false;
        }
        keys->clientKey = QString::fromUtf8(bytes);
    } else if (keys->clientCertificate && existingCertificate.isEmpty()) {
        usageError(u"--client-cert needs its private key: give --client-key FILE too"_s);
        return false;
    }
    return true;
}

bool Cli::storeEnvironmentKeys(const Environment &stored, const EnvironmentKeys &keys)
{
    const QList<QPair<QString, const std::optional<QString> *>> items = {{SecretStore::privateKeyName(), &keys.privateKey},
                                                                        {SecretStore::clientKeyName(), &keys.clientKey},
                                                                        {SecretStore::proxyPasswordName(), &keys.proxyPassword}};
    for (const auto &[name, value] : items) {
        if (!*value)
            continue;
        SecretResult outcome;
        QEventLoop loop;
        secrets().write(SecretStore::keyFor(m_workspace->id(), stored.id, name), **value, [&](const SecretResult &result) {
            outcome = result;
            loop.quit();
        });
        loop.exec();
        if (!outcome.ok() || outcome.sessionOnly) {
            // A CLI process ends now: a key kept "for this session" would be kept nowhere.
            m_print.failure(u"secret"_s, u"the %1 of \"%2\" could not be stored in the keychain: %3"_s.arg(name, stored.name, outcome.message));
            return false;
        }
    }
    return true;
}

int Cli::gatherKeys(const Environment &env, TokenRequest *request)
{
    const auto fromKeychain = [&](const QString &name, const QString &what, const QString &option, QString *out) {
        if (!out->isEmpty())
            return true;
        const SecretResult result = readSecret(SecretStore::keyFor(m_workspace->id(), env.id, name));
        if (result.status == SecretResult::Status::Found) {
            *out = result.value;
            m_known.add(result.value, what);
            return true;
        }
        m_print.failure(u"secret"_s, u"no %1 for \"%2\": %3. Store it with 'tokenbench-cli env set \"%2\" --%4 FILE'."_s.arg(what, env.name, result.message, option));
        return false;
    };
    if (env.clientAuth == ClientAuthStyle::PrivateKeyJwt
        && !fromKeychain(SecretStore::privateKeyName(), u"private key (private_key_jwt)"_s, u"private-key"_s, &request->privateKey))
        return SecretUnavailable;
    if (!env.clientCertificate.isEmpty()
        && !fromKeychain(SecretStore::clientKeyName(), u"client certificate key"_s, u"client-key"_s, &request->clientKey))
        return SecretUnavailable;
    return Ok;
}
