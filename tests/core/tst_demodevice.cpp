#include "demo/DemoDeviceEndpoint.h"
#include "demo/DemoServer.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TokenResult)
Q_DECLARE_METATYPE(GrantInteraction)

namespace {
struct Answer
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};
} // namespace

// The Demo API's device grant (DemoDeviceEndpoint) as a client and a person meet it: the
// Authorizer running DeviceCodeGrant against it, the verification page in a "browser".
class TestDemoDevice : public QObject
{
    Q_OBJECT

private:
    SecretStore m_secrets{u"Tokenbench-tests"_s};
    DemoServer m_demo;
    QNetworkAccessManager m_browser;

    // An environment like any other pointing at this Demo: the Authorizer's general path.
    Environment deviceEnvironment() const
    {
        Environment env;
        env.id = u"device-env"_s;
        env.name = u"Device"_s;
        env.grant = GrantType::DeviceCode;
        env.clientAuth = ClientAuthStyle::Basic;
        env.clientId = DemoServer::clientId();
        env.tokenUrl = m_demo.tokenUrl();
        env.provider.deviceAuthorizationUrl = m_demo.deviceAuthorizationUrl();
        return env;
    }

    Answer send(const QByteArray &verb, const QUrl &url, const QByteArray &body = {}, const QByteArray &authorization = {})
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *reply = m_browser.sendCustomRequest(request, verb, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(10000);
        Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return answer;
    }

    QByteArray basic() const
    {
        return "Basic " + (DemoServer::clientId() + u':' + DemoServer::clientSecret()).toUtf8().toBase64();
    }

    Answer poll(const QString &deviceCode)
    {
        return send("POST", m_demo.tokenUrl(),
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" + QUrl::toPercentEncoding(deviceCode),
                    basic());
    }

    Answer decide(const QString &userCode, const QString &decision)
    {
        QUrl page = m_demo.baseUrl();
        page.setPath(DemoDeviceEndpoint::verificationPath());
        return send("POST", page, "user_code=" + QUrl::toPercentEncoding(userCode) + "&decision=" + decision.toLatin1());
    }

    GrantInteraction authorizeUntilAsked(Authorizer &authorizer, QSignalSpy &asked)
    {
        authorizer.authorize(deviceEnvironment(), {u"accounts:read"_s}, {DemoServer::clientSecret(), {}, false});
        if (asked.isEmpty() && !asked.wait(10000))
            return {};
        return asked.first().at(1).value<GrantInteraction>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<TokenResult>();
        qRegisterMetaType<GrantInteraction>();
        m_browser.setProxy(QNetworkProxy::NoProxy);
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void approvedAtTheVerificationPage()
    {
        Authorizer authorizer(&m_secrets);
        QSignalSpy asked(&authorizer, &Authorizer::interactionRequired);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        const GrantInteraction interaction = authorizeUntilAsked(authorizer, asked);
        QCOMPARE(interaction.kind, GrantInteraction::Kind::EnterCode);
        QCOMPARE(interaction.url.path(), DemoDeviceEndpoint::verificationPath());
        QVERIFY(!interaction.userCode.isEmpty());

        // The complete URI opens the page with the code filled in.
        const Answer page = send("GET", interaction.completeUrl);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("value=\"" + interaction.userCode.toUtf8() + '"'));

        // Typed in lower case, as a person might: still the code.
        const Answer approved = decide(interaction.userCode.toLower(), u"approve"_s);
        QCOMPARE(approved.status, 200);
        QVERIFY(approved.body.contains("Approved"));

        QVERIFY(finished.wait(10000));
        const TokenResult result = finished.first().at(1).value<TokenResult>();
        QVERIFY2(result.ok(), qPrintable(result.error.summary()));
        QCOMPARE(result.token->grantedScopes, QStringList{u"accounts:read"_s});
        QCOMPARE(result.token->jwt().claims().value(u"sub"_s).toString(), DemoServer::username());
        QVERIFY(authorizer.currentToken(u"device-env"_s));
        // The code was used: approving it again finds nothing.
        QCOMPARE(decide(interaction.userCode, u"approve"_s).status, 404);
    }

    void deniedAtTheVerificationPage()
    {
        Authorizer authorizer(&m_secrets);
        QSignalSpy asked(&authorizer, &Authorizer::interactionRequired);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        const GrantInteraction interaction = authorizeUntilAsked(authorizer, asked);
        QCOMPARE(decide(interaction.userCode, u"deny"_s).status, 200);
        QVERIFY(finished.wait(10000));
        const TokenResult result = finished.first().at(1).value<TokenResult>();
        QCOMPARE(result.error.kind, OAuthError::Kind::Protocol);
        QCOMPARE(result.error.code, u"access_denied"_s);
        QVERIFY(!authorizer.currentToken(u"device-env"_s));
    }

    void cancelStopsThePolling()
    {
        Authorizer authorizer(&m_secrets);
        QSignalSpy asked(&authorizer, &Authorizer::interactionRequired);
        QSignalSpy finished(&authorizer, &Authorizer::finished);
        const int before = m_demo.deviceEndpoint()->redemptionAttempts();
        const GrantInteraction interaction = authorizeUntilAsked(authorizer, asked);
        QVERIFY(!interaction.userCode.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_demo.deviceEndpoint()->redemptionAttempts() > before, 5000);
        QVERIFY(authorizer.isBusy(u"device-env"_s));
        authorizer.cancel(u"device-env"_s);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(1).value<TokenResult>().error.kind, OAuthError::Kind::Cancelled);
        QVERIFY(!authorizer.isBusy(u"device-env"_s));
        const int polls = m_demo.deviceEndpoint()->redemptionAttempts();
        // Approved after the cancel: nobody is polling any more, so nobody takes the token.
        QCOMPARE(decide(interaction.userCode, u"approve"_s).status, 200);
        QTest::qWait(2500); // more than two of the Demo's 1 s intervals
        QCOMPARE(m_demo.deviceEndpoint()->redemptionAttempts(), polls);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!authorizer.currentToken(u"device-env"_s));
    }

    void theTokenEndpointAnswersAsRfc8628Says()
    {
        const Answer issued = send("POST", m_demo.deviceAuthorizationUrl(), "scope=accounts%3Aread+trades%3Aread", basic());
        QCOMPARE(issued.status, 200);
        const QString deviceCode = issued.json().value(u"device_code"_s).toString();
        const QString userCode = issued.json().value(u"user_code"_s).toString();
        QVERIFY(!deviceCode.isEmpty());
        QVERIFY(QRegularExpression(u"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"_s).match(userCode).hasMatch());
        QCOMPARE(issued.json().value(u"interval"_s).toInt(), 1);
        QCOMPARE(issued.json().value(u"expires_in"_s).toInt(), 600);

        QCOMPARE(poll(deviceCode).json().value(u"error"_s).toString(), u"authorization_pending"_s);
        // At once again: too soon, and the interval grows by 5 s for this code.
        const Answer hurried = poll(deviceCode);
        QCOMPARE(hurried.status, 400);
        QCOMPARE(hurried.json().value(u"error"_s).toString(), u"slow_down"_s);
        QVERIFY(hurried.json().value(u"error_description"_s).toString().contains(u"6 s"_s));

        QCOMPARE(decide(userCode, u"approve"_s).status, 200);
        const Answer issuedToken = poll(deviceCode);
        QCOMPARE(issuedToken.status, 200);
        QCOMPARE(issuedToken.json().value(u"scope"_s).toString(), u"accounts:read trades:read"_s);
        // Redeemed once only.
        QCOMPARE(poll(deviceCode).json().value(u"error"_s).toString(), u"invalid_grant"_s);

        // Another client cannot redeem it, nor can a client that does not authenticate.
        const Answer unauthenticated = send("POST", m_demo.deviceAuthorizationUrl(), "client_id=demo-client");
        QCOMPARE(unauthenticated.status, 401);
        QCOMPARE(unauthenticated.json().value(u"error"_s).toString(), u"invalid_client"_s);
        QCOMPARE(send("POST", m_demo.deviceAuthorizationUrl(), "scope=no:such", basic()).json().value(u"error"_s).toString(),
                 u"invalid_scope"_s);
        QCOMPARE(send("GET", m_demo.deviceAuthorizationUrl()).status, 405);
    }

    void anExpiredCodeIsSaidSo()
    {
        m_demo.deviceEndpoint()->setLifetime(1);
        const Answer issued = send("POST", m_demo.deviceAuthorizationUrl(), {}, basic());
        m_demo.deviceEndpoint()->setLifetime(600);
        const QString deviceCode = issued.json().value(u"device_code"_s).toString();
        const QString userCode = issued.json().value(u"user_code"_s).toString();
        QTest::qWait(1200);
        QCOMPARE(decide(userCode, u"approve"_s).status, 404); // too late at the page too
        QCOMPARE(poll(deviceCode).json().value(u"error"_s).toString(), u"expired_token"_s);
    }

    void thePageEscapesWhatItIsGiven()
    {
        QUrl page = m_demo.baseUrl();
        page.setPath(DemoDeviceEndpoint::verificationPath());
        page.setQuery(u"user_code=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"_s);
        const Answer answer = send("GET", page);
        QCOMPARE(answer.status, 200);
        QVERIFY(!answer.body.contains("<script>"));
        QVERIFY(answer.body.contains("&lt;script&gt;"));
        QCOMPARE(decide(u"NOPE-NOPE"_s, u"approve"_s).status, 404);
        QCOMPARE(decide(u"NOPE-NOPE"_s, u"maybe"_s).status, 400);
    }
};

QTEST_GUILESS_MAIN(TestDemoDevice)
#include "tst_demodevice.moc"
