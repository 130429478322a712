#include "EnvironmentSecrets.h"

#include "secrets/SecretStore.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace {
QString bullets(int count)
{
    return QString(count, QChar(0x2022));
}
} // namespace

EnvironmentSecrets::EnvironmentSecrets(SecretStore *store, const QString &workspaceId, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_workspaceId(workspaceId)
{
}

void EnvironmentSecrets::reset(const QString &environmentId)
{
    ++m_generation;
    m_environmentId = environmentId;
    m_status.clear();
    m_pending = 0;
    m_saveErrors.clear();
}

void EnvironmentSecrets::assumeNotStored(const QString &name)
{
    m_status.insert(name, {State::NotStored, {}});
}

QString EnvironmentSecrets::keyFor(const QString &name) const
{
    return SecretStore::keyFor(m_workspaceId, m_environmentId, name);
}

bool EnvironmentSecrets::isHeld(const QString &name) const
{
    const State state = m_status.value(name).state;
    return state == State::Stored || state == State::SessionOnly;
}

void EnvironmentSecrets::read(const QString &name)
{
    if (!m_store) {
        m_status.insert(name, {State::Unavailable, tr("no keychain is connected")});
        return;
    }
    m_status.insert(name, {State::Checking, {}});
    QPointer<EnvironmentSecrets> self(this);
    const int generation = m_generation;
    m_store->read(keyFor(name), [self, generation, name](const SecretResult &result) {
        if (!self || self->m_generation != generation)
            return;
        // Only whether it is stored matters here; the value itself is dropped at once.
        Status status;
        switch (result.status) {
        case SecretResult::Status::Found:
            status = result.sessionOnly ? Status{State::SessionOnly, result.message} : Status{State::Stored, {}};
            break;
        case SecretResult::Status::NotFound:
            status = result.sessionOnly ? Status{State::Unavailable, result.message} : Status{State::NotStored, {}};
            break;
        case SecretResult::Status::Error:
            status = {State::Failed, result.message};
            break;
        case SecretResult::Status::Stored:
        case SecretResult::Status::Removed:
            status = {State::NotStored, {}};
            break;
        }
        self->setStatus(name, status);
    });
}

void EnvironmentSecrets::setStatus(const QString &name, const Status &status)
{
    m_status.insert(name, status);
    Q_EMIT statusChanged(name);
}

QString EnvironmentSecrets::statusText(const QString &name) const
{
    const Status status = m_status.value(name);
    switch (status.state) {
    case State::Checking:
        return tr("checking the system keychain…");
    case State::Stored:
        return tr("stored in the system keychain");
    case State::SessionOnly:
        return status.message.isEmpty() ? tr("keychain unavailable: kept for this session only") : status.message;
    case State::Unavailable:
    case State::Failed:
        return status.message;
    case State::NotStored:
    case State::NotApplicable:
        break;
    }
    return tr("not stored");
}

QString EnvironmentSecrets::placeholder(const QString &name) const
{
    switch (m_status.value(name).state) {
    case State::Stored:
        return tr("%1 stored in the system keychain").arg(bullets(6));
    case State::SessionOnly:
        return tr("%1 kept for this session only").arg(bullets(6));
    case State::Checking:
        return tr("checking the system keychain…");
    case State::NotStored:
    case State::NotApplicable:
    case State::Unavailable:
    case State::Failed:
        break;
    }
    return {};
}

QString EnvironmentSecrets::label(const QString &name)
{
    if (name == SecretStore::clientSecretName())
        return tr("Client secret");
    if (name == SecretStore::passwordName())
        return tr("Password");
    if (name == SecretStore::privateKeyName())
        return tr("Private key");
    if (name == SecretStore::clientKeyName())
        return tr("Client key");
    if (name == SecretStore::proxyPasswordName())
        return tr("Proxy password");
    const QString prefix = SecretStore::paramName(QString());
    return tr("Parameter “%1”").arg(name.startsWith(prefix) ? name.mid(prefix.size()) : name);
}

void EnvironmentSecrets::save(const QList<Op> &ops)
{
    m_saveErrors.clear();
    if (ops.isEmpty()) {
        Q_EMIT saveFinished({});
        return;
    }
    // Counted before the first call: an answer may come back before the loop is done.
    m_pending = static_cast<int>(ops.size());
    QPointer<EnvironmentSecrets> self(this);
    const int generation = m_generation;
    for (const Op &op : ops) {
        auto done = [self, generation, op](const SecretResult &result) {
            if (self && self->m_generation == generation && self->m_pending > 0)
                self->onSaveAnswered(op, result);
        };
        if (op.remove)
            m_store->remove(keyFor(op.name), std::move(done));
        else
            m_store->write(keyFor(op.name), op.value, std::move(done));
    }
}

void EnvironmentSecrets::onSaveAnswered(const Op &op, const SecretResult &result)
{
    if (result.status == SecretResult::Status::Error) {
        m_saveErrors.append(tr("%1: %2").arg(label(op.name), result.message));
    } else {
        // What was typed is stored now; the field shows where it is instead.
        Q_EMIT saved(op);
        Status status;
        if (op.remove)
            status = {State::NotStored, {}};
        else if (result.sessionOnly)
            status = {State::SessionOnly, result.message};
        else
            status = {State::Stored, {}};
        setStatus(op.name, status);
    }
    if (--m_pending == 0)
        Q_EMIT saveFinished(m_saveErrors);
}
