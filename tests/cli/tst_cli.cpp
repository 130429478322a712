#include "demo/DemoServer.h"
#include "support/CliRunner.h"
#include "secrets/SecretStore.h"
#include "support/SecretWait.h"
#include "workspace/Environment.h"
#include "workspace/WorkspaceStore.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment envWith(const QString &name, const QString &value)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(name, value);
        return env;
    }

    void addDemoProfile(const QString &name, const QString &auth, const QStringList &extra = {})
    {
        const CliRun run = runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s,
                                      m_demo.apiUrl().toString(), u"--client-id"_s, DemoServer::clientId(), u"--client-auth"_s, auth,
                                      u"--scope"_s, u"accounts:read"_s, u"--scope"_s, u"trades:read"_s, u"--replace"_s})
                                  + extra);
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    QByteArray fileBytes() const
    {
        QFile file(m_workspace);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void helpDocumentsCommandsAndExitCodes()
    {
        const CliRun run = runCli({u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        for (const char *needle : {"env add", "secret set", "token ", "demo", "Exit codes", "--client-secret-env"})
            QVERIFY2(run.out.contains(needle), needle);
        // A command's options are in its own help.
        const CliRun token = runCli({u"token"_s, u"--help"_s});
        QCOMPARE(token.exitCode, 0);
        for (const char *needle : {"token NAME", "--show-token", "--client-secret-env VAR"})
            QVERIFY2(token.out.contains(needle), needle);
        QCOMPARE(runCli({u"frobnicate"_s}).exitCode, 2);
        QCOMPARE(runCli(ws({u"token"_s})).exitCode, 2);
    }

    void builtinDemoEnvironmentWorksOutOfTheBox()
    {
        const CliRun run = runCli(ws({u"token"_s, u"Demo"_s, u"--json"_s}));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"environment"_s).toString(), u"Demo"_s);
        QCOMPARE(json.value(u"token_type"_s).toString(), u"Bearer"_s);
        QCOMPARE(json.value(u"granted_scopes"_s).toArray(), (QJsonArray{u"accounts:read"_s, u"trades:read"_s, u"core.users:act-on-behalf-of"_s}));
        QCOMPARE(json.value(u"jwt"_s).toObject().value(u"kind"_s).toString(), u"jwt"_s);
        QCOMPARE(json.value(u"jwt"_s).toObject().value(u"claims"_s).toObject().value(u"client_id"_s).toString(), DemoServer::clientId());
        QVERIFY(json.value(u"expires_in"_s).toInt() > 250);
        QVERIFY(!json.contains(u"access_token"_s));

        const CliRun shown = runCli(ws({u"token"_s, u"Demo"_s, u"--json"_s, u"--show-token"_s}));
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.json().value(u"access_token"_s).toString().startsWith(u"eyJ"_s));

        const CliRun text = runCli(ws({u"token"_s, u"Demo"_s}));
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("Granted:"));
        QVERIFY(text.out.contains("JWT claims:"));
        QVERIFY(text.out.contains("--show-token"));
        QVERIFY(!text.out.contains("eyJ"));
    }

    void envAddShowListRemove()
    {
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"Cymbio staging"_s, u"--tier"_s, u"staging"_s, u"--token-url"_s,
                                      u"https://cymbio3-api-staging.cym.bio/oauth/token"_s, u"--api-url"_s, u"https://cymbio3-api-staging.cym.bio/"_s,
                                      u"--client-id"_s, u"cid"_s, u"--client-auth"_s, u"body"_s, u"--scope"_s, u"read:orders write:orders"_s,
                                      u"--param"_s, u"username=supplier@example.com"_s, u"--secret-param"_s, u"password"_s,
                                      u"--header"_s, u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=42"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const CliRun show = runCli(ws({u"--json"_s, u"env"_s, u"show"_s, u"cymbio staging"_s}));
        QCOMPARE(show.exitCode, 0);
        const QJsonObject env = show.json();
        QCOMPARE(env.value(u"tier"_s).toString(), u"staging"_s);
        QCOMPARE(env.value(u"clientAuth"_s).toString(), u"body"_s);
        QCOMPARE(env.value(u"scopes"_s).toArray(), (QJsonArray{u"read:orders"_s, u"write:orders"_s}));
        QCOMPARE(env.value(u"contextHeaders"_s).toArray().first().toObject().value(u"value"_s).toString(), u"user {{userId}}"_s);
        QCOMPARE(env.value(u"tokenParams"_s).toArray().at(1).toObject().value(u"secret"_s).toBool(), true);

        const CliRun list = runCli(ws({u"env"_s, u"list"_s}));
        QVERIFY(list.out.contains("Demo"));
        QVERIFY(list.out.contains("Cymbio staging"));
        QCOMPARE(runCli(ws({u"env"_s, u"add"_s, u"Cymbio staging"_s, u"--token-url"_s, u"https://x.example/t"_s, u"--api-url"_s,
                             u"https://x.example/"_s, u"--client-id"_s, u"c"_s}))
                     .exitCode,
                 3); // exists, no --replace
        QCOMPARE(runCli(ws({u"env"_s, u"add"_s, u"Bad"_s, u"--token-url"_s, u"not a url"_s, u"--api-url"_s, u"https://x.example/"_s,
                             u"--client-id"_s, u"c"_s}))
                     .exitCode,
                 2);
        QCOMPARE(runCli(ws({u"env"_s, u"remove"_s, u"Cymbio staging"_s})).exitCode, 0);
        QVERIFY(!runCli(ws({u"env"_s, u"list"_s})).out.contains("Cymbio"));
        QCOMPARE(runCli(ws({u"env"_s, u"show"_s, u"Cymbio staging"_s})).exitCode, 3);
    }

    void tokenWithEveryClientAuthStyle_data()
    {
        QTest::addColumn<QString>("auth");
        QTest::newRow("basic") << u"basic"_s;
        QTest::newRow("body") << u"body"_s;
        QTest::newRow("json") << u"json"_s;
    }

    void tokenWithEveryClientAuthStyle()
    {
        QFETCH(QString, auth);
        const QString name = u"Local "_s + auth;
        addDemoProfile(name, auth);
        const CliRun run = runCli(ws({u"token"_s, name, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--json"_s}),
                                  envWith(u"TB_SECRET"_s, DemoServer::clientSecret()));
        QVERIFY2(run.exitCode == 0, run.out.constData());
        QCOMPARE(run.json().value(u"granted_scopes"_s).toArray().size(), 2);

        // Reading the secret from stdin keeps the process waiting, so its argv can be read reliably.
        QString cmdline;
        const CliRun viaStdin = runCli(ws({u"token"_s, name, u"--client-secret-stdin"_s, u"--scope"_s, u"trades:read"_s, u"--json"_s}),
                                       QProcessEnvironment::systemEnvironment(), DemoServer::clientSecret().toUtf8() + '\n', &cmdline);
        QVERIFY2(viaStdin.exitCode == 0, viaStdin.out.constData());
        QCOMPARE(viaStdin.json().value(u"granted_scopes"_s).toArray(), QJsonArray{u"trades:read"_s});
        QVERIFY(cmdline.contains(u"--client-secret-stdin"_s));
        QVERIFY(!cmdline.contains(DemoServer::clientSecret()));
        QVERIFY(!fileBytes().contains(DemoServer::clientSecret().toUtf8()));
    }

    void envAddDefaultTierAndSecretHints()
    {
        // Without --tier, the tier a new environment gets in the desktop app too (custom).
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"Untiered"_s, u"--token-url"_s, u"https://id.example/oauth/token"_s,
                                      u"--api-url"_s, u"https://api.example/"_s, u"--client-id"_s, u"cid"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        QVERIFY(add.out.contains("secret set \"Untiered\" client-secret"));
        QVERIFY(!add.out.contains(" password"));
        const CliRun show = runCli(ws({u"--json"_s, u"env"_s, u"show"_s, u"Untiered"_s}));
        QCOMPARE(show.json().value(u"tier"_s).toString(), Environment::tierName(Environment::NewTier));
        QCOMPARE(show.json().value(u"tier"_s).toString(), u"custom"_s);

        // The password grant needs the password stored too, and says how.
        const CliRun password = runCli(ws({u"env"_s, u"add"_s, u"Password user"_s, u"--token-url"_s, u"https://id.example/oauth/token"_s,
                                           u"--api-url"_s, u"https://api.example/"_s, u"--client-id"_s, u"cid"_s, u"--grant"_s, u"password"_s,
                                           u"--username"_s, u"alice"_s, u"--secret-param"_s, u"api_key"_s}));
        QVERIFY2(password.exitCode == 0, password.err.constData());
        QVERIFY2(password.out.contains("secret set \"Password user\" client-secret"), password.out.constData());
        QVERIFY2(password.out.contains("tokenbench-cli secret set \"Password user\" password"), password.out.constData());
        QVERIFY2(password.out.contains("secret set \"Password user\" param:api_key"), password.out.constData());
        QVERIFY(!password.out.contains("Untiered"));
        QCOMPARE(runCli(ws({u"env"_s, u"remove"_s, u"Untiered"_s})).exitCode, 0);
        QCOMPARE(runCli(ws({u"env"_s, u"remove"_s, u"Password user"_s})).exitCode, 0);
    }

    void passwordGrant()
    {
        addDemoProfile(u"Local password"_s, u"body"_s, {u"--grant"_s, u"password"_s, u"--username"_s, DemoServer::username()});
        QProcessEnvironment env = envWith(u"TB_SECRET"_s, DemoServer::clientSecret());
        env.insert(u"TB_PASSWORD"_s, DemoServer::password());
        const CliRun run = runCli(ws({u"token"_s, u"Local password"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--password-env"_s,
                                      u"TB_PASSWORD"_s, u"--json"_s}),
                                  env);
        QVERIFY2(run.exitCode == 0, run.out.constData());
        QCOMPARE(run.json().value(u"jwt"_s).toObject().value(u"claims"_s).toObject().value(u"sub"_s).toString(), DemoServer::username());

        env.insert(u"TB_PASSWORD"_s, u"wrong"_s);
        const CliRun wrong = runCli(ws({u"token"_s, u"Local password"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--password-env"_s,
                                        u"TB_PASSWORD"_s, u"--json"_s}),
                                    env);
        QCOMPARE(wrong.exitCode, 5);
        QCOMPARE(wrong.json().value(u"error"_s).toObject().value(u"error"_s).toString(), u"invalid_grant"_s);
    }

    void serverErrorsAreExplained()
    {
        addDemoProfile(u"Local errors"_s, u"basic"_s);
        CliRun run = runCli(ws({u"token"_s, u"Local errors"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--json"_s}),
                            envWith(u"TB_SECRET"_s, u"wrong-secret"_s));
        QCOMPARE(run.exitCode, 5);
        QJsonObject error = run.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"error"_s).toString(), u"invalid_client"_s);
        QCOMPARE(error.value(u"status"_s).toInt(), 401);
        QVERIFY(!error.value(u"hint"_s).toString().isEmpty());

        run = runCli(ws({u"token"_s, u"Local errors"_s, u"--scope"_s, u"vault:empty"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}),
                     envWith(u"TB_SECRET"_s, DemoServer::clientSecret()));
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(run.err.contains("invalid_scope"), run.err.constData());
        QVERIFY(run.err.contains("Hint:"));

        QCOMPARE(runCli(ws({u"token"_s, u"Local errors"_s, u"--client-secret-env"_s, u"TB_UNSET_VARIABLE"_s})).exitCode, 4);
        QCOMPARE(runCli(ws({u"token"_s, u"Nowhere"_s})).exitCode, 3);
    }

    void transportFailuresAndInsecureUrls()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 freePort = probe.serverPort();
        probe.close();
        QVERIFY(runCli(ws({u"env"_s, u"add"_s, u"Refused"_s, u"--token-url"_s, u"http://127.0.0.1:%1/token"_s.arg(freePort), u"--api-url"_s,
                           u"http://127.0.0.1/"_s, u"--client-id"_s, u"c"_s}))
                    .exitCode
                == 0);
        CliRun run = runCli(ws({u"token"_s, u"Refused"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--json"_s}), envWith(u"TB_SECRET"_s, u"x"_s));
        QCOMPARE(run.exitCode, 6);
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"network"_s);

        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"Plain"_s, u"--token-url"_s, u"http://id.example.com/token"_s, u"--api-url"_s,
                                      u"https://api.example.com/"_s, u"--client-id"_s, u"c"_s}));
        QCOMPARE(add.exitCode, 0);
        QVERIFY(add.err.contains("plain http"));
        run = runCli(ws({u"token"_s, u"Plain"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--json"_s}), envWith(u"TB_SECRET"_s, u"x"_s));
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.json().value(u"error"_s).toObject().value(u"kind"_s).toString(), u"insecure_url"_s);
    }

    void verboseTranscriptMasksSecrets()
    {
        addDemoProfile(u"Local verbose"_s, u"body"_s);
        const CliRun run = runCli(ws({u"token"_s, u"Local verbose"_s, u"--verbose"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}),
                                  envWith(u"TB_SECRET"_s, DemoServer::clientSecret()));
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("POST "));
        QVERIFY(run.err.contains("client_secret=••••"));
        for (const QByteArray &stream : {run.out, run.err}) {
            QVERIFY(!stream.contains(DemoServer::clientSecret().toUtf8()));
            QVERIFY(!stream.contains("eyJ")); // nor the token
        }
    }

    void debugLoggingLeaksNothing()
    {
        addDemoProfile(u"Local logging"_s, u"json"_s);
        QProcessEnvironment env = envWith(u"TB_SECRET"_s, DemoServer::clientSecret());
        env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
        const CliRun run = runCli(ws({u"token"_s, u"Local logging"_s, u"--verbose"_s, u"--client-secret-env"_s, u"TB_SECRET"_s}), env);
        QCOMPARE(run.exitCode, 0);
        const QByteArray all = run.out + run.err;
        QVERIFY(!all.contains(DemoServer::clientSecret().toUtf8()));
        QVERIFY(!all.contains(DemoServer::clientSecret().toUtf8().toBase64()));
        QVERIFY(!all.contains("eyJ")); // no token, no JWT segment
        QVERIFY(run.err.contains("\"client_secret\":\"••••\""));
    }

    void corruptWorkspaceIsRefusedAndKept()
    {
        const QString path = m_dir.filePath(u"corrupt.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray garbage = "{\"format\": \"tokenbench-workspace\", \"schemaVersion\": 1, \"environments\": [ {";
        file.write(garbage);
        file.close();
        for (const QStringList &args : {QStringList{u"env"_s, u"list"_s}, QStringList{u"token"_s, u"Demo"_s},
                                        QStringList{u"env"_s, u"add"_s, u"X"_s, u"--token-url"_s, u"https://a.example/t"_s, u"--api-url"_s,
                                                    u"https://a.example/"_s, u"--client-id"_s, u"c"_s}}) {
            const CliRun run = runCli(QStringList{u"--workspace"_s, path} + args);
            QCOMPARE(run.exitCode, 3);
            QVERIFY2(run.err.contains("invalid JSON"), run.err.constData());
        }
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), garbage);
    }

    void secretsThroughTheKeychain()
    {
        addDemoProfile(u"Local keychain"_s, u"basic"_s);
        // Without any D-Bus the CLI must say the secret cannot be kept, not pretend.
        const CliRun noBus = runCli(ws({u"secret"_s, u"set"_s, u"Local keychain"_s, u"client-secret"_s}),
                                    envWith(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/tokenbench"_s), "whatever\n");
        QCOMPARE(noBus.exitCode, 4);
        QVERIFY2(noBus.err.contains("Nothing was stored"), noBus.err.constData());

        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("TOKENBENCH_REQUIRE_KEYCHAIN=1 but there is no session bus");
            QSKIP("no session bus: run inside dbus-run-session with gnome-keyring-daemon for the keychain half");
        }
        QString cmdline;
        const CliRun set = runCli(ws({u"secret"_s, u"set"_s, u"Local keychain"_s, u"client-secret"_s}), QProcessEnvironment::systemEnvironment(),
                                  DemoServer::clientSecret().toUtf8() + '\n', &cmdline);
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QVERIFY(!cmdline.contains(DemoServer::clientSecret()));
        QVERIFY(!fileBytes().contains(DemoServer::clientSecret().toUtf8()));

        const CliRun token = runCli(ws({u"token"_s, u"Local keychain"_s, u"--json"_s}));
        QVERIFY2(token.exitCode == 0, token.out + token.err);
        QCOMPARE(token.json().value(u"granted_scopes"_s).toArray().size(), 2);

        QCOMPARE(runCli(ws({u"secret"_s, u"remove"_s, u"Local keychain"_s, u"client-secret"_s})).exitCode, 0);
        const CliRun gone = runCli(ws({u"token"_s, u"Local keychain"_s}));
        QCOMPARE(gone.exitCode, 4);
        QVERIFY(gone.err.contains("secret set"));
    }

    void removingAnEnvironmentLeavesNothingInTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("TOKENBENCH_REQUIRE_KEYCHAIN=1 but there is no session bus");
            QSKIP("no session bus: run inside dbus-run-session with gnome-keyring-daemon");
        }
        addDemoProfile(u"Doomed"_s, u"basic"_s);
        const auto loaded = WorkspaceStore::load(m_workspace);
        QVERIFY(loaded.workspace);
        const Environment *doomed = loaded.workspace->find(u"Doomed"_s);
        QVERIFY(doomed);
        // Every kind of entry an environment can have, as the CLI and the app each write them.
        SecretStore keychain(u"Tokenbench"_s);
        const QStringList names{SecretStore::clientSecretName(), SecretStore::passwordName(), SecretStore::refreshTokenName(),
                                SecretStore::clientKeyName(), SecretStore::privateKeyName(), SecretStore::proxyPasswordName()};
        for (const QString &name : names) {
            const QString key = SecretStore::keyFor(loaded.workspace->id(), doomed->id, name);
            const SecretResult stored = waitForSecret([&](SecretStore::Callback done) { keychain.write(key, u"value of "_s + name, done); });
            QVERIFY2(stored.ok() && !stored.sessionOnly, qPrintable(stored.message));
        }

        const CliRun removed = runCli(ws({u"env"_s, u"remove"_s, u"Doomed"_s}));
        QVERIFY2(removed.exitCode == 0, removed.err.constData());
        for (const QString &name : names) {
            const QString key = SecretStore::keyFor(loaded.workspace->id(), doomed->id, name);
            QCOMPARE(waitForSecret([&](SecretStore::Callback done) { keychain.read(key, done); }).status, SecretResult::Status::NotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
