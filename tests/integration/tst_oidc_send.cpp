#include "OidcProviderProcess.h"
#include "cli/support/CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// `tokenbench-cli send` against a real resource server: the protected API of
// tests/integration/oidc/server.mjs, which trusts oidc-provider's JWT access tokens (signature
// with the provider's JWKS, iss, aud = the resource indicator, exp, scope) and answers with
// RFC 6750 errors. The tokens come from oidc-provider by client credentials.
class TestOidcSend : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    const QString m_env = u"oidc api"_s;
    const OidcFixtureClient m_client = OidcProviderProcess::basicClient();

    struct HttpAnswer
    {
        int status = 0;
        QByteArray challenge; // WWW-Authenticate
        QByteArray allow;
        QJsonObject json;
        QByteArray body;
    };

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    QProcessEnvironment secretEnv() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OIDC_SECRET"_s, m_client.secret);
        return env;
    }

    CliRun send(const QString &environment, const QStringList &rest)
    {
        return runCli(ws(QStringList{u"send"_s, environment} + rest + QStringList{u"--client-secret-env"_s, u"OIDC_SECRET"_s}), secretEnv());
    }
    CliRun send(const QStringList &rest) { return send(m_env, rest); }

    void addEnvironment(const QString &name, const OidcProviderProcess &server)
    {
        const CliRun add = runCli(ws({u"env"_s, u"add"_s, name, u"--token-url"_s, server.tokenEndpoint().toString(), u"--api-url"_s,
                                      server.apiBase().toString(), u"--client-id"_s, m_client.id, u"--client-auth"_s, u"basic"_s,
                                      u"--header"_s, u"X-On-Behalf-Of: user {{userId}}"_s, u"--var"_s, u"userId=u-42"_s, u"--scope"_s,
                                      u"accounts:read"_s, u"--replace"_s}));
        QVERIFY2(add.exitCode == 0, add.err.constData());
    }

    // Neither the token (a JWT starts with eyJ) nor the client secret, in any encoding the
    // token request uses, may reach the terminal.
    QByteArray leak(const CliRun &run) const
    {
        const QByteArray all = run.out + run.err;
        const QByteArray secret = m_client.secret.toUtf8();
        if (all.contains("eyJ"))
            return "a JWT in the output:\n" + all;
        if (all.contains(secret) || all.contains(secret.toPercentEncoding()) || all.contains(secret.toBase64())
            || all.contains((m_client.id.toUtf8() + ':' + secret).toBase64()))
            return "the client secret in the output:\n" + all;
        return {};
    }

    HttpAnswer call(const QByteArray &method, const QUrl &url, const QByteArray &authorization = {}, const QByteArray &body = {},
                    const QByteArray &contentType = "application/json")
    {
        QNetworkRequest request(url);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        HttpAnswer answer;
        if (!reply->isFinished() && !finished.wait(10000)) {
            reply->abort();
            reply->deleteLater();
            return answer;
        }
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.challenge = reply->rawHeader("WWW-Authenticate");
        answer.allow = reply->rawHeader("Allow");
        answer.body = reply->readAll();
        answer.json = QJsonDocument::fromJson(answer.body).object();
        reply->deleteLater();
        return answer;
    }

    // An access token straight from oidc-provider, for the raw HTTP checks of the API.
    QByteArray fetchToken(const QString &scope)
    {
        QNetworkRequest request(m_server.tokenEndpoint());
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded"_ba);
        request.setRawHeader("Authorization", "Basic " + (m_client.id.toUtf8() + ':' + m_client.secret.toUtf8()).toBase64());
        QNetworkReply *reply = m_network.post(request, "grant_type=client_credentials&scope=" + QUrl::toPercentEncoding(scope));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(10000))
            return {};
        const QByteArray token = QJsonDocument::fromJson(reply->readAll()).object().value(u"access_token"_s).toString().toLatin1();
        reply->deleteLater();
        return token;
    }

    QUrl api(const QString &path) const
    {
        QUrl url = m_server.apiBase();
        url.setPath(url.path() + path);
        return url;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        // Its own origin, like a real resource server next to its authorization server.
        QCOMPARE(m_server.apiBase().host(), m_server.issuer().host());
        QVERIFY(m_server.apiPort() != m_server.port());
        QCOMPARE(m_server.apiBase().port(), int(m_server.apiPort()));
        QCOMPARE(m_server.apiBase().path(), u"/api"_s);
        addEnvironment(m_env, m_server);
    }

    void getWithTheEnvironmentsToken()
    {
        const CliRun run = send({u"GET"_s, u"/accounts"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, (run.out + run.err + m_server.standardErrorOutput().toUtf8()).constData());
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 200);
        QCOMPARE(json.value(u"readout"_s).toObject().value(u"kind"_s).toString(), u"success"_s);
        const QJsonArray accounts = json.value(u"body"_s).toArray();
        QCOMPARE(accounts.size(), 3);
        QCOMPARE(accounts.first().toObject().value(u"id"_s).toString(), u"acc-0001"_s);

        const QJsonObject token = json.value(u"token"_s).toObject();
        QVERIFY(token.value(u"sent"_s).toBool());
        QVERIFY(token.value(u"authorized_first"_s).toBool());
        QVERIFY(!token.value(u"reauthorized"_s).toBool());
        QCOMPARE(token.value(u"granted_scopes"_s).toArray(), QJsonArray{u"accounts:read"_s});
        // The Authorization header is masked wherever the JSON shows it.
        const QJsonArray injected = json.value(u"injected"_s).toArray();
        QCOMPARE(injected.size(), 2);
        QCOMPARE(injected.at(0).toObject().value(u"name"_s).toString(), u"Authorization"_s);
        QCOMPARE(injected.at(0).toObject().value(u"value"_s).toString(), u"Bearer ••••"_s);
        QCOMPARE(injected.at(1).toObject().value(u"value"_s).toString(), u"user u-42"_s);
        bool authorizationShown = false;
        for (const auto &header : json.value(u"request"_s).toObject().value(u"headers"_s).toArray()) {
            if (header.toObject().value(u"name"_s).toString().compare(u"Authorization"_s, Qt::CaseInsensitive) == 0) {
                QCOMPARE(header.toObject().value(u"value"_s).toString(), u"Bearer ••••"_s);
                authorizationShown = true;
            }
        }
        QVERIFY(authorizationShown);
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());

        // Without --json: the body as the API sent it.
        const CliRun plain = send({u"GET"_s, u"/accounts"_s});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(plain.out).array().size(), 3);
        QVERIFY2(leak(plain).isEmpty(), leak(plain).constData());
    }

    void contextHeadersReachTheApi()
    {
        CliRun run = send({u"GET"_s, u"/echo-headers"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
        QJsonObject seen = run.json().value(u"body"_s).toObject();
        QCOMPARE(seen.value(u"x-on-behalf-of"_s).toString(), u"user u-42"_s);
        QVERIFY(!seen.contains(u"authorization"_s)); // the API keeps it out of the echo
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());

        run = send({u"GET"_s, u"/echo-headers"_s, u"--var"_s, u"userId=u-7"_s, u"-H"_s, u"X-Request-Id: r-1"_s});
        QCOMPARE(run.exitCode, 0);
        seen = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(seen.value(u"x-on-behalf-of"_s).toString(), u"user u-7"_s);
        QCOMPARE(seen.value(u"x-request-id"_s).toString(), u"r-1"_s);

        run = send({u"GET"_s, u"/echo-headers"_s, u"-H"_s, u"X-On-Behalf-Of:"_s});
        QCOMPARE(run.exitCode, 0);
        seen = QJsonDocument::fromJson(run.out).object();
        QVERIFY2(!seen.contains(u"x-on-behalf-of"_s), run.out.constData());
    }

    void missingScopeIsExplained()
    {
        CliRun run = send({u"POST"_s, u"/trades"_s, u"-d"_s, u"{\"a\":1}"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 8);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 403);
        QCOMPARE(json.value(u"body"_s).toObject().value(u"error"_s).toString(), u"insufficient_scope"_s);
        QVERIFY(json.value(u"headers"_s).toObject().value(u"www-authenticate"_s).toString().contains(u"scope=\"trades:execute\""_s));
        const QJsonObject readout = json.value(u"readout"_s).toObject();
        QCOMPARE(readout.value(u"kind"_s).toString(), u"insufficient_scope"_s);
        QCOMPARE(readout.value(u"error"_s).toString(), u"insufficient_scope"_s);
        QCOMPARE(readout.value(u"required_scopes"_s).toArray(), QJsonArray{u"trades:execute"_s});
        QCOMPARE(readout.value(u"missing_scopes"_s).toArray(), QJsonArray{u"trades:execute"_s});
        QCOMPARE(readout.value(u"granted_scopes"_s).toArray(), QJsonArray{u"accounts:read"_s});
        QVERIFY(!json.value(u"token"_s).toObject().value(u"reauthorized"_s).toBool()); // a 403 is not cured by a new token
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());

        run = send({u"POST"_s, u"/trades"_s, u"-d"_s, u"{\"a\":1}"_s});
        QCOMPARE(run.exitCode, 8);
        QVERIFY2(run.err.contains("403 Forbidden — insufficient scope: needs trades:execute; your token has accounts:read"), run.err.constData());
        QVERIFY(run.out.contains("insufficient_scope")); // the body is still the body
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());
    }

    void scopeGivenForTheRequest()
    {
        CliRun run = send({u"POST"_s, u"/trades"_s, u"-d"_s, u"{\"a\":1}"_s, u"--scope"_s, u"accounts:read trades:execute"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 201);
        const QJsonObject created = json.value(u"body"_s).toObject();
        QCOMPARE(created.value(u"trade"_s).toObject(), (QJsonObject{{u"a"_s, 1}}));
        QCOMPARE(created.value(u"client_id"_s).toString(), m_client.id);
        QCOMPARE(created.value(u"on_behalf_of"_s).toString(), u"user u-42"_s);
        QVERIFY(json.value(u"headers"_s).toObject().value(u"location"_s).toString().startsWith(u"/api/trades/trd-"_s));
        QCOMPARE(json.value(u"token"_s).toObject().value(u"granted_scopes"_s).toArray(),
                 (QJsonArray{u"accounts:read"_s, u"trades:execute"_s}));
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());

        run = send({u"POST"_s, u"/trades"_s, u"-d"_s, u"{\"a\":2}"_s, u"--scope"_s, u"trades:execute"_s, u"--verbose"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"trade"_s).toObject(), (QJsonObject{{u"a"_s, 2}}));
        QVERIFY2(run.err.contains("> Authorization: Bearer ••••"), run.err.constData());
        QVERIFY(run.err.contains("< HTTP/1.1 201 Created"));
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());
    }

    void withoutTheTokenTheApiSaysSo()
    {
        // Authorization left out: no secret is needed, and the API's bare challenge is read as
        // "no token went".
        QProcessEnvironment noSecret = QProcessEnvironment::systemEnvironment();
        noSecret.remove(u"OIDC_SECRET"_s);
        noSecret.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent/tokenbench"_s);
        const CliRun run = runCli(ws({u"send"_s, m_env, u"GET"_s, u"/accounts"_s, u"-H"_s, u"Authorization:"_s, u"--json"_s}), noSecret);
        QCOMPARE(run.exitCode, 8);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 401);
        QCOMPARE(json.value(u"headers"_s).toObject().value(u"www-authenticate"_s).toString(), u"Bearer realm=\"oidc-fixture\""_s);
        QCOMPARE(json.value(u"readout"_s).toObject().value(u"kind"_s).toString(), u"missing_token"_s);
        QVERIFY(!json.value(u"token"_s).toObject().value(u"sent"_s).toBool());
    }

    // The API's own RFC 6750 behaviour, over raw HTTP (no Tokenbench code in the way).
    void apiAnswersAsRfc6750Says()
    {
        const QByteArray token = fetchToken(u"accounts:read"_s);
        QVERIFY2(token.startsWith("eyJ"), qPrintable(m_server.standardErrorOutput()));
        const QByteArray bareChallenge = "Bearer realm=\"" + OidcProviderProcess::apiRealm().toUtf8() + '"';

        HttpAnswer answer = call("GET", api(u"/accounts"_s), "Bearer " + token);
        QCOMPARE(answer.status, 200);

        for (const QByteArray &authorization : {QByteArray(), "Basic dGItYmFzaWM6YmFzaWMtc2VjcmV0"_ba}) {
            answer = call("GET", api(u"/accounts"_s), authorization);
            QCOMPARE(answer.status, 401);
            QCOMPARE(answer.challenge, bareChallenge); // no error code without a bearer token (§3.1)
        }

        answer = call("GET", api(u"/accounts"_s), "Bearer not-a-jwt");
        QCOMPARE(answer.status, 401);
        QVERIFY2(answer.challenge.startsWith(bareChallenge + ", error=\"invalid_token\""), answer.challenge.constData());
        QCOMPARE(answer.json.value(u"error"_s).toString(), u"invalid_token"_s);

        // The same token with one signature character changed.
        QByteArray tampered = token;
        const qsizetype at = tampered.lastIndexOf('.') + 10;
        tampered[at] = tampered.at(at) == 'A' ? 'B' : 'A';
        answer = call("GET", api(u"/accounts"_s), "Bearer " + tampered);
        QCOMPARE(answer.status, 401);
        QVERIFY2(answer.challenge.contains("error=\"invalid_token\""), answer.challenge.constData());
        QVERIFY2(answer.json.value(u"error_description"_s).toString().contains(u"signature"_s), answer.body.constData());

        answer = call("GET", api(u"/accounts"_s), "Bearer " + token + " extra");
        QCOMPARE(answer.status, 400);
        QVERIFY2(answer.challenge.contains("error=\"invalid_request\""), answer.challenge.constData());
        QUrl inQuery = api(u"/accounts"_s);
        inQuery.setQuery(u"access_token="_s + QString::fromLatin1(token));
        QCOMPARE(call("GET", inQuery).status, 400);

        answer = call("POST", api(u"/trades"_s), "Bearer " + token, "{}");
        QCOMPARE(answer.status, 403);
        QVERIFY2(answer.challenge.startsWith(bareChallenge + ", error=\"insufficient_scope\""), answer.challenge.constData());
        QVERIFY2(answer.challenge.endsWith(", scope=\"trades:execute\""), answer.challenge.constData());
        QCOMPARE(answer.json.value(u"error"_s).toString(), u"insufficient_scope"_s);
        QCOMPARE(answer.json.value(u"scope"_s).toString(), u"trades:execute"_s);

        answer = call("GET", api(u"/echo-headers"_s), "Bearer " + token);
        QCOMPARE(answer.status, 200);
        QVERIFY(!answer.body.contains(token));

        QCOMPARE(call("GET", api(u"/nowhere"_s), "Bearer " + token).status, 404);
        answer = call("DELETE", api(u"/accounts"_s), "Bearer " + token);
        QCOMPARE(answer.status, 405);
        QCOMPARE(answer.allow, "GET"_ba);
    }

    // A resource server whose clock is past every token's exp: 401 invalid_token "expired",
    // which Tokenbench answers by authorizing once more, then gives up.
    void expiredTokenIsRetriedOnceThenExplained()
    {
        OidcProviderProcess late;
        late.setExtraArguments({u"--api-clock-offset"_s, u"301"_s});
        QString error;
        QVERIFY2(late.start(&error), qPrintable(error));
        addEnvironment(u"oidc api late"_s, late);
        const CliRun run = send(u"oidc api late"_s, {u"GET"_s, u"/accounts"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 8);
        const QJsonObject json = run.json();
        QCOMPARE(json.value(u"status"_s).toInt(), 401);
        QVERIFY(json.value(u"headers"_s).toObject().value(u"www-authenticate"_s).toString().contains(u"error=\"invalid_token\""_s));
        QCOMPARE(json.value(u"readout"_s).toObject().value(u"kind"_s).toString(), u"expired_token"_s);
        QVERIFY(json.value(u"token"_s).toObject().value(u"reauthorized"_s).toBool());
        QVERIFY2(leak(run).isEmpty(), leak(run).constData());
    }

    void secretsStayOutOfTheWorkspace()
    {
        // The leak check above is not vacuous: asked to, the CLI does print the token.
        const CliRun shown = runCli(ws({u"token"_s, m_env, u"--client-secret-env"_s, u"OIDC_SECRET"_s, u"--show-token"_s}), secretEnv());
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(!leak(shown).isEmpty());

        QFile file(m_dir.filePath(u"ws.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray workspace = file.readAll();
        QVERIFY(workspace.contains(m_client.id.toUtf8()));
        QVERIFY(!workspace.contains(m_client.secret.toUtf8()));
        QVERIFY(!workspace.contains("eyJ"));
    }
};

QTEST_GUILESS_MAIN(TestOidcSend)
#include "tst_oidc_send.moc"
