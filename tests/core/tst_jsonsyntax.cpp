// JsonSyntax: RFC 8259 text in valid UTF-8, checked in place (the CLI's --json relies on it to
// write a big body as received and still call it JSON).
#include "json/JsonSyntax.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestJsonSyntax : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documents_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("object") << QByteArray(R"( {"a": [1, -2.5e+3, true, false, null, "x\u00e9\n"], "b": {}} )") << true;
        QTest::newRow("scalars at the top") << QByteArray("12345678901234567890") << true;
        QTest::newRow("string at the top") << QByteArray(R"("caf\u00e9")") << true;
        QTest::newRow("empty containers") << QByteArray("[[],{},[{}]]") << true;
        QTest::newRow("utf-8") << QByteArray("[\"caf\xc3\xa9 \xf0\x9f\x98\x80\"]") << true;
        QTest::newRow("deep") << (QByteArray(100000, '[') + QByteArray(100000, ']')) << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("only space") << QByteArray("  ") << false;
        QTest::newRow("trailing comma") << QByteArray("[1,]") << false;
        QTest::newRow("two values") << QByteArray("{} {}") << false;
        QTest::newRow("unclosed") << QByteArray(R"({"a":1)") << false;
        QTest::newRow("deep unclosed") << QByteArray(100000, '[') << false;
        QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << false;
        QTest::newRow("key not a string") << QByteArray("{a:1}") << false;
        QTest::newRow("leading zero") << QByteArray("[01]") << false;
        QTest::newRow("bare dot") << QByteArray("[1.]") << false;
        QTest::newRow("raw control in a string") << QByteArray("[\"a\x01\"]") << false;
        QTest::newRow("bad escape") << QByteArray(R"(["\x"])") << false;
        QTest::newRow("short unicode escape") << QByteArray(R"(["\u12"])") << false;
        QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\"]") << false;
        QTest::newRow("overlong utf-8") << QByteArray("[\"\xc0\xaf\"]") << false;
        QTest::newRow("utf-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << false;
        QTest::newRow("mismatched close") << QByteArray("[1}") << false;
        QTest::newRow("truncated literal") << QByteArray("[tru]") << false;
    }

    void documents()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QCOMPARE(JsonSyntax::isValid(text), valid);
    }

    void utf8()
    {
        QVERIFY(JsonSyntax::isUtf8("plain \xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf"));
        QVERIFY(!JsonSyntax::isUtf8("\xc3"));             // cut short
        QVERIFY(!JsonSyntax::isUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
        QVERIFY(!JsonSyntax::isUtf8("\x80"));
    }
};

QTEST_GUILESS_MAIN(TestJsonSyntax)
#include "tst_jsonsyntax.moc"
