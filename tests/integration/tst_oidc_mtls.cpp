#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"
#include "http/Exchange.h"
#include "jwt/CertificateBinding.h"
#include "jwt/JwtView.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/ExchangeWait.h"
#include "support/TestPki.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// Mutual TLS against oidc-provider (RFC 8705): server.mjs serves the provider and the resource
// API also over https, asking for a client certificate, with features.mTLS on. The client
// authenticates with its certificate alone (tls_client_auth: tb-mtls, a certificate of the test
// CA with the registered subject; self_signed_tls_client_auth: tb-mtls-self-signed, the one
// registered certificate), or with private_key_jwt over the same TLS connection (tb-mtls-code,
// the authorization code grant through the scripted browser). Every token of these clients is
// bound to the certificate (cnf x5t#S256): `token --json` says whether it is the environment's,
// and the fixture's API refuses it with any other certificate or none.
class TestOidcMtls : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QUrl mtlsTokenUrl() const { return QUrl(m_server.mtlsBase().toString() + u"/token"_s); }

    static bool openssl(const QStringList &arguments, QByteArray *out = nullptr, const QByteArray &input = {})
    {
        QProcess process;
        process.start(u"openssl"_s, arguments);
        process.write(input);
        process.closeWriteChannel();
        const bool ok = process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        if (out)
            *out = process.readAllStandardOutput();
        return ok;
    }

    // RFC 8705 §3.1's thumbprint made by the openssl tool, not by the code under test.
    static QString opensslThumbprint(const QString &certificateFile)
    {
        QByteArray der;
        QByteArray digest;
        if (!openssl({u"x509"_s, u"-in"_s, certificateFile, u"-outform"_s, u"DER"_s}, &der)
            || !openssl({u"dgst"_s, u"-sha256"_s, u"-binary"_s}, &digest, der))
            return {};
        return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }

    QString serverLog() const { return m_server.standardErrorOutput(); }

    CliRun addEnvironment(const QString &name, const QStringList &options)
    {
        return runCli(ws(QStringList{u"env"_s, u"add"_s, name, u"--api-url"_s, m_server.mtlsApiBase().toString(), u"--cacert"_s,
                                     m_pki->caPath, u"--scope"_s, u"accounts:read"_s, u"--replace"_s}
                         + options));
    }

    QStringList certificate(const QString &certificateFile, const QString &keyFile) const
    {
        return {u"--client-cert"_s, certificateFile, u"--client-key"_s, keyFile};
    }

    QString browserCommand() const
    {
        return u"%1 %2"_s.arg(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), QStringLiteral(TOKENBENCH_SCRIPTED_BROWSER));
    }

    QProcessEnvironment browserEnv(const QString &log) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BROWSER"_s, browserCommand());
        env.insert(u"TB_BROWSER_LOG"_s, log);
        return env;
    }

    static QString readAll(const QString &file)
    {
        QFile in(file);
        return in.open(QIODevice::ReadOnly) ? QString::fromUtf8(in.readAll()) : QString();
    }

    TokenRequest mtlsRequest(const QString &certificateFile, const QString &keyFile) const
    {
        TokenRequest request;
        request.tokenUrl = mtlsTokenUrl();
        request.clientAuth = ClientAuthStyle::TlsClientAuth;
        request.clientId = u"tb-mtls"_s;
        request.scopes = {u"accounts:read"_s};
        request.trustedCertificates = TestPki::read(m_pki->caPath);
        request.clientCertificate = TestPki::read(certificateFile);
        request.clientKey = QString::fromUtf8(TestPki::read(keyFile));
        return request;
    }

    static TokenResult fetch(const TokenRequest &request)
    {
        TokenClient client;
        TokenFetch *fetch = client.fetch(request);
        QSignalSpy spy(fetch, &TokenFetch::finished);
        if (!spy.wait(15000))
            return {};
        return spy.first().first().value<TokenResult>();
    }

    ExchangeResult callApi(const QString &accessToken, const QString &certificateFile, const QString &keyFile) const
    {
        PreparedRequest request;
        request.url = QUrl(m_server.mtlsApiBase().toString() + u"/accounts"_s);
        request.guard = OriginGuard(request.url);
        request.headers.append("Authorization", "Bearer " + accessToken.toLatin1());
        request.extraCaPem = TestPki::read(m_pki->caPath);
        if (!certificateFile.isEmpty()) {
            request.clientCertificate = TestPki::read(certificateFile);
            request.clientKey = TestPki::read(keyFile);
            request.clientCertificateGuard = OriginGuard(request.url);
        }
        return finishedExchange(request);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = TestPki::make(m_dir.path());
        QVERIFY2(m_pki, "openssl could not make the test PKI");
        QVERIFY(openssl({u"genpkey"_s, u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s, u"-out"_s, path(u"ec.pem"_s)}));
        QVERIFY(openssl({u"pkey"_s, u"-in"_s, path(u"ec.pem"_s), u"-pubout"_s, u"-out"_s, path(u"ec.pub"_s)}));
        m_server.setExtraArguments({u"--mtls-cert"_s, m_pki->serverCertificatePath, u"--mtls-key"_s, m_pki->serverKeyPath, u"--mtls-ca"_s,
                                    m_pki->caPath, u"--mtls-self-signed-cert"_s, m_pki->strangerCertificatePath, u"--pkjwt-key"_s,
                                    u"ec-1="_s + path(u"ec.pub"_s), u"--verbose"_s});
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.mtlsBase().scheme() == u"https"_s, qPrintable(m_server.mtlsBase().toString()));
    }

    void cleanupTestCase()
    {
        // The client keys leave the test keychain with their environments.
        for (const QString &name : {u"mtls"_s, u"no-cert"_s, u"refused"_s, u"self-signed"_s, u"code"_s})
            runCli(ws({u"env"_s, u"remove"_s, name}));
    }

    void theIssuerAloneLeadsToTlsClientAuth()
    {
        // Given only the issuer and a certificate: the metadata's mtls_endpoint_aliases give the
        // token URL, and tls_client_auth, which it lists, replaces the default client secret.
        const CliRun add = addEnvironment(u"mtls"_s, QStringList{u"--issuer"_s, m_server.issuer().toString(), u"--client-id"_s, u"tb-mtls"_s}
                                                         + certificate(m_pki->clientCertificatePath, m_pki->clientKeyPath));
        QVERIFY2(add.exitCode == 0, (add.out + add.err).constData());
        QVERIFY2(add.out.contains("client authentication: tls_client_auth (a client certificate is configured)"), add.out.constData());
        QVERIFY2(add.out.contains("token URL (mutual TLS alias): " + mtlsTokenUrl().toString().toUtf8()), add.out.constData());
        const QJsonObject stored = QJsonDocument::fromJson(TestPki::read(path(u"ws.json"_s))).object();
        const QJsonArray environments = stored.value(u"environments"_s).toArray();
        const auto found = std::find_if(environments.begin(), environments.end(),
                                        [](const QJsonValue &env) { return env.toObject().value(u"name"_s).toString() == u"mtls"_s; });
        QVERIFY(found != environments.end());
        QCOMPARE(found->toObject().value(u"clientAuth"_s).toString(), u"tls_client_auth"_s);

        const CliRun token = runCli(ws({u"token"_s, u"mtls"_s, u"--json"_s, u"--verbose"_s}));
        QVERIFY2(token.exitCode == 0, (token.err + serverLog().toUtf8()).constData());
        QVERIFY2(serverLog().contains(u"grant.success grant_type=client_credentials client=\"tb-mtls\""_s), qPrintable(serverLog()));
        // RFC 8705 §2: the client names itself in the body and proves nothing else there.
        QVERIFY2(token.err.contains("client_id=tb-mtls"), token.err.constData());
        QVERIFY(!token.err.contains("client_secret"));
        QVERIFY(!token.err.contains("Authorization: Basic"));

        // The token is bound to this very certificate, by the openssl tool's count too.
        const QString thumbprint = opensslThumbprint(m_pki->clientCertificatePath);
        QCOMPARE(thumbprint.size(), 43);
        const QJsonObject binding = token.json().value(u"certificate_binding"_s).toObject();
        QCOMPARE(binding.value(u"status"_s).toString(), u"matches"_s);
        QVERIFY(binding.value(u"bound"_s).toBool());
        QVERIFY(binding.value(u"matches"_s).toBool());
        QCOMPARE(binding.value(u"token_x5t#S256"_s).toString(), thumbprint);
        QCOMPARE(binding.value(u"certificate_x5t#S256"_s).toString(), thumbprint);

        // In words too.
        const CliRun text = runCli(ws({u"token"_s, u"mtls"_s}));
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("Certificate:   bound to the environment's client certificate (cnf x5t#S256 " + thumbprint.toUtf8()),
                 text.out.constData());

        // The API takes the bound token with the certificate it names (libcurl presents it).
        const CliRun send = runCli(ws({u"send"_s, u"mtls"_s, u"GET"_s, u"/accounts"_s}));
        QVERIFY2(send.exitCode == 0, (send.err + serverLog().toUtf8()).constData());
        QVERIFY2(send.out.contains("acc-0001"), send.out.constData());
        QVERIFY2(serverLog().contains(u"api GET /api/accounts -> 200 client=\"tb-mtls\""_s), qPrintable(serverLog()));

        // Introspection authenticates the same way (a JWT access token is not in oidc-provider's
        // records: inactive, but the client was let in, or the answer would be invalid_client).
        const CliRun introspect = runCli(ws({u"introspect"_s, u"mtls"_s, u"--json"_s}));
        QVERIFY2(introspect.exitCode == 0, (introspect.out + introspect.err + serverLog().toUtf8()).constData());
        QVERIFY2(introspect.out.contains("\"active\""), introspect.out.constData());
    }

    void withoutTheCertificateTheServerRefusesTheClient()
    {
        // tls_client_auth without a certificate cannot authenticate: refused when it is configured,
        // before anything is saved or sent.
        CliRun add = addEnvironment(u"no-cert"_s, {u"--token-url"_s, mtlsTokenUrl().toString(), u"--client-id"_s, u"tb-mtls"_s,
                                                   u"--client-auth"_s, u"tls_client_auth"_s});
        QCOMPARE(add.exitCode, 2); // Usage
        QVERIFY2(add.err.contains("--client-auth tls_client_auth authenticates the client with its certificate: give it with --client-cert"),
                 add.err.constData());
        QVERIFY(!TestPki::read(path(u"ws.json"_s)).contains("no-cert"));
        add = addEnvironment(u"no-cert"_s, {u"--token-url"_s, mtlsTokenUrl().toString(), u"--client-id"_s, u"tb-mtls"_s, u"--client-auth"_s, u"none"_s});
        QVERIFY2(add.exitCode == 0, add.err.constData());
        add = runCli(ws({u"env"_s, u"set"_s, u"no-cert"_s, u"--client-auth"_s, u"self_signed_tls_client_auth"_s}));
        QCOMPARE(add.exitCode, 2);
        QVERIFY2(add.err.contains("--client-auth self_signed_tls_client_auth authenticates the client with its certificate"), add.err.constData());

        // Sent anyway (the client named, no certificate): the server's invalid_client, exit 5.
        const qsizetype logBefore = serverLog().size();
        const CliRun token = runCli(ws({u"token"_s, u"no-cert"_s}));
        QCOMPARE(token.exitCode, 5); // ServerRefused
        QVERIFY2(token.err.contains("invalid_client"), token.err.constData());
        QVERIFY2(token.err.contains("tls_client_auth"), token.err.constData()); // the hint names the certificate
        QVERIFY2(serverLog().mid(logBefore).contains(u"(client certificate was not provided)"_s), qPrintable(serverLog()));
    }

    void anotherCertificateIsRefused_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("why");
        QTest::newRow("another CA") << u"stranger"_s << u"client certificate was not verified"_s;
        QTest::newRow("another subject") << u"other"_s << u"certificate subject value does not match the registered one"_s;
    }

    void anotherCertificateIsRefused()
    {
        QFETCH(QString, which);
        QFETCH(QString, why);
        const bool stranger = which == u"stranger"_s;
        const CliRun add = addEnvironment(u"refused"_s, QStringList{u"--token-url"_s, mtlsTokenUrl().toString(), u"--client-id"_s, u"tb-mtls"_s,
                                                                    u"--client-auth"_s, u"tls_client_auth"_s}
                                                            + certificate(stranger ? m_pki->strangerCertificatePath : m_pki->otherClientCertificatePath,
                                                                          stranger ? m_pki->strangerKeyPath : m_pki->otherClientKeyPath));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const qsizetype logBefore = serverLog().size();
        const CliRun token = runCli(ws({u"token"_s, u"refused"_s}));
        QCOMPARE(token.exitCode, 5);
        QVERIFY2(token.err.contains("invalid_client"), token.err.constData());
        QVERIFY2(serverLog().mid(logBefore).contains(u"(%1)"_s.arg(why)), qPrintable(serverLog().mid(logBefore)));
    }

    void selfSignedTlsClientAuth()
    {
        // tb-mtls-self-signed registered the stranger's self-signed certificate (its x5c).
        CliRun add = addEnvironment(u"self-signed"_s, QStringList{u"--token-url"_s, mtlsTokenUrl().toString(), u"--client-id"_s,
                                                                  u"tb-mtls-self-signed"_s, u"--client-auth"_s, u"self_signed_tls_client_auth"_s}
                                                          + certificate(m_pki->strangerCertificatePath, m_pki->strangerKeyPath));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        CliRun token = runCli(ws({u"token"_s, u"self-signed"_s, u"--json"_s}));
        QVERIFY2(token.exitCode == 0, (token.err + serverLog().toUtf8()).constData());
        QCOMPARE(token.json().value(u"certificate_binding"_s).toObject().value(u"token_x5t#S256"_s).toString(),
                 opensslThumbprint(m_pki->strangerCertificatePath));

        // A certificate of the trusted CA is still not the registered one.
        add = runCli(ws(QStringList{u"env"_s, u"set"_s, u"self-signed"_s} + certificate(m_pki->clientCertificatePath, m_pki->clientKeyPath)));
        QVERIFY2(add.exitCode == 0, add.err.constData());
        const qsizetype logBefore = serverLog().size();
        token = runCli(ws({u"token"_s, u"self-signed"_s}));
        QCOMPARE(token.exitCode, 5);
        QVERIFY2(serverLog().mid(logBefore).contains(u"(unregistered client certificate provided)"_s), qPrintable(serverLog()));
    }

    void theBoundTokenNeedsItsCertificateAtTheApi()
    {
        // TokenClient (the path the GUI uses too) with tls_client_auth.
        const TokenResult result = fetch(mtlsRequest(m_pki->clientCertificatePath, m_pki->clientKeyPath));
        QVERIFY2(result.token, qPrintable(result.error.summary()));
        const JwtView jwt = JwtView::decode(result.token->value);
        QVERIFY(jwt.isJwt());
        const CertificateBinding own = CertificateBinding::check(jwt.claims(), TestPki::read(m_pki->clientCertificatePath));
        QCOMPARE(own.status(), CertificateBinding::Status::Matches);
        QCOMPARE(own.tokenThumbprint(), opensslThumbprint(m_pki->clientCertificatePath));
        const CertificateBinding other = CertificateBinding::check(jwt.claims(), TestPki::read(m_pki->otherClientCertificatePath));
        QCOMPARE(other.status(), CertificateBinding::Status::Differs);
        QVERIFY2(other.summary().contains(u"the API will refuse it"_s), qPrintable(other.summary()));
        QCOMPARE(CertificateBinding::check(jwt.claims(), {}).status(), CertificateBinding::Status::NoCertificate);

        // The resource server checks cnf against the certificate of the connection (RFC 8705 §3).
        ExchangeResult call = callApi(result.token->value, m_pki->clientCertificatePath, m_pki->clientKeyPath);
        QVERIFY2(call.answered(), qPrintable(call.errorText()));
        QCOMPARE(call.status, 200);
        call = callApi(result.token->value, m_pki->otherClientCertificatePath, m_pki->otherClientKeyPath);
        QCOMPARE(call.status, 401);
        QVERIFY2(call.body.contains("bound to another client certificate"), call.body.constData());
        call = callApi(result.token->value, {}, {});
        QCOMPARE(call.status, 401);
        QVERIFY2(call.body.contains("the request presents none"), call.body.constData());
    }

    void theTokenClientIsRefusedWithoutTheRightCertificate()
    {
        TokenResult result = fetch(mtlsRequest(m_pki->strangerCertificatePath, m_pki->strangerKeyPath));
        QVERIFY(!result.token);
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"invalid_client"_s);

        TokenRequest bare = mtlsRequest(m_pki->clientCertificatePath, m_pki->clientKeyPath);
        bare.clientCertificate.clear();
        bare.clientKey.clear();
        result = fetch(bare);
        QVERIFY(!result.token);
        QCOMPARE(result.error.kind, OAuthError::Kind::Configuration);
    }

    void privateKeyJwtOverMutualTlsWithTheAuthorizationCode()
    {
        // tb-mtls-code: private_key_jwt, and its tokens bound to the certificate of the code exchange.
        const CliRun add = addEnvironment(u"code"_s, QStringList{u"--issuer"_s, m_server.issuer().toString(), u"--client-id"_s, u"tb-mtls-code"_s,
                                                                 u"--grant"_s, u"authorization_code"_s, u"--client-auth"_s, u"private_key_jwt"_s,
                                                                 u"--signing-key-id"_s, u"ec-1"_s, u"--private-key"_s, path(u"ec.pem"_s)}
                                                         + certificate(m_pki->clientCertificatePath, m_pki->clientKeyPath));
        QVERIFY2(add.exitCode == 0, (add.out + add.err).constData());
        QVERIFY2(!add.out.contains("client authentication: tls_client_auth"), add.out.constData()); // as given

        const QString log = path(u"code-browser.log"_s);
        const CliRun token = runCli(ws({u"token"_s, u"code"_s, u"--json"_s, u"--verbose"_s}), browserEnv(log));
        QVERIFY2(token.exitCode == 0, (token.err + "\n" + readAll(log).toUtf8() + serverLog().toUtf8()).constData());
        QVERIFY2(serverLog().contains(u"grant.success grant_type=authorization_code client=\"tb-mtls-code\""_s), qPrintable(serverLog()));
        QVERIFY2(token.err.contains("POST " + mtlsTokenUrl().toString().toUtf8()), token.err.constData());
        QVERIFY2(token.err.contains("client_assertion=••••"), token.err.constData());
        const QJsonObject binding = token.json().value(u"certificate_binding"_s).toObject();
        QCOMPARE(binding.value(u"status"_s).toString(), u"matches"_s);
        QCOMPARE(binding.value(u"token_x5t#S256"_s).toString(), opensslThumbprint(m_pki->clientCertificatePath));
    }
};

QTEST_GUILESS_MAIN(TestOidcMtls)
#include "tst_oidc_mtls.moc"
