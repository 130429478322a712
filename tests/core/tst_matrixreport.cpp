#include "matrix/MatrixHtmlWriter.h"
#include "matrix/MatrixJUnitWriter.h"
#include "matrix/MatrixReport.h"
#include "matrix/MatrixShard.h"
#include "matrix/ScopeSet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

// MatrixReport's JSON (what `matrix --report` writes and `matrix merge` reads), the merge of a
// plan's shards, and the JUnit and HTML renderings CI and people read.
class TestMatrixReport : public QObject
{
    Q_OBJECT

private:
    static MatrixCellResult cell(const QString &request, ScopeSet::Kind kind, const QString &scopes, int expected, int observed,
                                 MatrixVerdict verdict, const QString &folder = u"Accounts"_s)
    {
        ScopeSet set;
        set.kind = kind;
        set.scopes = scopes.split(u' ', Qt::SkipEmptyParts);
        if (kind == ScopeSet::Kind::MissingScope)
            set.removed = {u"accounts:write"_s};
        MatrixCellResult result;
        result.requestId = request.toLower().replace(u' ', u'-');
        result.cellId = result.requestId + u'\n' + set.key();
        result.requestName = request;
        result.folder = folder;
        result.method = u"GET"_s;
        result.url = u"http://127.0.0.1:8080/api/"_s + result.requestId;
        result.column = set.label();
        result.columnKey = set.key();
        result.kind = int(kind);
        result.askedScopes = set.scopes;
        result.expectedStatus = expected;
        result.observedStatus = observed;
        result.verdict = verdict;
        result.elapsedMs = 7;
        result.evidence = QJsonObject{
            {u"request"_s, QJsonObject{{u"line"_s, u"GET "_s + result.url},
                                       {u"headers"_s, QJsonArray{QJsonArray{u"Authorization"_s, u"Bearer ••••"_s}}},
                                       {u"body"_s, u""_s},
                                       {u"bodySize"_s, 0},
                                       {u"bodyTruncated"_s, false}}},
            {u"response"_s, QJsonObject{{u"status"_s, observed},
                                        {u"reason"_s, observed == 200 ? u"OK"_s : u"Forbidden"_s},
                                        {u"httpVersion"_s, u"1.1"_s},
                                        {u"headers"_s, QJsonArray{QJsonArray{u"Content-Type"_s, u"application/json"_s}}},
                                        {u"body"_s, u"{\"accounts\":[]}"_s},
                                        {u"bodySize"_s, 15},
                                        {u"bodyTruncated"_s, false}}},
        };
        if (verdict != MatrixVerdict::AsExpected)
            result.detail = u"expected %1, got %2"_s.arg(expected).arg(observed);
        return result;
    }

    // A plan of three requests × (needed, without, no token) = 9 cells.
    static QList<MatrixCellResult> planCells()
    {
        QList<MatrixCellResult> cells;
        for (const QString &request : {u"List accounts"_s, u"Create account"_s, u"Delete account"_s}) {
            cells.append(cell(request, ScopeSet::Kind::Needed, u"accounts:read accounts:write"_s, 0, 200, MatrixVerdict::AsExpected));
            cells.append(cell(request, ScopeSet::Kind::MissingScope, u"accounts:read"_s, 403, 403, MatrixVerdict::AsExpected));
            cells.append(cell(request, ScopeSet::Kind::NoToken, QString(), 401, 401, MatrixVerdict::AsExpected));
        }
        return cells;
    }

    static MatrixReport reportOf(const QList<MatrixCellResult> &all, const MatrixShard &shard)
    {
        MatrixReport report;
        report.title = u"Accounts API"_s;
        report.source = u"plan plans/accounts.yaml"_s;
        report.environment = u"Staging"_s;
        report.tier = u"staging"_s;
        report.tokenbenchVersion = u"0.9.0"_s;
        report.started = QDateTime(QDate(2026, 12, 3), QTime(6, 0, 0, 125), Qt::UTC);
        report.finished = report.started.addMSecs(4321);
        report.shard = shard.toString();
        QStringList ids;
        for (const MatrixCellResult &c : all)
            ids.append(c.cellId);
        report.planDigest = MatrixReport::planDigestOf(ids);
        report.totalCells = int(all.size());
        for (const MatrixCellResult &c : all) {
            if (shard.contains(c.cellId))
                report.results.append(c);
        }
        report.plannedCells = int(report.results.size());
        report.notes = {u"Ping: no scopes documented, not verified"_s};
        report.tokenRequests = int(report.results.size()) / 3;
        return report;
    }

    static QList<MatrixReport> shardsOf(const QList<MatrixCellResult> &all, int count)
    {
        QList<MatrixReport> reports;
        for (int k = 1; k <= count; ++k)
            reports.append(reportOf(all, MatrixShard{k, count}));
        return reports;
    }

    struct JUnit
    {
        QString error;
        int suites = 0, cases = 0, failures = 0, errors = 0, skipped = 0;
        QMap<QString, QString> rootAttributes;
        QStringList caseNames;
        QStringList failureTypes;
        QStringList failureTexts;
        QStringList errorMessages;
    };

    // Reads the XML as a CI's reader would, checking the element structure of the JUnit schema.
    static JUnit readJUnit(const QByteArray &xml)
    {
        JUnit out;
        QXmlStreamReader reader(xml);
        QStringList stack;
        while (!reader.atEnd()) {
            reader.readNext();
            if (reader.isStartElement()) {
                const QString name = reader.name().toString();
                const QString parent = stack.value(stack.size() - 1);
                static const QMap<QString, QStringList> allowedParents{
                    {u"testsuites"_s, {QString()}},
                    {u"testsuite"_s, {u"testsuites"_s}},
                    {u"properties"_s, {u"testsuite"_s}},
                    {u"property"_s, {u"properties"_s}},
                    {u"testcase"_s, {u"testsuite"_s}},
                    {u"failure"_s, {u"testcase"_s}},
                    {u"error"_s, {u"testcase"_s}},
                    {u"skipped"_s, {u"testcase"_s}},
                    {u"system-out"_s, {u"testcase"_s, u"testsuite"_s}},
                };
                if (!allowedParents.value(name).contains(parent)) {
                    out.error = u"<%1> inside <%2>"_s.arg(name, parent);
                    return out;
                }
                stack.append(name);
                const QXmlStreamAttributes attributes = reader.attributes();
                if (name == u"testsuites"_s) {
                    for (const auto &attribute : attributes)
                        out.rootAttributes.insert(attribute.name().toString(), attribute.value().toString());
                } else if (name == u"testsuite"_s) {
                    ++out.suites;
                    for (const char *required : {"name", "tests", "failures", "errors", "time"}) {
                        if (!attributes.hasAttribute(QLatin1StringView(required)))
                            out.error = u"testsuite without %1"_s.arg(QLatin1StringView(required));
                    }
                } else if (name == u"testcase"_s) {
                    ++out.cases;
                    out.caseNames.append(attributes.value(u"name"_s).toString());
                    if (!attributes.hasAttribute(u"classname"_s) || !attributes.hasAttribute(u"time"_s))
                        out.error = u"testcase without classname or time"_s;
                } else if (name == u"failure"_s) {
                    ++out.failures;
                    out.failureTypes.append(attributes.value(u"type"_s).toString());
                    out.failureTexts.append(reader.readElementText());
                    stack.removeLast();
                } else if (name == u"error"_s) {
                    ++out.errors;
                    out.errorMessages.append(attributes.value(u"message"_s).toString());
                } else if (name == u"skipped"_s) {
                    ++out.skipped;
                }
            } else if (reader.isEndElement()) {
                stack.removeLast();
            }
        }
        if (reader.hasError())
            out.error = reader.errorString();
        return out;
    }

private Q_SLOTS:
    void jsonRoundTrip()
    {
        MatrixReport report = reportOf(planCells(), MatrixShard{});
        report.results[4].verdict = MatrixVerdict::OverPermissive;
        report.results[4].grantedReported = true;
        report.results[4].grantedScopes = {u"accounts:read"_s};
        const QJsonObject json = report.toJson();
        QCOMPARE(json.value(u"format"_s).toString(), u"tokenbench-matrix-report"_s);
        QCOMPARE(json.value(u"summary"_s).toObject().value(u"over-permissive"_s).toInt(), 1);
        QCOMPARE(json.value(u"summary"_s).toObject().value(u"passed"_s).toBool(), false);
        QString error;
        const auto back = MatrixReport::fromBytes(QJsonDocument(json).toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, report);
        QCOMPARE(back->started.toMSecsSinceEpoch(), report.started.toMSecsSinceEpoch());
    }

    void fromJsonRefusesWhatItNeverWrites()
    {
        const QJsonObject good = reportOf(planCells(), MatrixShard{}).toJson();
        QString error;
        QJsonObject json = good;
        json.insert(u"format"_s, u"something-else"_s);
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.startsWith(u"format: not a Tokenbench matrix report"_s), qPrintable(error));

        json = good;
        json.insert(u"formatVersion"_s, MatrixReport::FormatVersion + 1);
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.contains(u"newer Tokenbench"_s), qPrintable(error));

        json = good;
        QJsonArray results = json.value(u"results"_s).toArray();
        QJsonObject third = results.at(2).toObject();
        third.insert(u"verdict"_s, u"fine"_s);
        results.replace(2, third);
        json.insert(u"results"_s, results);
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.startsWith(u"results[2].verdict: unknown verdict"_s), qPrintable(error));

        json = good;
        json.insert(u"totalCells"_s, u"9"_s);
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.startsWith(u"totalCells: expected"_s), qPrintable(error));

        json = good;
        json.insert(u"plannedCells"_s, 3); // 9 results cannot belong to 3 planned cells
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.startsWith(u"results: 9 results for 3 planned cells"_s), qPrintable(error));

        json = good;
        json.insert(u"shard"_s, u"4/3"_s);
        QVERIFY(!MatrixReport::fromJson(json, &error));
        QVERIFY2(error.startsWith(u"shard:"_s), qPrintable(error));

        QVERIFY(!MatrixReport::fromBytes("{\"format\": ", &error));
        QVERIFY2(error.startsWith(u"not JSON"_s), qPrintable(error));
    }

    void verdictsThatPass()
    {
        MatrixReport report = reportOf(planCells(), MatrixShard{});
        QVERIFY(report.allAsExpected());
        report.results[1].verdict = MatrixVerdict::Skipped;
        QVERIFY(report.allAsExpected());
        report.results[1].verdict = MatrixVerdict::CannotTest;
        QVERIFY(!report.allAsExpected());
        report.results[1].verdict = MatrixVerdict::AsExpected;
        report.results.removeLast(); // a stopped run: a planned cell has no result
        QVERIFY(!report.allAsExpected());
        QCOMPARE(report.missingCells(), 1);
        QCOMPARE(report.summaryLine(), u"8 cells: 8 as expected; 1 missing"_s);
    }

    void shardsMergeIntoTheWholePlan()
    {
        const QList<MatrixCellResult> all = planCells();
        const MatrixReport whole = reportOf(all, MatrixShard{});
        const QList<MatrixReport> shards = shardsOf(all, 3);
        int sum = 0;
        for (const MatrixReport &shard : shards)
            sum += int(shard.results.size());
        QCOMPARE(sum, int(all.size()));

        QString error;
        // Given in any order, merged from what was written to disk and read back.
        QList<MatrixReport> read;
        for (const MatrixReport &shard : {shards.at(2), shards.at(0), shards.at(1)})
            read.append(*MatrixReport::fromJson(shard.toJson(), &error));
        const auto merged = MatrixReport::merge(read, &error);
        QVERIFY2(merged, qPrintable(error));
        QCOMPARE(merged->results.size(), all.size());
        QCOMPARE(merged->missingCells(), 0);
        QVERIFY(merged->allAsExpected());
        QCOMPARE(merged->shard, u"merged from 3 shards"_s);
        QCOMPARE(merged->mergedShards, (QStringList{u"3/3"_s, u"1/3"_s, u"2/3"_s}));
        QCOMPARE(merged->planDigest, whole.planDigest);
        QCOMPARE(merged->tokenRequests, shards.at(0).tokenRequests + shards.at(1).tokenRequests + shards.at(2).tokenRequests);
        QCOMPARE(merged->notes, whole.notes); // the plan's notes once, not once per shard
        QSet<QString> ids;
        for (const MatrixCellResult &result : merged->results)
            ids.insert(result.cellId);
        QCOMPARE(ids.size(), all.size());
        // A request's cells stay together.
        QStringList order;
        for (const MatrixCellResult &result : merged->results) {
            if (order.isEmpty() || order.last() != result.requestId)
                order.append(result.requestId);
        }
        QCOMPARE(order.size(), 3);
        // A merge of merges is the same merge.
        const auto again = MatrixReport::merge({*MatrixReport::fromJson(merged->toJson(), &error)}, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->results.size(), all.size());
    }

    void mergeRefusesWhatIsNotOneRun()
    {
        const QList<MatrixCellResult> all = planCells();
        const QList<MatrixReport> shards = shardsOf(all, 3);
        const QStringList names{u"shard-1.json"_s, u"shard-2.json"_s, u"shard-3.json"_s};
        QString error;

        QList<MatrixReport> reports = shards;
        reports[1].environment = u"Production"_s;
        QVERIFY(!MatrixReport::merge(reports, &error, names));
        QVERIFY2(error.contains(u"shard-2.json is for the environment \"Production\""_s) || error.contains(u"shard-2.json for \"Production\""_s),
                 qPrintable(error));

        reports = shards;
        QList<MatrixCellResult> other = all;
        other.append(cell(u"Close account"_s, ScopeSet::Kind::NoToken, QString(), 401, 401, MatrixVerdict::AsExpected));
        reports[2] = reportOf(other, MatrixShard{3, 3});
        QVERIFY(!MatrixReport::merge(reports, &error, names));
        QVERIFY2(error.contains(u"different plans"_s) && error.contains(u"shard-3.json"_s), qPrintable(error));

        reports = {shards.at(0), shards.at(0)};
        QVERIFY(!MatrixReport::merge(reports, &error, names));
        QVERIFY2(error.contains(u"shard 1/3 is in both shard-1.json and shard-2.json"_s), qPrintable(error));

        // The same cell in two reports, whatever they claim to be.
        reports = {shards.at(0), shards.at(1)};
        reports[1].results.append(shards.at(0).results.first());
        QVERIFY(!MatrixReport::merge(reports, &error, names));
        QVERIFY2(error.contains(u"is in both shard-1.json and shard-2.json"_s), qPrintable(error));
        QVERIFY2(error.contains(shards.at(0).results.first().requestName), qPrintable(error));

        reports = {shards.at(0), reportOf(all, MatrixShard{2, 4})};
        QVERIFY(!MatrixReport::merge(reports, &error, names));
        QVERIFY2(error.contains(u"different splits"_s), qPrintable(error));

        QVERIFY(!MatrixReport::merge({}, &error));
    }

    void mergeSaysWhichCellsAreMissing()
    {
        const QList<MatrixCellResult> all = planCells();
        const QList<MatrixReport> shards = shardsOf(all, 3);
        QVERIFY(!shards.at(1).results.isEmpty());
        QString error;
        const auto merged = MatrixReport::merge({shards.at(0), shards.at(2)}, &error);
        QVERIFY2(merged, qPrintable(error));
        QCOMPARE(merged->missingCells(), int(shards.at(1).results.size()));
        QVERIFY(!merged->allAsExpected());
        QVERIFY2(merged->notes.last().startsWith(u"not merged: shard 2/3; %1 of the plan's 9 cells are missing"_s.arg(merged->missingCells())),
                 qPrintable(merged->notes.last()));

        // CI reading only the JUnit file sees it fail too.
        const JUnit junit = readJUnit(MatrixJUnitWriter::write(*merged));
        QVERIFY2(junit.error.isEmpty(), qPrintable(junit.error));
        QCOMPARE(junit.errors, 1);
        QVERIFY(junit.errorMessages.first().contains(u"cells are not in the report"_s));
    }

    // A run stopped by Ctrl-C: "interrupted" read back, kept by a merge of its shard, and said
    // in the summary line and the JUnit completeness case.
    void interruptedRunIsMarked()
    {
        const QList<MatrixCellResult> all = planCells();
        QList<MatrixReport> shards = shardsOf(all, 2);
        MatrixReport &stopped = shards[1];
        stopped.results.removeLast();
        stopped.interrupted = true;
        QCOMPARE(stopped.toJson().value(u"interrupted"_s).toBool(), true);
        QCOMPARE(shards.at(0).toJson().value(u"interrupted"_s).toBool(), false);
        QString error;
        const auto read = MatrixReport::fromJson(stopped.toJson(), &error);
        QVERIFY2(read, qPrintable(error));
        QVERIFY(read->interrupted);
        QVERIFY2(read->summaryLine().endsWith(u"; 1 missing; interrupted"_s), qPrintable(read->summaryLine()));
        QJsonObject wrong = stopped.toJson();
        wrong.insert(u"interrupted"_s, u"yes"_s);
        QVERIFY(!MatrixReport::fromJson(wrong, &error));
        QVERIFY2(error.contains(u"interrupted"_s), qPrintable(error));

        const auto merged = MatrixReport::merge(shards, &error);
        QVERIFY2(merged, qPrintable(error));
        QVERIFY(merged->interrupted);
        const JUnit junit = readJUnit(MatrixJUnitWriter::write(*read));
        QVERIFY2(junit.error.isEmpty(), qPrintable(junit.error));
        QCOMPARE(junit.errors, 1);
        QVERIFY2(junit.errorMessages.first().contains(u"the run was interrupted"_s), qPrintable(junit.errorMessages.first()));
    }

    void junitIsWhatCiReads()
    {
        MatrixReport report = reportOf(planCells(), MatrixShard{});
        report.results[0].folder.clear();
        MatrixCellResult &over = report.results[4];
        over.verdict = MatrixVerdict::OverPermissive;
        over.observedStatus = 200;
        over.detail = u"expected 403, got 200: the endpoint does not check accounts:write"_s;
        // Server text XML cannot hold as it is: control characters, a CDATA end, markup.
        QJsonObject response = over.evidence.value(u"response"_s).toObject();
        response.insert(u"status"_s, 200);
        response.insert(u"reason"_s, u"OK"_s);
        response.insert(u"body"_s, u"{\"note\": \"\u0001\u001b[31m ]]> <script>alert(1)</script> & \uFFFF\"}"_s);
        QJsonObject evidence = over.evidence.json();
        evidence.insert(u"response"_s, response);
        over.evidence = evidence;
        report.results[5].verdict = MatrixVerdict::Error;
        report.results[5].observedStatus = 0;
        report.results[5].detail = u"no answer: connection refused"_s;
        report.results[6].verdict = MatrixVerdict::Skipped;
        report.results[6].detail = u"a state-changing request, not sent in a read-only run"_s;
        report.results[7].verdict = MatrixVerdict::CannotTest;
        report.results[7].detail = u"cannot test: the server granted accounts:write anyway"_s;

        const QByteArray xml = MatrixJUnitWriter::write(report);
        const JUnit junit = readJUnit(xml);
        QVERIFY2(junit.error.isEmpty(), qPrintable(junit.error + u'\n' + QString::fromUtf8(xml)));
        QCOMPARE(junit.cases, 9);
        QCOMPARE(junit.suites, 2); // "Accounts", and the title for the request with no folder
        QCOMPARE(junit.failures, 2);
        QCOMPARE(junit.errors, 1);
        QCOMPARE(junit.skipped, 1);
        QCOMPARE(junit.rootAttributes.value(u"tests"_s), u"9"_s);
        QCOMPARE(junit.rootAttributes.value(u"failures"_s), u"2"_s);
        QCOMPARE(junit.rootAttributes.value(u"errors"_s), u"1"_s);
        QCOMPARE(junit.rootAttributes.value(u"skipped"_s), u"1"_s);
        QVERIFY(junit.caseNames.contains(u"Create account — without accounts:write"_s));
        QCOMPARE(junit.failureTypes, (QStringList{u"over-permissive"_s, u"cannot-test"_s}));
        // The evidence: the exchange, with its body as the server sent it (but what XML cannot hold).
        const QString &text = junit.failureTexts.first();
        QVERIFY2(text.contains(u"expected 403, got 200: the endpoint does not check accounts:write"_s), qPrintable(text));
        QVERIFY2(text.contains(u"HTTP/1.1 200 OK"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Authorization: Bearer ••••"_s), qPrintable(text));
        QVERIFY2(text.contains(u"]]> <script>alert(1)</script> &"_s), qPrintable(text));
        QVERIFY(!text.contains(QChar(1)) && !text.contains(QChar(0x1b)));
    }

    void htmlIsSelfContainedAndEscaped()
    {
        MatrixReport report = reportOf(planCells(), MatrixShard{});
        report.title = u"<script>alert('title')</script>"_s;
        for (MatrixCellResult &result : report.results) {
            if (result.requestName == u"Create account"_s)
                result.requestName = u"<script>alert(\"name\")</script><img src=x onerror=alert(1)>"_s;
        }
        MatrixCellResult &over = report.results[4];
        over.verdict = MatrixVerdict::OverPermissive;
        over.observedStatus = 200;
        over.detail = u"expected 403, got 200 <b>bold</b>"_s;
        QJsonObject response = over.evidence.value(u"response"_s).toObject();
        response.insert(u"status"_s, 200);
        response.insert(u"reason"_s, u"OK"_s);
        response.insert(u"body"_s, u"<script src=\"https://evil.example/x.js\"></script><style>@import url(https://evil.example/a.css)</style>\u001b]0;title\u0007"_s);
        QJsonObject evidence = over.evidence.json();
        evidence.insert(u"response"_s, response);
        over.evidence = evidence;

        const QString html = QString::fromUtf8(MatrixHtmlWriter::write(report));
        // Nothing the server or the plan wrote becomes markup: no element but the writer's own.
        QVERIFY2(!html.contains(u"<script"_s, Qt::CaseInsensitive), qPrintable(html));
        QVERIFY(!html.contains(u"<img"_s, Qt::CaseInsensitive));
        QVERIFY(!html.contains(u"<b>bold"_s));
        QVERIFY(html.contains(u"&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"_s));
        QVERIFY(html.contains(u"&lt;script src=&quot;https://evil.example/x.js&quot;&gt;"_s));
        QVERIFY(!html.contains(QChar(0x1b)) && !html.contains(QChar(0x07)));
        // Self-contained: no script, no remote asset, and a policy that forbids both.
        QVERIFY(html.contains(u"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""_s));
        const QRegularExpression remote(u"<(link|script|iframe|object|embed|img)\\b|<[a-z][^>]*\\b(src|href)\\s*=\\s*\"?(https?:)?//|<style>[^<]*@import"_s, QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(!remote.match(html).hasMatch(), qPrintable(remote.match(html).captured()));
        // The matrix: the over-permissive cell links to its finding, which shows the exchange.
        QVERIFY(html.contains(u"<a class=\"cell v-over-permissive\" href=\"#cell-4\""_s));
        QVERIFY(html.contains(u"<section class=\"finding\" id=\"cell-4\">"_s));
        QVERIFY(html.contains(u"HTTP/1.1 200 OK"_s));
        QVERIFY(html.contains(u"<span class=\"outcome fail\">Expectations failed</span>"_s));
        QCOMPARE(html.count(u"class=\"cell v-as-expected\" title="_s), 8);
        QVERIFY(html.contains(u"<th>Needed scopes</th><th>One scope missing</th><th>No token</th>"_s));
        QVERIFY(!html.contains(u"On behalf, without its scope"_s)); // no such cell, no such column
    }
};

QTEST_GUILESS_MAIN(TestMatrixReport)
#include "tst_matrixreport.moc"
