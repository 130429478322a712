#include "interop/CurlCommand.h"

#include <QFile>
#include <QObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using Headers = CurlCommand::Headers;
Q_DECLARE_METATYPE(Headers)

namespace {

// Raw string literals for command lines (moc does not read uR"…").
QString utf8(const char *text)
{
    return QString::fromUtf8(text);
}

CurlCommand::Request request(const QString &method, const QString &url, const Headers &headers = {}, const QByteArray &body = {})
{
    CurlCommand::Request r;
    r.method = method;
    r.url = url;
    r.headers = headers;
    r.body = body;
    return r;
}

CurlCommand::PrintOptions reveal(bool multiline = true)
{
    CurlCommand::PrintOptions options;
    options.credentials = CurlCommand::Credentials::Reveal;
    options.multiline = multiline;
    return options;
}

QString describe(const CurlCommand::ParseResult &r)
{
    return u"error=%1 warnings=%2"_s.arg(r.error, r.warnings.join(u" | "_s));
}

bool warned(const CurlCommand::ParseResult &r, const QString &part)
{
    return std::any_of(r.warnings.cbegin(), r.warnings.cend(), [&](const QString &w) { return w.contains(part, Qt::CaseInsensitive); });
}

// Runs `command` in a real shell with curl replaced by a function that prints its arguments,
// NUL-separated. Never fed anything destructive: the payloads in these rows only touch a file.
QList<QByteArray> argumentsSeenByShell(const QString &shell, const QString &command, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    const QString script = u"curl() { for a in \"$@\"; do printf '%s\\000' \"$a\"; done; }\n"_s + command + u'\n';
    process.start(shell, {u"-c"_s, script});
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit)
        return {QByteArray("<shell failed>")};
    QByteArray out = process.readAllStandardOutput();
    if (out.endsWith('\0'))
        out.chop(1);
    return out.isEmpty() ? QList<QByteArray>() : out.split('\0');
}

} // namespace

class TestCurlCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void controlCharactersInTheUrlAreRefused()
    {
        // Found by fuzz_curl: a $'…' URL with a line break parsed, printed, and then did not parse back.
        const auto parsed = CurlCommand::parse(u"curl -X PO55555555-H $'X-A^\\n' --data\u00f6rara"_s);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(u"control character"_s), qPrintable(parsed.error));
        QVERIFY(!CurlCommand::parse(u"curl 'https://api.example/a\tb'"_s).ok());
        QVERIFY(CurlCommand::parse(u"curl 'https://api.example/a%0Ab'"_s).ok()); // encoded is fine
        // … and -G data that becomes the query is held to the same rule (also found by fuzz_curl).
        QVERIFY(!CurlCommand::parse(u"curl -G https://api.example/a --data-raw $'x\\ny'"_s).ok());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("url");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("body");

        QTest::newRow("plain GET") << u"GET"_s << u"https://api.example.com/v1/accounts"_s << Headers{} << QByteArray();
        QTest::newRow("GET with headers") << u"GET"_s << u"https://api.example.com/v1/accounts?page=2&sort=-created"_s
                                          << Headers{{"Accept", "application/json"}, {"X-On-Behalf-Of", "user 42"}} << QByteArray();
        QTest::newRow("POST JSON with single quotes") << u"POST"_s << u"https://api.example.com/v1/customers"_s
                                                      << Headers{{"Content-Type", "application/json"}}
                                                      << QByteArray("{\"name\":\"O'Brien\",\"nick\":\"'quoted'\"}");
        QTest::newRow("double quotes, backslashes, $ and backticks")
            << u"POST"_s << u"https://api.example.com/echo"_s << Headers{{"X-Shell", "\"$HOME\" `id` \\n \\\\ $((1+1))"}}
            << QByteArray("echo \"$HOME\" `whoami` \\ \\\\ '\\'' \"\\\"\"");
        QTest::newRow("unicode") << u"PUT"_s << u"https://api.example.com/ä/ü?q=Zoë&city=中文"_s
                                 << Headers{{"X-Name", "Zoë 😀"}} << QByteArray("{\"emoji\":\"😀\",\"cjk\":\"中文\"}");
        QTest::newRow("newlines in the body") << u"POST"_s << u"https://api.example.com/notes"_s << Headers{}
                                              << QByteArray("line 1\nline 2\r\n\tindented\n\nlast\n");
        QTest::newRow("command substitution as data") << u"POST"_s << u"https://api.example.com/x?q=$(rm%20-rf%20~)&r=$(rm -rf ~)"_s
                                                      << Headers{{"X-Cmd", "$(rm -rf ~)"}} << QByteArray("$(rm -rf ~); `rm -rf ~`");
        QTest::newRow("template injection as data")
            << u"POST"_s << u"https://api.example.com/{{ range.constructor('return process')() }}"_s
            << Headers{{"X-Template", "{{ range.constructor(\"return this.process.mainModule.require('child_process').execSync('id')\")() }}"}}
            << QByteArray("{\"q\":\"{{7*7}}\",\"r\":\"${{7*7}}\",\"s\":\"#{7*7}\"}");
        QTest::newRow("shell metacharacters") << u"GET"_s << u"https://api.example.com/a;b|c&d>e<f*g?h=[i]~j!k#l"_s
                                              << Headers{{"X-Meta", "a; b | c && d > /tmp/x < y * ~ !! #"}} << QByteArray();
        QTest::newRow("empty header value") << u"GET"_s << u"https://api.example.com/"_s << Headers{{"X-Empty", ""}} << QByteArray();
        QTest::newRow("DELETE") << u"DELETE"_s << u"https://api.example.com/v1/items/7"_s << Headers{} << QByteArray();
        QTest::newRow("PATCH with body") << u"PATCH"_s << u"https://api.example.com/v1/items/7"_s
                                         << Headers{{"Content-Type", "application/merge-patch+json"}} << QByteArray("{\"a\":null}");
        QTest::newRow("POST without body") << u"POST"_s << u"https://api.example.com/v1/ping"_s << Headers{} << QByteArray();
        QTest::newRow("GET with body") << u"GET"_s << u"https://api.example.com/search"_s << Headers{} << QByteArray("{\"q\":1}");
        QTest::newRow("HEAD") << u"HEAD"_s << u"https://api.example.com/"_s << Headers{} << QByteArray();
        QTest::newRow("OPTIONS") << u"OPTIONS"_s << u"https://api.example.com/"_s << Headers{{"Origin", "https://app.example"}} << QByteArray();
        QTest::newRow("body starting with @") << u"POST"_s << u"https://api.example.com/"_s << Headers{} << QByteArray("@/etc/passwd");
        QTest::newRow("body looking like options") << u"POST"_s << u"https://api.example.com/"_s << Headers{{"X-Arg", "--url http://evil.example"}}
                                                   << QByteArray("-X DELETE --url http://evil.example");
        QTest::newRow("not UTF-8") << u"POST"_s << u"https://api.example.com/bin"_s << Headers{{"Content-Type", "application/octet-stream"}}
                                   << QByteArray("\xff\xfe\x01\x7f binary \x80\\'\"", 16);
        QTest::newRow("bearer revealed") << u"GET"_s << u"https://api.example.com/me"_s
                                         << Headers{{"Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"}} << QByteArray();
    }

    void roundTrip()
    {
        QFETCH(QString, method);
        QFETCH(QString, url);
        QFETCH(Headers, headers);
        QFETCH(QByteArray, body);
        const CurlCommand::Request original = request(method, url, headers, body);
        for (const bool multiline : {true, false}) {
            const QString printed = CurlCommand::print(original, reveal(multiline));
            const CurlCommand::ParseResult parsed = CurlCommand::parse(printed);
            QVERIFY2(parsed.ok(), qPrintable(describe(parsed) + u"\n"_s + printed));
            QVERIFY2(parsed.warnings.isEmpty(), qPrintable(describe(parsed) + u"\n"_s + printed));
            QCOMPARE(parsed.method, method);
            QCOMPARE(parsed.url, url);
            QCOMPARE(parsed.headers, headers);
            QCOMPARE(parsed.body, body);
        }
    }

    void printedCommandsAreSafeInARealShell_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QByteArray>("payload");
        const QStringList shells{u"/bin/sh"_s, u"/bin/bash"_s};
        const QList<QByteArray> payloads{
            "$(touch MARKER)", "`touch MARKER`", "'; touch MARKER; '", "\"; touch MARKER; \"", "\\\"$(touch MARKER)\\\"",
            "x\ntouch MARKER\n", "$HOME ~ * ?? !! $$ ${PATH}", "'\\''$(touch MARKER)'\\''", "{{ range.constructor('touch MARKER')() }}",
        };
        for (const QString &shell : shells) {
            if (!QFile::exists(shell))
                continue;
            for (int i = 0; i < payloads.size(); ++i)
                QTest::addRow("%s #%d", qPrintable(shell), i) << shell << payloads.at(i);
        }
    }

    void printedCommandsAreSafeInARealShell()
    {
        QFETCH(QString, shell);
        QFETCH(QByteArray, payload);
        QTemporaryDir dir;
        const QString marker = dir.filePath(u"pwned"_s);
        const QByteArray text = QByteArray(payload).replace("MARKER", marker.toUtf8());

        const CurlCommand::Request r = request(u"PUT"_s, u"https://api.example.com/x?q="_s + QString::fromUtf8(text),
                                               {{"X-Payload", text}, {"Authorization", "Bearer real-token"}}, text);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"TOKENBENCH_TOKEN"_s, u"from-the-environment"_s);

        // Placeholder: the shell expands only the variable.
        const QString printed = CurlCommand::print(r);
        const QList<QByteArray> args = argumentsSeenByShell(shell, printed, environment);
        QVERIFY2(!QFile::exists(marker), "the shell ran part of the payload");
        QCOMPARE(args, (QList<QByteArray>{"-X", "PUT", "https://api.example.com/x?q=" + text, "-H", "X-Payload: " + text, "-H",
                                          "Authorization: Bearer from-the-environment", "--data-raw", text}));

        // Revealed: every argument arrives exactly as our own tokenizer reads it.
        const QString revealed = CurlCommand::print(r, reveal());
        const QList<QByteArray> revealedArgs = argumentsSeenByShell(shell, revealed, environment);
        QVERIFY(!QFile::exists(marker));
        const auto ours = CurlCommand::tokenize(revealed);
        QVERIFY(ours.has_value());
        QCOMPARE(revealedArgs, ours->mid(1));
        QVERIFY(revealedArgs.contains("Authorization: Bearer real-token"));
    }

    void placeholderByDefault()
    {
        const CurlCommand::Request r = request(u"GET"_s, u"https://api.example.com/me"_s,
                                               {{"Accept", "application/json"}, {"Authorization", "Bearer s3cr3t-t0ken"}});
        const QString printed = CurlCommand::print(r);
        QVERIFY(!printed.contains(u"s3cr3t-t0ken"_s));
        QVERIFY2(printed.contains(u"-H \"Authorization: Bearer $TOKENBENCH_TOKEN\""_s), qPrintable(printed));
        // Everything else single-quoted.
        QVERIFY(printed.contains(u"-H 'Accept: application/json'"_s));
        QVERIFY(printed.contains(u"'https://api.example.com/me'"_s));

        const QString revealed = CurlCommand::print(r, reveal());
        QVERIFY(revealed.contains(u"-H 'Authorization: Bearer s3cr3t-t0ken'"_s));
        QVERIFY(!revealed.contains(u"TOKENBENCH_TOKEN"_s));

        // What comes back from a placeholder command is the placeholder, not a token.
        const auto parsed = CurlCommand::parse(printed);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed.headers.last(), (QPair<QByteArray, QByteArray>{"Authorization", "Bearer $TOKENBENCH_TOKEN"}));
        QVERIFY(warned(parsed, u"literal text"_s));
    }

    void placeholderForOtherCredentials()
    {
        const CurlCommand::Request r = request(u"GET"_s, u"https://api.example.com/"_s,
                                               {{"authorization", "Basic dXNlcjpwYXNz"}, {"Proxy-Authorization", "bearer abc"},
                                                {"Authorization", "opaque-no-scheme"}, {"Authorization", "We!rd$ scheme"}});
        const QString printed = CurlCommand::print(r);
        QVERIFY2(printed.contains(u"-H \"authorization: Basic $TOKENBENCH_CREDENTIALS\""_s), qPrintable(printed));
        QVERIFY(printed.contains(u"-H \"Proxy-Authorization: bearer $TOKENBENCH_TOKEN\""_s));
        QVERIFY(printed.contains(u"-H \"Authorization: $TOKENBENCH_CREDENTIALS\""_s));
        // A scheme with characters that mean something inside double quotes stays single-quoted.
        QVERIFY2(printed.contains(u"-H 'Authorization: We!rd$ '\"$TOKENBENCH_CREDENTIALS\""_s), qPrintable(printed));
        QVERIFY(!printed.contains(u"dXNlcjpwYXNz"_s) && !printed.contains(u"abc"_s) && !printed.contains(u"opaque"_s));

        CurlCommand::PrintOptions options;
        options.tokenVariable = u"MY_TOKEN"_s;
        QVERIFY(CurlCommand::print(request(u"GET"_s, u"https://x/"_s, {{"Authorization", "Bearer t"}}), options)
                    .contains(u"\"Authorization: Bearer $MY_TOKEN\""_s));
        options.tokenVariable = u"$(touch x)"_s; // not a variable name: never printed
        QVERIFY(!CurlCommand::print(request(u"GET"_s, u"https://x/"_s, {{"Authorization", "Bearer t"}}), options).contains(u"touch"_s));
    }

    void printFormat()
    {
        const CurlCommand::Request r = request(u"POST"_s, u"https://api.example.com/x"_s, {{"Content-Type", "application/json"}},
                                               "{\"a\":\"it's\"}");
        QCOMPARE(CurlCommand::print(r, reveal()), u"curl 'https://api.example.com/x' \\\n"
                                                  "  -H 'Content-Type: application/json' \\\n"
                                                  "  --data-raw '{\"a\":\"it'\\''s\"}'"_s);
        QCOMPARE(CurlCommand::print(request(u"DELETE"_s, u"https://x/1"_s), reveal(false)), u"curl -X 'DELETE' 'https://x/1'"_s);
        QCOMPARE(CurlCommand::print(request(u"HEAD"_s, u"https://x/"_s), reveal(false)), u"curl --head 'https://x/'"_s);
        QCOMPARE(CurlCommand::shellQuote(u"it's"_s), u"'it'\\''s'"_s);
        // A URL that starts with '-' must not be read as an option.
        const QString dashed = CurlCommand::print(request(u"GET"_s, u"-X"_s), reveal(false));
        QCOMPARE(dashed, u"curl --url '-X'"_s);
        QCOMPARE(CurlCommand::parse(dashed).url, u"-X"_s);
        QCOMPARE(CurlCommand::shellQuote(QString()), u"''"_s);
    }

    void chromeCopyAsCurlBash()
    {
        const QString command = u"curl 'https://api.example.com/v1/accounts?page=2' \\\n  -H 'authority: api.example.com' \\\n  -H 'accept: application/json, text/plain, */*' \\\n  -H 'accept-language: en-GB,en;q=0.9' \\\n  -H 'authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2ln' \\\n  -H 'content-type: application/json' \\\n  -H 'cookie: _ga=GA1.2.3; session=abc' \\\n  -H 'origin: https://app.example.com' \\\n  -H 'sec-ch-ua: \"Chromium\";v=\"122\", \"Not(A:Brand\";v=\"24\"' \\\n  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36' \\\n  --data-raw $'{\"name\":\"O\\'Brien\",\"note\":\"line1\\\\nline2\",\"city\":\"Z\\u00fcrich\"}' \\\n  --compressed"_s;
        const auto r = CurlCommand::parse(command);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QVERIFY2(r.warnings.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.method, u"POST"_s);
        QCOMPARE(r.url, u"https://api.example.com/v1/accounts?page=2"_s);
        QCOMPARE(r.headers.size(), 9);
        QCOMPARE(r.headers.at(0), (QPair<QByteArray, QByteArray>{"authority", "api.example.com"}));
        QCOMPARE(r.headers.at(7).second, QByteArray("\"Chromium\";v=\"122\", \"Not(A:Brand\";v=\"24\""));
        QCOMPARE(r.body, QByteArray("{\"name\":\"O'Brien\",\"note\":\"line1\\nline2\",\"city\":\"Zürich\"}"));
        QCOMPARE(r.contentType, QByteArray("application/json"));
    }

    void chromeWithCookieOption()
    {
        const QString command = utf8("curl 'https://api.example.com/v1/items/7' \\\n  -X 'PUT' \\\n  -H 'accept: */*' \\\n  -b 'session=abc; theme=dark' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  --data-raw 'a=1&b=two+words'");
        const auto r = CurlCommand::parse(command);
        QVERIFY2(r.ok() && r.warnings.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.method, u"PUT"_s);
        QCOMPARE(r.headers, (Headers{{"accept", "*/*"}, {"content-type", "application/x-www-form-urlencoded"}, {"Cookie", "session=abc; theme=dark"}}));
        QCOMPARE(r.body, QByteArray("a=1&b=two+words"));
    }

    void postmanExport()
    {
        const QString command = utf8("curl --location 'https://api.example.com/v1/customers?expand={{expand}}' \\\n--header 'Content-Type: application/json' \\\n--header 'Authorization: Bearer {{token}}' \\\n--data-raw '{\n    \"name\": \"Zoë\",\n    \"email\": \"zoe@example.com\"\n}'");
        const auto r = CurlCommand::parse(command);
        QVERIFY2(r.ok() && r.warnings.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.method, u"POST"_s);
        QCOMPARE(r.url, u"https://api.example.com/v1/customers?expand={{expand}}"_s);
        QCOMPARE(r.headers, (Headers{{"Content-Type", "application/json"}, {"Authorization", "Bearer {{token}}"}}));
        QCOMPARE(r.body, QByteArray("{\n    \"name\": \"Zoë\",\n    \"email\": \"zoe@example.com\"\n}"));

        // Older Postman: --request and --data.
        const auto old = CurlCommand::parse(utf8("curl --location --request PATCH 'https://api.example.com/v1/customers/1' \\\n--header 'Content-Type: application/json' \\\n--data '{\"name\":\"Z\"}'"));
        QVERIFY2(old.ok() && old.warnings.isEmpty(), qPrintable(describe(old)));
        QCOMPARE(old.method, u"PATCH"_s);
        QCOMPARE(old.body, QByteArray("{\"name\":\"Z\"}"));
    }

    void swaggerUi()
    {
        const auto get = CurlCommand::parse(utf8("curl -X 'GET' \\\n  'https://petstore3.swagger.io/api/v3/pet/findByStatus?status=available' \\\n  -H 'accept: application/json'"));
        QVERIFY2(get.ok() && get.warnings.isEmpty(), qPrintable(describe(get)));
        QCOMPARE(get.method, u"GET"_s);
        QCOMPARE(get.url, u"https://petstore3.swagger.io/api/v3/pet/findByStatus?status=available"_s);
        QCOMPARE(get.headers, (Headers{{"accept", "application/json"}}));
        QVERIFY(get.body.isEmpty());
        QVERIFY(get.contentType.isEmpty());

        const auto post = CurlCommand::parse(utf8("curl -X 'POST' \\\n  'https://petstore3.swagger.io/api/v3/pet' \\\n  -H 'accept: application/json' \\\n  -H 'Content-Type: application/json' \\\n  -d '{\n  \"id\": 10,\n  \"name\": \"doggie\"\n}'"));
        QVERIFY2(post.ok() && post.warnings.isEmpty(), qPrintable(describe(post)));
        QCOMPARE(post.method, u"POST"_s);
        QCOMPARE(post.body, QByteArray("{\n  \"id\": 10,\n  \"name\": \"doggie\"\n}"));
        QCOMPARE(post.contentType, QByteArray("application/json"));
    }

    void firefoxAndWindowsLineEndings()
    {
        const auto r = CurlCommand::parse(u"curl 'https://api.example.com/x' \\\r\n  -X POST \\\r\n  -H 'User-Agent: Mozilla/5.0' \\\r\n  --data-raw 'a=b'\r\n"_s);
        QVERIFY2(r.ok() && r.warnings.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.method, u"POST"_s);
        QCOMPARE(r.headers, (Headers{{"User-Agent", "Mozilla/5.0"}}));
        QCOMPARE(r.body, QByteArray("a=b"));
        QCOMPARE(r.contentType, QByteArray("application/x-www-form-urlencoded"));
    }

    void multipartForms()
    {
        // Swagger UI's multipart curl: a bare multipart Content-Type and typed files.
        const auto swagger = CurlCommand::parse(utf8("curl -X 'POST' \\\n  'https://petstore3.swagger.io/api/v3/pet/10/uploadImage' \\\n"
                                                     "  -H 'accept: application/json' \\\n  -H 'Content-Type: multipart/form-data' \\\n"
                                                     "  -F 'file=@photo.png;type=image/png' \\\n  -F 'additionalMetadata=front'"));
        QVERIFY2(swagger.ok(), qPrintable(describe(swagger)));
        QCOMPARE(swagger.method, u"POST"_s);
        QCOMPARE(swagger.form, (QList<CurlCommand::FormField>{{u"file"_s, u"photo.png"_s, true}, {u"additionalMetadata"_s, u"front"_s, false}}));
        QVERIFY(swagger.body.isEmpty());
        QVERIFY2(warned(swagger, u";type="_s), qPrintable(describe(swagger)));

        const auto literal = CurlCommand::parse(u"curl https://x.example/p --form-string 'note=@not-a-file' -F 'doc=@\"my;file,1.pdf\"' "
                                                "-F 'bad'"_s);
        QVERIFY2(literal.ok(), qPrintable(describe(literal)));
        QCOMPARE(literal.form, (QList<CurlCommand::FormField>{{u"note"_s, u"@not-a-file"_s, false}, {u"doc"_s, u"my;file,1.pdf"_s, true}}));
        QVERIFY2(warned(literal, u"not name=value"_s), qPrintable(describe(literal)));

        // A fuzz find: ^" inside a bash word is data, not Windows cmd quoting.
        const auto caret = CurlCommand::parse(u"curl https://x.example/p --data-raw '{\"x\":\"^\"}'"_s);
        QVERIFY2(caret.ok(), qPrintable(describe(caret)));
        QCOMPARE(caret.body, QByteArray(R"({"x":"^"})"));
        const auto caretForm = CurlCommand::parse(u"curl https://x.example/p -F 'f=@\"a\\\"^\"'"_s);
        QVERIFY2(caretForm.ok(), qPrintable(describe(caretForm)));
        QCOMPARE(caretForm.form, (QList<CurlCommand::FormField>{{u"f"_s, u"a\"^"_s, true}}));

        // A fuzz find: a NUL inside a field printed a command that read back differently.
        const auto nul = CurlCommand::parse(u"curl https://x.example/p -F $'a=b\\x00c' -F 'ok=1'"_s);
        QVERIFY2(nul.ok(), qPrintable(describe(nul)));
        QCOMPARE(nul.form, (QList<CurlCommand::FormField>{{u"ok"_s, u"1"_s, false}}));
        QVERIFY2(warned(nul, u"NUL"_s), qPrintable(describe(nul)));
        QCOMPARE(CurlCommand::parse(CurlCommand::print(nul.request())).form, nul.form);

        // A fuzz find: a quoted "-" (or "-" before ;type=) is standard input as much as @- is; it
        // was taken for a file named "-", printed as @-, and read back as nothing.
        for (const QString &argument : {u"'f=@-'"_s, u"'f=<-'"_s, u"'f=@\"-\"'"_s, u"'f=@\"-'"_s, u"'f=@-;type=text/plain'"_s}) {
            const auto stdinField = CurlCommand::parse(u"curl https://x.example/p -F "_s + argument + u" -F 'ok=1'"_s);
            QVERIFY2(stdinField.ok(), qPrintable(describe(stdinField)));
            QCOMPARE(stdinField.form, (QList<CurlCommand::FormField>{{u"ok"_s, u"1"_s, false}}));
            QVERIFY2(warned(stdinField, u"standard input"_s), qPrintable(argument + u": "_s + describe(stdinField)));
            QCOMPARE(CurlCommand::parse(CurlCommand::print(stdinField.request())).form, stdinField.form);
        }

        const auto both = CurlCommand::parse(u"curl https://x.example/p -F a=1 -d b=2"_s);
        QCOMPARE(both.form.size(), 1);
        QVERIFY(both.body.isEmpty());
        QVERIFY(warned(both, u"-F together with -d"_s));
    }

    void multipartFormsPrintAndRoundTripThroughAShell()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(u"pwned"_s);
        CurlCommand::Request r = request(u"POST"_s, u"https://api.example.com/documents"_s,
                                         {{"Content-Type", "multipart/form-data; boundary=----TokenbenchFormBoundaryX"}, {"X-Trace", "1"}}, "ignored");
        r.form = {{u"note"_s, u"@literal $(touch "_s + marker + u") 'q'"_s, false}, {u"doc"_s, dir.filePath(u"a;b\",c.pdf"_s), true},
                  {u"plain"_s, dir.filePath(u"plain.txt"_s), true}};
        const QString printed = CurlCommand::print(r);
        QVERIFY2(!printed.contains(u"boundary"_s), qPrintable(printed)); // curl makes its own
        QVERIFY2(!printed.contains(u"ignored"_s), qPrintable(printed));
        QVERIFY2(printed.contains(u"--form-string "_s), qPrintable(printed));

        const auto parsed = CurlCommand::parse(printed);
        QVERIFY2(parsed.ok(), qPrintable(describe(parsed)));
        QCOMPARE(parsed.method, u"POST"_s);
        QCOMPARE(parsed.form, r.form);
        QCOMPARE(parsed.headers, (Headers{{"X-Trace", "1"}}));

        if (!QFile::exists(u"/bin/sh"_s))
            QSKIP("no /bin/sh");
        const QList<QByteArray> args = argumentsSeenByShell(u"/bin/sh"_s, printed, QProcessEnvironment::systemEnvironment());
        QVERIFY2(!QFile::exists(marker), "the shell ran part of a form value");
        QVERIFY(args.contains("note=" + r.form.at(0).value.toUtf8()));
        QVERIFY(args.contains("plain=@" + r.form.at(2).value.toUtf8()));
    }

    void options_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("url");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("warning"); // a part of one warning; empty: there must be none

        const QString u = u"https://x.example/p"_s;
        QTest::newRow("-XPOST attached") << u"curl -XPOST https://x.example/p"_s << u"POST"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("--request=") << u"curl --request=DELETE https://x.example/p"_s << u"DELETE"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("cluster -sSLk") << u"curl -sSLk https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"TLS verification cannot be turned off"_s;
        QTest::newRow("-sX PUT in a cluster") << u"curl -sX PUT https://x.example/p"_s << u"PUT"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("-H attached") << u"curl -H'X-A: 1' https://x.example/p"_s << u"GET"_s << u << Headers{{"X-A", "1"}} << QByteArray() << QString();
        QTest::newRow("-u") << u"curl -u user:pa:ss https://x.example/p"_s << u"GET"_s << u << Headers{{"Authorization", "Basic dXNlcjpwYTpzcw=="}}
                            << QByteArray() << QString();
        QTest::newRow("-u without password") << u"curl -u user https://x.example/p"_s << u"GET"_s << u
                                             << Headers{{"Authorization", "Basic dXNlcjo="}} << QByteArray() << u"no password"_s;
        QTest::newRow("-H Authorization beats -u") << u"curl -u a:b -H 'Authorization: Bearer t' https://x.example/p"_s << u"GET"_s << u
                                                   << Headers{{"Authorization", "Bearer t"}} << QByteArray() << u"-u was ignored"_s;
        QTest::newRow("--oauth2-bearer") << u"curl --oauth2-bearer tok https://x.example/p"_s << u"GET"_s << u
                                         << Headers{{"Authorization", "Bearer tok"}} << QByteArray() << QString();
        QTest::newRow("-b cookies") << u"curl -b 'a=1; b=2' -b c=3 https://x.example/p"_s << u"GET"_s << u
                                    << Headers{{"Cookie", "a=1; b=2; c=3"}} << QByteArray() << QString();
        QTest::newRow("-b file") << u"curl -b cookies.txt https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"cookies.txt"_s;
        QTest::newRow("-A and -e") << u"curl -A 'agent/1.0' -e https://ref.example/ https://x.example/p"_s << u"GET"_s << u
                                   << Headers{{"User-Agent", "agent/1.0"}, {"Referer", "https://ref.example/"}} << QByteArray() << QString();
        QTest::newRow("--json") << u"curl --json '{\"a\":1}' https://x.example/p"_s << u"POST"_s << u
                                << Headers{{"Content-Type", "application/json"}, {"Accept", "application/json"}} << QByteArray("{\"a\":1}") << QString();
        QTest::newRow("--json keeps an explicit Accept") << u"curl -H 'Accept: text/csv' --json '[1,' --json '2]' https://x.example/p"_s
                                                         << u"POST"_s << u << Headers{{"Accept", "text/csv"}, {"Content-Type", "application/json"}}
                                                         << QByteArray("[1,2]") << QString();
        QTest::newRow("-d joined with &") << u"curl -d a=1 --data b=2 --data-binary c=3 --data-raw @d https://x.example/p"_s << u"POST"_s << u
                                          << Headers{} << QByteArray("a=1&b=2&c=3&@d") << QString();
        QTest::newRow("-d '' is still a POST") << u"curl -d '' https://x.example/p"_s << u"POST"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("-G moves data to the query") << u"curl -G -d q=1 --data-urlencode 'r=a b' 'https://x.example/p?x=0#top'"_s << u"GET"_s
                                                    << u"https://x.example/p?x=0&q=1&r=a%20b#top"_s << Headers{} << QByteArray() << QString();
        QTest::newRow("--data-urlencode forms") << u"curl --data-urlencode 'q=a b&c' --data-urlencode '=x y' --data-urlencode 'z é' https://x.example/p"_s
                                                << u"POST"_s << u << Headers{} << QByteArray("q=a%20b%26c&x%20y&z%20%C3%A9") << QString();
        QTest::newRow("-d @file") << u"curl -d @body.json https://x.example/p"_s << u"POST"_s << u << Headers{} << QByteArray() << u"body.json"_s;
        QTest::newRow("--data-urlencode name@file") << u"curl --data-urlencode name@f.txt https://x.example/p"_s << u"POST"_s << u << Headers{}
                                                    << QByteArray() << u"f.txt"_s;
        QTest::newRow("--insecure") << u"curl --insecure https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"--insecure"_s;
        QTest::newRow("unknown option") << u"curl --frobnicate https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"Unknown option --frobnicate"_s;
        QTest::newRow("unknown short option") << u"curl -W https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"Unknown option -W"_s;
        QTest::newRow("ignored options with values") << u"curl -o out.json -w '%{http_code}' --max-time 5 --retry 3 https://x.example/p"_s << u"GET"_s
                                                     << u << Headers{} << QByteArray() << QString();
        QTest::newRow("noise flags") << u"curl --compressed -s -S -L -i -v --no-progress-meter --no-compressed --http1.1 https://x.example/p"_s
                                     << u"GET"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("-I") << u"curl -I https://x.example/p"_s << u"HEAD"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("-T") << u"curl -T file.bin https://x.example/p"_s << u"PUT"_s << u << Headers{} << QByteArray() << u"file.bin"_s;
        QTest::newRow("proxy") << u"curl -x http://proxy:3128 https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"-x is not supported"_s;
        QTest::newRow("--url") << u"curl -H 'A: b' --url https://x.example/p"_s << u"GET"_s << u << Headers{{"A", "b"}} << QByteArray() << QString();
        QTest::newRow("two URLs") << u"curl https://x.example/p https://y.example/q"_s << u"GET"_s << u << Headers{} << QByteArray() << u"y.example"_s;
        QTest::newRow("no scheme") << u"curl x.example/p"_s << u"GET"_s << u"x.example/p"_s << Headers{} << QByteArray() << u"no scheme"_s;
        QTest::newRow("empty header") << u"curl -H 'X-Empty;' https://x.example/p"_s << u"GET"_s << u << Headers{{"X-Empty", ""}} << QByteArray() << QString();
        QTest::newRow("header removal") << u"curl -H 'Accept:' https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"Accept"_s;
        QTest::newRow("header with a line break") << u"curl -H $'X-A: 1\\r\\nX-Injected: 2' https://x.example/p"_s << u"GET"_s << u << Headers{}
                                                  << QByteArray() << u"line break"_s;
        QTest::newRow("-A with a line break") << u"curl -A $'x\\r\\nX-Injected: 1' -b $'a=1\\nX: y' https://x.example/p"_s << u"GET"_s << u << Headers{}
                                              << QByteArray() << u"-A contains a line break"_s;
        QTest::newRow("cluster with a non-ASCII letter") << u"curl -sé https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray()
                                                         << u"Unknown option in “-sé”"_s;
        QTest::newRow("not a header") << u"curl -H 'no colon here' https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << u"not a header"_s;
        QTest::newRow("pipe") << u"curl https://x.example/p | jq ."_s << u"GET"_s << u << Headers{} << QByteArray() << u"“|”"_s;
        QTest::newRow("redirect") << u"curl https://x.example/p > out.json"_s << u"GET"_s << u << Headers{} << QByteArray() << u"“>”"_s;
        QTest::newRow("command list") << u"curl https://x.example/p ; rm -rf ~"_s << u"GET"_s << u << Headers{} << QByteArray() << u"“;”"_s;
        QTest::newRow("and-list") << u"curl https://x.example/p && echo done"_s << u"GET"_s << u << Headers{} << QByteArray() << u"“&&”"_s;
        QTest::newRow("unquoted & inside a URL stays") << u"curl https://x.example/p?a=1&b=2"_s << u"GET"_s << u"https://x.example/p?a=1&b=2"_s
                                                       << Headers{} << QByteArray() << QString();
        QTest::newRow("prompt") << u"$ curl https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("$VAR is literal") << u"curl -H \"Authorization: Bearer $TOKEN\" https://x.example/p"_s << u"GET"_s << u
                                         << Headers{{"Authorization", "Bearer $TOKEN"}} << QByteArray() << u"literal text"_s;
        QTest::newRow("unquoted $( ) is literal") << u"curl https://x.example/$(rm -rf ~)"_s << u"GET"_s << u"https://x.example/$(rm -rf ~)"_s
                                                  << Headers{} << QByteArray() << u"runs and expands nothing"_s;
        QTest::newRow("backticks are literal") << u"curl -d \"`id`\" -d `whoami` https://x.example/p"_s << u"POST"_s << u << Headers{}
                                               << QByteArray("`id`&`whoami`") << u"literal text"_s;
        QTest::newRow("comment") << u"curl https://x.example/p # fetch it\n"_s << u"GET"_s << u << Headers{} << QByteArray() << QString();
        QTest::newRow("template payload") << u"curl -H 'X-T: {{ range.constructor(\"return process\")() }}' https://x.example/p"_s << u"GET"_s << u
                                          << Headers{{"X-T", "{{ range.constructor(\"return process\")() }}"}} << QByteArray() << QString();
        QTest::newRow("path to curl") << u"/usr/bin/curl https://x.example/p"_s << u"GET"_s << u << Headers{} << QByteArray() << QString();
    }

    void options()
    {
        QFETCH(QString, command);
        QFETCH(QString, method);
        QFETCH(QString, url);
        QFETCH(Headers, headers);
        QFETCH(QByteArray, body);
        QFETCH(QString, warning);
        const auto r = CurlCommand::parse(command);
        QVERIFY2(r.ok(), qPrintable(describe(r)));
        QCOMPARE(r.method, method);
        QCOMPARE(r.url, url);
        QCOMPARE(r.headers, headers);
        QCOMPARE(r.body, body);
        if (warning.isEmpty())
            QVERIFY2(r.warnings.isEmpty(), qPrintable(describe(r)));
        else
            QVERIFY2(warned(r, warning), qPrintable(describe(r)));
    }

    void parsedCommandsPrintBackTheSame_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("options everywhere") << u"curl -G -d a=1 --json '{\"a\":1}' -u u:p -b c=d -A ' agent ' -e r https://x/"_s;
        // Found by fuzzing: invalid UTF-8 inside a short-option cluster, and a cookie value with
        // spaces around it, used to print back differently.
        QTest::newRow("fuzz: cluster with invalid UTF-8")
            << QString::fromUtf8(QByteArray::fromBase64("Y3VybCAtRyd7Ipbd39IgLWIgYz1kIGh0dHBzOi86ImEiMH0nIC11IHU6cCAtYiBjPWQgaHR0cHM6Ly94Lw=="));
        QTest::newRow("binary via ANSI-C") << u"curl --data-binary $'\\xff\\x00\\x01' -H $'X-B: \\xfe' https://x/"_s;
    }

    void parsedCommandsPrintBackTheSame()
    {
        QFETCH(QString, command);
        const auto first = CurlCommand::parse(command);
        QVERIFY2(first.ok(), qPrintable(describe(first)));
        const QString printed = CurlCommand::print(first.request(), reveal());
        const auto second = CurlCommand::parse(printed);
        QVERIFY2(second.ok(), qPrintable(describe(second)));
        QCOMPARE(second.method, first.method);
        QCOMPARE(second.url, first.url);
        QCOMPARE(second.headers, first.headers);
        QCOMPARE(second.body, first.body);
    }

    void contentType()
    {
        QCOMPARE(CurlCommand::parse(u"curl -d a=1 https://x/"_s).contentType, QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(CurlCommand::parse(u"curl --json 1 https://x/"_s).contentType, QByteArray("application/json"));
        QCOMPARE(CurlCommand::parse(u"curl -H 'content-type: text/csv' -d a https://x/"_s).contentType, QByteArray("text/csv"));
        QVERIFY(CurlCommand::parse(u"curl https://x/"_s).contentType.isEmpty());
        QVERIFY(CurlCommand::parse(u"curl -G -d a=1 https://x/"_s).contentType.isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("error");
        QTest::newRow("unbalanced single quote") << u"curl 'https://x.example/p"_s << u"single quote at column 6"_s;
        QTest::newRow("unbalanced double quote") << u"curl -H \"A: b https://x/"_s << u"double quote at column 9"_s;
        QTest::newRow("unbalanced $'") << u"curl $'abc"_s << u"never closed"_s;
        QTest::newRow("unbalanced $(") << u"curl https://x/$(abc"_s << u"never closed"_s;
        QTest::newRow("trailing backslash") << u"curl https://x/ \\"_s << u"backslash"_s;
        QTest::newRow("empty") << u"  \n "_s << u"empty"_s;
        QTest::newRow("not curl") << u"wget https://x/"_s << u"not a curl command"_s;
        QTest::newRow("PowerShell") << u"Invoke-WebRequest -Uri https://x/"_s << u"not a curl command"_s;
        QTest::newRow("Windows cmd") << u"curl ^\"https://x/^\" ^\n  -H ^\"accept: */*^\""_s << u"Windows cmd"_s;
        QTest::newRow("no URL") << u"curl -s -H 'A: b'"_s << u"no URL"_s;
        QTest::newRow("bad method") << u"curl -X 'GET /evil HTTP/1.1' https://x/"_s << u"not an HTTP method"_s;
    }

    void errors()
    {
        QFETCH(QString, command);
        QFETCH(QString, error);
        const auto r = CurlCommand::parse(command);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.contains(error, Qt::CaseInsensitive), qPrintable(r.error));
    }

    void tokenizer_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QList<QByteArray>>("words");
        QTest::newRow("mixed quoting") << utf8("a'b c'\"d e\"f") << QList<QByteArray>{"ab cd ef"};
        QTest::newRow("double-quote escapes") << u"\"a\\\"b\\$c\\\\d\\`e\\nf\""_s << QList<QByteArray>{"a\"b$c\\d`e\\nf"};
        QTest::newRow("single quotes keep backslashes") << u"'a\\nb\\'"_s << QList<QByteArray>{"a\\nb\\"};
        QTest::newRow("ANSI-C") << u"$'a\\nb\\tc\\x41\\u00e9\\'q\\\\\\\"\\101\\cA\\e'"_s
                                << QList<QByteArray>{"a\nb\tcA\xC3\xA9'q\\\"A\x01\x1b"};
        QTest::newRow("ANSI-C bytes") << utf8("$'\\xc3\\xa9\\xff'") << QList<QByteArray>{"\xC3\xA9\xFF"};
        QTest::newRow("ANSI-C astral") << utf8("$'\\U0001F600'") << QList<QByteArray>{"\xF0\x9F\x98\x80"};
        QTest::newRow("continuations") << u"a \\\nb\\\nc \\\r\nd"_s << QList<QByteArray>{"a", "bc", "d"};
        QTest::newRow("continuation inside double quotes") << u"\"a\\\nb\""_s << QList<QByteArray>{"ab"};
        QTest::newRow("escaped space") << u"a\\ b \\'c"_s << QList<QByteArray>{"a b", "'c"};
        QTest::newRow("empty quoted words") << utf8("'' \"\" x") << QList<QByteArray>{"", "", "x"};
        QTest::newRow("comment") << u"a # b c\nd#e"_s << QList<QByteArray>{"a", "d#e"};
        QTest::newRow("newline separates") << u"a\nb\tc"_s << QList<QByteArray>{"a", "b", "c"};
        QTest::newRow("$\"…\"") << utf8("$\"x y\"") << QList<QByteArray>{"x y"};
        QTest::newRow("expansions kept whole") << utf8("a$(b c)d `e f` ${g h}") << QList<QByteArray>{"a$(b c)d", "`e f`", "${g h}"};
        QTest::newRow("unicode") << u"'Zoë 😀' 中文"_s << QList<QByteArray>{"Zo\xC3\xAB \xF0\x9F\x98\x80", "\xE4\xB8\xAD\xE6\x96\x87"};
    }

    void tokenizer()
    {
        QFETCH(QString, line);
        QFETCH(QList<QByteArray>, words);
        QString error;
        const auto tokens = CurlCommand::tokenize(line, &error);
        QVERIFY2(tokens.has_value(), qPrintable(error));
        QCOMPARE(*tokens, words);
    }

    void quotingRoundTripsAnyText()
    {
        // Whatever the text, one quoted word comes back as exactly that text.
        QRandomGenerator random(20240611);
        const QString alphabet = u"ab '\"\\$`!*?~#;&|<>(){}[]\n\t\r-=%+é😀{{}}"_s;
        const QList<uint> letters = alphabet.toUcs4();
        for (int round = 0; round < 3000; ++round) {
            QList<uint> picked;
            const int length = random.bounded(0, 24);
            for (int i = 0; i < length; ++i)
                picked.append(letters.at(random.bounded(qsizetype(letters.size()))));
            const QString text = QString::fromUcs4(reinterpret_cast<const char32_t *>(picked.constData()), picked.size());
            const auto tokens = CurlCommand::tokenize(CurlCommand::shellQuote(text));
            QVERIFY(tokens.has_value());
            QCOMPARE(tokens->size(), 1);
            QCOMPARE(tokens->first(), text.toUtf8());
        }
    }

    void garbageNeverCrashes()
    {
        // Not a fuzzer, but the same idea in small: arbitrary input yields a value, never a crash.
        QRandomGenerator random(7);
        const QStringList pieces{u"curl"_s, u" "_s, u"'"_s, u"\""_s, u"$'"_s, u"\\"_s, u"\n"_s, u"-H"_s, u"-X"_s, u"-d"_s, u"--json"_s,
                                 u"-G"_s, u"-u"_s, u"https://x/"_s, u"$("_s, u")"_s, u"`"_s, u"|"_s, u"#"_s, u"-"_s, u"--"_s,
                                 u"-sXH"_s, u"\\x"_s, u"\\u"_s, u"\\c"_s, u"@"_s, u"="_s, u";"_s, u"é"_s, u"{{"_s, u"^"_s};
        int parsed = 0;
        for (int round = 0; round < 20000; ++round) {
            QString command = round % 2 ? u"curl "_s : QString();
            const int length = random.bounded(1, 16);
            for (int i = 0; i < length; ++i)
                command += pieces.at(random.bounded(qsizetype(pieces.size())));
            const auto r = CurlCommand::parse(command);
            QVERIFY(r.ok() || !r.error.isEmpty());
            if (r.ok()) {
                ++parsed;
                QVERIFY(!r.url.isEmpty());
                QVERIFY(!r.method.isEmpty());
            }
        }
        QVERIFY(parsed > 100); // the generator does reach the parser's interesting paths
    }
};

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
