// KeychainBackend::checkSize: a secret larger than what the keychain holds per entry (Windows
// Credential Manager: 2,560 bytes) is refused with both sizes, counted as QtKeychain stores text
// (UTF-8 bytes, not characters), and never cut; the platform's own limit is the store's default.
#include "secrets/KeychainBackend.h"
#include "secrets/SecretStore.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestKeychainBackend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noLimitTakesAnything()
    {
        QVERIFY(KeychainBackend::checkSize(QString(100000, u'x'), std::nullopt).isEmpty());
    }

    void fitsUpToTheLimitExactly()
    {
        QVERIFY(KeychainBackend::checkSize(QString(2560, u'x'), 2560).isEmpty());
        QVERIFY(KeychainBackend::checkSize(QString(), 2560).isEmpty());
        const QString refused = KeychainBackend::checkSize(QString(2561, u'x'), 2560, u"Windows Credential Manager"_s);
        QCOMPARE(refused, u"the secret is 2,561 bytes (UTF-8) and Windows Credential Manager stores at most 2,560 bytes per secret: "
                          "it was not saved, nor cut to fit"_s);
    }

    void countsUtf8BytesNotCharacters()
    {
        // 1,000 characters of "ü" are 2,000 bytes; 1,281 of them are 2,562, over 2,560.
        QVERIFY(KeychainBackend::checkSize(QString(1000, QChar(0x00FC)), 2560).isEmpty());
        QVERIFY(KeychainBackend::checkSize(QString(1281, QChar(0x00FC)), 2560).contains(u"2,562 bytes"_s));
        // A character outside the BMP is 4 bytes (2 UTF-16 units).
        const QString emoji = QString::fromUtf8("\xF0\x9F\x94\x91");
        QVERIFY(KeychainBackend::checkSize(emoji.repeated(640), 2560).isEmpty());
        QVERIFY(!KeychainBackend::checkSize(emoji.repeated(640) + u'x', 2560).isEmpty());
    }

    void theStoreStartsWithThePlatformsLimit()
    {
        SecretStore store(u"Tokenbench-tests"_s);
        QCOMPARE(store.secretSizeLimit(), KeychainBackend::secretSizeLimit());
#if defined(Q_OS_WIN)
        QCOMPARE(KeychainBackend::secretSizeLimit(), std::optional<qsizetype>(2560));
        QCOMPARE(KeychainBackend::name(), u"Windows Credential Manager"_s);
#else
        QCOMPARE(KeychainBackend::secretSizeLimit(), std::nullopt);
#endif
    }

    void theStoreRefusesBeforeTheKeychainIsAsked()
    {
        // Refused at once, synchronously: no keychain job was started, nothing kept in memory.
        SecretStore store(u"Tokenbench-tests"_s);
        store.setSecretSizeLimit(16);
        bool answered = false;
        SecretResult result;
        store.write(u"ws/env/client-secret"_s, QString(17, u'k'), [&](const SecretResult &r) {
            result = r;
            answered = true;
        });
        QVERIFY(answered);
        QCOMPARE(result.status, SecretResult::Status::Error);
        QVERIFY(!result.sessionOnly);
        QVERIFY2(result.message.startsWith(u"the secret is 17 bytes (UTF-8) and "_s), qPrintable(result.message));
        QVERIFY2(result.message.contains(u"at most 16 bytes per secret"_s), qPrintable(result.message));
        // A keychain job, had one started, would have answered by now and marked the store probed.
        QTest::qWait(300);
        QVERIFY(!store.isProbed());
    }
};

QTEST_GUILESS_MAIN(TestKeychainBackend)
#include "tst_keychainbackend.moc"
