#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "secrets/SecretStore.h"
#include "support/SecretWait.h"

#include <QDBusConnection>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

// A token's life against oidc-provider (tests/integration/oidc/server.mjs, client tb-lifecycle):
// the authorization code grant through the scripted browser gets an opaque access token, an ID
// token and a refresh token (offline_access), kept in the real Secret Service
// (--keep-refresh-token); a fresh tokenbench-cli process renews from it without a browser, and
// oidc-provider rotates it on every use, so the old one is refused; a refresh token the server
// turns down (invalid_grant) runs the grant again; `introspect` reports what the server knows of
// the opaque token; `revoke` ends the grant and forgets the kept token. No refresh token is ever
// printed.
class TestOidcLifecycle : public QObject
{
    Q_OBJECT

private:
    static constexpr const char *clientId = "tb-lifecycle";
    static constexpr const char *clientSecret = "lifecycle-secret";

    OidcProviderProcess m_server;
    QTemporaryDir m_dir;
    QString m_workspace;
    int m_browserRuns = 0;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_workspace} + rest; }

    // A run with the scripted browser as $BROWSER, which logs each step to *log (a fresh file).
    QProcessEnvironment runEnv(QString *log)
    {
        *log = m_dir.filePath(u"browser-%1.log"_s.arg(++m_browserRuns));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BROWSER"_s, u"%1 %2"_s.arg(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER)));
        env.insert(u"TB_BROWSER_LOG"_s, *log);
        env.insert(u"LIFECYCLE_SECRET"_s, QString::fromLatin1(clientSecret));
        return env;
    }

    CliRun cli(const QStringList &rest, QString *browserLog, const QByteArray &stdinData = {})
    {
        return runCli(ws(rest + QStringList{u"--client-secret-env"_s, u"LIFECYCLE_SECRET"_s}), runEnv(browserLog), stdinData);
    }

    static QString readAll(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    QString why(const CliRun &run, const QString &log) const
    {
        return QString::fromUtf8(run.out + run.err) + u"\n"_s + readAll(log) + m_server.standardErrorOutput();
    }

    // The kept refresh token, read from the keychain as the CLI keys it.
    SecretResult kept() const
    {
        QFile file(m_workspace);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QJsonObject workspace = QJsonDocument::fromJson(file.readAll()).object();
        QString envId;
        for (const QJsonValue &env : workspace.value(u"environments"_s).toArray()) {
            if (env.toObject().value(u"name"_s).toString() == u"life"_s)
                envId = env.toObject().value(u"id"_s).toString();
        }
        SecretStore store(u"Tokenbench"_s);
        const QString key = SecretStore::keyFor(workspace.value(u"id"_s).toString(), envId, SecretStore::refreshTokenName());
        return waitForSecret([&](auto done) { store.read(key, done); });
    }

    // A form POST to one of oidc-provider's endpoints as the client, outside Tokenbench: what the
    // server itself says of a token.
    QJsonObject post(const QString &path, const QList<QPair<QString, QString>> &fields, int *status = nullptr)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(m_server.issuer().resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
        request.setRawHeader("Authorization", "Basic " + (QByteArray(clientId) + ':' + clientSecret).toBase64());
        QUrlQuery form;
        for (const auto &[name, value] : fields)
            form.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        QNetworkReply *reply = network.post(request, form.toString(QUrl::FullyEncoded).toUtf8());
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return answer;
    }

    QJsonObject introspectDirectly(const QString &token, const QString &hint)
    {
        return post(u"/token/introspection"_s, {{u"token"_s, token}, {u"token_type_hint"_s, hint}});
    }

    // Neither printed nor written to the workspace file: only the keychain holds it.
    void verifyNotPrinted(const CliRun &run, const QString &refreshToken) const
    {
        QVERIFY(!refreshToken.isEmpty());
        QVERIFY2(!run.out.contains(refreshToken.toUtf8()) && !run.err.contains(refreshToken.toUtf8()), "a refresh token was printed");
        QVERIFY2(!readAll(m_workspace).contains(refreshToken), "a refresh token is in the workspace file");
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
        m_workspace = m_dir.filePath(u"ws.json"_s);
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        // offline_access (a refresh token) needs prompt=consent in the authorization request.
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"life"_s, u"--issuer"_s, m_server.issuer().toString(), u"--api-url"_s,
                                      m_server.apiBase().toString(), u"--client-id"_s, QString::fromLatin1(clientId), u"--grant"_s,
                                      u"authorization_code"_s, u"--client-auth"_s, u"basic"_s, u"--scope"_s, u"openid offline_access"_s,
                                      u"--param"_s, u"prompt=consent"_s, u"--keep-refresh-token"_s}));
        QVERIFY2(add.exitCode == 0, (add.out + add.err).constData());
        QVERIFY2(readAll(m_workspace).contains(u"/token/revocation"_s) && readAll(m_workspace).contains(u"/token/introspection"_s),
                 qPrintable(readAll(m_workspace)));
    }

    void aFreshProcessRenewsFromTheKeptRefreshTokenWhichRotates()
    {
        QString log;
        const CliRun first = cli({u"token"_s, u"life"_s, u"--json"_s, u"--show-token"_s}, &log);
        QVERIFY2(first.exitCode == 0, qPrintable(why(first, log)));
        QVERIFY2(readAll(log).contains(u"GET /auth"_s) && readAll(log).contains(u"GET /callback"_s), qPrintable(readAll(log)));
        QJsonObject json = first.json();
        QCOMPARE(json.value(u"refresh_token_held"_s), QJsonValue(true));
        QCOMPARE(json.value(u"refresh_token_kept"_s), QJsonValue(true));
        QVERIFY(json.value(u"refreshed_at"_s).isNull());
        // An opaque access token: not a JWT.
        const QString firstAccess = json.value(u"access_token"_s).toString();
        QVERIFY2(!firstAccess.isEmpty() && !firstAccess.startsWith(u"eyJ"_s), qPrintable(firstAccess));
        QCOMPARE(json.value(u"jwt"_s).toObject().value(u"kind"_s).toString(), u"opaque"_s);
        // The ID token of this grant: its signature and its claims, nonce included.
        QCOMPARE(json.value(u"id_token_signature"_s).toObject().value(u"status"_s).toString(), u"verified"_s);
        QCOMPARE(json.value(u"id_token_claims"_s).toObject().value(u"status"_s).toString(), u"valid"_s);
        QVERIFY2(json.value(u"id_token_claims"_s).toObject().value(u"reason"_s).toString().endsWith(u"nonce"_s), first.out.constData());
        const SecretResult one = kept();
        QCOMPARE(one.status, SecretResult::Status::Found);
        verifyNotPrinted(first, one.value);

        // A new process: the keychain's refresh token, no browser.
        const CliRun second = cli({u"token"_s, u"life"_s, u"--json"_s, u"--show-token"_s, u"--verbose"_s}, &log);
        QVERIFY2(second.exitCode == 0, qPrintable(why(second, log)));
        QVERIFY2(!QFile::exists(log), "the browser was opened although a refresh token was kept");
        QVERIFY2(second.err.contains("grant_type=refresh_token"), second.err.constData());
        json = second.json();
        QVERIFY2(json.value(u"refreshed_at"_s).isString(), second.out.constData());
        QCOMPARE(json.value(u"refresh_token_kept"_s), QJsonValue(true));
        QVERIFY(json.value(u"access_token"_s).toString() != firstAccess);
        // The refreshed answer's ID token is checked too; no authorization request, so no nonce to expect.
        QCOMPARE(json.value(u"id_token_claims"_s).toObject().value(u"summary"_s).toString(), u"claims valid (iss, aud, exp, iat)"_s);
        // Rotated: the new refresh token replaced the old in the keychain...
        const SecretResult two = kept();
        QCOMPARE(two.status, SecretResult::Status::Found);
        QVERIFY(two.value != one.value);
        verifyNotPrinted(second, one.value);
        verifyNotPrinted(second, two.value);
        QCOMPARE(introspectDirectly(two.value, u"refresh_token"_s).value(u"active"_s), QJsonValue(true));

        // ...and the old one is refused by the provider (which then ends the whole grant: reuse detection).
        int status = 0;
        const QJsonObject refused = post(u"/token"_s, {{u"grant_type"_s, u"refresh_token"_s}, {u"refresh_token"_s, one.value}}, &status);
        QCOMPARE(status, 400);
        QCOMPARE(refused.value(u"error"_s).toString(), u"invalid_grant"_s);
    }

    void aRefusedRefreshTokenRunsTheGrantAgain()
    {
        // The refresh token kept since the last test belongs to the grant ended by the reuse of its predecessor.
        const SecretResult stale = kept();
        QCOMPARE(stale.status, SecretResult::Status::Found);
        QCOMPARE(introspectDirectly(stale.value, u"refresh_token"_s).value(u"active"_s), QJsonValue(false));

        QString log;
        const CliRun run = cli({u"token"_s, u"life"_s, u"--json"_s, u"--verbose"_s}, &log);
        QVERIFY2(run.exitCode == 0, qPrintable(why(run, log)));
        QVERIFY2(run.err.contains("The refresh token was turned down; the grant ran instead."), run.err.constData());
        // The browser ran the grant again.
        QVERIFY2(readAll(log).contains(u"GET /auth"_s) && readAll(log).contains(u"GET /callback"_s), qPrintable(readAll(log)));
        const QJsonObject json = run.json();
        QVERIFY(json.value(u"refreshed_at"_s).isNull());
        QCOMPARE(json.value(u"refresh_token_kept"_s), QJsonValue(true));
        const SecretResult fresh = kept();
        QCOMPARE(fresh.status, SecretResult::Status::Found);
        QVERIFY(fresh.value != stale.value);
        QCOMPARE(introspectDirectly(fresh.value, u"refresh_token"_s).value(u"active"_s), QJsonValue(true));
        verifyNotPrinted(run, stale.value);
        verifyNotPrinted(run, fresh.value);
    }

    void introspectReportsTheOpaqueAccessToken()
    {
        QString log;
        const CliRun run = cli({u"introspect"_s, u"life"_s, u"--json"_s}, &log);
        QVERIFY2(run.exitCode == 0, qPrintable(why(run, log)));
        QVERIFY2(!QFile::exists(log), "introspect opened the browser although a refresh token was kept");
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"active"_s), QJsonValue(true));
        const QJsonObject fields = json.value(u"introspection"_s).toObject();
        QCOMPARE(fields.value(u"client_id"_s).toString(), QString::fromLatin1(clientId));
        QCOMPARE(fields.value(u"sub"_s).toString(), u"acct-ana-0001"_s);
        QStringList scope = fields.value(u"scope"_s).toString().split(u' ');
        scope.sort();
        QCOMPARE(scope, (QStringList{u"offline_access"_s, u"openid"_s}));
        const qint64 exp = fields.value(u"exp"_s).toInteger();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY2(exp > now && exp <= now + 300 + 5, qPrintable(QString::number(exp - now)));
        QCOMPARE(fields.value(u"iss"_s).toString(), m_server.issuer().toString());
        const SecretResult held = kept();
        QCOMPARE(held.status, SecretResult::Status::Found);
        verifyNotPrinted(run, held.value);

        // The same in words.
        const CliRun text = cli({u"introspect"_s, u"life"_s}, &log);
        QVERIFY2(text.exitCode == 0, qPrintable(why(text, log)));
        QVERIFY2(text.out.contains("Active:        yes"), text.out.constData());
        QVERIFY(text.out.contains("client_id:     tb-lifecycle"));
        QVERIFY(text.out.contains("sub:           acct-ana-0001"));
        QVERIFY(text.out.contains("Expires:"));
        QVERIFY(text.out.contains("Scope:"));
    }

    void revokeEndsTheTokensAndForgetsThem()
    {
        QString log;
        const CliRun token = cli({u"token"_s, u"life"_s, u"--json"_s, u"--show-token"_s}, &log);
        QVERIFY2(token.exitCode == 0, qPrintable(why(token, log)));
        const QString access = token.json().value(u"access_token"_s).toString();
        const SecretResult held = kept();
        QCOMPARE(held.status, SecretResult::Status::Found);
        QCOMPARE(introspectDirectly(access, u"access_token"_s).value(u"active"_s), QJsonValue(true));

        const CliRun revoke = cli({u"revoke"_s, u"life"_s, u"--json"_s}, &log);
        QVERIFY2(revoke.exitCode == 0, qPrintable(why(revoke, log)));
        const QJsonObject json = revoke.json();
        QCOMPARE(json.value(u"revoked"_s), QJsonValue(true));
        QCOMPARE(json.value(u"forgotten"_s), QJsonValue(true));
        const QJsonArray tokens = json.value(u"tokens"_s).toArray();
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.first().toObject().value(u"token_type_hint"_s).toString(), u"refresh_token"_s);
        QCOMPARE(tokens.first().toObject().value(u"revoked"_s), QJsonValue(true));
        verifyNotPrinted(revoke, held.value);
        // Forgotten here, ended there: the refresh token and the access token of its grant.
        QCOMPARE(kept().status, SecretResult::Status::NotFound);
        QCOMPARE(introspectDirectly(held.value, u"refresh_token"_s).value(u"active"_s), QJsonValue(false));
        // What introspect itself says of the access token now.
        const CliRun after = cli({u"introspect"_s, u"life"_s, u"--token-stdin"_s, u"--json"_s}, &log, access.toUtf8());
        QVERIFY2(after.exitCode == 0, qPrintable(why(after, log)));
        QCOMPARE(after.json().value(u"active"_s), QJsonValue(false));

        // Nothing held any more: nothing to revoke, and no request.
        const CliRun again = cli({u"revoke"_s, u"life"_s}, &log);
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("nothing to revoke"), again.out.constData());
    }

    void revokeAnAccessTokenFromStandardInput()
    {
        QString log;
        const CliRun token = cli({u"token"_s, u"life"_s, u"--json"_s, u"--show-token"_s}, &log);
        QVERIFY2(token.exitCode == 0, qPrintable(why(token, log)));
        const QString access = token.json().value(u"access_token"_s).toString();
        const CliRun before = cli({u"introspect"_s, u"life"_s, u"--token-stdin"_s, u"--json"_s}, &log, access.toUtf8());
        QCOMPARE(before.json().value(u"active"_s), QJsonValue(true));

        const CliRun revoke = cli({u"revoke"_s, u"life"_s, u"--token-stdin"_s, u"--json"_s}, &log, access.toUtf8());
        QVERIFY2(revoke.exitCode == 0, qPrintable(why(revoke, log)));
        QCOMPARE(revoke.json().value(u"tokens"_s).toArray().first().toObject().value(u"token_type_hint"_s).toString(), u"access_token"_s);
        QVERIFY(!revoke.out.contains(access.toUtf8()));
        const CliRun after = cli({u"introspect"_s, u"life"_s, u"--token-stdin"_s, u"--json"_s}, &log, access.toUtf8());
        QCOMPARE(after.json().value(u"active"_s), QJsonValue(false));
        // The kept refresh token was not part of it.
        const SecretResult held = kept();
        QCOMPARE(held.status, SecretResult::Status::Found);
        QCOMPARE(introspectDirectly(held.value, u"refresh_token"_s).value(u"active"_s), QJsonValue(true));
    }
};

QTEST_GUILESS_MAIN(TestOidcLifecycle)
#include "tst_oidc_lifecycle.moc"
