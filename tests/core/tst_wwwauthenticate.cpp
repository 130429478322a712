#include "http/WwwAuthenticate.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

// moc reads this file too and misparses raw strings holding backslashes or a lone quote:
// those inputs are written as ordinary escaped strings.
namespace {
// A compact picture of what was parsed: "Scheme[token68]{name=value;…}" joined by " | ".
QString describe(const WwwAuthenticate &www)
{
    QStringList out;
    for (const auto &challenge : www.challenges()) {
        QString text = challenge.scheme;
        if (!challenge.token68.isEmpty())
            text += u'[' + challenge.token68 + u']';
        if (!challenge.params.isEmpty()) {
            QStringList params;
            for (const auto &[name, value] : challenge.params)
                params.append(name + u'=' + value);
            text += u'{' + params.join(u';') + u'}';
        }
        out.append(text);
    }
    return out.join(u" | "_s);
}
} // namespace

class TestWwwAuthenticate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("clean"); // no problems reported

        QTest::newRow("bare bearer") << "Bearer"_ba << u"Bearer"_s << true;
        QTest::newRow("realm") << R"(Bearer realm="example")"_ba << u"Bearer{realm=example}"_s << true;
        QTest::newRow("demo expired")
            << R"(Bearer realm="tokenbench-demo", error="invalid_token", error_description="The access token expired")"_ba
            << u"Bearer{realm=tokenbench-demo;error=invalid_token;error_description=The access token expired}"_s << true;
        QTest::newRow("rfc 6750 insufficient scope")
            << R"(Bearer realm="example", error="insufficient_scope", scope="trades:execute accounts:read")"_ba
            << u"Bearer{realm=example;error=insufficient_scope;scope=trades:execute accounts:read}"_s << true;
        QTest::newRow("forgotten comma (checklist 14)") << R"(Bearer error="insufficient_scope" scope="a b")"_ba
                                                        << u"Bearer{error=insufficient_scope;scope=a b}"_s << false;
        QTest::newRow("rfc 9110 example")
            << "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\""_ba
            << u"Newauth{realm=apps;type=1;title=Login to \"apps\"} | Basic{realm=simple}"_s << true;
        QTest::newRow("quoted comma") << R"(Bearer realm="a, b", error="invalid_token")"_ba
                                      << u"Bearer{realm=a, b;error=invalid_token}"_s << true;
        QTest::newRow("quoted comma then scheme") << R"(Bearer realm="x, Basic realm=y", Basic realm="z")"_ba
                                                  << u"Bearer{realm=x, Basic realm=y} | Basic{realm=z}"_s << true;
        QTest::newRow("escapes") << "Bearer error_description=\"a \\\"quoted\\\" \\\\ backslash\""_ba
                                 << u"Bearer{error_description=a \"quoted\" \\ backslash}"_s << true;
        QTest::newRow("token68") << "Basic YWxhZGRpbjpvcGVuc2VzYW1l"_ba << u"Basic[YWxhZGRpbjpvcGVuc2VzYW1l]"_s << true;
        QTest::newRow("token68 padding") << "Negotiate abc=="_ba << u"Negotiate[abc==]"_s << true;
        QTest::newRow("token68 then challenge") << "Negotiate a+b/c=, Bearer realm=\"x\""_ba << u"Negotiate[a+b/c=] | Bearer{realm=x}"_s << true;
        QTest::newRow("schemes only") << "Negotiate, NTLM"_ba << u"Negotiate | NTLM"_s << true;
        QTest::newRow("bearer after basic") << R"(Basic realm="api", Bearer realm="api", error="invalid_token")"_ba
                                            << u"Basic{realm=api} | Bearer{realm=api;error=invalid_token}"_s << true;
        QTest::newRow("case and spaces") << "  bEaReR   REALM = \"x\" ,  Error=invalid_token  "_ba
                                         << u"bEaReR{realm=x;error=invalid_token}"_s << true;
        QTest::newRow("empty list elements") << ", ,Bearer realm=\"x\",, ,error=\"invalid_token\",,"_ba
                                             << u"Bearer{realm=x;error=invalid_token}"_s << true;
        QTest::newRow("unquoted base64 value") << "Digest nonce=abc/def==, qop=auth"_ba << u"Digest{nonce=abc/def==;qop=auth}"_s << true;
        QTest::newRow("utf-8 description") << "Bearer error_description=\"caf\xc3\xa9\""_ba << u"Bearer{error_description=caf\u00e9}"_s << true;
        QTest::newRow("empty quoted") << R"(Bearer realm="")"_ba << u"Bearer{realm=}"_s << true;
        QTest::newRow("duplicate param keeps first") << R"(Bearer realm="a", realm="b")"_ba << u"Bearer{realm=a}"_s << false;
        QTest::newRow("empty") << ""_ba << QString() << true;
        QTest::newRow("only commas") << ",,, ,\t,"_ba << QString() << true;

        // Garbage: parsed as far as it makes sense, never a crash.
        QTest::newRow("unterminated quote") << "Bearer realm=\"unterminated"_ba << u"Bearer{realm=unterminated}"_s << false;
        QTest::newRow("lone quote") << "\""_ba << QString() << false;
        QTest::newRow("param without scheme") << R"(realm="x")"_ba << QString() << false;
        QTest::newRow("junk after scheme") << "Bearer @@@, Basic realm=\"ok\""_ba << u"Bearer | Basic{realm=ok}"_s << false;
        QTest::newRow("junk after value") << R"(Bearer realm="x"@@, error="invalid_token")"_ba << u"Bearer{realm=x;error=invalid_token}"_s << false;
        QTest::newRow("equals first") << "=Bearer"_ba << QString() << false;
        QTest::newRow("control bytes") << "Bearer\x01 realm=\"ab\""_ba << QString() << false;
        QTest::newRow("nul inside quotes") << QByteArray("Bearer realm=\"a") + '\0' + "b\"" << u"Bearer{realm=a\u0000b}"_s << true;
        QTest::newRow("backslash at end") << "Bearer realm=\"abc\\"_ba << u"Bearer{realm=abc\\}"_s << false;
        QTest::newRow("invalid utf-8") << "Bearer realm=\"\xff\xfe\""_ba << u"Bearer{realm=\ufffd\ufffd}"_s << true;
    }

    void parses()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, expected);
        QFETCH(bool, clean);
        const WwwAuthenticate www = WwwAuthenticate::parse(header);
        QCOMPARE(describe(www), expected);
        QVERIFY2(www.problems().isEmpty() == clean, qPrintable(www.problems().join(u"; "_s)));
    }

    void severalFieldsAreOneList()
    {
        const WwwAuthenticate www = WwwAuthenticate::parse(QList<QByteArray>{R"(Basic realm="a")"_ba, R"(Bearer error="invalid_token")"_ba});
        QCOMPARE(describe(www), u"Basic{realm=a} | Bearer{error=invalid_token}"_s);
        QVERIFY(www.find(u"bearer"_s));
        QCOMPARE(www.find(u"BEARER"_s)->param(u"ERROR"_s), u"invalid_token"_s);
        QVERIFY(!www.find(u"DPoP"_s));
    }

    void hostileInputsAreBounded_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("100k params") << QByteArray("Bearer ") + QByteArray("a=b, ").repeated(100000);
        QTest::newRow("100k schemes") << QByteArray("Basic, ").repeated(100000);
        QTest::newRow("100k commas") << QByteArray(100000, ',');
        QTest::newRow("100k quotes") << QByteArray(100000, '"');
        QTest::newRow("100k backslashes in quotes") << QByteArray("Bearer realm=\"") + QByteArray(100000, '\\');
        QTest::newRow("100k escaped quotes") << QByteArray("Bearer realm=\"") + QByteArray("\\\"").repeated(50000) + '"';
        QTest::newRow("1 MB token") << QByteArray("Bearer ") + QByteArray(1 << 20, 'A');
        QTest::newRow("1 MB equals") << QByteArray(1 << 20, '=');
        QTest::newRow("many spaces") << QByteArray("Bearer") + QByteArray(1 << 20, ' ') + "realm=x";
    }

    void hostileInputsAreBounded()
    {
        QFETCH(QByteArray, header);
        QElapsedTimer timer;
        timer.start();
        const WwwAuthenticate www = WwwAuthenticate::parse(header);
        QVERIFY(www.challenges().size() <= WwwAuthenticate::MaxChallenges);
        for (const auto &challenge : www.challenges())
            QVERIFY(challenge.params.size() <= WwwAuthenticate::MaxParams);
        QVERIFY(www.problems().size() < 10000);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
    }

    void randomBytesNeverCrash()
    {
        // A poor man's fuzzer with a fixed seed, so a failure reproduces; the libFuzzer harness goes further.
        QRandomGenerator random(20240523);
        const QByteArray alphabet = "Bearer realm=\"\\, =\t abc==/+_-~\x00\xff"_ba;
        for (int round = 0; round < 20000; ++round) {
            QByteArray input;
            const int length = random.bounded(0, 80);
            for (int i = 0; i < length; ++i) {
                input.append(random.bounded(4) == 0 ? char(random.bounded(256)) : alphabet.at(random.bounded(int(alphabet.size()))));
            }
            const WwwAuthenticate www = WwwAuthenticate::parse(input);
            for (const auto &challenge : www.challenges()) {
                QVERIFY(!challenge.scheme.isEmpty());
                QVERIFY(challenge.params.size() <= WwwAuthenticate::MaxParams);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestWwwAuthenticate)
#include "tst_wwwauthenticate.moc"
