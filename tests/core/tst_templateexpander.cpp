#include "util/TemplateExpander.h"

#include <QObject>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TemplateExpander::Variables)

class TestTemplateExpander : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expand_data();
    void expand();
    void expandWithoutUnresolvedListDoesNotCrash();
    void unresolvedListIsAppendedWithoutDuplicates();
    void injectionPayloadsStayLiteral_data();
    void injectionPayloadsStayLiteral();
    void malformedPlaceholdersAreReported_data();
    void malformedPlaceholdersAreReported();
    void valuesAreNotExpandedAgain();
    void placeholders_data();
    void placeholders();
};

void TestTemplateExpander::expand_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<TemplateExpander::Variables>("variables");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("expectedUnresolved");

    const TemplateExpander::Variables user = {{u"userId"_s, u"42"_s}};

    QTest::newRow("simple") << u"user {{userId}}"_s << user << u"user 42"_s << QStringList();
    QTest::newRow("whole text") << u"{{userId}}"_s << user << u"42"_s << QStringList();
    QTest::newRow("spaces inside braces") << u"user {{ userId }}"_s << user << u"user 42"_s << QStringList();
    QTest::newRow("uneven whitespace inside braces") << u"[{{userId   }}|{{\tuserId}}]"_s << user << u"[42|42]"_s << QStringList();
    QTest::newRow("no placeholders") << u"plain text"_s << user << u"plain text"_s << QStringList();
    QTest::newRow("empty text") << QString() << user << QString() << QStringList();
    QTest::newRow("unknown left verbatim") << u"user {{accountId}}"_s << user << u"user {{accountId}}"_s << QStringList{u"accountId"_s};
    QTest::newRow("unknown with spaces left verbatim")
        << u"a {{  nope }} b"_s << user << u"a {{  nope }} b"_s << QStringList{u"nope"_s};
    QTest::newRow("no variables at all") << u"{{userId}}"_s << TemplateExpander::Variables() << u"{{userId}}"_s
                                         << QStringList{u"userId"_s};
    QTest::newRow("names are case sensitive") << u"{{UserId}}"_s << user << u"{{UserId}}"_s << QStringList{u"UserId"_s};
    QTest::newRow("multiple occurrences")
        << u"{{a}}-{{a}}-{{ b }}-{{a}}"_s << TemplateExpander::Variables{{u"a"_s, u"1"_s}, {u"b"_s, u"2"_s}} << u"1-1-2-1"_s
        << QStringList();
    QTest::newRow("adjacent placeholders") << u"{{a}}{{b}}"_s << TemplateExpander::Variables{{u"a"_s, u"x"_s}, {u"b"_s, u"y"_s}}
                                           << u"xy"_s << QStringList();
    QTest::newRow("known and unknown mixed")
        << u"{{a}} {{x}} {{a}} {{y}} {{x}}"_s << TemplateExpander::Variables{{u"a"_s, u"A"_s}} << u"A {{x}} A {{y}} {{x}}"_s
        << QStringList{u"x"_s, u"y"_s};
    QTest::newRow("dotted and dashed names")
        << u"{{account.id}}@{{api-host}}"_s
        << TemplateExpander::Variables{{u"account.id"_s, u"acc-1"_s}, {u"api-host"_s, u"api.example.com"_s}}
        << u"acc-1@api.example.com"_s << QStringList();
    QTest::newRow("empty value") << u"<{{a}}>"_s << TemplateExpander::Variables{{u"a"_s, QString()}} << u"<>"_s << QStringList();
    QTest::newRow("non-ascii around and in value")
        << u"ü{{name}}ß"_s << TemplateExpander::Variables{{u"name"_s, u"Zoë 🙂"_s}} << u"üZoë 🙂ß"_s << QStringList();
    QTest::newRow("header template from demo") << u"user {{userId}}"_s << TemplateExpander::Variables{{u"userId"_s, u"demo-user"_s}}
                                               << u"user demo-user"_s << QStringList();
    QTest::newRow("single braces are not placeholders") << u"{userId} {{userId}"_s << user << u"{userId} {{userId}"_s
                                                        << QStringList();
}

void TestTemplateExpander::expand()
{
    QFETCH(QString, text);
    QFETCH(TemplateExpander::Variables, variables);
    QFETCH(QString, expected);
    QFETCH(QStringList, expectedUnresolved);

    QStringList unresolved;
    QCOMPARE(TemplateExpander::expand(text, variables, &unresolved), expected);
    QCOMPARE(unresolved, expectedUnresolved);
}

void TestTemplateExpander::expandWithoutUnresolvedListDoesNotCrash()
{
    QCOMPARE(TemplateExpander::expand(u"{{missing}} {{a}}"_s, {{u"a"_s, u"1"_s}}), u"{{missing}} 1"_s);
}

void TestTemplateExpander::unresolvedListIsAppendedWithoutDuplicates()
{
    QStringList unresolved{u"earlier"_s};
    TemplateExpander::expand(u"{{earlier}} {{later}}"_s, {}, &unresolved);
    QCOMPARE(unresolved, (QStringList{u"earlier"_s, u"later"_s}));
}

void TestTemplateExpander::injectionPayloadsStayLiteral_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("angular sandbox escape") << u"{{ range.constructor('x')() }}"_s;
    QTest::newRow("arithmetic") << u"{{7*7}}"_s;
    QTest::newRow("arithmetic with spaces") << u"{{ 7 * 7 }}"_s;
    QTest::newRow("jinja config") << u"{{ config.items() }}"_s;
    QTest::newRow("jinja class walk") << u"{{''.__class__.__mro__[1].__subclasses__()}}"_s;
    QTest::newRow("constructor alert") << u"{{constructor.constructor('alert(1)')()}}"_s;
    QTest::newRow("filter") << u"{{ userId | upper }}"_s;
    QTest::newRow("dollar") << u"${7*7}"_s;
    QTest::newRow("hash") << u"#{7*7}"_s;
    QTest::newRow("erb") << u"<%= 7*7 %>"_s;
    QTest::newRow("nested braces") << u"{{ {{userId}} }}"_s;
}

void TestTemplateExpander::injectionPayloadsStayLiteral()
{
    QFETCH(QString, text);
    // Variables whose names appear inside the payloads: none of them may be pulled into an expression.
    const TemplateExpander::Variables variables = {
        {u"range"_s, u"RANGE"_s}, {u"constructor"_s, u"CTOR"_s}, {u"config"_s, u"CONFIG"_s}, {u"7"_s, u"SEVEN"_s}};

    QStringList unresolved;
    const QString out = TemplateExpander::expand(text, variables, &unresolved);
    if (text == u"{{ {{userId}} }}"_s) {
        // The inner placeholder is a well-formed unknown one; everything stays as written.
        QCOMPARE(out, text);
        QVERIFY(unresolved.contains(u"userId"_s));
        return;
    }
    QCOMPARE(out, text);
    QVERIFY2(!out.contains(u"49"_s), qPrintable(out));
    QVERIFY(!out.contains(u"RANGE"_s));
    QVERIFY(!out.contains(u"CTOR"_s));
    QVERIFY(!out.contains(u"CONFIG"_s));
    QVERIFY(!out.contains(u"SEVEN"_s));
}

void TestTemplateExpander::malformedPlaceholdersAreReported_data()
{
    QTest::addColumn<QString>("text");

    // TemplateExpander.h: "an unknown or malformed placeholder stays as it was and is reported".
    QTest::newRow("arithmetic") << u"{{7*7}}"_s;
    QTest::newRow("angular sandbox escape") << u"{{ range.constructor('x')() }}"_s;
    QTest::newRow("space inside name") << u"{{user id}}"_s;
    QTest::newRow("empty") << u"{{}}"_s;
}

void TestTemplateExpander::malformedPlaceholdersAreReported()
{
    QFETCH(QString, text);
    QStringList unresolved;
    const QString out = TemplateExpander::expand(text, {{u"range"_s, u"RANGE"_s}, {u"user"_s, u"USER"_s}}, &unresolved);
    QCOMPARE(out, text);
    QVERIFY2(!unresolved.isEmpty(), qPrintable(u"malformed placeholder %1 was not reported"_s.arg(text)));
}

void TestTemplateExpander::valuesAreNotExpandedAgain()
{
    // A value that itself looks like a placeholder is inserted as text, not expanded recursively.
    QStringList unresolved;
    const QString out = TemplateExpander::expand(u"{{a}}"_s, {{u"a"_s, u"{{b}}"_s}, {u"b"_s, u"B"_s}}, &unresolved);
    QCOMPARE(out, u"{{b}}"_s);
    QVERIFY(unresolved.isEmpty());

    // Self reference does not loop.
    QCOMPARE(TemplateExpander::expand(u"{{a}}"_s, {{u"a"_s, u"{{a}}"_s}}), u"{{a}}"_s);
}

void TestTemplateExpander::placeholders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("none") << u"no placeholders here {single}"_s << QStringList();
    QTest::newRow("one") << u"user {{userId}}"_s << QStringList{u"userId"_s};
    QTest::newRow("spaces") << u"{{ userId }}"_s << QStringList{u"userId"_s};
    QTest::newRow("order of first appearance without duplicates")
        << u"{{b}} {{a}} {{ b }} {{c.d}} {{a}} {{e-f}}"_s << QStringList{u"b"_s, u"a"_s, u"c.d"_s, u"e-f"_s};
    QTest::newRow("injection payloads are not names")
        << u"{{7*7}} {{ range.constructor('x')() }} {{ok}}"_s << QStringList{u"ok"_s};
}

void TestTemplateExpander::placeholders()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(TemplateExpander::placeholders(text), expected);
}

QTEST_GUILESS_MAIN(TestTemplateExpander)
#include "tst_templateexpander.moc"
