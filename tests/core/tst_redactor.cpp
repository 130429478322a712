#include "history/HistoryEntry.h"
#include "history/Redactor.h"

#include <QObject>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

// %2F → %2f, leaving everything else as it is.
QByteArray lowerHex(QByteArray percentEncoded)
{
    for (qsizetype i = 0; i + 2 < percentEncoded.size(); ++i) {
        if (percentEncoded.at(i) == '%') {
            percentEncoded[i + 1] = char(QChar::toLower(char16_t(percentEncoded.at(i + 1))));
            percentEncoded[i + 2] = char(QChar::toLower(char16_t(percentEncoded.at(i + 2))));
        }
    }
    return percentEncoded;
}

const QByteArray M = QByteArrayLiteral("\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2"); // ••••

// A secret that needs every kind of escaping: space, '/', '+', '=', '&', '"', '\', non-ASCII and
// a character outside the BMP.
const QString kSecret = u"S3cr3t pa/ss+Wo=rd&\"q\"\\é😀end"_s;
const QString kToken = u"tb_opaque_9f8e7d6c5b4a"_s;

// base64 of text as it appears inside a longer blob that starts `lead` bytes earlier: only the
// characters made from text's bits alone (computed here independently of the Redactor).
QByteArray alignedBase64(const QByteArray &text, int lead)
{
    const QByteArray encoded = (QByteArray(lead, 'x') + text).toBase64();
    const int first = (lead * 8 + 5) / 6;
    const int last = int(((lead + text.size()) * 8) / 6);
    return encoded.mid(first, last - first);
}

// Every written form of the secret a test must not find.
QList<QByteArray> formsOf(const QString &secret)
{
    const QByteArray raw = secret.toUtf8();
    QByteArray form = QUrl::toPercentEncoding(secret, " ");
    form.replace(' ', '+');
    QList<QByteArray> forms{raw, QUrl::toPercentEncoding(secret), lowerHex(QUrl::toPercentEncoding(secret)), form,
                            raw.toBase64(), raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)};
    for (int lead = 0; lead < 3; ++lead) {
        forms.append(alignedBase64(raw, lead));
        QByteArray url = alignedBase64(raw, lead);
        url.replace('+', '-').replace('/', '_');
        forms.append(url);
    }
    return forms;
}

QString firstLeak(const QByteArray &haystack, const QString &secret)
{
    for (const QByteArray &form : formsOf(secret)) {
        if (haystack.contains(form))
            return QString::fromUtf8(form);
    }
    return {};
}

QByteArray jsonEscaped(const QString &text, bool asciiOnly)
{
    QByteArray out;
    for (const QChar c : text) {
        if (c == u'"')
            out += "\\\"";
        else if (c == u'\\')
            out += "\\\\";
        else if (c == u'/')
            out += "\\/";
        else if (asciiOnly || c.unicode() >= 0x80)
            out += u"\\u%1"_s.arg(c.unicode(), 4, 16, QChar(u'0')).toLatin1();
        else
            out += char(c.unicode());
    }
    return out;
}

Redactor withSecrets()
{
    Redactor redactor;
    redactor.setSecrets({kSecret, kToken});
    return redactor;
}

} // namespace

class TestRedactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headersByName_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("bearer") << QByteArray("Authorization") << QByteArray("Bearer abc.def-ghi") << "Bearer " + M;
        QTest::newRow("lower-case name and scheme") << QByteArray("authorization") << QByteArray("bearer xyz") << "bearer " + M;
        QTest::newRow("basic") << QByteArray("AUTHORIZATION") << QByteArray("Basic dXNlcjpwYXNz") << "Basic " + M;
        QTest::newRow("digest keeps only the scheme") << QByteArray("Authorization")
                                                      << QByteArray("Digest username=\"u\", response=\"abc\"") << "Digest " + M;
        QTest::newRow("no scheme") << QByteArray("Authorization") << QByteArray("rawtokenwithoutscheme") << M;
        QTest::newRow("proxy") << QByteArray("Proxy-Authorization") << QByteArray("Basic Zm9vOmJhcg==") << "Basic " + M;
        QTest::newRow("cookie keeps names") << QByteArray("Cookie") << QByteArray("session=abc; theme=dark") << "session=" + M + "; theme=" + M;
        QTest::newRow("set-cookie keeps attributes") << QByteArray("Set-Cookie") << QByteArray("sid=xyz; Path=/; HttpOnly; Secure")
                                                     << "sid=" + M + "; Path=/; HttpOnly; Secure";
        QTest::newRow("x-api-key") << QByteArray("X-Api-Key") << QByteArray("k-123") << M;
        QTest::newRow("X_API_KEY") << QByteArray("X_API_KEY") << QByteArray("k-123") << M;
        QTest::newRow("api-key") << QByteArray("api-key") << QByteArray("k-123") << M;
        QTest::newRow("x-auth-token") << QByteArray("X-Auth-Token") << QByteArray("abc") << M;
        QTest::newRow("aws session token") << QByteArray("X-Amz-Security-Token") << QByteArray("FwoGZX") << M;
        QTest::newRow("client secret header") << QByteArray("X-Client-Secret") << QByteArray("shh") << M;
        QTest::newRow("accept untouched") << QByteArray("Accept") << QByteArray("application/json") << QByteArray("application/json");
        QTest::newRow("on-behalf-of untouched") << QByteArray("X-On-Behalf-Of") << QByteArray("user 42") << QByteArray("user 42");
        QTest::newRow("www-authenticate untouched") << QByteArray("WWW-Authenticate") << QByteArray("Bearer error=\"invalid_token\"")
                                                    << QByteArray("Bearer error=\"invalid_token\"");
        QTest::newRow("empty stays empty") << QByteArray("Authorization") << QByteArray() << QByteArray();
    }

    void headersByName()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, expected);
        const Redactor redactor;
        QCOMPARE(redactor.redactHeaderValue(name, value), expected);
        const Redactor::Headers redacted = redactor.redactHeaders({{name, value}, {"Accept", "*/*"}});
        QCOMPARE(redacted.size(), 2);
        QCOMPARE(redacted.at(0).first, name);
        QCOMPARE(redacted.at(0).second, expected);
        QCOMPARE(redacted.at(1).second, QByteArray("*/*"));
    }

    void headerListIsConfigurable()
    {
        Redactor redactor;
        QVERIFY(!redactor.isSensitiveHeader("X-Tenant"));
        redactor.setSensitiveHeaders(Redactor::defaultSensitiveHeaders() << u"x-tenant"_s << u"x-signature-*"_s);
        QVERIFY(redactor.isSensitiveHeader("X-Tenant"));
        QVERIFY(redactor.isSensitiveHeader("X_TENANT"));
        QVERIFY(redactor.isSensitiveHeader("X-Signature-V2"));
        QVERIFY(!redactor.isSensitiveHeader("X-Tenant-Name"));
        QCOMPARE(redactor.redactHeaderValue("x-tenant", "acme"), M);

        // The list is the list: leaving Authorization out means the user wants it kept.
        redactor.setSensitiveHeaders({u"x-tenant"_s});
        QCOMPARE(redactor.redactHeaderValue("Authorization", "Bearer abc"), QByteArray("Bearer abc"));
    }

    void secretValueForms_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QByteArray raw = kSecret.toUtf8();
        QByteArray form = QUrl::toPercentEncoding(kSecret, " ");
        form.replace(' ', '+');
        QTest::newRow("raw in a body") << "note: " + raw + " (end)";
        QTest::newRow("percent, upper-case hex") << "https://x.example/cb?state=" + QUrl::toPercentEncoding(kSecret) + "&x=1";
        QTest::newRow("percent, lower-case hex") << "a=" + lowerHex(QUrl::toPercentEncoding(kSecret));
        QTest::newRow("form with +") << "grant_type=password&pw=" + form;
        QTest::newRow("percent-encoded twice") << "next=" + QUrl::toPercentEncoding(QString::fromLatin1(QUrl::toPercentEncoding(kSecret)));
        QTest::newRow("JSON escapes") << "{\"x\":\"" + jsonEscaped(kSecret, false) + "\"}";
        QTest::newRow("JSON \\u escapes") << "{\"x\":\"" + jsonEscaped(kSecret, true) + "\"}";
        QTest::newRow("base64") << "blob " + raw.toBase64() + " end";
        QTest::newRow("base64url") << "blob " + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + ".sig";
        QTest::newRow("Basic id:secret, 1 byte lead") << "Basic " + ("c:" + raw).toBase64();
        QTest::newRow("Basic id:secret, 2 byte lead") << "Basic " + ("cl:" + raw).toBase64();
        QTest::newRow("Basic id:secret, 3 byte lead") << "Basic " + ("cli:" + raw).toBase64();
        QTest::newRow("Basic of the form-encoded secret (RFC 6749 2.3.1)") << "Basic " + ("client-1:" + form).toBase64();
        QTest::newRow("base64 of secret inside more data") << ("{\"k\":\"" + raw + "\",\"more\":true}").toBase64();
        QTest::newRow("token in a URL path") << "https://api.example/debug/" + kToken.toUtf8() + "/x";
        QTest::newRow("two secrets side by side") << raw + kToken.toUtf8();
        // A match that starts with the first byte as written and goes on encoded: the shortcut
        // that skips a candidate whose next byte cannot continue it must let these through.
        const QByteArray token = kToken.toUtf8();
        QTest::newRow("second character percent-encoded") << "x " + token.left(1) + "%62" + token.mid(2) + " y";
        QTest::newRow("second character percent-encoded twice") << "x " + token.left(1) + "%2562" + token.mid(2) + " y";
        QTest::newRow("second character as a JSON \\u escape") << "{\"t\":\"" + token.left(1) + "\\u0062" + token.mid(2) + "\"}";
        QTest::newRow("after many false starts") << QByteArray("t t_ tb tb_o tbx ").repeated(50) + token + " t";
    }

    void secretValueForms()
    {
        QFETCH(QByteArray, text);
        const Redactor none;
        const QByteArray redacted = withSecrets().redactSecretValues(text);
        QVERIFY2(firstLeak(redacted, kSecret).isEmpty(), qPrintable(u"left: "_s + firstLeak(redacted, kSecret) + u" in "_s + QString::fromUtf8(redacted)));
        QVERIFY2(firstLeak(redacted, kToken).isEmpty(), redacted.constData());
        QVERIFY2(!redacted.contains("Wo=rd") && !redacted.contains("end\"") && !redacted.contains("9f8e7d"), redacted.constData());
        QVERIFY(redacted.contains(M));
        // Without the secrets nothing is recognised: the rows do hold them.
        QCOMPARE(none.redactSecretValues(text), text);
    }

    void surroundingsAreKept()
    {
        const Redactor redactor = withSecrets();
        QCOMPARE(redactor.redactSecretValues("before " + kToken.toUtf8() + " after"), "before " + M + " after");
        QCOMPARE(redactor.redactUrl(u"https://api.example/items/"_s + kToken + u"?page=2"_s), u"https://api.example/items/••••?page=2"_s);
        // Basic keeps its scheme; the base64 run is masked without eating the space before it.
        const QByteArray basic = redactor.redactSecretValues("Basic " + ("client-1:" + kSecret.toUtf8()).toBase64());
        QVERIFY2(basic.startsWith("Basic "), basic.constData());
    }

    void base64MasksLeaveNoFragments_data()
    {
        QTest::addColumn<QString>("secret");
        // Three lengths: base64 ends in zero, one or two padding characters.
        QTest::newRow("9 bytes") << u"Secret123"_s;
        QTest::newRow("10 bytes") << u"Secret1234"_s;
        QTest::newRow("11 bytes") << u"Secret12345"_s;
    }

    void base64MasksLeaveNoFragments()
    {
        QFETCH(QString, secret);
        Redactor redactor;
        redactor.setSecrets({secret});
        const QByteArray raw = secret.toUtf8();
        // The whole blob is the secret: nothing of it, not even a last character or '=', stays.
        QCOMPARE(redactor.redactSecretValues("k=" + raw.toBase64() + ";"), "k=" + M + ";");
        QCOMPARE(redactor.redactSecretValues("k=" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + ";"),
                 "k=" + M + ";");
        // One byte of something else first: only the character made from that byte alone stays;
        // the one mixing its bits with the secret's goes with the secret.
        const QByteArray led = ("x" + raw).toBase64();
        QCOMPARE(redactor.redactSecretValues("k=" + led + ";"), "k=" + led.left(1) + M + ";");
    }

    void overlappingSecretsLeaveNothing()
    {
        Redactor redactor;
        redactor.setSecrets({u"abcd1234"_s, u"1234wxyz"_s});
        QCOMPARE(redactor.redactSecretValues("[abcd1234wxyz]"), "[" + M + "]");
    }

    void shortSecretsAreNotSearchedByValue()
    {
        Redactor redactor;
        redactor.setSecrets({u"abc"_s});
        QCOMPARE(redactor.redactSecretValues("abcdef"), QByteArray("abcdef"));
        // … but a field named as a secret is masked whatever its value.
        QCOMPARE(redactor.redactBody("user=u&password=abc", "application/x-www-form-urlencoded"), "user=u&password=" + M);
        redactor.setSecrets({u"abcd"_s});
        QCOMPARE(redactor.redactSecretValues("xabcdx"), "x" + M + "x");
    }

    void jsonFields_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("token response") << QByteArray("{\"access_token\":\"abc\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"a b\"}")
                                        << "{\"access_token\":\"" + M + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"a b\"}";
        QTest::newRow("formatting kept") << QByteArray("{\n  \"refresh_token\" :  \"r-1\",\n  \"id\": 7\n}\n")
                                         << "{\n  \"refresh_token\" :  \"" + M + "\",\n  \"id\": 7\n}\n";
        QTest::newRow("nested and in arrays") << QByteArray("{\"data\":[{\"id_token\":\"i\"},{\"client_secret\":\"c\",\"name\":\"n\"}]}")
                                              << "{\"data\":[{\"id_token\":\"" + M + "\"},{\"client_secret\":\"" + M + "\",\"name\":\"n\"}]}";
        QTest::newRow("spellings") << QByteArray("{\"apiKey\":\"k\",\"clientSecret\":\"s\",\"Password\":\"p\",\"api-key\":\"k2\",\"newPassword\":\"p2\"}")
                                   << "{\"apiKey\":\"" + M + "\",\"clientSecret\":\"" + M + "\",\"Password\":\"" + M + "\",\"api-key\":\"" + M
                                          + "\",\"newPassword\":\"" + M + "\"}";
        QTest::newRow("number and object values") << QByteArray("{\"password\":123456,\"secret\":{\"v\":\"x\",\"w\":[1,2]},\"n\":1}")
                                                  << "{\"password\":\"" + M + "\",\"secret\":\"" + M + "\",\"n\":1}";
        QTest::newRow("null, empty and false kept") << QByteArray("{\"password\":null,\"secret\":\"\",\"refresh_token\":false}")
                                                    << QByteArray("{\"password\":null,\"secret\":\"\",\"refresh_token\":false}");
        QTest::newRow("key text inside a string is not a key") << QByteArray("{\"note\":\"\\\"password\\\": \\\"x\\\"\"}")
                                                               << QByteArray("{\"note\":\"\\\"password\\\": \\\"x\\\"\"}");
        QTest::newRow("escaped key") << QByteArray("{\"pass\\u0077ord\":\"x\"}") << "{\"pass\\u0077ord\":\"" + M + "\"}";
        QTest::newRow("escaped quote in value") << QByteArray("{\"secret\":\"a\\\"b\",\"k\":\"v\"}") << "{\"secret\":\"" + M + "\",\"k\":\"v\"}";
        QTest::newRow("truncated in the value") << QByteArray("{\"access_token\":\"eyJhbGciOiJI") << "{\"access_token\":\"" + M + "\"";
        QTest::newRow("ordinary document untouched") << QByteArray("[{\"id\":1,\"name\":\"Zoë\",\"tokenUrl\":\"https://x/token\",\"grant\":\"y\"}]")
                                                     << QByteArray("[{\"id\":1,\"name\":\"Zoë\",\"tokenUrl\":\"https://x/token\",\"grant\":\"y\"}]");
    }

    void jsonFields()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const Redactor redactor;
        QCOMPARE(redactor.redactBody(body, "application/json"), expected);
        // Recognised without a content type too (a history entry may not have one).
        QCOMPARE(redactor.redactBody(body), expected);
    }

    void formFields()
    {
        const Redactor redactor;
        QCOMPARE(redactor.redactBody("grant_type=client_credentials&client_id=abc&client_secret=s%2Bx&scope=a+b",
                                     "application/x-www-form-urlencoded"),
                 "grant_type=client_credentials&client_id=abc&client_secret=" + M + "&scope=a+b");
        QCOMPARE(redactor.redactBody("grant_type=password&username=bob&password=hunter2&refresh%5Ftoken=r"),
                 "grant_type=password&username=bob&password=" + M + "&refresh%5Ftoken=" + M);
        // Plain text that only looks nothing like a form stays as it is.
        QCOMPARE(redactor.redactBody("password is: hunter2", "text/plain"), QByteArray("password is: hunter2"));
    }

    void multipartFields()
    {
        const Redactor redactor;
        const QByteArray b = "----TokenbenchFormBoundaryAbC";
        const QByteArray type = "multipart/form-data; boundary=" + b;
        const QByteArray body = "--" + b + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nbob\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"Client_Secret\"\r\n\r\nhunter2\r\nmore\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"password.txt\"\r\nContent-Type: text/plain\r\n\r\nkept\r\n"
            + "--" + b + "--\r\n";
        const QByteArray expected = "--" + b + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nbob\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"Client_Secret\"\r\n\r\n" + M + "\r\n"
            + "--" + b + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"password.txt\"\r\nContent-Type: text/plain\r\n\r\nkept\r\n"
            + "--" + b + "--\r\n";
        QCOMPARE(redactor.redactBody(body, type), expected);
        QCOMPARE(redactor.redactBody(body, "multipart/form-data; boundary=\"" + b + "\"; charset=utf-8"), expected);
        // A history excerpt cut inside the secret part still loses it.
        const QByteArray cut = body.left(body.indexOf("hunter2") + 4);
        QVERIFY(!redactor.redactBody(cut, type, true).contains("hunt"));
        // Another boundary than the body's: nothing is taken for a part.
        QCOMPARE(redactor.redactBody(body, "multipart/form-data; boundary=other"), body);
    }

    void queryParameters_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("access_token") << u"https://api.example/v1/me?access_token=abc&x=1"_s << u"https://api.example/v1/me?access_token=••••&x=1"_s;
        QTest::newRow("token and code") << u"https://app.example/cb?code=SplxlOB&state=xyz&token=t"_s
                                        << u"https://app.example/cb?code=••••&state=xyz&token=••••"_s;
        QTest::newRow("client_secret, encoded name") << u"https://id.example/token?client%5Fsecret=s&client_id=c"_s
                                                     << u"https://id.example/token?client%5Fsecret=••••&client_id=c"_s;
        QTest::newRow("api key and signature") << u"https://maps.example/api?key=AIza&X-Amz-Signature=abcd&q=1"_s
                                               << u"https://maps.example/api?key=••••&X-Amz-Signature=••••&q=1"_s;
        QTest::newRow("implicit-grant fragment") << u"https://app.example/cb#access_token=abc&token_type=bearer&expires_in=3600"_s
                                                 << u"https://app.example/cb#access_token=••••&token_type=bearer&expires_in=3600"_s;
        QTest::newRow("user info") << u"https://alice:pa55@api.example:8443/x?y=1"_s << u"https://alice:••••@api.example:8443/x?y=1"_s;
        QTest::newRow("nothing to hide") << u"https://api.example/v1/accounts?page=2&sort=-created&filter[name]=Zoë"_s
                                         << u"https://api.example/v1/accounts?page=2&sort=-created&filter[name]=Zoë"_s;
        QTest::newRow("relative") << u"/api/accounts?access_token=abc"_s << u"/api/accounts?access_token=••••"_s;
    }

    void queryParameters()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(Redactor().redactUrl(url), expected);
    }

    void unknownJwtsAreMasked()
    {
        const QByteArray jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        Redactor redactor;
        QCOMPARE(redactor.redactBody("{\"echo\": \"" + jwt + "\"}", "application/json"), "{\"echo\": \"" + M + "\"}");
        QCOMPARE(redactor.redactText(u"token "_s + QString::fromLatin1(jwt) + u" expired"_s), u"token •••• expired"_s);
        redactor.setMaskJwtLike(false);
        QCOMPARE(redactor.redactBody("{\"echo\": \"" + jwt + "\"}", "application/json"), "{\"echo\": \"" + jwt + "\"}");
    }

    void truncatedBodiesLoseTheirSecretTail()
    {
        const Redactor redactor = withSecrets();
        const QByteArray cut = "log line: " + kToken.toUtf8().left(12);
        QCOMPARE(redactor.redactBody(cut, "text/plain", true), "log line: " + M);
        // Without the flag nothing says the body was cut, and a prefix is just text.
        QCOMPARE(redactor.redactBody(cut, "text/plain", false), cut);
        const QByteArray jwtCut = "{\"x\": [\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIi";
        QVERIFY(!redactor.redactBody(jwtCut, "application/json", true).contains("eyJ"));
    }

    void entriesCutByTheCallerLoseTheirSecretTail()
    {
        HistoryEntry entry;
        entry.url = u"https://api.example/logs"_s;
        entry.responseHeaders = {{"Content-Type", "text/plain"}};
        entry.responseBody = "2024-06-01 issued " + kToken.toUtf8().left(14);
        entry.responseBodyTruncated = true;
        entry.requestBody = "token=" + kToken.toUtf8().left(9);
        entry.requestBodyTruncated = true;
        const HistoryEntry out = withSecrets().redact(entry);
        QCOMPARE(out.responseBody, "2024-06-01 issued " + M);
        QVERIFY2(!out.requestBody.contains(kToken.toUtf8().left(5)), out.requestBody.constData());
    }

    void freeTextUrlsAreRedacted()
    {
        const Redactor redactor = withSecrets();
        const QString error = u"Error transferring https://api.example/v1?access_token=abc&x=1 - server replied: Forbidden (secret "_s + kToken
            + u")"_s;
        QCOMPARE(redactor.redactText(error),
                 u"Error transferring https://api.example/v1?access_token=••••&x=1 - server replied: Forbidden (secret ••••)"_s);
    }

    void wholeEntry()
    {
        HistoryEntry entry;
        entry.environmentName = u"Sandbox"_s;
        entry.method = u"POST"_s;
        entry.url = u"https://id.example/oauth/token?client_secret="_s + QString::fromLatin1(QUrl::toPercentEncoding(kSecret));
        entry.requestHeaders = {{"Authorization", "Basic " + ("client-1:" + kSecret.toUtf8()).toBase64()},
                                {"Content-Type", "application/x-www-form-urlencoded"},
                                {"X-Trace", kToken.toUtf8()}};
        entry.requestBody = "grant_type=client_credentials&client_secret=" + QUrl::toPercentEncoding(kSecret);
        entry.status = 200;
        entry.reason = u"OK"_s;
        entry.responseHeaders = {{"Content-Type", "application/json"}, {"Set-Cookie", "sid=" + kToken.toUtf8() + "; Path=/"}};
        entry.responseBody = "{\"access_token\":\"" + kToken.toUtf8() + "\",\"echo\":\"" + jsonEscaped(kSecret, false) + "\"}";
        entry.error = u"after https://x.example/?token="_s + kToken;

        const HistoryEntry out = withSecrets().redact(entry);
        QVERIFY(out.redacted);
        QByteArray all = out.url.toUtf8() + out.requestBody + out.responseBody + out.error.toUtf8() + out.reason.toUtf8();
        for (const auto &header : out.requestHeaders + out.responseHeaders)
            all += header.first + ": " + header.second + "\n";
        QVERIFY2(firstLeak(all, kSecret).isEmpty(), all.constData());
        QVERIFY2(firstLeak(all, kToken).isEmpty(), all.constData());
        QCOMPARE(out.requestHeaders.at(0).second, "Basic " + M);
        QCOMPARE(out.requestHeaders.at(1), entry.requestHeaders.at(1));
        QCOMPARE(out.method, entry.method);
        QCOMPARE(out.status, 200);
        QCOMPARE(out.environmentName, entry.environmentName);
    }

    void optInKeepsEverything()
    {
        Redactor redactor = withSecrets();
        redactor.setKeepEverything(true);
        HistoryEntry entry;
        entry.url = u"https://api.example/?access_token="_s + kToken;
        entry.requestHeaders = {{"Authorization", "Bearer " + kToken.toUtf8()}, {"Cookie", "a=b"}};
        entry.requestBody = "{\"client_secret\":\"" + kSecret.toUtf8() + "\"}";
        entry.responseBody = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2ln";
        entry.error = kToken;
        const HistoryEntry out = redactor.redact(entry);
        QVERIFY(!out.redacted);
        HistoryEntry expected = entry;
        expected.redacted = false;
        QCOMPARE(out, expected);
        QCOMPARE(redactor.redactHeaderValue("Authorization", "Bearer x"), QByteArray("Bearer x"));
        QCOMPARE(redactor.redactUrl(entry.url), entry.url);
    }

    void nothingSecretIsUntouched()
    {
        const Redactor redactor = withSecrets();
        const QByteArray body = "{\"accounts\":[{\"id\":\"acc_1\",\"balance\":12.5,\"currency\":\"EUR\",\"owner\":\"Zoë\"}],\"next\":\"/api/accounts?page=2\"}";
        QCOMPARE(redactor.redactBody(body, "application/json"), body);
        QCOMPARE(redactor.redactBody("plain text, 100% normal + fine", "text/plain"), QByteArray("plain text, 100% normal + fine"));
        const QByteArray binary = QByteArray::fromHex("89504e470d0a1a0a0000000d49484452");
        QCOMPARE(redactor.redactBody(binary, "image/png"), binary);
    }
};

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
