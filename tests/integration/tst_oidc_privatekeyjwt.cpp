#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// private_key_jwt client authentication (RFC 7523 §2.2) by the real tokenbench-cli against
// oidc-provider: the client tb-pkjwt is registered with the public halves of keys made here
// (RSA, P-256, Ed25519), and has no secret. The private key goes into the keychain through
// `env add --private-key FILE`; the CLI signs a fresh assertion for each token request.
class TestOidcPrivateKeyJwt : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    static bool openssl(const QStringList &arguments)
    {
        QProcess process;
        process.start(u"openssl"_s, arguments);
        return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    }

    bool makeKey(const QString &name, const QStringList &algorithm)
    {
        return openssl(QStringList{u"genpkey"_s} + algorithm + QStringList{u"-out"_s, path(name + u".pem"_s)})
            && openssl({u"pkey"_s, u"-in"_s, path(name + u".pem"_s), u"-pubout"_s, u"-out"_s, path(name + u".pub"_s)});
    }

    CliRun addEnvironment(const QString &name, const QString &keyId, const QString &keyFile)
    {
        return runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, m_server.tokenEndpoint().toString(), u"--api-url"_s,
                          m_server.apiBase().toString(), u"--client-id"_s, u"tb-pkjwt"_s, u"--client-auth"_s, u"private_key_jwt"_s,
                          u"--signing-key-id"_s, keyId, u"--private-key"_s, keyFile, u"--scope"_s, u"accounts:read"_s, u"--replace"_s}));
    }

    // Neither the key nor an assertion (a JWT starts with eyJ) may reach the terminal.
    static QByteArray leak(const CliRun &run, const QByteArray &key)
    {
        const QByteArray all = run.out + run.err;
        const QByteArray keyBody = key.split('\n').value(1);
        if (all.contains("eyJ"))
            return "a JWT in the output:\n" + all;
        if (all.contains("PRIVATE KEY") || (!keyBody.isEmpty() && all.contains(keyBody)))
            return "the private key in the output:\n" + all;
        return {};
    }

    static QByteArray read(const QString &file)
    {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(makeKey(u"rsa"_s, {u"-algorithm"_s, u"RSA"_s, u"-pkeyopt"_s, u"rsa_keygen_bits:2048"_s}), "openssl could not make an RSA key");
        QVERIFY(makeKey(u"ec"_s, {u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s}));
        QVERIFY(makeKey(u"ed"_s, {u"-algorithm"_s, u"ED25519"_s}));
        QVERIFY(makeKey(u"unregistered"_s, {u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s}));
        m_server.setExtraArguments({u"--pkjwt-key"_s, u"rsa-1="_s + path(u"rsa.pub"_s), u"--pkjwt-key"_s, u"ec-1="_s + path(u"ec.pub"_s),
                                    u"--pkjwt-key"_s, u"ed-1="_s + path(u"ed.pub"_s), u"--verbose"_s});
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        // The keys leave the test keychain with their environments.
        for (const QString &name : {u"pk-rsa"_s, u"pk-ec"_s, u"pk-ed"_s, u"pk-wrong"_s})
            runCli(ws({u"env"_s, u"remove"_s, name}));
    }

    void tokenAndApiCallWithEachKind_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kid");
        QTest::addColumn<QString>("key");
        QTest::newRow("RS256") << u"pk-rsa"_s << u"rsa-1"_s << u"rsa.pem"_s;
        QTest::newRow("ES256") << u"pk-ec"_s << u"ec-1"_s << u"ec.pem"_s;
        QTest::newRow("EdDSA") << u"pk-ed"_s << u"ed-1"_s << u"ed.pem"_s;
    }

    void tokenAndApiCallWithEachKind()
    {
        QFETCH(QString, name);
        QFETCH(QString, kid);
        QFETCH(QString, key);
        const QByteArray keyPem = read(path(key));
        const CliRun add = addEnvironment(name, kid, path(key));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        // Saved without the key: the workspace holds the key id, the keychain the key.
        const QByteArray workspace = read(path(u"ws.json"_s));
        QVERIFY(workspace.contains(kid.toUtf8()));
        QVERIFY(!workspace.contains("PRIVATE KEY"));
        QVERIFY(!workspace.contains(keyPem.split('\n').value(1)));

        const CliRun token = runCli(ws({u"token"_s, name, u"--json"_s, u"--verbose"_s}));
        QVERIFY2(token.exitCode == 0, (token.err + m_server.standardErrorOutput().toUtf8()).constData());
        const QJsonObject json = QJsonDocument::fromJson(token.out).object();
        QVERIFY2(json.value(u"granted_scopes"_s).toArray().contains(u"accounts:read"_s), token.out.constData());
        // The transcript names the assertion and masks it.
        QVERIFY2(token.err.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"), token.err.constData());
        QVERIFY2(token.err.contains("client_assertion=••••"), token.err.constData());
        QVERIFY2(leak(token, keyPem).isEmpty(), leak(token, keyPem).constData());
        QVERIFY(m_server.standardErrorOutput().contains(u"grant.success grant_type=client_credentials client=\"tb-pkjwt\""_s));

        // The API call gets its token the same way (a new assertion: the server refuses a jti twice).
        const CliRun send = runCli(ws({u"send"_s, name, u"GET"_s, u"/accounts"_s}));
        QVERIFY2(send.exitCode == 0, send.err.constData());
        QVERIFY2(leak(send, keyPem).isEmpty(), leak(send, keyPem).constData());
    }

    void aKeyTheServerDoesNotKnowIsRefused()
    {
        const CliRun add = addEnvironment(u"pk-wrong"_s, u"ec-1"_s, path(u"unregistered.pem"_s));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const CliRun token = runCli(ws({u"token"_s, u"pk-wrong"_s}));
        QCOMPARE(token.exitCode, 5); // ServerRefused
        QVERIFY2(token.err.contains("invalid_client"), token.err.constData());
        QVERIFY2(leak(token, read(path(u"unregistered.pem"_s))).isEmpty(), token.err.constData());
    }

    void aKeyStoredFromStandardInputSigns()
    {
        // pk-wrong holds a key the server does not know; the registered one, piped in, replaces it.
        CliRun set = runCli(ws({u"secret"_s, u"set"_s, u"pk-wrong"_s, u"private-key"_s}), QProcessEnvironment::systemEnvironment(),
                            read(path(u"ec.pub"_s)));
        QCOMPARE(set.exitCode, 2); // a public key is no private key: refused, the stored one kept
        QVERIFY2(set.err.contains("private-key"), set.err.constData());
        set = runCli(ws({u"secret"_s, u"set"_s, u"pk-wrong"_s, u"private-key"_s}), QProcessEnvironment::systemEnvironment(), read(path(u"ec.pem"_s)));
        QVERIFY2(set.exitCode == 0, set.err.constData());
        const CliRun token = runCli(ws({u"token"_s, u"pk-wrong"_s}));
        QVERIFY2(token.exitCode == 0, token.err.constData());
    }

    void anUnusableKeyIsRefusedBeforeAnythingIsKept()
    {
        // The public half is no private key: a usage error, and no environment is written.
        const CliRun add = addEnvironment(u"pk-public"_s, u"ec-1"_s, path(u"ec.pub"_s));
        QCOMPARE(add.exitCode, 2);
        QVERIFY2(add.err.contains("--private-key"), add.err.constData());
        QVERIFY(!read(path(u"ws.json"_s)).contains("pk-public"));
    }
};

QTEST_GUILESS_MAIN(TestOidcPrivateKeyJwt)
#include "tst_oidc_privatekeyjwt.moc"
