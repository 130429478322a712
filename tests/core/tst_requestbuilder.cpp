#include "http/HeaderInjector.h"
#include "http/OriginGuard.h"
#include "http/ProductionGuard.h"
#include "http/RequestBuilder.h"
#include "http/UrlLookalike.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
Environment environment()
{
    Environment env;
    env.id = u"env-1"_s;
    env.name = u"Cybrid sandbox"_s;
    env.apiBaseUrl = QUrl(u"https://bank.sandbox.example/api"_s);
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}, {u"X-Account"_s, u"{{accountId}}"_s}};
    env.variables = {{u"userId"_s, u"42"_s}, {u"accountId"_s, u"acc-1"_s}};
    return env;
}

AccessToken bearer(const QString &type = u"bearer"_s)
{
    AccessToken token;
    token.value = u"tok-123"_s;
    token.tokenType = type;
    return token;
}

const InjectedHeader *find(const HeaderInjector::Plan &plan, const QByteArray &name)
{
    for (const auto &header : plan.headers) {
        if (HttpHeaders::sameName(header.name, name))
            return &header;
    }
    return nullptr;
}
} // namespace

class TestRequestBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolvesUrls_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected"); // empty: refused

        QTest::newRow("path appended") << u"https://x.example/api"_s << u"/accounts"_s << u"https://x.example/api/accounts"_s;
        QTest::newRow("no leading slash") << u"https://x.example/api/"_s << u"accounts"_s << u"https://x.example/api/accounts"_s;
        QTest::newRow("base path not doubled") << u"https://x.example/api"_s << u"/api/accounts"_s << u"https://x.example/api/accounts"_s;
        QTest::newRow("only a prefix of a segment") << u"https://x.example/api"_s << u"/apis/x"_s << u"https://x.example/api/apis/x"_s;
        QTest::newRow("root base") << u"https://x.example"_s << u"/v1/x"_s << u"https://x.example/v1/x"_s;
        QTest::newRow("root base slash") << u"https://x.example/"_s << u"v1"_s << u"https://x.example/v1"_s;
        QTest::newRow("base itself") << u"https://x.example/api"_s << u"/"_s << u"https://x.example/api"_s;
        QTest::newRow("query kept") << u"https://x.example/api"_s << u"/trades?page=2&size=5"_s << u"https://x.example/api/trades?page=2&size=5"_s;
        QTest::newRow("fragment dropped") << u"https://x.example/api"_s << u"/a#frag"_s << u"https://x.example/api/a"_s;
        QTest::newRow("port kept") << u"http://127.0.0.1:8080/api"_s << u"/me"_s << u"http://127.0.0.1:8080/api/me"_s;
        QTest::newRow("absolute") << u"https://x.example/api"_s << u"https://other.example/p?q=1"_s << u"https://other.example/p?q=1"_s;
        QTest::newRow("absolute upper-case scheme") << u""_s << u"HTTPS://other.example/p"_s << u"https://other.example/p"_s;
        QTest::newRow("relative without base") << u""_s << u"/x"_s << QString();
        QTest::newRow("ftp") << u"https://x.example"_s << u"ftp://x.example/f"_s << QString();
        QTest::newRow("javascript") << u"https://x.example"_s << u"javascript:alert(1)"_s << QString();
        QTest::newRow("scheme-relative") << u"https://x.example"_s << u"//evil.example/x"_s << QString();
        QTest::newRow("user info") << u"https://x.example"_s << u"https://user:pw@x.example/"_s << QString();
        QTest::newRow("empty") << u"https://x.example"_s << u"  "_s << QString();
    }

    void resolvesUrls()
    {
        QFETCH(QString, base);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QString problem;
        const QUrl url = RequestBuilder::resolveUrl(input, QUrl(base), &problem);
        if (expected.isEmpty()) {
            QVERIFY2(!problem.isEmpty(), qPrintable(url.toString()));
        } else {
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE(url.toString(QUrl::FullyEncoded), expected);
        }
    }

    void buildsWithVariables()
    {
        RequestDraft draft;
        draft.method = u"post"_s;
        draft.url = u"/users/{{userId}}/trades"_s;
        draft.queryParams = {{u"note"_s, u"a&b=c +{{userId}}"_s, true}, {u"off"_s, u"x"_s, false}};
        draft.headers = {{u"X-Trace"_s, u"t-{{trace}}"_s, true}, {u"X-Disabled"_s, u"x"_s, false}};
        draft.body = R"({"user":"{{userId}}","template":"{{unknown}}"})";
        draft.extraVariables = {{u"trace"_s, u"abc"_s}, {u"userId"_s, u"99"_s}}; // the request's win
        const BuiltRequest built = RequestBuilder::build(draft, environment());
        QVERIFY2(built.ok(), qPrintable(built.allProblems().join(u"; "_s)));
        QCOMPARE(built.method, "POST"_ba);
        QCOMPARE(built.url.toString(QUrl::FullyEncoded), u"https://bank.sandbox.example/api/users/99/trades?note=a%26b%3Dc%20%2B99"_s);
        QCOMPARE(built.headers.value("X-Trace"), "t-abc"_ba);
        QVERIFY(!built.headers.contains("X-Disabled"));
        QCOMPARE(built.body, R"({"user":"99","template":"{{unknown}}"})"_ba);
        QCOMPARE(built.headers.value("Content-Type"), "application/json"_ba);
        QCOMPARE(built.warnings.size(), 1); // {{unknown}} in the body goes as written
    }

    void refusesWhatCannotBeSent()
    {
        RequestDraft draft;
        draft.url = u"/x/{{missing}}"_s;
        BuiltRequest built = RequestBuilder::build(draft, environment());
        QCOMPARE(built.unresolved, QStringList{u"missing"_s});
        QVERIFY(built.allProblems().join(u' ').contains(u"{{missing}}"_s));

        draft.url = u"/x"_s;
        draft.headers = {{u"X-Evil"_s, u"a{{nl}}"_s, true}};
        draft.extraVariables = {{u"nl"_s, u"\r\nAuthorization: Bearer stolen"_s}};
        built = RequestBuilder::build(draft, environment());
        QVERIFY2(!built.ok() && built.problems.join(u' ').contains(u"line break"_s), qPrintable(built.problems.join(u' ')));

        draft.headers = {{u"Bad Name"_s, u"x"_s, true}};
        QVERIFY(!RequestBuilder::build(draft, environment()).ok());

        draft.headers.clear();
        for (const QString &method : {u"TRACE"_s, u"CONNECT"_s, u"G ET"_s, u""_s}) {
            draft.method = method;
            QVERIFY2(!RequestBuilder::build(draft, environment()).ok(), qPrintable(method));
        }
        draft.method = u"PROPFIND"_s;
        QCOMPARE(RequestBuilder::build(draft, environment()).method, "PROPFIND"_ba);
    }

    void guessesContentType()
    {
        QCOMPARE(RequestBuilder::guessContentType(R"([1,2])"), "application/json"_ba);
        QCOMPARE(RequestBuilder::guessContentType("a=b"), "text/plain; charset=utf-8"_ba);
        QCOMPARE(RequestBuilder::guessContentType(QByteArray("\xff\x00\x01", 3)), "application/octet-stream"_ba);
        RequestDraft draft;
        draft.url = u"/x"_s;
        draft.body = "a=b";
        draft.contentType = u"application/x-www-form-urlencoded"_s;
        QCOMPARE(RequestBuilder::build(draft, environment()).headers.value("content-type"), "application/x-www-form-urlencoded"_ba);
        draft.headers = {{u"Content-Type"_s, u"text/csv"_s, true}};
        const BuiltRequest built = RequestBuilder::build(draft, environment());
        QCOMPARE(built.headers.values("Content-Type"), QList<QByteArray>{"text/csv"_ba});
    }

    void originGuard()
    {
        const OriginGuard guard(QUrl(u"https://API.example.com/api"_s));
        QCOMPARE(OriginGuard::originOf(QUrl(u"https://API.example.com/api"_s)), u"https://api.example.com:443"_s);
        QVERIFY(guard.allows(QUrl(u"https://api.example.com:443/other?x=1"_s)));
        QVERIFY(!guard.allows(QUrl(u"http://api.example.com/api"_s)));        // scheme
        QVERIFY(!guard.allows(QUrl(u"https://api.example.com:8443/api"_s)));  // port
        QVERIFY(!guard.allows(QUrl(u"https://evil.api.example.com/api"_s)));  // host
        QVERIFY(!guard.allows(QUrl(u"https://api.example.com.evil.example/"_s)));
        QVERIFY(!guard.allows(QUrl(u"file:///etc/passwd"_s)));
        QVERIFY(!OriginGuard().allows(QUrl(u"https://api.example.com/"_s)));
        QVERIFY(OriginGuard(QUrl(u"http://[::1]:8080/"_s)).allows(QUrl(u"http://[0:0::1]:8080/x"_s)));
        QVERIFY(OriginGuard(QUrl(u"https://a.example"_s), {QUrl(u"https://b.example"_s)}).allows(QUrl(u"https://b.example/x"_s)));
        QVERIFY(guard.withheldReason(QUrl(u"https://evil.example/"_s)).contains(u"https://evil.example:443"_s));

        QVERIFY(OriginGuard::urlContains(QUrl(u"https://x.example/?t=abc.def"_s), u"abc.def"_s));
        QVERIFY(OriginGuard::urlContains(QUrl(u"https://x.example/p/a%2Bb"_s), u"a+b"_s));
        QVERIFY(OriginGuard::urlContains(QUrl(u"https://x.example/?q=a+b"_s), u"a b"_s));
        QVERIFY(!OriginGuard::urlContains(QUrl(u"https://x.example/?q=other"_s), u"abc.def"_s));
        QVERIFY(!OriginGuard::urlContains(QUrl(u"https://x.example/"_s), QString()));
    }

    void injectsTokenAndContextHeaders()
    {
        RequestDraft draft;
        draft.url = u"/me"_s;
        const Environment env = environment();
        const OriginGuard guard(env.apiBaseUrl);
        BuiltRequest built = RequestBuilder::build(draft, env);
        QVERIFY(HeaderInjector::needsToken(draft, built, guard));
        HeaderInjector::Plan plan = HeaderInjector::plan(env, bearer(), draft, built, guard);
        QVERIFY(plan.ok());
        QCOMPARE(plan.headers.size(), 3);
        QCOMPARE(find(plan, "Authorization")->value, "Bearer tok-123"_ba); // "bearer" is written "Bearer"
        QCOMPARE(find(plan, "Authorization")->source, u"token"_s);
        QCOMPARE(find(plan, "Authorization")->displayValue(), u"Bearer ••••"_s);
        QCOMPARE(find(plan, "X-On-Behalf-Of")->value, "user 42"_ba);
        QCOMPARE(find(plan, "X-On-Behalf-Of")->source, u"environment header X-On-Behalf-Of"_s);
        QCOMPARE(find(plan, "X-Account")->value, "acc-1"_ba);
        HttpHeaders headers;
        HeaderInjector::apply(plan.headers, &headers);
        QCOMPARE(headers.size(), 3);

        // A token is sent as it came: never expanded, and refused when it would break the header.
        AccessToken odd = bearer();
        odd.value = u"a{{userId}}b"_s;
        plan = HeaderInjector::plan(env, odd, draft, built, guard);
        QCOMPARE(find(plan, "Authorization")->value, "Bearer a{{userId}}b"_ba);
        odd.value = u"abc\r\nX-Injected: 1"_s;
        plan = HeaderInjector::plan(env, odd, draft, built, guard);
        QVERIFY(!plan.ok());

        QCOMPARE(HeaderInjector::authorizationValue(bearer(u""_s)), "Bearer tok-123"_ba);
        QCOMPARE(HeaderInjector::authorizationValue(bearer(u"DPoP"_s)), "DPoP tok-123"_ba);
    }

    void switchesAndOverrides()
    {
        const Environment env = environment();
        const OriginGuard guard(env.apiBaseUrl);
        RequestDraft draft;
        draft.url = u"/me"_s;
        draft.injectionSwitches = {{u"x-on-behalf-of"_s, false, u"user {{other}}"_s}, {u"X-Account"_s, true, std::nullopt}};
        draft.extraVariables = {{u"other"_s, u"blocked-user"_s}};
        BuiltRequest built = RequestBuilder::build(draft, env);
        HeaderInjector::Plan plan = HeaderInjector::plan(env, bearer(), draft, built, guard);
        QCOMPARE(find(plan, "X-On-Behalf-Of")->value, "user blocked-user"_ba);
        QVERIFY(find(plan, "X-On-Behalf-Of")->overridden);
        QCOMPARE(find(plan, "X-Account")->state, InjectedHeader::State::Disabled);

        // The request's own header of the same name replaces the injected one.
        draft.injectionSwitches.clear();
        draft.headers = {{u"X-Account"_s, u"mine"_s, true}};
        built = RequestBuilder::build(draft, env);
        plan = HeaderInjector::plan(env, bearer(), draft, built, guard);
        QCOMPARE(find(plan, "X-Account")->state, InjectedHeader::State::ReplacedByRequestHeader);

        // Authorization switched off or overridden: no token is needed at all.
        draft.headers.clear();
        draft.injectionSwitches = {{u"Authorization"_s, true, std::nullopt}};
        built = RequestBuilder::build(draft, env);
        QVERIFY(!HeaderInjector::needsToken(draft, built, guard));
        plan = HeaderInjector::plan(env, std::nullopt, draft, built, guard);
        QVERIFY(plan.ok());
        QCOMPARE(find(plan, "Authorization")->state, InjectedHeader::State::Disabled);
        draft.injectionSwitches = {{u"Authorization"_s, false, u"Basic abc"_s}};
        QVERIFY(!HeaderInjector::needsToken(draft, built, guard));
        QCOMPARE(HeaderInjector::plan(env, std::nullopt, draft, built, guard).headers.first().value, "Basic abc"_ba);

        // A context header whose variable is missing stops the request.
        Environment noVars = env;
        noVars.variables.clear();
        draft.injectionSwitches.clear();
        plan = HeaderInjector::plan(noVars, bearer(), draft, RequestBuilder::build(draft, noVars), guard);
        QCOMPARE(plan.unresolved, (QStringList{u"userId"_s, u"accountId"_s}));
    }

    void otherOriginsGetNothing()
    {
        const Environment env = environment();
        const OriginGuard guard(env.apiBaseUrl);
        RequestDraft draft;
        draft.url = u"https://collector.example/ingest"_s;
        const BuiltRequest built = RequestBuilder::build(draft, env);
        QVERIFY(!HeaderInjector::needsToken(draft, built, guard));
        const HeaderInjector::Plan plan = HeaderInjector::plan(env, bearer(), draft, built, guard);
        QVERIFY(plan.ok());
        for (const auto &header : plan.headers) {
            QCOMPARE(header.state, InjectedHeader::State::Withheld);
            QVERIFY(header.value.isEmpty());
        }
        HttpHeaders headers;
        HeaderInjector::apply(plan.headers, &headers);
        QVERIFY(headers.isEmpty());
        QList<QByteArray> expected = {"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token",
                                      "X-Access-Token", "Ocp-Apim-Subscription-Key", "X-On-Behalf-Of", "X-Account"};
        QCOMPARE(HeaderInjector::guardedHeaderNames(env), expected);
    }

    void productionGuard()
    {
        Environment env = environment();
        env.tier = Tier::Production;
        for (const QString &method : {u"GET"_s, u"head"_s, u"OPTIONS"_s})
            QVERIFY(!ProductionGuard::needsConfirmation(env, method));
        for (const QString &method : {u"POST"_s, u"put"_s, u"PATCH"_s, u"DELETE"_s, u"PROPFIND"_s})
            QVERIFY(ProductionGuard::needsConfirmation(env, method));
        const QString text = ProductionGuard::confirmationText(env, u"delete"_s, QUrl(u"https://bank.example/api/x"_s));
        QVERIFY(text.contains(u"DELETE"_s));
        QVERIFY(text.contains(u"https://bank.example/api/x"_s));
        QVERIFY(text.contains(u"Cybrid sandbox"_s));
        for (Tier tier : {Tier::Sandbox, Tier::Staging, Tier::Custom}) {
            env.tier = tier;
            QVERIFY(!ProductionGuard::needsConfirmation(env, u"POST"_s));
        }
    }

    void multipartForm()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"trade.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray fileBytes = "{\"amount\":\"10\"}\r\n--not-the-boundary\r\n\0binary\xff"_ba;
        file.write(fileBytes);
        file.close();
        QCOMPARE(fileBytes.size(), 45); // the NUL and what follows it included

        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/documents"_s;
        draft.formParts = {{u"user"_s, u"user {{userId}}"_s, false, true},
                           {u"evidence"_s, dir.filePath(u"{{name}}.json"_s), true, true},
                           {u"skipped"_s, u"off"_s, false, false},
                           {u"a\"b\r\nX-Evil: 1"_s, u"quoted"_s, false, true}};
        draft.extraVariables = {{u"name"_s, u"trade"_s}};
        const BuiltRequest built = RequestBuilder::build(draft, environment());
        QVERIFY2(built.ok(), qPrintable(built.allProblems().join(u"; "_s)));
        const QByteArray type = built.headers.value("Content-Type");
        QVERIFY2(type.startsWith("multipart/form-data; boundary="), type.constData());
        const QByteArray boundary = type.mid(type.indexOf('=') + 1);
        QVERIFY(boundary.size() >= 27 && boundary.size() <= 70);

        const QByteArray expected = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nuser 42\r\n"
            + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"trade.json\"\r\n"
            + "Content-Type: application/json\r\n\r\n" + fileBytes + "\r\n"
            + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"a%22b%0D%0AX-Evil: 1\"\r\n\r\nquoted\r\n"
            + "--" + boundary + "--\r\n";
        QCOMPARE(built.body, expected);
        QVERIFY(!built.body.contains("off"));

        // Two builds, two boundaries: nothing guessable to inject.
        const BuiltRequest again = RequestBuilder::build(draft, environment());
        QVERIFY(again.headers.value("Content-Type") != type);

        // The user's own Content-Type row wins, and its boundary is the body's.
        RequestDraft typed = draft;
        typed.headers = {{u"Content-Type"_s, u"multipart/mixed; boundary=\"mine\""_s, true}};
        const BuiltRequest mine = RequestBuilder::build(typed, environment());
        QCOMPARE(mine.headers.values("Content-Type"), QList<QByteArray>{"multipart/mixed; boundary=\"mine\""});
        QVERIFY(mine.body.startsWith("--mine\r\nContent-Disposition: form-data; name=\"user\"\r\n"));
        QVERIFY(mine.body.endsWith("\r\n--mine--\r\n"));
        // …unless a field holds it: the body could not be read back.
        typed.formParts[0].value = u"--mine"_s;
        QVERIFY(!RequestBuilder::build(typed, environment()).ok());
        // A bare multipart/form-data gets a boundary, as curl gives it one.
        typed.headers = {{u"Content-Type"_s, u"multipart/form-data"_s, true}};
        const BuiltRequest bare = RequestBuilder::build(typed, environment());
        QVERIFY(bare.headers.value("Content-Type").startsWith("multipart/form-data; boundary=----TokenbenchFormBoundary"));
    }

    void multipartFileThatCannotBeRead()
    {
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/documents"_s;
        draft.formParts = {{u"evidence"_s, u"/nonexistent/tokenbench/evidence.pdf"_s, true, true}, {u"empty"_s, {}, true, true}};
        const BuiltRequest built = RequestBuilder::build(draft, environment());
        QVERIFY(!built.ok());
        QCOMPARE(built.problems.size(), 2);
        QVERIFY2(built.problems.at(0).contains(u"/nonexistent/tokenbench/evidence.pdf"_s), qPrintable(built.problems.at(0)));
        QVERIFY2(built.problems.at(1).contains(u"no file chosen"_s), qPrintable(built.problems.at(1)));
    }

    void multipartIsStoredWithPathsNotContent()
    {
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/documents"_s;
        draft.formParts = {{u"note"_s, u"{{userId}}"_s, false, true}, {u"evidence"_s, u"/home/me/evidence.pdf"_s, true, false}};
        const QJsonObject json = draft.toJson();
        QCOMPARE(QJsonDocument(json.value(u"multipart"_s).toArray()).toJson(QJsonDocument::Compact),
                 QByteArray(R"([{"name":"note","value":"{{userId}}"},{"enabled":false,"file":true,"name":"evidence","value":"/home/me/evidence.pdf"}])"));
        QString error;
        const auto back = RequestDraft::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, draft);
        QJsonObject broken = json;
        broken.insert(u"multipart"_s, QJsonArray{QJsonObject{{u"name"_s, 3}}});
        QVERIFY(!RequestDraft::fromJson(broken, &error));
        QVERIFY2(error.contains(u"multipart"_s), qPrintable(error));
    }

    void urlLookalikes_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("intended"); // empty: a path
        QTest::newRow("colon missing") << u"http//host/x"_s << u"http://host/x"_s;
        QTest::newRow("one slash") << u"https:/host"_s << u"https://host"_s;
        QTest::newRow("no slash") << u"http:host:8080/a?b"_s << u"http://host:8080/a?b"_s;
        QTest::newRow("backslashes") << u"https:\\\\host\\x"_s << u"https://host\\x"_s;
        QTest::newRow("upper case") << u"HTTPS//Host"_s << u"https://Host"_s;
        QTest::newRow("localhost with port") << u"localhost:8080/x"_s << u"http://localhost:8080/x"_s;
        QTest::newRow("localhost alone") << u"localhost"_s << u"http://localhost"_s;
        QTest::newRow("loopback address") << u"127.0.0.1:3000"_s << u"http://127.0.0.1:3000"_s;
        QTest::newRow("address") << u"10.1.2.3/status"_s << u"https://10.1.2.3/status"_s;
        QTest::newRow("host and port") << u"api.example.com:8443/v1"_s << u"https://api.example.com:8443/v1"_s;
        QTest::newRow("ipv6") << u"[::1]:8080/x"_s << u"http://[::1]:8080/x"_s;
        QTest::newRow("absolute URL") << u"https://host/x"_s << QString();
        QTest::newRow("path") << u"/me"_s << QString();
        QTest::newRow("relative path") << u"me"_s << QString();
        QTest::newRow("dotted segment") << u"v1.2/items"_s << QString();
        QTest::newRow("segment named http") << u"http/status"_s << QString();
        QTest::newRow("host in a path") << u"/localhost:8080/x"_s << QString();
        QTest::newRow("localhost as a word") << u"localhosts/1"_s << QString();
        QTest::newRow("template") << u"{{base}}/x"_s << QString();
        QTest::newRow("URL in the query") << u"/redirect?to=http//x"_s << QString();
    }

    void urlLookalikes()
    {
        QFETCH(QString, given);
        QFETCH(QString, intended);
        QCOMPARE(UrlLookalike::intendedUrl(given).value_or(QString()), intended);
        // The builder refuses what it recognises rather than append it to the API base (the composer's
        // preview shows it and nothing is sent).
        RequestDraft draft;
        draft.url = given;
        const BuiltRequest built = RequestBuilder::build(draft, environment());
        const bool refused = std::any_of(built.problems.cbegin(), built.problems.cend(),
                                         [](const QString &problem) { return problem.contains(u"looks like a URL without"_s); });
        QCOMPARE(refused, !intended.isEmpty());
        if (refused)
            QVERIFY2(built.problems.join(u' ').contains(intended), qPrintable(built.problems.join(u' ')));
    }
};

QTEST_GUILESS_MAIN(TestRequestBuilder)
#include "tst_requestbuilder.moc"
