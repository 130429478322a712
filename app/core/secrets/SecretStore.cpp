#include "secrets/SecretStore.h"

#include "secrets/KeychainBackend.h"
#include "workspace/Environment.h"

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
// Errors that mean "there is no usable keychain here", as opposed to "this entry is missing"
// or "the user said no".
bool isBackendFailure(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return true;
    default:
        return false;
    }
}
} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_secretSizeLimit(KeychainBackend::secretSizeLimit())
{
}

QString SecretStore::keyFor(const QString &workspaceId, const QString &environmentId, const QString &name)
{
    return workspaceId + u'/' + environmentId + u'/' + name;
}

void SecretStore::probe()
{
    read(u"tokenbench-availability-probe"_s, [this](const SecretResult &) {
        m_probed = true;
        // Announce the first answer even when it matches the optimistic default.
        Q_EMIT keychainAvailabilityChanged(m_keychainAvailable);
    });
}

QString SecretStore::statusText() const
{
    if (!m_probed && m_keychainAvailable)
        return tr("checking the system keychain…");
    if (m_keychainAvailable)
        return tr("stored in the system keychain");
    return tr("keychain unavailable (%1): kept for this session only").arg(m_unavailableReason);
}

QString SecretStore::backendText() const
{
    if (!m_probed)
        return tr("not asked yet");
    if (m_keychainAvailable)
        return tr("system keychain (%1)").arg(KeychainBackend::name());
    return tr("this session's memory only: no keychain answered (%1)").arg(m_unavailableReason);
}

void SecretStore::setAvailable(bool available, const QString &why)
{
    m_probed = true;
    m_unavailableReason = why;
    if (m_keychainAvailable == available)
        return;
    m_keychainAvailable = available;
    Q_EMIT keychainAvailabilityChanged(available);
}

void SecretStore::read(const QString &key, Callback done)
{
    // A value kept for the session wins: it is what the user typed last when the keychain failed.
    if (const auto it = m_sessionSecrets.constFind(key); it != m_sessionSecrets.constEnd()) {
        done({SecretResult::Status::Found, it.value(), true, tr("kept for this session only")});
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, done = std::move(done)] {
        const QKeychain::Error error = job->error();
        if (error == QKeychain::NoError) {
            setAvailable(true, {});
            done({SecretResult::Status::Found, job->textData(), false, tr("stored in the system keychain")});
        } else if (error == QKeychain::EntryNotFound) {
            setAvailable(true, {});
            done({SecretResult::Status::NotFound, {}, false, tr("no secret stored in the system keychain")});
        } else if (isBackendFailure(error)) {
            setAvailable(false, job->errorString());
            done({SecretResult::Status::NotFound, {}, true,
                  tr("the system keychain is unavailable (%1); no secret is kept for this session").arg(job->errorString())});
        } else {
            done({SecretResult::Status::Error, {}, false, tr("the system keychain refused: %1").arg(job->errorString())});
        }
    });
    job->start();
}

void SecretStore::write(const QString &key, const QString &value, Callback done)
{
    // Said before saving: the backend would refuse it with an error that reads like a broken
    // keychain (and would put the secret in session memory).
    if (const QString tooLarge = KeychainBackend::checkSize(value, m_secretSizeLimit); !tooLarge.isEmpty()) {
        done({SecretResult::Status::Error, {}, false, tooLarge});
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, value, done = std::move(done)] {
        const QKeychain::Error error = job->error();
        if (error == QKeychain::NoError) {
            m_sessionSecrets.remove(key);
            setAvailable(true, {});
            done({SecretResult::Status::Stored, {}, false, tr("stored in the system keychain")});
        } else if (isBackendFailure(error)) {
            // No plaintext fallback: memory for this session, and the user is told.
            m_sessionSecrets.insert(key, value);
            setAvailable(false, job->errorString());
            done({SecretResult::Status::Stored, {}, true,
                  tr("keychain unavailable (%1): kept for this session only").arg(job->errorString())});
        } else {
            done({SecretResult::Status::Error, {}, false, tr("the system keychain refused to store the secret: %1").arg(job->errorString())});
        }
    });
    job->start();
}

void SecretStore::remove(const QString &key, Callback done)
{
    const bool hadSessionValue = m_sessionSecrets.remove(key) > 0;
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, hadSessionValue, done = std::move(done)] {
        const QKeychain::Error error = job->error();
        if (error == QKeychain::NoError || error == QKeychain::EntryNotFound) {
            setAvailable(true, {});
            done({SecretResult::Status::Removed, {}, false, tr("removed from the system keychain")});
        } else if (isBackendFailure(error)) {
            setAvailable(false, job->errorString());
            done({SecretResult::Status::Removed, {}, true,
                  hadSessionValue ? tr("forgotten for this session") : tr("keychain unavailable (%1)").arg(job->errorString())});
        } else {
            done({SecretResult::Status::Error, {}, false, tr("the system keychain refused to delete the secret: %1").arg(job->errorString())});
        }
    });
    job->start();
}

QStringList SecretStore::entryNames(const Environment &environment)
{
    QStringList names{clientSecretName(), passwordName(), refreshTokenName(), clientKeyName(), privateKeyName(), proxyPasswordName()};
    for (const QString &param : environment.secretParamNames())
        names.append(paramName(param));
    return names;
}

void SecretStore::removeEnvironment(const QString &workspaceId, const Environment &environment, std::function<void()> done)
{
    const QStringList names = entryNames(environment);
    auto left = std::make_shared<qsizetype>(names.size());
    for (const QString &name : names) {
        remove(keyFor(workspaceId, environment.id, name), [left, done](const SecretResult &) {
            if (--*left == 0 && done)
                done();
        });
    }
}
