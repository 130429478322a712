#include "secrets/SecretStore.h"
#include "support/SecretWait.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString secret = u"NO-BACKEND-SECRET-7781"_s;
} // namespace

// ctest runs this with a session bus address that leads nowhere, like a Linux box without a
// Secret Service. The store must say so, keep the secret for the session only, and write nothing.
class TestSecretStoreNoBackend : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // Wherever a plaintext fallback would write (QSettings under ~/.config), it would land here.
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", (m_home.path() + u"/.config"_s).toLocal8Bit());
        qputenv("XDG_DATA_HOME", (m_home.path() + u"/.local/share"_s).toLocal8Bit());
    }

    void probeSaysSoUpFront()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        QVERIFY(store.statusText().contains(u"checking"_s));
        QSignalSpy availability(&store, &SecretStore::keychainAvailabilityChanged);
        store.probe();
        QVERIFY(availability.wait(20000) || availability.count() > 0);
        QVERIFY(store.isProbed());
        QVERIFY(!store.keychainAvailable());
        QVERIFY2(store.statusText().contains(u"session only"_s), qPrintable(store.statusText()));
    }

    void writeFallsBackToSessionMemory()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        QSignalSpy availability(&store, &SecretStore::keychainAvailabilityChanged);
        const QString key = SecretStore::keyFor(u"ws"_s, u"env"_s, SecretStore::clientSecretName());
        const SecretResult written = waitForSecret([&](auto done) { store.write(key, secret, done); });
        QCOMPARE(written.status, SecretResult::Status::Stored);
        QVERIFY(written.sessionOnly);
        QVERIFY2(written.message.contains(u"session only"_s), qPrintable(written.message));
        QVERIFY(!store.keychainAvailable());
        QCOMPARE(availability.count(), 1);
        QVERIFY(store.statusText().startsWith(u"keychain unavailable"_s));

        const SecretResult read = waitForSecret([&](auto done) { store.read(key, done); });
        QCOMPARE(read.status, SecretResult::Status::Found);
        QCOMPARE(read.value, secret);
        QVERIFY(read.sessionOnly);

        // A new store (a new session) has nothing: nothing was persisted anywhere.
        SecretStore next(u"Tokenbench-tests"_s);
        const SecretResult again = waitForSecret([&](auto done) { next.read(key, done); });
        QCOMPARE(again.status, SecretResult::Status::NotFound);
        QVERIFY(again.value.isEmpty());

        QCOMPARE(waitForSecret([&](auto done) { store.remove(key, done); }).status, SecretResult::Status::Removed);
        QCOMPARE(waitForSecret([&](auto done) { store.read(key, done); }).status, SecretResult::Status::NotFound);
    }

    void nothingWasWrittenToDisk()
    {
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(file.fileName()));
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretStoreNoBackend)
#include "tst_secretstore_nobackend.moc"
