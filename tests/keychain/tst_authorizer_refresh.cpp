#include "demo/DemoServer.h"
#include "oauth/TokenIntrospection.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/SecretWait.h"

#include <QDBusConnection>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(IntrospectionResult)

// The Authorizer's refresh tokens against the real Secret Service and the Demo API: renewal
// before the grant (auto-renew, a restart with a kept one), rotation kept, nothing written unless
// the environment asks, and Log out revoking and forgetting.
class TestAuthorizerRefresh : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;
    SecretStore m_secrets{u"Tokenbench-tests"_s};
    QString m_workspaceId = QUuid::createUuid().toString(QUuid::WithoutBraces);

    Environment environment(bool keep) const
    {
        Environment env;
        env.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        env.name = u"Lifecycle"_s;
        env.tokenUrl = m_demo.tokenUrl();
        env.clientId = DemoServer::clientId();
        env.clientAuth = ClientAuthStyle::Basic;
        env.grant = GrantType::Password;
        env.username = DemoServer::username();
        env.scopes = {u"accounts:read"_s};
        env.keepRefreshToken = keep;
        env.provider.revocationUrl = m_demo.revocationUrl();
        env.provider.introspectionUrl = m_demo.introspectionUrl();
        return env;
    }

    static AuthorizationCredentials typed(bool renew = false)
    {
        AuthorizationCredentials credentials{DemoServer::clientSecret(), DemoServer::password(), false};
        credentials.renew = renew;
        return credentials;
    }

    static TokenResult authorize(Authorizer &authorizer, const Environment &env, bool renew)
    {
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(env, env.scopes, typed(renew));
        if (!finished.wait(15000))
            return {};
        return finished.first().at(1).value<TokenResult>();
    }

    SecretResult kept(const Environment &env)
    {
        return waitForSecret([&](auto done) { m_secrets.read(SecretStore::keyFor(m_workspaceId, env.id, SecretStore::refreshTokenName()), done); });
    }

    bool active(const QString &token, const QString &hint)
    {
        TokenRequest client;
        client.clientId = DemoServer::clientId();
        client.clientSecret = DemoServer::clientSecret();
        TokenIntrospection introspection;
        QSignalSpy answered(&introspection, &TokenIntrospection::finished);
        introspection.start(client, m_demo.introspectionUrl(), token, hint);
        return answered.wait() && answered.first().first().value<IntrospectionResult>().active;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDBusConnection::sessionBus().isConnected()) {
            if (qEnvironmentVariableIntValue("TOKENBENCH_REQUIRE_KEYCHAIN") == 1)
                QFAIL("no D-Bus session bus, but TOKENBENCH_REQUIRE_KEYCHAIN=1");
            QSKIP("no D-Bus session bus; the keychain tests run in CI inside dbus-run-session");
        }
        QVERIFY(m_demo.start());
    }

    void renewalUsesTheRefreshTokenInMemory()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(m_workspaceId);
        const Environment env = environment(false);
        const TokenResult first = authorize(authorizer, env, false);
        QVERIFY2(first.ok(), qPrintable(first.error.summary()));
        QVERIFY(!first.token->refreshToken.isEmpty());
        QVERIFY(!authorizer.currentToken(env.id)->refreshTokenKept);

        const TokenResult renewed = authorize(authorizer, env, true);
        QVERIFY2(renewed.ok(), qPrintable(renewed.error.summary()));
        QVERIFY(renewed.token->refreshedAt.isValid());
        QVERIFY(renewed.token->refreshToken != first.token->refreshToken);
        QVERIFY(!active(first.token->refreshToken, u"refresh_token"_s)); // rotated out
        // Authorize (the dialog's) runs the grant itself.
        const TokenResult granted = authorize(authorizer, env, false);
        QVERIFY(!granted.token->refreshedAt.isValid());
        // Never written when the environment does not keep it.
        QCOMPARE(kept(env).status, SecretResult::Status::NotFound);
    }

    void aKeptRefreshTokenSurvivesARestartAndRotates()
    {
        const Environment env = environment(true);
        QString firstRefresh;
        {
            Authorizer authorizer(&m_secrets);
            authorizer.setWorkspaceId(m_workspaceId);
            const TokenResult first = authorize(authorizer, env, false);
            QVERIFY2(first.ok(), qPrintable(first.error.summary()));
            QVERIFY(authorizer.currentToken(env.id)->refreshTokenKept);
            firstRefresh = first.token->refreshToken;
            QTRY_COMPARE(kept(env).value, firstRefresh);
        }
        // A new session: nothing in memory, the keychain's refresh token renews.
        Authorizer restarted(&m_secrets);
        restarted.setWorkspaceId(m_workspaceId);
        const TokenResult renewed = authorize(restarted, env, true);
        QVERIFY2(renewed.ok(), qPrintable(renewed.error.summary()));
        QVERIFY(renewed.token->refreshedAt.isValid());
        QVERIFY(renewed.token->refreshToken != firstRefresh);
        QTRY_COMPARE(kept(env).value, renewed.token->refreshToken); // the old one forgotten

        // Log out: refresh token then access token revoked, both forgotten, the keychain emptied.
        QSignalSpy loggedOut(&restarted, &Authorizer::loggedOut);
        restarted.logout(env.id);
        QVERIFY(!restarted.currentToken(env.id));
        QVERIFY(loggedOut.wait());
        QCOMPARE(loggedOut.first().at(1).toBool(), true);
        QCOMPARE(loggedOut.first().at(2).toString(), u"revoked the refresh token and the access token"_s);
        QCOMPARE(kept(env).status, SecretResult::Status::NotFound);
        QVERIFY(!active(renewed.token->refreshToken, u"refresh_token"_s));
        QVERIFY(!active(renewed.token->value, u"access_token"_s));
    }

    void aRefusedKeptTokenFallsBackToTheGrantAndIsReplaced()
    {
        const Environment env = environment(true);
        QVERIFY(waitForSecret([&](auto done) {
                    m_secrets.write(SecretStore::keyFor(m_workspaceId, env.id, SecretStore::refreshTokenName()), u"demo-rt-stale-one"_s, done);
                }).ok());
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(m_workspaceId);
        const TokenResult result = authorize(authorizer, env, true);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(result.refreshRefused);
        QVERIFY(!result.token->refreshedAt.isValid());
        QTRY_COMPARE(kept(env).value, result.token->refreshToken);
        QVERIFY(authorizer.knownSecrets().mask(u"x demo-rt-stale-one"_s) == u"x ••••"_s);
        authorizer.logout(env.id);
    }

    void aFailedRevocationIsReportedAndTheTokensForgottenAnyway()
    {
        Environment env = environment(false);
        env.provider.revocationUrl = QUrl(u"http://127.0.0.1:9/revoke"_s); // nothing listens there
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(m_workspaceId);
        QVERIFY(authorize(authorizer, env, false).ok());
        QSignalSpy loggedOut(&authorizer, &Authorizer::loggedOut);
        authorizer.logout(env.id);
        QVERIFY(!authorizer.currentToken(env.id));
        QVERIFY(loggedOut.wait());
        QCOMPARE(loggedOut.first().at(1).toBool(), false);
        QVERIFY(loggedOut.first().at(2).toString().contains(u"the refresh token was not revoked"_s));
    }
};

QTEST_GUILESS_MAIN(TestAuthorizerRefresh)
#include "tst_authorizer_refresh.moc"
