#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "jwt/SignatureCheckRunner.h"
#include "oauth/ProviderDiscovery.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

// Discovery and the signature check against a real provider: oidc-provider's own discovery
// document, and its RS256 JWT access tokens verified against its jwks_uri.
class tst_OidcDiscovery : public QObject
{
    Q_OBJECT

    OidcProviderProcess m_server;
    QTemporaryDir m_dir;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    DiscoveryResult discover()
    {
        ProviderDiscovery discovery;
        DiscoveryResult result;
        QEventLoop loop;
        connect(&discovery, &ProviderDiscovery::finished, &loop, [&](const DiscoveryResult &r) {
            result = r;
            loop.quit();
        });
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        discovery.start(m_server.issuer(), {});
        loop.exec();
        return result;
    }

    SignatureCheck check(const QString &token, const QUrl &jwks)
    {
        SignatureCheckRunner runner;
        SignatureCheck result;
        QEventLoop loop;
        connect(&runner, &SignatureCheckRunner::finished, &loop, [&](const SignatureCheck &c) {
            result = c;
            loop.quit();
        });
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        runner.start(token, jwks, {});
        loop.exec();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void discoversTheProvider()
    {
        const DiscoveryResult result = discover();
        QVERIFY2(result.ok(), qPrintable(result.problem));
        QCOMPARE(result.documentUrl, QUrl(m_server.issuer().toString() + u"/.well-known/openid-configuration"_s));
        QCOMPARE(result.metadata->issuer, m_server.issuer());
        QCOMPARE(result.metadata->tokenEndpoint, m_server.tokenEndpoint());
        QVERIFY(result.metadata->jwksUri.isValid());
        QVERIFY(result.metadata->grantTypesSupported.contains(u"client_credentials"_s));
        QVERIFY(result.metadata->tokenEndpointAuthMethodsSupported.contains(u"client_secret_basic"_s));
        for (const QString &scope : OidcProviderProcess::apiScopes())
            QVERIFY2(result.metadata->scopesSupported.contains(scope), qPrintable(scope));
    }

    void verifiesItsAccessTokensAgainstItsJwks()
    {
        const DiscoveryResult discovered = discover();
        QVERIFY2(discovered.ok(), qPrintable(discovered.problem));
        Environment env;
        env.clientId = OidcProviderProcess::basicClient().id;
        discovered.metadata->applyTo(&env, {});
        TokenRequest request = TokenRequest::fromEnvironment(env);
        request.clientSecret = OidcProviderProcess::basicClient().secret;
        request.scopes = {u"accounts:read"_s};
        TokenClient client;
        TokenResult result;
        QEventLoop loop;
        connect(client.fetch(request), &TokenFetch::finished, &loop, [&](const TokenResult &r) {
            result = r;
            loop.quit();
        });
        loop.exec();
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));

        SignatureCheckRunner::clearCache();
        const SignatureCheck good = check(result.token->value, env.provider.jwksUrl);
        QVERIFY2(good.isVerified(), qPrintable(good.summary()));
        QCOMPARE(good.algorithm, u"RS256"_s);
        QCOMPARE(good.keyId, result.token->jwt().header().value(u"kid"_s).toString());

        // The same token with one claim changed no longer verifies against the provider's key.
        QStringList parts = result.token->value.split(u'.');
        QJsonObject claims = result.token->jwt().claims();
        claims.insert(u"scope"_s, u"accounts:read trades:execute"_s);
        parts[1] = QString::fromLatin1(QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding
                                                                                                      | QByteArray::OmitTrailingEquals));
        const SignatureCheck tampered = check(parts.join(u'.'), env.provider.jwksUrl);
        QCOMPARE(tampered.status, SignatureCheck::Status::Invalid);
    }

    void cliAddsFromTheIssuerAndVerifiesTheToken()
    {
        const OidcFixtureClient client = OidcProviderProcess::basicClient();
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, u"oidc"_s, u"--issuer"_s, m_server.issuer().toString(), u"--api-url"_s,
                                      m_server.apiBase().toString(), u"--client-id"_s, client.id, u"--scope"_s, u"accounts:read"_s}));
        QVERIFY2(add.exitCode == 0, add.out + add.err);
        QVERIFY2(add.out.contains("token URL: " + m_server.tokenEndpoint().toEncoded()), add.out.constData());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OIDC_SECRET"_s, client.secret);
        const CliRun token = runCli(ws({u"token"_s, u"oidc"_s, u"--client-secret-env"_s, u"OIDC_SECRET"_s, u"--json"_s}), env);
        QVERIFY2(token.exitCode == 0, token.out + token.err);
        const QJsonObject signature = token.json().value(u"signature"_s).toObject();
        QCOMPARE(signature.value(u"status"_s).toString(), u"verified"_s);
        QCOMPARE(signature.value(u"alg"_s).toString(), u"RS256"_s);
        QVERIFY(!signature.value(u"kid"_s).toString().isEmpty());

        const CliRun text = runCli(ws({u"token"_s, u"oidc"_s, u"--client-secret-env"_s, u"OIDC_SECRET"_s}), env);
        QVERIFY2(text.exitCode == 0, text.out + text.err);
        QVERIFY2(text.out.contains("signature verified with key kid=" + signature.value(u"kid"_s).toString().toUtf8()), text.out.constData());
    }
};

QTEST_GUILESS_MAIN(tst_OidcDiscovery)
#include "tst_oidc_discovery.moc"
