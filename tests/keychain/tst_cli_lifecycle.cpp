#include "../cli/support/CliRunner.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "support/SecretWait.h"

#include <QDBusConnection>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// tokenbench-cli's token lifecycle against a Demo API living in this process (so it outlives each
// run): a refresh token kept in the real Secret Service between runs, rotated, never printed;
// introspect; revoke of the kept one and of one given on stdin.
class TestCliLifecycle : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    DemoServer m_demo;
    QString m_workspace;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    static QProcessEnvironment secretEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TB_SECRET"_s, DemoServer::clientSecret());
        env.insert(u"TB_PASSWORD"_s, DemoServer::password());
        return env;
    }

    CliRun cli(const QStringList &rest, const QByteArray &stdinData = {})
    {
        return runCli(ws(rest + QStringList{u"--client-secret-env"_s, u"TB_SECRET"_s}), secretEnv(), stdinData);
    }

    CliRun token(const QString &name, const QStringList &more = {})
    {
        return cli(QStringList{u"token"_s, name, u"--json"_s, u"--password-env"_s, u"TB_PASSWORD"_s} + more);
    }

    void addEnvironment(const QString &name, bool keep, bool withEndpoints = true)
    {
        QStringList args{u"env"_s, u"add"_s, name, u"--token-url"_s, m_demo.tokenUrl().toString(), u"--api-url"_s, m_demo.apiUrl().toString(),
                         u"--client-id"_s, DemoServer::clientId(), u"--grant"_s, u"password"_s, u"--username"_s, DemoServer::username()};
        if (keep)
            args.append(u"--keep-refresh-token"_s);
        if (withEndpoints)
            args += {u"--revocation-url"_s, m_demo.revocationUrl().toString(), u"--introspection-url"_s, m_demo.introspectionUrl().toString()};
        const CliRun run = runCli(ws(args));
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    // The kept refresh token, read from the keychain as the CLI keys it.
    SecretResult kept(const QString &name) const
    {
        QFile file(m_workspace);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QJsonObject workspace = QJsonDocument::fromJson(file.readAll()).object();
        QString envId;
        for (const QJsonValue &env : workspace.value(u"environments"_s).toArray()) {
            if (env.toObject().value(u"name"_s).toString() == name)
                envId = env.toObject().value(u"id"_s).toString();
        }
        SecretStore store(u"Tokenbench"_s);
        const QString key = SecretStore::keyFor(workspace.value(u"id"_s).toString(), envId, SecretStore::refreshTokenName());
        return waitForSecret([&](auto done) { store.read(key, done); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected()) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("no D-Bus session bus, but TOKENBENCH_REQUIRE_KEYCHAIN=1");
            QSKIP("no D-Bus session bus; the keychain tests run in CI inside dbus-run-session");
        }
        QVERIFY(m_dir.isValid());
        QVERIFY(m_demo.start());
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        addEnvironment(u"kept"_s, true);
        addEnvironment(u"memory"_s, false);
        addEnvironment(u"bare"_s, true, false);
    }

    void aKeptRefreshTokenRenewsTheNextRunAndRotates()
    {
        const CliRun first = token(u"kept"_s);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(first.json().value(u"refresh_token_held"_s), QJsonValue(true));
        QCOMPARE(first.json().value(u"refresh_token_kept"_s), QJsonValue(true));
        QVERIFY(first.json().value(u"refreshed_at"_s).isNull());
        const SecretResult one = kept(u"kept"_s);
        QCOMPARE(one.status, SecretResult::Status::Found);
        QVERIFY(one.value.startsWith(u"demo-rt-"_s));
        QVERIFY(!first.out.contains(one.value.toUtf8()));

        // A new process: the keychain's refresh token renews, and the Demo rotates it.
        const CliRun second = token(u"kept"_s, {u"--show-token"_s, u"--verbose"_s});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY(second.json().value(u"refreshed_at"_s).isString());
        QVERIFY(second.err.contains("grant_type=refresh_token&refresh_token=••••"));
        const SecretResult two = kept(u"kept"_s);
        QCOMPARE(two.status, SecretResult::Status::Found);
        QVERIFY(two.value != one.value);
        // Never printed, not even with --show-token or --verbose.
        for (const QString &value : {one.value, two.value}) {
            QVERIFY(!second.out.contains(value.toUtf8()));
            QVERIFY(!second.err.contains(value.toUtf8()));
        }
    }

    void aRefreshTokenIsNotKeptUnlessAsked()
    {
        const CliRun run = token(u"memory"_s);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(u"refresh_token_held"_s), QJsonValue(true));
        QCOMPARE(run.json().value(u"refresh_token_kept"_s), QJsonValue(false));
        QCOMPARE(kept(u"memory"_s).status, SecretResult::Status::NotFound);
        const CliRun again = token(u"memory"_s);
        QVERIFY(again.json().value(u"refreshed_at"_s).isNull()); // nothing carried over
    }

    void introspectSaysWhatTheTokenIs()
    {
        const CliRun run = cli({u"introspect"_s, u"kept"_s, u"--json"_s, u"--password-env"_s, u"TB_PASSWORD"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"active"_s), QJsonValue(true));
        const QJsonObject answer = json.value(u"introspection"_s).toObject();
        QCOMPARE(answer.value(u"client_id"_s).toString(), DemoServer::clientId());
        QCOMPARE(answer.value(u"sub"_s).toString(), DemoServer::username());
        QCOMPARE(answer.value(u"scope"_s).toString(), u"accounts:read trades:read"_s);
        QVERIFY(answer.value(u"exp"_s).isDouble());

        const CliRun text = cli({u"introspect"_s, u"kept"_s, u"--password-env"_s, u"TB_PASSWORD"_s});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY(text.out.contains("Active:        yes"));
        QVERIFY(text.out.contains("client_id:     demo-client"));
    }

    void revokeOnStdinThenIntrospectSaysInactive()
    {
        const CliRun got = token(u"memory"_s, {u"--show-token"_s});
        const QByteArray access = got.json().value(u"access_token"_s).toString().toUtf8();
        QVERIFY(!access.isEmpty());
        const CliRun revoked = cli({u"revoke"_s, u"memory"_s, u"--token-stdin"_s}, access);
        QVERIFY2(revoked.exitCode == 0, revoked.err.constData());
        QVERIFY(revoked.out.contains("revoked the access token"));
        const CliRun asked = cli({u"introspect"_s, u"memory"_s, u"--token-stdin"_s, u"--json"_s}, access);
        QVERIFY2(asked.exitCode == 0, asked.err.constData());
        QCOMPARE(asked.json().value(u"active"_s), QJsonValue(false));
        QVERIFY(!asked.out.contains(access));
    }

    void revokeLogsOutTheKeptRefreshToken()
    {
        QVERIFY2(token(u"kept"_s).exitCode == 0, "no token");
        const SecretResult before = kept(u"kept"_s);
        QCOMPARE(before.status, SecretResult::Status::Found);
        const CliRun run = cli({u"revoke"_s, u"kept"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains("revoked the refresh token"));
        QCOMPARE(kept(u"kept"_s).status, SecretResult::Status::NotFound);
        // The server no longer knows it.
        const CliRun asked = cli({u"introspect"_s, u"kept"_s, u"--token-stdin"_s, u"--token-type-hint"_s, u"refresh_token"_s, u"--json"_s},
                                 before.value.toUtf8());
        QCOMPARE(asked.json().value(u"active"_s), QJsonValue(false));
        // Nothing kept: nothing to revoke, and that is no failure.
        const CliRun again = cli({u"revoke"_s, u"kept"_s});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains("nothing to revoke"));
    }

    void withoutARevocationUrlTheKeptTokenIsForgottenAndTheFailureSaid()
    {
        QVERIFY2(token(u"bare"_s).exitCode == 0, "no token");
        QCOMPARE(kept(u"bare"_s).status, SecretResult::Status::Found);
        const CliRun run = cli({u"revoke"_s, u"bare"_s});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains("no revocation URL"), run.err.constData());
        QCOMPARE(kept(u"bare"_s).status, SecretResult::Status::NotFound);
        QCOMPARE(cli({u"introspect"_s, u"bare"_s}).exitCode, 3);
    }

    void noLongerKeepingRemovesTheKeptOne()
    {
        addEnvironment(u"stop"_s, true);
        QVERIFY2(token(u"stop"_s).exitCode == 0, "no token");
        QCOMPARE(kept(u"stop"_s).status, SecretResult::Status::Found);
        const CliRun set = runCli(ws({u"env"_s, u"set"_s, u"stop"_s, u"--no-keep-refresh-token"_s}));
        QVERIFY2(set.exitCode == 0, set.err.constData());
        QCOMPARE(kept(u"stop"_s).status, SecretResult::Status::NotFound);
        QVERIFY2(token(u"stop"_s).exitCode == 0, "no token");
        QCOMPARE(kept(u"stop"_s).status, SecretResult::Status::NotFound);
    }

    void aKeptTokenTheServerRefusesIsReplacedByTheGrants()
    {
        QVERIFY2(token(u"kept"_s).exitCode == 0, "no token");
        const SecretResult before = kept(u"kept"_s);
        // Revoked behind the CLI's back: the next run falls back to the grant and keeps its new one.
        QVERIFY(cli({u"revoke"_s, u"kept"_s, u"--token-stdin"_s, u"--token-type-hint"_s, u"refresh_token"_s}, before.value.toUtf8()).exitCode == 0);
        const CliRun run = token(u"kept"_s, {u"--verbose"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("turned down; the grant ran instead"));
        QVERIFY(run.json().value(u"refreshed_at"_s).isNull());
        const SecretResult after = kept(u"kept"_s);
        QCOMPARE(after.status, SecretResult::Status::Found);
        QVERIFY(after.value != before.value);
    }
};

QTEST_GUILESS_MAIN(TestCliLifecycle)
#include "tst_cli_lifecycle.moc"
