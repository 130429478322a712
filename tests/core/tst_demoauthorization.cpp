#include "demo/DemoServer.h"
#include "oauth/Pkce.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "support/DemoApproval.h"
#include "support/LoopbackBrowser.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(GrantInteraction)

// The Demo API's authorization endpoint (DemoAuthorizationEndpoint), driven as a person would:
// the grant's authorization URL, the Approve or Deny form, the redirect to the loopback callback.
class TestDemoAuthorization : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;
    DemoApproval m_browser;
    using Answer = DemoApproval::Answer;

    Answer http(const QUrl &url, const QByteArray &form = {}) { return m_browser.http(url, form); }

    TokenRequest request() const
    {
        TokenRequest request;
        request.grant = GrantType::AuthorizationCode;
        request.tokenUrl = m_demo.tokenUrl();
        request.authorizationUrl = m_demo.authorizationUrl();
        request.issuer = m_demo.baseUrl();
        request.clientId = DemoServer::clientId();
        request.clientSecret = DemoServer::clientSecret();
        request.scopes = {u"accounts:read"_s};
        return request;
    }

    TokenResult runWith(const QString &decision)
    {
        TokenClient client;
        TokenFetch *fetch = client.fetch(request());
        QSignalSpy asked(fetch, &TokenFetch::interactionRequired);
        QSignalSpy finished(fetch, &TokenFetch::finished);
        if (!asked.wait(5000))
            return {};
        const QUrl url = asked.first().first().value<GrantInteraction>().url;
        const Answer decided = m_browser.decideConsent(url, decision);
        if (decided.status != 302)
            return {};
        LoopbackBrowser::get(decided.location);
        if (finished.isEmpty() && !finished.wait(10000))
            return {};
        return finished.first().first().value<TokenResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        qRegisterMetaType<GrantInteraction>();
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void approvingGivesAToken()
    {
        const TokenResult result = runWith(u"approve"_s);
        QVERIFY2(result.ok(), qPrintable(result.error.summary() + result.error.detail));
        QCOMPARE(result.token->grantedScopes, QStringList{u"accounts:read"_s});
    }

    void denyingIsAccessDenied()
    {
        const TokenResult result = runWith(u"deny"_s);
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"access_denied"_s);
    }

    void theCodeNeedsTheVerifierAndIsUsedOnce()
    {
        const Pkce pkce = Pkce::generate();
        QUrl url = m_demo.authorizationUrl();
        const QString redirectUri = u"http://127.0.0.1:9/callback"_s;
        url.setQuery(u"response_type=code&client_id=%1&redirect_uri=%2&state=s&code_challenge=%3&code_challenge_method=S256"_s.arg(
            DemoServer::clientId(), QString::fromLatin1(QUrl::toPercentEncoding(redirectUri)), QString::fromLatin1(pkce.challenge)));
        const Answer decided = m_browser.decideConsent(url, u"approve"_s);
        QCOMPARE(decided.status, 302);
        const QString code = LoopbackBrowser::formValue(decided.location, u"code"_s);
        QVERIFY(!code.isEmpty());
        QCOMPARE(LoopbackBrowser::formValue(decided.location, u"iss"_s), m_demo.baseUrl().toString());
        const auto exchange = [&](const QByteArray &verifier) {
            return http(m_demo.tokenUrl(), "grant_type=authorization_code&client_id=demo-client&client_secret=demo-secret&code="
                                                + QUrl::toPercentEncoding(code) + "&redirect_uri=" + QUrl::toPercentEncoding(redirectUri)
                                                + "&code_verifier=" + verifier);
        };
        const Answer wrong = exchange(Pkce::generate().verifier);
        QCOMPARE(wrong.status, 400);
        QVERIFY2(wrong.body.contains("invalid_grant") && wrong.body.contains("code_verifier"), wrong.body.constData());
        QCOMPARE(exchange(pkce.verifier).status, 400); // used once, even by a failed attempt
    }

    void aRemoteRedirectUriIsNeverRedirectedTo()
    {
        QUrl url = m_demo.authorizationUrl();
        url.setQuery(u"response_type=code&client_id=demo-client&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s"
                     "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"_s);
        const Answer answer = http(url);
        QCOMPARE(answer.status, 400);
        QVERIFY(answer.body.contains("loopback"));
    }
};

QTEST_GUILESS_MAIN(TestDemoAuthorization)
#include "tst_demoauthorization.moc"
