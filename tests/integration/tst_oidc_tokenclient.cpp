#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"

#include <QJsonArray>
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
        TokenClient client;
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

    // ---- The password grant: a custom grant type of server.mjs (oidc-provider has none). ----

private:
    TokenRequest passwordRequestFor(const OidcFixtureClient &client) const
    {
        const OidcFixtureUser user = OidcProviderProcess::passwordUser();
        TokenRequest request = requestFor(client);
        request.grant = GrantType::Password;
        request.username = user.username;
        request.password = user.password;
        return request;
    }

    // The secret as it is, form-urlencoded, percent-encoded or base64'd.
    static bool leaks(const QByteArray &text, const QString &secret)
    {
        const QByteArray utf8 = secret.toUtf8();
        return text.contains(utf8) || text.contains(TokenRequest::formEncode(secret)) || text.contains(utf8.toPercentEncoding())
            || text.contains(utf8.toBase64());
    }

private Q_SLOTS:
    void passwordGrantWithEachAuthStyle_data()
    {
        QTest::addColumn<OidcFixtureClient>("client");
        for (const auto &client : OidcProviderProcess::passwordGrantClients())
            QTest::newRow(qPrintable(client.authMethod + u' ' + client.id)) << client;
    }

    void passwordGrantWithEachAuthStyle()
    {
        QFETCH(OidcFixtureClient, client);
        const OidcFixtureUser user = OidcProviderProcess::passwordUser();
        const TokenResult result = fetch(passwordRequestFor(client));
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + u" / "_s + m_server.standardErrorOutput()));
        const AccessToken &token = *result.token;
        QVERIFY(token.isBearer());
        QVERIFY(token.hasKnownExpiry());
        QVERIFY(token.lifetimeSeconds() > 0 && token.lifetimeSeconds() <= 300);
        const JwtView jwt = token.jwt();
        QVERIFY(jwt.isJwt());
        QCOMPARE(jwt.header().value(u"typ"_s).toString(), u"at+jwt"_s);
        QCOMPARE(jwt.header().value(u"alg"_s).toString(), u"RS256"_s);
        // Issued to the resource owner: sub is the account, not the client (client
        // credentials tokens have sub = client_id).
        QCOMPARE(jwt.claims().value(u"sub"_s).toString(), user.accountId);
        QCOMPARE(jwt.claims().value(u"client_id"_s).toString(), client.id);
        QCOMPARE(jwt.claims().value(u"aud"_s).toString(), OidcProviderProcess::apiResource());
        QCOMPARE(jwt.claims().value(u"iss"_s).toString(), m_server.issuer().toString());
        QCOMPARE(jwt.claims().value(u"scope"_s).toString(), u"accounts:read trades:read"_s);
        QVERIFY(token.scopeSource != AccessToken::ScopeSource::NotReported);
        QStringList granted = token.grantedScopes;
        granted.sort();
        QCOMPARE(granted, (QStringList{u"accounts:read"_s, u"trades:read"_s}));
        QVERIFY(token.missingScopes().isEmpty());
    }

    void wrongResourceOwnerCredentialsAreInvalidGrant_data()
    {
        const OidcFixtureUser user = OidcProviderProcess::passwordUser();
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::newRow("wrong password") << user.username << user.password + u"x"_s;
        QTest::newRow("unknown user") << u"bob@example.com"_s << user.password;
        // Proves the non-ASCII letter reaches the server as itself: 'e' for 'é' is refused.
        QTest::newRow("e for e-acute") << user.username << user.password.chopped(1) + u'e';
        QTest::newRow("username case") << user.username.toUpper() << user.password;
    }

    void wrongResourceOwnerCredentialsAreInvalidGrant()
    {
        QFETCH(QString, username);
        QFETCH(QString, password);
        TokenRequest request = passwordRequestFor(OidcProviderProcess::passwordClient());
        request.username = username;
        request.password = password;
        const TokenResult result = fetch(request);
        QVERIFY(!result.ok());
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_grant"_s);
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY(!result.error.description.isEmpty());
        // The hint speaks of the password grant's credentials, not of the client's.
        QCOMPARE(result.error.hint(), OAuthError::hintForCode(u"invalid_grant"_s));
        QVERIFY2(result.error.hint().contains(u"password"_s), qPrintable(result.error.hint()));
        QVERIFY(!leaks(result.error.summary().toUtf8(), password));
    }

    void passwordOnlyClientIsRefusedClientCredentials()
    {
        const TokenResult result = fetch(requestFor(OidcProviderProcess::passwordClient()));
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        // oidc-provider answers invalid_request here, not RFC 6749's unauthorized_client.
        QCOMPARE(result.error.code, u"invalid_request"_s);
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY2(result.error.description.contains(u"not allowed"_s), qPrintable(result.error.description));
    }

    // oidc-provider's token endpoint parses application/x-www-form-urlencoded only (RFC 6749
    // §3.2); Tokenbench's JSON style is covered against the built-in Demo API instead.
    void jsonBodyIsRefusedByOidcProvider_data()
    {
        QTest::addColumn<bool>("passwordGrant");
        QTest::newRow("client_credentials") << false;
        QTest::newRow("password") << true;
    }

    void jsonBodyIsRefusedByOidcProvider()
    {
        QFETCH(bool, passwordGrant);
        TokenRequest request = passwordGrant ? passwordRequestFor(OidcProviderProcess::postClient())
                                             : requestFor(OidcProviderProcess::postClient());
        request.clientAuth = ClientAuthStyle::Json;
        const TokenResult result = fetch(request);
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_request"_s);
        QCOMPARE(result.error.httpStatus, 400);
        QVERIFY2(result.error.description.contains(u"application/x-www-form-urlencoded"_s), qPrintable(result.error.description));
    }

    void cliPasswordGrant()
    {
        const OidcFixtureClient client = OidcProviderProcess::passwordClient();
        const OidcFixtureUser user = OidcProviderProcess::passwordUser();
        const QString wrongPassword = user.password.chopped(1) + u'e';
        const QString name = u"oidc password"_s;
        const auto noLeak = [&](const CliRun &run, const QString &cmdline) {
            for (const QString &secret : {user.password, wrongPassword, client.secret}) {
                if (leaks(run.out, secret) || leaks(run.err, secret) || cmdline.contains(secret)
                    || run.arguments.join(u' ').contains(secret))
                    return false;
            }
            return true;
        };

        QString cmdline;
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, m_server.tokenEndpoint().toString(), u"--api-url"_s,
                                      u"http://127.0.0.1/api"_s, u"--client-id"_s, client.id, u"--client-auth"_s, u"body"_s,
                                      u"--grant"_s, u"password"_s, u"--username"_s, user.username, u"--scope"_s, u"accounts:read"_s,
                                      u"--scope"_s, u"trades:read"_s, u"--replace"_s}),
                                  QProcessEnvironment::systemEnvironment(), {}, &cmdline);
        QVERIFY2(add.exitCode == 0, add.err.constData());
        QVERIFY(noLeak(add, cmdline));

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OIDC_SECRET"_s, client.secret);
        env.insert(u"OIDC_PASSWORD"_s, user.password);
        const QStringList tokenArgs{u"token"_s, name, u"--client-secret-env"_s, u"OIDC_SECRET"_s, u"--password-env"_s, u"OIDC_PASSWORD"_s};
        const CliRun token = runCli(ws(tokenArgs + QStringList{u"--json"_s, u"--verbose"_s}), env, {}, &cmdline);
        QVERIFY2(token.exitCode == 0, (token.out + token.err).constData());
        const QJsonObject claims = token.json().value(u"jwt"_s).toObject().value(u"claims"_s).toObject();
        QCOMPARE(claims.value(u"sub"_s).toString(), user.accountId);
        QCOMPARE(claims.value(u"client_id"_s).toString(), client.id);
        QCOMPARE(token.json().value(u"granted_scopes"_s).toArray(), (QJsonArray{u"accounts:read"_s, u"trades:read"_s}));
        // --verbose shows the request with the secrets masked.
        QVERIFY2(token.err.contains("grant_type=password"), token.err.constData());
        QVERIFY2(token.err.contains("username=ana%40example.com"), token.err.constData());
        QVERIFY2(token.err.contains("password="), token.err.constData());
        QVERIFY(noLeak(token, cmdline));

        env.insert(u"OIDC_PASSWORD"_s, wrongPassword);
        const CliRun refused = runCli(ws(tokenArgs + QStringList{u"--json"_s, u"--verbose"_s}), env, {}, &cmdline);
        QCOMPARE(refused.exitCode, 5);
        const QJsonObject error = refused.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"error"_s).toString(), u"invalid_grant"_s);
        QCOMPARE(error.value(u"status"_s).toInt(), 400);
        QCOMPARE(error.value(u"hint"_s).toString(), OAuthError::hintForCode(u"invalid_grant"_s));
        QVERIFY(noLeak(refused, cmdline));

        const CliRun refusedText = runCli(ws(tokenArgs), env, {}, &cmdline);
        QCOMPARE(refusedText.exitCode, 5);
        QVERIFY2(refusedText.err.contains("invalid_grant"), refusedText.err.constData());
        QVERIFY2(refusedText.err.contains("Hint: "), refusedText.err.constData());
        QVERIFY(noLeak(refusedText, cmdline));

        QFile file(m_dir.filePath(u"ws.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray workspace = file.readAll();
        QVERIFY(workspace.contains(user.username.toUtf8()));
        QVERIFY(!leaks(workspace, user.password));
        QVERIFY(!leaks(workspace, client.secret));
    }
};

QTEST_GUILESS_MAIN(TestOidcTokenClient)
#include "tst_oidc_tokenclient.moc"
