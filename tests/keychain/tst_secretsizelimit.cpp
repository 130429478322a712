// A keychain with a per-secret limit (Windows Credential Manager's 2,560 bytes, here set smaller
// on the real Secret Service): a secret over it is refused before the keychain is asked — not
// stored, not cut, not kept in memory either — and one exactly at it is stored whole.
#include "secrets/SecretStore.h"
#include "support/SecretWait.h"

#include <QDBusConnection>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestSecretSizeLimit : public QObject
{
    Q_OBJECT

private:
    QString m_key;

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected()) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("no D-Bus session bus, but TOKENBENCH_REQUIRE_KEYCHAIN=1");
            QSKIP("no D-Bus session bus; the keychain tests run in CI inside dbus-run-session");
        }
        m_key = SecretStore::keyFor(QUuid::createUuid().toString(QUuid::WithoutBraces), u"env"_s, SecretStore::clientSecretName());
    }

    void overTheLimitIsRefusedAndNothingIsKept()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        store.setSecretSizeLimit(64);
        // 32 × "é" = 64 bytes, plus one: 65.
        const QString tooLong = QString(32, QChar(0x00E9)) + u'x';
        const SecretResult refused = waitForSecret([&](auto done) { store.write(m_key, tooLong, done); });
        QCOMPARE(refused.status, SecretResult::Status::Error);
        QVERIFY2(refused.message.contains(u"65 bytes"_s) && refused.message.contains(u"at most 64 bytes"_s), qPrintable(refused.message));
        const SecretResult read = waitForSecret([&](auto done) { store.read(m_key, done); });
        QCOMPARE(read.status, SecretResult::Status::NotFound);
        QVERIFY(!read.sessionOnly);
    }

    void atTheLimitIsStoredWhole()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        store.setSecretSizeLimit(64);
        const QString fits(32, QChar(0x00E9));
        const SecretResult written = waitForSecret([&](auto done) { store.write(m_key, fits, done); });
        QVERIFY2(written.status == SecretResult::Status::Stored && !written.sessionOnly, qPrintable(written.message));
        SecretStore other(u"Tokenbench-tests"_s);
        const SecretResult read = waitForSecret([&](auto done) { other.read(m_key, done); });
        QCOMPARE(read.value, fits);
        waitForSecret([&](auto done) { other.remove(m_key, done); });
    }
};

QTEST_GUILESS_MAIN(TestSecretSizeLimit)
#include "tst_secretsizelimit.moc"
