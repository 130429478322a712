#include "secrets/SecretStore.h"
#include "support/SecretWait.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceStore.h"

#include <QDBusConnection>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    SecretStore m_store{u"Tokenbench-tests"_s};
    QString m_key;

private Q_SLOTS:
    void initTestCase()
    {
        const bool required = qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1;
        if (!QDBusConnection::sessionBus().isConnected()) {
            if (required)
                QFAIL("no D-Bus session bus, but TOKENBENCH_REQUIRE_KEYCHAIN=1 (run inside dbus-run-session with gnome-keyring-daemon --unlock)");
            QSKIP("no D-Bus session bus; the keychain tests run in CI inside dbus-run-session");
        }
        m_key = SecretStore::keyFor(QUuid::createUuid().toString(QUuid::WithoutBraces), u"env"_s, SecretStore::clientSecretName());
    }

    void probeFindsTheKeychain()
    {
        SecretStore fresh(u"Tokenbench-tests"_s);
        QVERIFY(fresh.statusText().contains(u"checking"_s));
        QSignalSpy availability(&fresh, &SecretStore::keychainAvailabilityChanged);
        fresh.probe();
        QVERIFY(availability.wait(20000) || availability.count() > 0);
        QVERIFY(fresh.keychainAvailable());
        QCOMPARE(fresh.statusText(), u"stored in the system keychain"_s);
    }

    void storeReadOverwriteDelete()
    {
        const QString secret = u"s3cr:et+%& ü/= with spaces"_s;
        SecretResult result = waitForSecret([&](auto done) { m_store.write(m_key, secret, done); });
        QVERIFY2(result.status == SecretResult::Status::Stored, qPrintable(result.message));
        QVERIFY2(!result.sessionOnly, qPrintable(result.message));
        QVERIFY(m_store.keychainAvailable());
        QCOMPARE(m_store.statusText(), u"stored in the system keychain"_s);

        // A second store instance proves the value came from the keychain, not from memory.
        SecretStore other(u"Tokenbench-tests"_s);
        result = waitForSecret([&](auto done) { other.read(m_key, done); });
        QCOMPARE(result.status, SecretResult::Status::Found);
        QCOMPARE(result.value, secret);
        QVERIFY(!result.sessionOnly);

        result = waitForSecret([&](auto done) { m_store.write(m_key, u"rotated"_s, done); });
        QCOMPARE(result.status, SecretResult::Status::Stored);
        result = waitForSecret([&](auto done) { other.read(m_key, done); });
        QCOMPARE(result.value, u"rotated"_s);

        result = waitForSecret([&](auto done) { m_store.remove(m_key, done); });
        QCOMPARE(result.status, SecretResult::Status::Removed);
        result = waitForSecret([&](auto done) { other.read(m_key, done); });
        QCOMPARE(result.status, SecretResult::Status::NotFound);
        QVERIFY(result.value.isEmpty());
    }

    void longSecretsRoundTripUntruncated()
    {
        // A 6 KB JWT-sized value: Secret Service has no small per-entry limit, so it must come back whole.
        QString big;
        for (int i = 0; i < 6144; ++i)
            big.append(QChar(u'a' + (i % 26)));
        const QString key = m_key + u"-big"_s;
        QCOMPARE(waitForSecret([&](auto done) { m_store.write(key, big, done); }).status, SecretResult::Status::Stored);
        SecretStore other(u"Tokenbench-tests"_s);
        const SecretResult read = waitForSecret([&](auto done) { other.read(key, done); });
        QCOMPARE(read.value.size(), big.size());
        QCOMPARE(read.value, big);
        waitForSecret([&](auto done) { m_store.remove(key, done); });
    }

    void workspaceFileNeverHoldsTheSecret()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Workspace workspace = Workspace::createDefault();
        Environment env;
        env.name = u"Sandbox"_s;
        env.tokenUrl = QUrl(u"https://id.sandbox.example/oauth/token"_s);
        env.clientId = u"bank-client"_s;
        env.params = {{u"api_key"_s, u"PARAM-SECRET-VALUE"_s, true}};
        const Environment &stored = workspace.upsert(env);
        const QString secret = u"CLIENT-SECRET-VALUE-42"_s;
        const QString key = SecretStore::keyFor(workspace.id(), stored.id, SecretStore::clientSecretName());
        QCOMPARE(waitForSecret([&](auto done) { m_store.write(key, secret, done); }).status, SecretResult::Status::Stored);

        const QString path = dir.filePath(u"ws.json"_s);
        QVERIFY(WorkspaceStore::save(workspace, path).ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        for (const QString &value : {secret, u"PARAM-SECRET-VALUE"_s}) {
            QVERIFY(!bytes.contains(value.toUtf8()));
            QVERIFY(!bytes.contains(value.toUtf8().toBase64()));
            QVERIFY(!bytes.contains(value.toUtf8().toPercentEncoding()));
        }
        // ... and the keychain entry is keyed so that the reloaded workspace finds it again.
        const auto loaded = WorkspaceStore::load(path);
        QVERIFY(loaded.ok());
        const Environment *reloaded = loaded.workspace->find(u"Sandbox"_s);
        QVERIFY(reloaded);
        const SecretResult read =
            waitForSecret([&](auto done) { m_store.read(SecretStore::keyFor(loaded.workspace->id(), reloaded->id, SecretStore::clientSecretName()), done); });
        QCOMPARE(read.value, secret);
        waitForSecret([&](auto done) { m_store.remove(key, done); });
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
