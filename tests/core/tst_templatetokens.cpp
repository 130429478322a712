#include "demo/DemoServer.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/SeedTokenServer.h"
#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"
#include "util/TemplateExpander.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

// Each seed template, applied with test values, gets a real token from a loopback server that
// behaves as its seed documents (tests/support/SeedTokenServer): the body style, Basic refused
// where the seed says so, the grant, the token's format and lifetime.
namespace {
TokenResult await(TokenFetch *fetch)
{
    QSignalSpy spy(fetch, &TokenFetch::finished);
    if (!spy.wait(15000))
        return {std::nullopt, OAuthError{OAuthError::Kind::Timeout, {}, 0, {}, {}, {}, u"test gave up"_s, {}}};
    return spy.first().first().value<TokenResult>();
}

Environment apply(const QString &id, const QList<QPair<QString, QString>> &values, std::optional<Tier> tier = std::nullopt)
{
    TemplateChoice choice;
    choice.environmentName = id;
    choice.tier = tier;
    choice.values = values;
    QString error;
    const auto env = TemplateApplication::environment(*TemplateCatalog::builtIn().find(id), choice, &error);
    if (!env)
        qFatal("%s: %s", qPrintable(id), qPrintable(error));
    return *env;
}

// The vendor's host replaced by the fixture's, the template's path kept: the path is part of
// what the template claims.
QUrl redirected(QUrl url, const SeedTokenServer &server)
{
    const QUrl local = server.url(u"/"_s);
    url.setScheme(local.scheme());
    url.setHost(local.host());
    url.setPort(local.port());
    return url;
}

TokenRequest requestFor(const Environment &env, const QString &secret)
{
    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.clientSecret = secret;
    return request;
}
} // namespace

Q_DECLARE_METATYPE(TokenResult)

class TestTemplateTokens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cybridJsonBody()
    {
        SeedTokenServer server(SeedTokenServer::Seed::Cybrid, u"bank-client"_s, u"bank-secret"_s);
        QVERIFY(server.listen());
        Environment env = apply(u"cybrid"_s, {{u"apiHost"_s, u"bank.sandbox.example"_s}, {u"clientId"_s, u"bank-client"_s}});
        QCOMPARE(env.tokenUrl.host(), u"id.sandbox.cybrid.app"_s);
        env.tokenUrl = redirected(env.tokenUrl, server);
        const TokenResult result = await(m_client.fetch(requestFor(env, u"bank-secret"_s)));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QVERIFY(server.lastContentType().startsWith("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(server.lastBody()).object();
        QCOMPARE(body.value(u"grant_type"_s).toString(), u"client_credentials"_s);
        QCOMPARE(body.value(u"client_secret"_s).toString(), u"bank-secret"_s);
        QCOMPARE(body.value(u"scope"_s).toString(), env.scopes.join(u' '));
        QVERIFY(!server.lastHadAuthorization());
        QCOMPARE(result.token->grantedScopes, env.scopes);

        // The same client as a form body is not what the seed documents: refused.
        env.clientAuth = ClientAuthStyle::Body;
        QVERIFY(!await(m_client.fetch(requestFor(env, u"bank-secret"_s))).ok());
    }

    void bankingSecretOnlyInTheBody()
    {
        SeedTokenServer server(SeedTokenServer::Seed::Banking, u"abc"_s, u"xyz"_s);
        QVERIFY(server.listen());
        // The asked base URL may be this computer's plain http; /token is the seed's endpoint.
        Environment env = apply(u"banking"_s, {{u"apiBaseUrl"_s, server.url(u""_s).toString()}, {u"clientId"_s, u"abc"_s}});
        QCOMPARE(env.tokenUrl, server.url(u"/token"_s));
        const TokenResult result = await(m_client.fetch(requestFor(env, u"xyz"_s)));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QVERIFY(server.lastContentType().startsWith("application/x-www-form-urlencoded"));
        QVERIFY(server.lastBody().contains("client_secret=xyz"));
        QVERIFY(!server.lastHadAuthorization());
        QCOMPARE(result.token->value.size(), 32);          // opaque
        QCOMPARE(result.token->lifetimeSeconds(), 3600);   // one hour

        // Basic, the default of a hand-made environment, is what the seed does not accept.
        env.clientAuth = ClientAuthStyle::Basic;
        const TokenResult basic = await(m_client.fetch(requestFor(env, u"xyz"_s)));
        QVERIFY(!basic.ok());
        QCOMPARE(basic.error.httpStatus, 401);
        QVERIFY(server.lastHadAuthorization());
    }

    void cymbioUsernameAndPassword()
    {
        SeedTokenServer server(SeedTokenServer::Seed::Cymbio, u"cid"_s, u"csecret"_s);
        server.setAccount(u"me@example.com"_s, u"account password"_s);
        QVERIFY(server.listen());
        Environment env = apply(u"cymbio"_s, {{u"clientId"_s, u"cid"_s}, {u"username"_s, u"me@example.com"_s}}, Tier::Staging);
        QCOMPARE(env.tokenUrl, QUrl(u"https://cymbio3-api-staging.cym.bio/oauth/token"_s));
        env.tokenUrl = redirected(env.tokenUrl, server);
        TokenRequest request = requestFor(env, u"csecret"_s);
        for (auto &[name, value] : request.extraParams) {
            if (name == u"password"_s)
                value = u"account password"_s; // the secret parameter, from the keychain in real use
        }
        const TokenResult result = await(m_client.fetch(request));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QVERIFY(server.lastBody().contains("username=me%40example.com"));
        QVERIFY(server.lastBody().contains("password=account+password"));
        QVERIFY(server.lastBody().contains("grant_type=client_credentials"));
        QCOMPARE(result.token->lifetimeSeconds(), 300); // five minutes
    }

    void enterpriseOnBehalfOfABlockedUser()
    {
        SeedTokenServer server(SeedTokenServer::Seed::EnterpriseObo, u"ent"_s, u"ent-secret"_s);
        server.setBlockedUser(u"u-blocked"_s);
        QVERIFY(server.listen());
        const Environment env = apply(u"enterprise-obo"_s, {{u"tokenUrl"_s, server.url(u"/oauth/token"_s).toString()},
                                                            {u"apiBaseUrl"_s, server.url(u"/api"_s).toString()},
                                                            {u"clientId"_s, u"ent"_s},
                                                            {u"userId"_s, u"u-blocked"_s}});
        const TokenResult result = await(m_client.fetch(requestFor(env, u"ent-secret"_s)));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QVERIFY(server.lastHadAuthorization()); // Basic: the seed leaves the method open

        // The context header the template gives, expanded with the environment's variables.
        QNetworkRequest call(QUrl(env.apiBaseUrl.toString() + u"/transactions"_s));
        call.setRawHeader("Authorization", "Bearer " + result.token->value.toUtf8());
        const HeaderTemplate header = env.headers.first();
        call.setRawHeader(header.name.toUtf8(), TemplateExpander::expand(header.valueTemplate, env.variables).toUtf8());
        call.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        QNetworkReply *reply = m_network.post(call, "{}"_ba);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 409);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(u"code"_s).toString(), u"operation-not-allowed"_s);
        QCOMPARE(body.value(u"reasons"_s).toArray().first().toString(), u"user-blocked"_s);
        reply->deleteLater();
    }

    void cyclrFormBodyFourteenDays()
    {
        SeedTokenServer server(SeedTokenServer::Seed::Cyclr, u"abcdefg"_s, u"abcdefghij123"_s);
        QVERIFY(server.listen());
        Environment env = apply(u"cyclr"_s, {{u"apiDomain"_s, u"127.0.0.1:%1"_s.arg(server.url(u"/"_s).port())},
                                             {u"clientId"_s, u"abcdefg"_s}, {u"accountId"_s, u"acc-1"_s}});
        env.tokenUrl = redirected(env.tokenUrl, server); // https → this fixture's plain http
        env.scopes = {env.scopeCatalog.first().name};    // an account-restricted token
        const TokenResult result = await(m_client.fetch(requestFor(env, u"abcdefghij123"_s)));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QVERIFY(!server.lastHadAuthorization());
        QVERIFY(server.lastBody().contains("client_id=abcdefg"));
        QVERIFY(server.lastBody().contains("scope=account%3Aacc-1"));
        QCOMPARE(result.token->lifetimeSeconds(), 1209599);
        QCOMPARE(result.token->extraFields.value(u"clientId"_s).toString(), u"abcdefg"_s);

        env.clientAuth = ClientAuthStyle::Basic;
        QVERIFY(!await(m_client.fetch(requestFor(env, u"abcdefghij123"_s))).ok());
    }

    void demoTemplateAgainstTheDemoApi()
    {
        DemoServer demo;
        QVERIFY(demo.start());
        const Environment env = apply(u"demo"_s, {{u"demoUrl"_s, demo.baseUrl().toString()}});
        QCOMPARE(env.clientId, DemoServer::clientId());
        const TokenResult result = await(m_client.fetch(requestFor(env, DemoServer::clientSecret())));
        QVERIFY2(result.ok(), qPrintable(result.error.detail));
        QCOMPARE(result.token->grantedScopes, env.scopes);
    }

private:
    QNetworkAccessManager m_network;
    TokenClient m_client;
};

QTEST_GUILESS_MAIN(TestTemplateTokens)
#include "tst_templatetokens.moc"
