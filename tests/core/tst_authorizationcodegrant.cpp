#include "oauth/AuthorizationCodeGrant.h"
#include "oauth/Pkce.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/LoopbackBrowser.h"
#include "support/ScriptedHttpServer.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(GrantInteraction)

namespace {
const QByteArray tokenAnswer = ScriptedHttpServer::response(
    200, "OK", "application/json", R"({"access_token":"issued-by-code","token_type":"Bearer","expires_in":300,"scope":"accounts:read"})");

// The form body of a token request, decoded.
QHash<QString, QString> formFields(const QByteArray &request)
{
    QHash<QString, QString> fields;
    const QByteArray body = request.mid(request.indexOf("\r\n\r\n") + 4);
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = pair.left(eq), value = pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        fields.insert(QUrl::fromPercentEncoding(name), QUrl::fromPercentEncoding(value));
    }
    return fields;
}

// Runs the grant until it asks for the browser; returns the authorization URL.
QUrl awaitAuthorizationUrl(TokenFetch *fetch)
{
    QSignalSpy asked(fetch, &TokenFetch::interactionRequired);
    if (!asked.wait(5000))
        return {};
    const auto interaction = asked.first().first().value<GrantInteraction>();
    return interaction.kind == GrantInteraction::Kind::OpenBrowser ? interaction.url : QUrl();
}

QUrl redirectTo(const QUrl &authorizationUrl, const QList<QPair<QString, QString>> &parameters)
{
    QUrl redirect(LoopbackBrowser::formValue(authorizationUrl, u"redirect_uri"_s));
    QUrlQuery query;
    for (const auto &[name, value] : parameters)
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    redirect.setQuery(query);
    return redirect;
}

TokenResult awaitResult(QSignalSpy &finished)
{
    if (finished.isEmpty() && !finished.wait(5000))
        return {};
    return finished.first().first().value<TokenResult>();
}
} // namespace

class TestAuthorizationCodeGrant : public QObject
{
    Q_OBJECT

private:
    ScriptedHttpServer m_tokens;

    TokenRequest request(ClientAuthStyle style = ClientAuthStyle::None) const
    {
        TokenRequest request;
        request.grant = GrantType::AuthorizationCode;
        request.tokenUrl = m_tokens.url(u"/token"_s);
        request.authorizationUrl = QUrl(u"https://login.example.test/authorize?tenant=t1"_s);
        request.issuer = QUrl(u"https://login.example.test"_s);
        request.clientAuth = style;
        request.clientId = u"tb:native app+1"_s;
        if (Environment::usesClientSecret(style))
            request.clientSecret = u"CONFIDENTIAL-SECRET"_s;
        request.scopes = {u"accounts:read"_s, u"trades:read"_s};
        request.extraParams = {{u"audience"_s, u"urn:api"_s}, {u"private_param"_s, u"HIDDEN-VALUE"_s}};
        request.secretParamNames = {u"private_param"_s};
        request.timeoutMs = 5000;
        return request;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        qRegisterMetaType<GrantInteraction>();
        QVERIFY(m_tokens.listen());
        m_tokens.setResponse(tokenAnswer);
    }

    void pkceIsS256OfA32ByteVerifier()
    {
        // RFC 7636 Appendix B.
        QCOMPARE(Pkce::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        const Pkce one = Pkce::generate();
        const Pkce two = Pkce::generate();
        QCOMPARE(one.verifier.size(), 43); // 32 bytes, base64url, no padding
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]{43}$"_s).match(QString::fromLatin1(one.verifier)).hasMatch());
        QCOMPARE(one.challenge, Pkce::challengeFor(one.verifier));
        QVERIFY(one.verifier != two.verifier);
    }

    void theCodeIsExchangedWithTheVerifier_data()
    {
        QTest::addColumn<int>("style");
        QTest::newRow("public client") << int(ClientAuthStyle::None);
        QTest::newRow("confidential, basic") << int(ClientAuthStyle::Basic);
        QTest::newRow("confidential, body") << int(ClientAuthStyle::Body);
    }

    void theCodeIsExchangedWithTheVerifier()
    {
        QFETCH(int, style);
        const int before = m_tokens.requestCount();
        TokenClient client;
        TokenFetch *fetch = client.fetch(request(ClientAuthStyle(style)));
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const QUrl url = awaitAuthorizationUrl(fetch);
        QVERIFY(url.isValid());

        // The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3), on the provider's URL.
        QCOMPARE(url.host(), u"login.example.test"_s);
        QCOMPARE(url.path(), u"/authorize"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"tenant"_s), u"t1"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"response_type"_s), u"code"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"client_id"_s), u"tb:native app+1"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"scope"_s), u"accounts:read trades:read"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"audience"_s), u"urn:api"_s);
        QCOMPARE(LoopbackBrowser::formValue(url, u"code_challenge_method"_s), u"S256"_s);
        const QString challenge = LoopbackBrowser::formValue(url, u"code_challenge"_s);
        QCOMPARE(challenge.size(), 43);
        const QString state = LoopbackBrowser::formValue(url, u"state"_s);
        QVERIFY(state.size() >= 43);
        const QUrl redirectUri(LoopbackBrowser::formValue(url, u"redirect_uri"_s));
        QVERIFY(QRegularExpression(u"^http://127\\.0\\.0\\.1:[0-9]+/callback$"_s).match(redirectUri.toString()).hasMatch());
        // No secret in the URL: not the client secret, not a secret parameter.
        QVERIFY(!url.toString().contains(u"HIDDEN-VALUE"_s));
        QVERIFY(!url.toString().contains(u"CONFIDENTIAL-SECRET"_s));

        // The browser comes back; the iss parameter names the environment's issuer (percent-encoded).
        const QByteArray page = LoopbackBrowser::get(redirectTo(url, {{u"code"_s, u"c0de/+%&="_s}, {u"state"_s, state},
                                                                     {u"iss"_s, u"https://login.example.test"_s}}));
        QVERIFY2(page.startsWith("HTTP/1.0 200"), page.constData());
        QVERIFY2(page.contains("You can close this page"), page.constData());

        const TokenResult result = awaitResult(finished);
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + result.error.detail));
        QCOMPARE(result.token->value, u"issued-by-code"_s);
        // Listener closed once the code was in hand.
        QVERIFY(!LoopbackBrowser::accepts(quint16(redirectUri.port())));

        // The code exchange (RFC 6749 §4.1.3, RFC 7636 §4.5) through the direct POST.
        QCOMPARE(m_tokens.requestCount(), before + 1);
        const QByteArray sent = m_tokens.requests().constLast();
        const auto fields = formFields(sent);
        QCOMPARE(fields.value(u"grant_type"_s), u"authorization_code"_s);
        QCOMPARE(fields.value(u"code"_s), u"c0de/+%&="_s);
        QCOMPARE(fields.value(u"redirect_uri"_s), redirectUri.toString());
        const QString verifier = fields.value(u"code_verifier"_s);
        QCOMPARE(QString::fromLatin1(Pkce::challengeFor(verifier.toLatin1())), challenge);
        QVERIFY(!url.toString().contains(verifier));
        QVERIFY(!fields.contains(u"scope"_s));
        if (ClientAuthStyle(style) == ClientAuthStyle::Basic) {
            QVERIFY(sent.contains("Authorization: Basic "));
            QVERIFY(!fields.contains(u"client_secret"_s));
        } else if (ClientAuthStyle(style) == ClientAuthStyle::Body) {
            QCOMPARE(fields.value(u"client_secret"_s), u"CONFIDENTIAL-SECRET"_s);
        } else {
            QCOMPARE(fields.value(u"client_id"_s), u"tb:native app+1"_s);
            QVERIFY(!fields.contains(u"client_secret"_s));
            QVERIFY(!sent.contains("Authorization:"));
        }
    }

    void anOpenIdRequestSendsAFreshNonceTheTokenCarriesOn()
    {
        // OpenID Connect Core §3.1.2.1: a random nonce with scope openid, none otherwise; the
        // token keeps it so that the ID token's nonce can be checked (IdTokenClaimsCheck).
        QStringList nonces;
        for (int round = 0; round < 2; ++round) {
            TokenRequest openId = request();
            openId.scopes = {u"openid"_s, u"accounts:read"_s};
            TokenClient client;
            TokenFetch *fetch = client.fetch(openId);
            QSignalSpy finished(fetch, &TokenFetch::finished);
            const QUrl url = awaitAuthorizationUrl(fetch);
            QVERIFY(url.isValid());
            const QString nonce = LoopbackBrowser::formValue(url, u"nonce"_s);
            QVERIFY2(QRegularExpression(u"^[A-Za-z0-9_-]{43}$"_s).match(nonce).hasMatch(), qPrintable(url.toString()));
            QVERIFY(nonce != LoopbackBrowser::formValue(url, u"state"_s));
            const QString state = LoopbackBrowser::formValue(url, u"state"_s);
            LoopbackBrowser::get(redirectTo(url, {{u"code"_s, u"c1"_s}, {u"state"_s, state}}));
            const TokenResult result = awaitResult(finished);
            QVERIFY2(result.ok(), qPrintable(result.error.summary()));
            QCOMPARE(result.token->idTokenNonce, nonce);
            nonces.append(nonce);
        }
        QVERIFY(nonces.first() != nonces.last());

        // Without openid no ID token comes: no nonce is sent, none expected.
        TokenClient client;
        TokenFetch *fetch = client.fetch(request());
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const QUrl url = awaitAuthorizationUrl(fetch);
        QVERIFY(!QUrlQuery(url).hasQueryItem(u"nonce"_s));
        LoopbackBrowser::get(redirectTo(url, {{u"code"_s, u"c2"_s}, {u"state"_s, LoopbackBrowser::formValue(url, u"state"_s)}}));
        const TokenResult result = awaitResult(finished);
        QVERIFY(result.ok());
        QVERIFY(result.token->idTokenNonce.isEmpty());
    }

    void aFixedRedirectPortIsUsed()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        TokenRequest fixed = request();
        fixed.redirectPort = port;
        TokenClient client;
        TokenFetch *fetch = client.fetch(fixed);
        const QUrl url = awaitAuthorizationUrl(fetch);
        QCOMPARE(LoopbackBrowser::formValue(url, u"redirect_uri"_s), u"http://127.0.0.1:%1/callback"_s.arg(port));
        fetch->cancel();
    }

    void aPortInUseIsAConfigurationError()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        TokenRequest fixed = request();
        fixed.redirectPort = taken.serverPort();
        TokenClient client;
        TokenFetch *fetch = client.fetch(fixed);
        QSignalSpy asked(fetch, &TokenFetch::interactionRequired);
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const TokenResult result = awaitResult(finished);
        QCOMPARE(result.error.kind, OAuthError::Kind::Configuration);
        QVERIFY2(result.error.detail.contains(QString::number(taken.serverPort())), qPrintable(result.error.detail));
        QCOMPARE(asked.count(), 0);
    }

    void refusedRedirects_data()
    {
        QTest::addColumn<QString>("stateGiven"); // "ok" = the request's state
        QTest::addColumn<QString>("iss");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("detailOrDescription");
        QTest::addColumn<QByteArray>("page");
        QTest::newRow("state mismatch") << u"forged-state"_s << QString() << QString() << int(OAuthError::Kind::Protocol)
                                        << u"state does not match"_s << QByteArray("does not belong");
        QTest::newRow("no state") << QString() << QString() << QString() << int(OAuthError::Kind::Protocol) << u"no state"_s
                                  << QByteArray("does not belong");
        QTest::newRow("iss mismatch (RFC 9207)") << u"ok"_s << u"https://evil.example.test"_s << QString() << int(OAuthError::Kind::Protocol)
                                                 << u"https://evil.example.test"_s << QByteArray("another authorization server");
        QTest::newRow("access_denied") << u"ok"_s << u"https://login.example.test"_s << u"access_denied"_s
                                       << int(OAuthError::Kind::Protocol) << u"The user said no & left"_s << QByteArray("not granted (access_denied)");
    }

    void refusedRedirects()
    {
        QFETCH(QString, stateGiven);
        QFETCH(QString, iss);
        QFETCH(QString, error);
        QFETCH(int, kind);
        QFETCH(QString, detailOrDescription);
        QFETCH(QByteArray, page);
        const int before = m_tokens.requestCount();
        TokenClient client;
        TokenFetch *fetch = client.fetch(request());
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const QUrl url = awaitAuthorizationUrl(fetch);
        QList<QPair<QString, QString>> parameters;
        if (error.isEmpty())
            parameters.append({u"code"_s, u"a-code"_s});
        else
            parameters += {{u"error"_s, error}, {u"error_description"_s, detailOrDescription}};
        if (!stateGiven.isEmpty())
            parameters.append({u"state"_s, stateGiven == u"ok"_s ? LoopbackBrowser::formValue(url, u"state"_s) : stateGiven});
        if (!iss.isEmpty())
            parameters.append({u"iss"_s, iss});
        const QByteArray answer = LoopbackBrowser::get(redirectTo(url, parameters));
        QVERIFY2(answer.contains(page), answer.constData());
        QVERIFY2(answer.contains("You can close this page"), answer.constData());

        const TokenResult result = awaitResult(finished);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error.kind), kind);
        if (error.isEmpty()) {
            QVERIFY2(result.error.detail.contains(detailOrDescription), qPrintable(result.error.detail));
        } else {
            QCOMPARE(result.error.code, error);
            QCOMPARE(result.error.description, detailOrDescription);
        }
        QCOMPARE(m_tokens.requestCount(), before); // the code never reached the token endpoint
        QVERIFY(!LoopbackBrowser::accepts(quint16(QUrl(LoopbackBrowser::formValue(url, u"redirect_uri"_s)).port())));
    }

    void cancelClosesThePort()
    {
        TokenClient client;
        TokenFetch *fetch = client.fetch(request());
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const QUrl url = awaitAuthorizationUrl(fetch);
        const quint16 port = quint16(QUrl(LoopbackBrowser::formValue(url, u"redirect_uri"_s)).port());
        QVERIFY(LoopbackBrowser::accepts(port));
        fetch->cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        QVERIFY(!LoopbackBrowser::accepts(port)); // at once, not when the fetch is deleted
    }

    void theWaitTimesOut()
    {
        TokenRequest quick = request();
        quick.interactionTimeoutMs = 300;
        TokenClient client;
        TokenFetch *fetch = client.fetch(quick);
        QSignalSpy finished(fetch, &TokenFetch::finished);
        const QUrl url = awaitAuthorizationUrl(fetch);
        const quint16 port = quint16(QUrl(LoopbackBrowser::formValue(url, u"redirect_uri"_s)).port());
        const TokenResult result = awaitResult(finished);
        QCOMPARE(result.error.kind, OAuthError::Kind::Timeout);
        QVERIFY2(result.error.detail.contains(u"browser"_s), qPrintable(result.error.detail));
        QVERIFY(!LoopbackBrowser::accepts(port));
    }

    void noAuthorizationUrlNoGrant()
    {
        TokenRequest incomplete = request();
        incomplete.authorizationUrl = QUrl();
        QVERIFY(incomplete.validate().detail.contains(u"authorization URL"_s));
        incomplete.authorizationUrl = QUrl(u"http://login.example.test/authorize"_s);
        QCOMPARE(incomplete.validate().kind, OAuthError::Kind::InsecureUrl);
    }

    void theTranscriptMasksTheCodeAndTheVerifier()
    {
        TokenRequest exchange = request();
        exchange.authorizationCode = u"THE-AUTHORIZATION-CODE"_s;
        exchange.codeVerifier = u"THE-PKCE-VERIFIER-VALUE"_s;
        exchange.redirectUri = u"http://127.0.0.1:1234/callback"_s;
        const QString transcript = exchange.redactedTranscript();
        QVERIFY(!transcript.contains(u"THE-AUTHORIZATION-CODE"_s));
        QVERIFY(!transcript.contains(u"THE-PKCE-VERIFIER-VALUE"_s));
        QVERIFY(transcript.contains(u"redirect_uri=http%3A%2F%2F127.0.0.1%3A1234%2Fcallback"_s));
    }
};

QTEST_GUILESS_MAIN(TestAuthorizationCodeGrant)
#include "tst_authorizationcodegrant.moc"
