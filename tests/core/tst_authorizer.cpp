#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/LoopbackBrowser.h"
#include "support/ScriptedHttpServer.h"
#include "workspace/BuiltinEnvironmentResolver.h"
#include "workspace/Workspace.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(GrantInteraction)

namespace {
// A built-in environment that is not the Demo: its server is a scripted one, its credentials its own.
class LabResolver : public BuiltinEnvironmentResolver
{
public:
    QUrl tokenUrl;
    QString unavailable;

    bool provides(const Environment &environment) const override { return environment.builtin == u"lab"_s; }
    QString unavailableReason() const override { return unavailable; }
    QUrl serverUrl() const override { return tokenUrl.resolved(QUrl(u"/"_s)); }
    Environment resolved(const Environment &environment) const override
    {
        Environment env = environment;
        env.tokenUrl = tokenUrl;
        env.apiBaseUrl = tokenUrl.resolved(QUrl(u"/api"_s));
        env.clientId = u"lab-client"_s;
        return env;
    }
    Credentials credentials(const Environment &) const override { return {u"lab-secret-1"_s, u"lab-password-1"_s}; }
};
} // namespace

class TestAuthorizer : public QObject
{
    Q_OBJECT

private:
    SecretStore m_secrets{u"Tokenbench-tests"_s};
    DemoServer m_demo;

    Environment demoEnvironment()
    {
        Environment env = Workspace::demoEnvironment();
        env.id = u"demo-env"_s;
        return env;
    }

    Environment localEnvironment(const QUrl &tokenUrl)
    {
        Environment env;
        env.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        env.name = u"Local"_s;
        env.tokenUrl = tokenUrl;
        env.clientId = DemoServer::clientId();
        env.clientAuth = ClientAuthStyle::Body;
        return env;
    }

    static TokenResult finishedResult(QSignalSpy &spy)
    {
        if (spy.isEmpty() && !spy.wait(15000))
            return {};
        return spy.takeFirst().at(1).value<TokenResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        qRegisterMetaType<GrantInteraction>();
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void theAuthorizationCodeGrantAsksForTheBrowserAndFinishes()
    {
        // A public client: no secret to read; the grant runs, the dialog is told where to send
        // the browser, and the redirect's code becomes the environment's token.
        ScriptedHttpServer tokens;
        QVERIFY(tokens.listen());
        tokens.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"from-the-code","token_type":"Bearer","expires_in":600})"));
        Environment env = localEnvironment(tokens.url(u"/token"_s));
        env.grant = GrantType::AuthorizationCode;
        env.clientAuth = ClientAuthStyle::None;
        env.provider.authorizationUrl = QUrl(u"https://login.example.test/authorize"_s);
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString());
        QSignalSpy asked(&authorizer, &Authorizer::interactionRequired);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(env, {u"accounts:read"_s});
        QVERIFY(asked.wait(5000));
        QCOMPARE(asked.first().at(0).toString(), env.id);
        const auto interaction = asked.first().at(1).value<GrantInteraction>();
        QCOMPARE(interaction.kind, GrantInteraction::Kind::OpenBrowser);
        QCOMPARE(interaction.url.host(), u"login.example.test"_s);
        QCOMPARE(LoopbackBrowser::formValue(interaction.url, u"scope"_s), u"accounts:read"_s);
        QVERIFY(authorizer.isBusy(env.id));

        QUrl redirect(LoopbackBrowser::formValue(interaction.url, u"redirect_uri"_s));
        redirect.setQuery(u"code=the-code&state="_s + LoopbackBrowser::formValue(interaction.url, u"state"_s));
        QVERIFY(LoopbackBrowser::get(redirect).contains("You can close this page"));
        const TokenResult result = finishedResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + result.error.detail));
        QCOMPARE(authorizer.currentToken(env.id)->value, u"from-the-code"_s);
        QVERIFY(tokens.requests().constFirst().contains("code=the-code"));
    }

    void cancellingTheAuthorizationCodeGrantClosesItsPort()
    {
        Environment env = localEnvironment(QUrl(u"http://127.0.0.1:9/token"_s));
        env.grant = GrantType::AuthorizationCode;
        env.clientAuth = ClientAuthStyle::None;
        env.provider.authorizationUrl = QUrl(u"https://login.example.test/authorize"_s);
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString());
        QSignalSpy asked(&authorizer, &Authorizer::interactionRequired);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(env, {});
        QVERIFY(asked.wait(5000));
        const auto interaction = asked.first().at(1).value<GrantInteraction>();
        const quint16 port = quint16(QUrl(LoopbackBrowser::formValue(interaction.url, u"redirect_uri"_s)).port());
        QVERIFY(LoopbackBrowser::accepts(port));
        authorizer.cancel(env.id);
        QTRY_VERIFY(!LoopbackBrowser::accepts(port));
        QVERIFY(!authorizer.isBusy(env.id));
    }

    void demoEnvironmentAuthorizesWithoutSecrets()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setBuiltinResolver(m_demo.environmentResolver());
        authorizer.setWorkspaceId(u"ws"_s);
        const Environment env = demoEnvironment();
        QCOMPARE(authorizer.resolved(env).tokenUrl, m_demo.tokenUrl());

        QSignalSpy started(&authorizer, &Authorizer::started);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        QSignalSpy changed(&authorizer, &Authorizer::tokenChanged);
        authorizer.authorize(env, {u"trades:read"_s, u"core.users:act-on-behalf-of"_s});
        QCOMPARE(started.count(), 1);
        QVERIFY(authorizer.isBusy(env.id));
        const TokenResult result = finishedResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(!authorizer.isBusy(env.id));
        QCOMPARE(changed.count(), 1);
        const auto token = authorizer.currentToken(env.id);
        QVERIFY(token);
        QCOMPARE(token->grantedScopes, (QStringList{u"trades:read"_s, u"core.users:act-on-behalf-of"_s}));

        authorizer.logout(env.id);
        QVERIFY(!authorizer.currentToken(env.id));
        QCOMPARE(changed.count(), 2);
    }

    void demoNotRunningIsSaidPlainly()
    {
        Authorizer authorizer(&m_secrets);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(demoEnvironment(), {u"accounts:read"_s});
        const TokenResult result = finishedResult(finished);
        QCOMPARE(result.error.kind, OAuthError::Kind::Configuration);
        QVERIFY(result.error.summary().contains(u"Demo"_s));
    }

    // The session layer knows no particular built-in environment: any resolver the application
    // installs gives one its URLs and credentials, and nothing is read from the keychain for it.
    void builtinEnvironmentResolvesThroughAnyResolver()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "application/json",
                                                        R"({"access_token":"lab-token-1","token_type":"Bearer","expires_in":300})"));
        LabResolver lab;
        lab.tokenUrl = server.url(u"/oauth/token"_s);
        Environment env;
        env.id = u"lab-env"_s;
        env.name = u"Lab"_s;
        env.builtin = u"lab"_s;
        env.clientAuth = ClientAuthStyle::Body;

        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString()); // nothing stored: a keychain read would fail
        QSignalSpy finished(&authorizer, &Authorizer::finished);

        // No resolver for it: refused, naming the environment.
        authorizer.authorize(env, {u"lab:read"_s});
        TokenResult result = finishedResult(finished);
        QCOMPARE(result.error.kind, OAuthError::Kind::Configuration);
        QVERIFY2(result.error.summary().contains(u"“Lab”"_s), qPrintable(result.error.summary()));
        QCOMPARE(server.requestCount(), 0);

        // Its server not running: the resolver's own words.
        authorizer.setBuiltinResolver(&lab);
        lab.unavailable = u"the lab server is down"_s;
        authorizer.authorize(env, {u"lab:read"_s});
        result = finishedResult(finished);
        QVERIFY2(result.error.summary().contains(u"the lab server is down"_s), qPrintable(result.error.summary()));
        QCOMPARE(server.requestCount(), 0);

        lab.unavailable.clear();
        QCOMPARE(authorizer.resolved(env).tokenUrl, lab.tokenUrl);
        authorizer.authorize(env, {u"lab:read"_s});
        result = finishedResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(authorizer.currentToken(env.id)->value, u"lab-token-1"_s);
        QCOMPARE(server.requestCount(), 1);
        const QByteArray sent = server.received();
        QVERIFY2(sent.contains("client_id=lab-client"), sent.constData());
        QVERIFY2(sent.contains("client_secret=lab-secret-1"), sent.constData());
        QVERIFY(!sent.contains("lab-password-1")); // not the password grant

        // Its credentials are known secrets, for the history's redactor.
        Authorizer other(&m_secrets);
        other.setBuiltinResolver(&lab);
        bool learned = false;
        other.learnSecrets(env, this, [&learned] { learned = true; });
        QVERIFY(learned);
        QVERIFY(other.knownSecrets().values().contains(u"lab-secret-1"_s));
        QVERIFY(other.knownSecrets().values().contains(u"lab-password-1"_s));
    }

    void typedSecretIsUsedAndAWrongOneExplained()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString());
        const Environment env = localEnvironment(m_demo.tokenUrl());
        QSignalSpy finished(&authorizer, &Authorizer::finished);

        authorizer.authorize(env, {u"accounts:read"_s}, {u"wrong"_s, {}, false});
        TokenResult result = finishedResult(finished);
        QCOMPARE(result.error.code, u"invalid_client"_s);
        QVERIFY(!authorizer.currentToken(env.id));

        authorizer.authorize(env, {u"accounts:read"_s}, {DemoServer::clientSecret(), {}, false});
        result = finishedResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QVERIFY(authorizer.currentToken(env.id));
    }

    void missingSecretNamesWhatIsMissing()
    {
        Authorizer authorizer(&m_secrets);
        authorizer.setWorkspaceId(QUuid::createUuid().toString()); // nothing stored under this workspace
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(localEnvironment(m_demo.tokenUrl()), {u"accounts:read"_s});
        const TokenResult result = finishedResult(finished);
        QCOMPARE(result.error.kind, OAuthError::Kind::Configuration);
        QVERIFY2(result.error.summary().contains(u"client secret"_s), qPrintable(result.error.summary()));
    }

    void cancelStopsARequestAndLateAnswersAreIgnored()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setMode(ScriptedHttpServer::Mode::Stall);
        Authorizer authorizer(&m_secrets);
        const Environment env = localEnvironment(server.url(u"/token"_s));
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(env, {}, {u"secret"_s, {}, false});
        QTRY_COMPARE(server.requestCount(), 1);
        authorizer.cancel(env.id);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        QVERIFY(!authorizer.isBusy(env.id));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1); // nothing more arrives for the cancelled request
    }

    void aNewRequestSupersedesTheRunningOne()
    {
        ScriptedHttpServer slow;
        QVERIFY(slow.listen());
        slow.setMode(ScriptedHttpServer::Mode::Stall);
        Authorizer authorizer(&m_secrets);
        Environment env = localEnvironment(slow.url(u"/token"_s));
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        authorizer.authorize(env, {}, {u"secret"_s, {}, false});
        QTRY_COMPARE(slow.requestCount(), 1);
        env.tokenUrl = m_demo.tokenUrl();
        authorizer.authorize(env, {u"accounts:read"_s}, {DemoServer::clientSecret(), {}, false});
        // The first ends as cancelled, then the second succeeds.
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(finished.at(0).at(1).value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        QVERIFY(finished.at(1).at(1).value<TokenResult>().ok());
    }
};

QTEST_GUILESS_MAIN(TestAuthorizer)
#include "tst_authorizer.moc"
