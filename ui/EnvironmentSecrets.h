#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

class SecretStore;
struct SecretResult;

// Where each secret of the environment being edited stands in the keychain, and the keychain
// writes of a save. Values are never kept here: a read only learns whether a secret is stored,
// and what the user typed stays in the field that shows it until the write succeeds. Every
// keychain call answers through a callback; answers for an environment loaded earlier are dropped.
class EnvironmentSecrets : public QObject
{
    Q_OBJECT

public:
    enum class State { NotApplicable, Checking, Stored, SessionOnly, NotStored, Unavailable, Failed };
    struct Status
    {
        State state = State::NotApplicable;
        QString message; // the SecretStore's own words when it has something to say
    };
    // One keychain operation of a save.
    struct Op
    {
        QString name;  // SecretStore name: client-secret, password, param:<name>, …
        QString value; // empty for a removal
        bool remove = false;
    };

    EnvironmentSecrets(SecretStore *store, const QString &workspaceId, QObject *parent = nullptr);

    // A new environment is being edited: earlier reads and writes no longer report.
    void reset(const QString &environmentId);
    // Known without asking (a new environment's id was made just now: nothing is stored under it).
    void assumeNotStored(const QString &name);
    // Asks the keychain whether the secret is stored; statusChanged reports the answer.
    void read(const QString &name);
    Status status(const QString &name) const { return m_status.value(name); }
    // Stored in the keychain or kept for the session: there is a value to use.
    bool isHeld(const QString &name) const;

    // What the keychain says about the secret: "stored in the system keychain", "not stored", …
    QString statusText(const QString &name) const;
    // What an empty field for the secret shows: bullets where a value is held, or "checking…".
    QString placeholder(const QString &name) const;
    // The secret's name for a person: "Client secret", "Parameter “api_key”".
    static QString label(const QString &name);

    bool hasStore() const { return m_store != nullptr; }
    // Writes and removes; one saved per success, then saveFinished with the failures.
    void save(const QList<Op> &ops);
    bool isSaving() const { return m_pending > 0; }

Q_SIGNALS:
    // A read or a write answered for that secret.
    void statusChanged(const QString &name);
    // A write or removal succeeded; the field that held the typed value clears it now.
    void saved(const EnvironmentSecrets::Op &op);
    // Every write of the save answered; errors name each that failed.
    void saveFinished(const QStringList &errors);

private:
    QString keyFor(const QString &name) const;
    void setStatus(const QString &name, const Status &status);
    void onSaveAnswered(const Op &op, const SecretResult &result);

    SecretStore *m_store;
    QString m_workspaceId;
    QString m_environmentId;
    QHash<QString, Status> m_status;
    int m_generation = 0;
    int m_pending = 0;
    QStringList m_saveErrors;
};
