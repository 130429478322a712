#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)

// Tokenbench's token client and CLI against panva's oidc-provider: a real, independent
// authorization server, configured for client credentials with JWT access tokens.
class TestOidcTokenClient : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QNetworkAccessManager m_network;
    QTemporaryDir m_dir;

    static ClientAuthStyle styleOf(const OidcFixtureClient &client)
    {
        return client.authMethod == u"client_secret_post"_s ? ClientAuthStyle::Body : ClientAuthStyle::Basic;
    }

    TokenRequest requestFor(const OidcFixtureClient &client) const
    {
        TokenRequest request;
        request.tokenUrl = m_server.tokenEndpoint();
        request.clientAuth = styleOf(client);
        request.clientId = client.id;
        request.clientSecret = client.secret;
        request.scopes = {u"accounts:read"_s, u"trades:read"_s};
        return request;
    }

    TokenResult fetch(const TokenRequest &request)
    {
        TokenClient client(&m_network);
        TokenFetch *fetch = client.fetch(request);
        QSignalSpy spy(fetch, &TokenFetch::finished);
        if (!spy.wait(15000))
            return {};
        return spy.first().first().value<TokenResult>();
    }

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void clientCredentialsWithEachAuthStyle_data()
    {
        QTest::addColumn<OidcFixtureClient>("client");
        for (const auto &client : OidcProviderProcess::clients())
            QTest::newRow(qPrintable(client.id)) << client;
    }

    void clientCredentialsWithEachAuthStyle()
    {
        QFETCH(OidcFixtureClient, client);
        const TokenResult result = fetch(requestFor(client));
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + u" / "_s + m_server.standardErrorOutput()));
        const AccessToken &token = *result.token;
        QVERIFY(token.isBearer());
        QVERIFY(token.hasKnownExpiry());
        QVERIFY(token.lifetimeSeconds() > 0 && token.lifetimeSeconds() <= 300);
        const JwtView jwt = token.jwt();
        QVERIFY(jwt.isJwt());
        QCOMPARE(jwt.header().value(u"typ"_s).toString(), u"at+jwt"_s);
        QCOMPARE(jwt.claims().value(u"client_id"_s).toString(), client.id);
        QVERIFY(token.scopeSource != AccessToken::ScopeSource::NotReported);
        QVERIFY(token.grantedScopes.contains(u"accounts:read"_s));
        QVERIFY(token.grantedScopes.contains(u"trades:read"_s));
        QVERIFY(token.missingScopes().isEmpty());
    }

    void wrongSecretIsInvalidClient_data() { clientCredentialsWithEachAuthStyle_data(); }

    void wrongSecretIsInvalidClient()
    {
        QFETCH(OidcFixtureClient, client);
        TokenRequest request = requestFor(client);
        request.clientSecret += u"-wrong"_s;
        const TokenResult result = fetch(request);
        QVERIFY(!result.ok());
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_client"_s);
        QCOMPARE(result.error.httpStatus, 401);
        QVERIFY(!result.error.description.isEmpty());
        QVERIFY(!result.error.hint().isEmpty());
    }

    void unknownScopeIsInvalidScope()
    {
        TokenRequest request = requestFor(OidcProviderProcess::basicClient());
        request.scopes = {u"accounts:read"_s, u"vault:open"_s};
        const TokenResult result = fetch(request);
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_scope"_s);
        QCOMPARE(result.error.httpStatus, 400);
    }

    void cliGetsTokensFromOidcProvider_data() { clientCredentialsWithEachAuthStyle_data(); }

    void cliGetsTokensFromOidcProvider()
    {
        QFETCH(OidcFixtureClient, client);
        const QString name = u"oidc "_s + QString::number(qHash(client.id));
        const QString auth = styleOf(client) == ClientAuthStyle::Body ? u"body"_s : u"basic"_s;
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, m_server.tokenEndpoint().toString(), u"--api-url"_s,
                                      u"http://127.0.0.1/api"_s, u"--client-id"_s, client.id, u"--client-auth"_s, auth, u"--scope"_s,
                                      u"trades:read"_s, u"--replace"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OIDC_SECRET"_s, client.secret);
        QString cmdline;
        const CliRun token = runCli(ws({u"token"_s, name, u"--client-secret-env"_s, u"OIDC_SECRET"_s, u"--json"_s}), env, {}, &cmdline);
        QVERIFY2(token.exitCode == 0, token.out + token.err);
        QCOMPARE(token.json().value(u"granted_scopes"_s).toArray(), QJsonArray{u"trades:read"_s});
        QCOMPARE(token.json().value(u"jwt"_s).toObject().value(u"kind"_s).toString(), u"jwt"_s);
        QVERIFY(!token.out.contains(client.secret.toUtf8()));
        QVERIFY(!cmdline.contains(client.secret));

        env.insert(u"OIDC_SECRET"_s, u"wrong"_s);
        const CliRun refused = runCli(ws({u"token"_s, name, u"--client-secret-env"_s, u"OIDC_SECRET"_s, u"--json"_s}), env);
        QCOMPARE(refused.exitCode, 5);
        QCOMPARE(refused.json().value(u"error"_s).toObject().value(u"error"_s).toString(), u"invalid_client"_s);

        QFile file(m_dir.filePath(u"ws.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(client.secret.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestOidcTokenClient)
#include "tst_oidc_tokenclient.moc"
