#include "request/RequestDraft.h"
#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"
#include "secrets/CredentialScan.h"
#include "secrets/KnownSecrets.h"

#include <QJsonDocument>
#include <QObject>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
const QString kSecret = u"cl1ent s3cret/+=&\"é"_s;
const QString kPassword = u"hunter2-password"_s;
const QString kParam = u"assertion-value-77"_s;
const QString kToken = u"tb_opaque_9f8e7d6c5b4a"_s;
const QString kRefresh = u"rt_4b3c2d1e0f"_s;
// Nobody told anyone about this one: only its shape gives it away.
const QString kStrangerJwt = u"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2lnbmF0dXJl"_s;

KnownSecrets sessionSecrets()
{
    TokenRequest request;
    request.clientId = u"demo-client"_s;
    request.clientSecret = kSecret;
    request.password = kPassword;
    request.extraParams = {{u"audience"_s, u"public-aud"_s}, {u"assertion"_s, kParam}};
    request.secretParamNames = {u"assertion"_s};
    AccessToken token;
    token.value = kToken;
    token.refreshToken = kRefresh;
    KnownSecrets known;
    known.addTokenRequest(request);
    known.addToken(token);
    return known;
}

// Every spelling a leak search looks for (security checklist items 1 and 2).
QList<QByteArray> spellings(const QString &value)
{
    QByteArray form = QUrl::toPercentEncoding(value, " ");
    form.replace(' ', '+');
    return {value.toUtf8(), QUrl::toPercentEncoding(value), form, value.toUtf8().toBase64(),
            value.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)};
}
} // namespace

class TestKnownSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collectsEveryEnvironmentSecretAndToken()
    {
        const KnownSecrets known = sessionSecrets();
        QCOMPARE(known.values(), (QStringList{kSecret, kPassword, kParam, kToken, kRefresh}));
        QVERIFY(!known.values().contains(u"public-aud"_s)); // a parameter not marked secret is not one
    }

    void findsEachInEveryEncoding_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("what");
        const KnownSecrets known = sessionSecrets();
        for (const auto &secret : known.secrets()) {
            const QList<QByteArray> forms = spellings(secret.value);
            for (int i = 0; i < forms.size(); ++i)
                QTest::addRow("%s #%d", qPrintable(secret.what), i) << ("prefix " + forms.at(i) + " suffix") << secret.what;
        }
        QTest::newRow("basic") << ("Authorization: Basic " + TokenRequest::basicCredentials(u"demo-client"_s, kSecret)) << u"the client secret"_s;
        QTest::newRow("json escaped") << QByteArray("{\"client_secret\":\"cl1ent s3cret\\/+=&\\\"\\u00e9\"}") << u"the client secret"_s;
        QTest::newRow("jwt shape") << ("?access_token=" + kStrangerJwt.toUtf8()) << KnownSecrets::jwtShapedDescription();
        QTest::newRow("nothing") << QByteArray("an ordinary page about tokens and secrets") << QString();
    }

    void findsEachInEveryEncoding()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, what);
        const KnownSecrets known = sessionSecrets();
        QCOMPARE(known.findIn(text), what);
        const QByteArray masked = known.mask(text);
        if (what.isEmpty()) {
            QCOMPARE(masked, text);
            return;
        }
        QVERIFY(masked.contains("••••"));
        for (const QString &value : known.values() + QStringList{kStrangerJwt}) {
            for (const QByteArray &form : spellings(value))
                QVERIFY2(!masked.contains(form), masked.constData());
        }
    }

    void masksAnErrorEchoingTheRequest()
    {
        // A 502 page of a proxy that prints the request it could not forward.
        OAuthError error;
        error.kind = OAuthError::Kind::Http;
        error.httpStatus = 502;
        error.excerpt = u"Bad gateway. Request: Authorization: Basic %1 body grant_type=password&password=%2"_s.arg(
            QString::fromLatin1(TokenRequest::basicCredentials(u"demo-client"_s, kSecret)), QString::fromLatin1(TokenRequest::formEncode(kPassword)));
        error.description = u"refresh token %1 rejected"_s.arg(kRefresh);
        error.detail = u"upstream said %1"_s.arg(kToken);
        const OAuthError masked = sessionSecrets().mask(error);
        const QString all = masked.excerpt + masked.description + masked.detail + masked.summary();
        for (const QString &value : sessionSecrets().values()) {
            for (const QByteArray &form : spellings(value))
                QVERIFY2(!all.toUtf8().contains(form), qPrintable(all));
        }
        QVERIFY2(masked.excerpt.startsWith(u"Bad gateway. Request: Authorization: Basic "_s) && masked.excerpt.contains(u"••••"_s), qPrintable(masked.excerpt));
        QCOMPARE(masked.httpStatus, 502);
    }

    void scanNamesWhereACredentialIs_data()
    {
        QTest::addColumn<RequestDraft>("draft");
        QTest::addColumn<QString>("finding"); // empty: nothing to refuse

        RequestDraft clean;
        clean.url = u"/accounts?page=2"_s;
        clean.headers = {{u"Authorization"_s, u"Bearer {{partnerToken}}"_s, true}, {u"X-Tenant"_s, u"acme"_s, true}};
        clean.body = "{\"name\":\"{{userId}}\"}";
        QTest::newRow("templates only") << clean << QString();

        RequestDraft overrideVar;
        overrideVar.url = u"/me"_s;
        overrideVar.injectionSwitches = {{u"Authorization"_s, false, u"Bearer {{t}}"_s}};
        overrideVar.extraVariables = {{u"t"_s, u"whatever-value"_s}};
        QTest::newRow("variable feeding the override") << overrideVar << u"variable t (feeds Authorization)"_s;

        RequestDraft apiKey;
        apiKey.url = u"/me"_s;
        apiKey.headers = {{u"X-Api-Key"_s, u"k3y-literal"_s, true}};
        QTest::newRow("api key") << apiKey << u"header X-Api-Key: holds a credential"_s;

        RequestDraft cookie;
        cookie.url = u"/me"_s;
        cookie.headers = {{u"cookie"_s, u"session=abc123"_s, false}};
        QTest::newRow("cookie, even switched off") << cookie << u"header cookie: holds a credential"_s;

        RequestDraft oldToken;
        oldToken.url = u"/me?access_token="_s + kStrangerJwt;
        QTest::newRow("older token in the URL") << oldToken << u"URL query access_token: holds a token-shaped string (a JWT)"_s;

        RequestDraft opaque;
        opaque.url = u"/me"_s;
        opaque.queryParams = {{u"access_token"_s, u"opaque-but-literal"_s, true}};
        QTest::newRow("secret-named parameter") << opaque << u"URL query access_token: holds a credential"_s;

        RequestDraft body;
        body.method = u"POST"_s;
        body.url = u"/echo"_s;
        body.body = "{\"note\":\"" + kSecret.toUtf8().replace('"', "\\\"") + "\"}";
        QTest::newRow("client secret in the body") << body << u"body: holds the client secret"_s;

        RequestDraft leak;
        leak.url = u"https://api.example.com/x?leak="_s + QString::fromLatin1(QUrl::toPercentEncoding(kSecret));
        QTest::newRow("client secret in the URL") << leak << u"URL query leak: holds the client secret"_s;

        RequestDraft form;
        form.method = u"POST"_s;
        form.url = u"/upload"_s;
        form.formParts = {{u"note"_s, kRefresh, false, true}};
        QTest::newRow("refresh token in a form field") << form << u"form field note: holds a refresh token"_s;

        RequestDraft variable;
        variable.url = u"/me"_s;
        variable.extraVariables = {{u"who"_s, kToken}};
        QTest::newRow("access token in a variable") << variable << u"variable who: holds an access token"_s;
    }

    void scanNamesWhereACredentialIs()
    {
        QFETCH(RequestDraft, draft);
        QFETCH(QString, finding);
        const KnownSecrets known = sessionSecrets();
        QCOMPARE(CredentialScan(&known).problem(draft), finding);
        const QString refusal = CredentialScan::refusal(finding);
        QVERIFY(refusal.contains(u"keychain"_s));
    }

    void storageProblemWithoutKnownSecretsStillSeesNamesAndShapes()
    {
        RequestDraft draft;
        draft.url = u"/me"_s;
        draft.headers = {{u"X-Api-Key"_s, u"k3y-literal"_s, true}};
        QVERIFY(CredentialScan::storageProblem(draft).contains(u"header X-Api-Key"_s));
        draft.headers.clear();
        draft.body = kStrangerJwt.toUtf8();
        QVERIFY(CredentialScan::storageProblem(draft).contains(u"body: holds a token-shaped string"_s));
        draft.body = kSecret.toUtf8(); // unknown without the session's secrets
        QVERIFY(CredentialScan::storageProblem(draft).isEmpty());
    }

    void storedFormLeavesOutWhatFeedsACredential()
    {
        RequestDraft draft;
        draft.url = u"/me"_s;
        draft.injectionSwitches = {{u"Authorization"_s, false, u"Bearer {{t}}"_s}};
        draft.extraVariables = {{u"t"_s, kToken}, {u"userId"_s, u"alice"_s}};
        const QByteArray json = QJsonDocument(draft.toJson()).toJson();
        QVERIFY2(!json.contains(kToken.toUtf8()), json.constData());
        QVERIFY(json.contains("alice"));
    }
};

QTEST_GUILESS_MAIN(TestKnownSecrets)
#include "tst_knownsecrets.moc"
