#include "matrix/MatrixHtmlWriter.h"

#include "matrix/MatrixExchangeText.h"
#include "matrix/MatrixReport.h"
#include "matrix/ScopeSet.h"

#include <QHash>

#include <array>

using namespace Qt::StringLiterals;

namespace {
QString esc(const QString &text)
{
    return MatrixExchangeText::xmlSafe(text).toHtmlEscaped();
}

constexpr std::array<ScopeSet::Kind, 4> columnOrder{ScopeSet::Kind::Needed, ScopeSet::Kind::MissingScope,
                                                    ScopeSet::Kind::OnBehalfWithoutScope, ScopeSet::Kind::NoToken};

QString columnTitle(ScopeSet::Kind kind)
{
    switch (kind) {
    case ScopeSet::Kind::Needed: return u"Needed scopes"_s;
    case ScopeSet::Kind::MissingScope: return u"One scope missing"_s;
    case ScopeSet::Kind::OnBehalfWithoutScope: return u"On behalf, without its scope"_s;
    case ScopeSet::Kind::NoToken: return u"No token"_s;
    }
    return {};
}

bool passed(const MatrixCellResult &cell)
{
    return cell.passed();
}

QString expectedText(const MatrixCellResult &cell)
{
    return cell.expectedStatus == 0 ? u"2xx"_s : QString::number(cell.expectedStatus);
}

QString observedText(const MatrixCellResult &cell)
{
    if (cell.verdict == MatrixVerdict::Skipped)
        return u"not sent"_s;
    return cell.observedStatus == 0 ? u"no answer"_s : QString::number(cell.observedStatus);
}

const char *styleSheet()
{
    return R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#1d1d1f;background:#fff}
h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .5em}h3{font-size:1em;margin:0 0 .4em}
.outcome{display:inline-block;padding:.3em .8em;border-radius:4px;font-weight:600;color:#fff}
.outcome.pass{background:#1b7f3b}.outcome.fail{background:#b3261e}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15em 1.2em;margin:1em 0}
dl.facts dt{color:#555}dl.facts dd{margin:0}
.tier-production{color:#fff;background:#b3261e;padding:0 .4em;border-radius:3px}
.counts span{display:inline-block;margin:0 .4em .4em 0;padding:.2em .6em;border-radius:3px}
table.matrix{border-collapse:collapse;width:100%}
table.matrix th,table.matrix td{border:1px solid #d0d0d5;padding:.35em .5em;vertical-align:top;text-align:left}
table.matrix thead th{background:#f2f2f5}
tr.folder th{background:#fafafc;font-weight:600;color:#444}
.request code{color:#555;font-size:.9em;word-break:break-all}
.cell{display:inline-block;margin:.1em .2em .1em 0;padding:.15em .45em;border-radius:3px;text-decoration:none;color:inherit;border:1px solid transparent}
.cell b{margin-left:.3em}
.v-as-expected{background:#d7f0dd;border-color:#9fd3ad}
.v-over-permissive{background:#b3261e;color:#fff}
.v-unexpected-denial{background:#f6c28b;border-color:#e39a4d}
.v-cannot-test{background:#e6dcf5;border-color:#b9a4dc}
.v-error{background:#5f6368;color:#fff}
.v-skipped{background:#eeeeef;color:#666;border-color:#ccc}
a.cell:hover{outline:2px solid #1d1d1f}
section.finding{border:1px solid #d0d0d5;border-radius:4px;padding:.8em 1em;margin:0 0 1em}
section.finding pre{background:#f6f6f8;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:12.5px}
ul.notes{color:#444}.legend span{margin-right:.4em}
footer{margin-top:2em;color:#777;font-size:.9em}
)";
}
} // namespace

QByteArray MatrixHtmlWriter::write(const MatrixReport &report)
{
    const QString title = report.title.isEmpty() ? u"Scope matrix"_s : report.title;
    const bool ok = report.allAsExpected();
    const auto counts = report.counts();
    QString html;
    html += u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"_s;
    // Even if some text were not escaped, nothing could run or be fetched.
    html += u"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"_s;
    html += u"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"_s;
    html += u"<title>Scope matrix: %1 on %2</title>\n"_s.arg(esc(title), esc(report.environment));
    html += u"<style>"_s + QString::fromLatin1(styleSheet()) + u"</style>\n</head>\n<body>\n"_s;

    html += u"<header>\n<h1>Scope matrix: %1</h1>\n"_s.arg(esc(title));
    html += u"<p><span class=\"outcome %1\">%2</span></p>\n"_s.arg(ok ? u"pass"_s : u"fail"_s,
                                                                  ok ? u"Every expectation holds"_s : u"Expectations failed"_s);
    html += u"<dl class=\"facts\">\n"_s;
    const auto fact = [&](const QString &name, const QString &valueHtml) {
        if (!valueHtml.isEmpty())
            html += u"<dt>%1</dt><dd>%2</dd>\n"_s.arg(name, valueHtml);
    };
    QString environment = esc(report.environment);
    if (!report.tier.isEmpty())
        environment += u" <span class=\"tier-%1\">%2</span>"_s.arg(esc(report.tier).replace(u' ', u'-'), esc(report.tier));
    fact(u"Environment"_s, environment);
    fact(u"Plan"_s, esc(report.source));
    fact(u"Shard"_s, esc(report.shard) + (report.isMerged() ? u" ("_s + esc(report.mergedShards.join(u", "_s)) + u')' : QString()));
    fact(u"Started"_s, report.started.isValid() ? esc(report.started.toUTC().toString(Qt::ISODate)) : QString());
    fact(u"Finished"_s, report.finished.isValid() ? esc(report.finished.toUTC().toString(Qt::ISODate)) : QString());
    fact(u"Cells"_s, esc(report.summaryLine()) + u" (of %1 in the plan)"_s.arg(report.totalCells));
    fact(u"Tokenbench"_s, esc(report.tokenbenchVersion));
    html += u"</dl>\n<p class=\"counts\">"_s;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        html += u"<span class=\"v-%1\">%2 %3</span>"_s.arg(MatrixCellResult::verdictName(it.key()), QString::number(it.value()),
                                                            esc(MatrixCellResult::verdictLabel(it.key())));
    if (report.missingCells() > 0)
        html += u"<span class=\"v-error\">%1 missing</span>"_s.arg(report.missingCells());
    html += u"</p>\n"_s;
    if (!report.notes.isEmpty()) {
        html += u"<ul class=\"notes\">\n"_s;
        for (const QString &note : report.notes)
            html += u"<li>%1</li>\n"_s.arg(esc(note));
        html += u"</ul>\n"_s;
    }
    html += u"</header>\n"_s;

    // Rows: requests in the report's order, grouped under their folder; columns: the kinds present.
    struct Row
    {
        const MatrixCellResult *first = nullptr;
        QList<qsizetype> cells;
    };
    QList<Row> rows;
    QHash<QString, qsizetype> rowOf;
    std::array<bool, 4> kindPresent{};
    QHash<const MatrixCellResult *, int> anchor; // failing cells → their section below
    for (qsizetype i = 0; i < report.results.size(); ++i) {
        const MatrixCellResult &cell = report.results.at(i);
        auto found = rowOf.constFind(cell.requestId);
        if (found == rowOf.constEnd()) {
            found = rowOf.insert(cell.requestId, rows.size());
            rows.append(Row{&cell, {}});
        }
        rows[*found].cells.append(i);
        for (size_t k = 0; k < columnOrder.size(); ++k) {
            if (int(columnOrder[k]) == cell.kind)
                kindPresent[k] = true;
        }
        if (!passed(cell))
            anchor.insert(&cell, int(i));
    }
    // A folder's requests together, in the order the first of them came.
    QHash<QString, int> folderRank;
    for (const Row &row : std::as_const(rows)) {
        if (!folderRank.contains(row.first->folder))
            folderRank.insert(row.first->folder, int(folderRank.size()));
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
        return folderRank.value(a.first->folder) < folderRank.value(b.first->folder);
    });

    html += u"<h2>Matrix</h2>\n<table class=\"matrix\">\n<thead><tr><th>Request</th>"_s;
    int columnCount = 1;
    for (size_t k = 0; k < columnOrder.size(); ++k) {
        if (kindPresent[k]) {
            html += u"<th>%1</th>"_s.arg(columnTitle(columnOrder[k]));
            ++columnCount;
        }
    }
    html += u"</tr></thead>\n<tbody>\n"_s;
    bool firstRow = true;
    QString folder;
    for (const Row &row : std::as_const(rows)) {
        if (firstRow || row.first->folder != folder) {
            folder = row.first->folder;
            if (!folder.isEmpty() || !firstRow)
                html += u"<tr class=\"folder\"><th colspan=\"%1\">%2</th></tr>\n"_s.arg(columnCount).arg(folder.isEmpty() ? u"(no folder)"_s : esc(folder));
            firstRow = false;
        }
        html += u"<tr><th class=\"request\">%1<br><code>%2 %3</code></th>"_s.arg(esc(row.first->requestName), esc(row.first->method),
                                                                                  esc(row.first->url));
        for (size_t k = 0; k < columnOrder.size(); ++k) {
            if (!kindPresent[k])
                continue;
            html += u"<td>"_s;
            for (const qsizetype index : row.cells) {
                const MatrixCellResult &cell = report.results.at(index);
                if (cell.kind != int(columnOrder[k]))
                    continue;
                const QString verdict = MatrixCellResult::verdictName(cell.verdict);
                const QString tip = u"%1: expected %2, got %3. %4"_s.arg(MatrixCellResult::verdictLabel(cell.verdict), expectedText(cell),
                                                                         observedText(cell), cell.detail);
                const QString content = u"%1<b>%2</b>"_s.arg(esc(cell.column), esc(observedText(cell)));
                if (anchor.contains(&cell))
                    html += u"<a class=\"cell v-%1\" href=\"#cell-%2\" title=\"%3\">%4</a>"_s.arg(verdict).arg(index).arg(esc(tip), content);
                else
                    html += u"<span class=\"cell v-%1\" title=\"%2\">%3</span>"_s.arg(verdict, esc(tip), content);
            }
            html += u"</td>"_s;
        }
        html += u"</tr>\n"_s;
    }
    html += u"</tbody>\n</table>\n"_s;
    html += u"<p class=\"legend\">"_s;
    for (const MatrixVerdict verdict : {MatrixVerdict::AsExpected, MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial,
                                        MatrixVerdict::CannotTest, MatrixVerdict::Error, MatrixVerdict::Skipped})
        html += u"<span class=\"cell v-%1\">%2</span>"_s.arg(MatrixCellResult::verdictName(verdict), MatrixCellResult::verdictLabel(verdict));
    html += u"</p>\n"_s;

    // The findings: over-permissive first (what QA looks for), then the rest in matrix order.
    QList<qsizetype> findings;
    for (const MatrixVerdict verdict : {MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial, MatrixVerdict::CannotTest, MatrixVerdict::Error}) {
        for (qsizetype i = 0; i < report.results.size(); ++i) {
            if (report.results.at(i).verdict == verdict)
                findings.append(i);
        }
    }
    html += u"<h2>Findings</h2>\n"_s;
    if (findings.isEmpty())
        html += u"<p>None: every cell that was sent got what its scope set should get.</p>\n"_s;
    for (const qsizetype index : std::as_const(findings)) {
        const MatrixCellResult &cell = report.results.at(index);
        html += u"<section class=\"finding\" id=\"cell-%1\">\n"_s.arg(index);
        html += u"<h3><span class=\"cell v-%1\">%2</span> %3 — %4</h3>\n"_s.arg(MatrixCellResult::verdictName(cell.verdict),
                                                                            esc(MatrixCellResult::verdictLabel(cell.verdict)),
                                                                            esc(cell.requestName), esc(cell.column));
        html += u"<p>%1 %2: expected %3, got %4.</p>\n"_s.arg(esc(cell.method), esc(cell.url), expectedText(cell), esc(observedText(cell)));
        if (!cell.detail.isEmpty())
            html += u"<p>%1</p>\n"_s.arg(esc(cell.detail));
        if (cell.grantedReported)
            html += u"<p>Token asked for <code>%1</code>; the server granted <code>%2</code>.</p>\n"_s.arg(
                esc(cell.askedScopes.isEmpty() ? u"(no scope)"_s : cell.askedScopes.join(u' ')),
                esc(cell.grantedScopes.isEmpty() ? u"(no scope)"_s : cell.grantedScopes.join(u' ')));
        const QString exchange = MatrixExchangeText::of(cell.evidence.json());
        if (!exchange.isEmpty())
            html += u"<pre>%1</pre>\n"_s.arg(esc(exchange));
        html += u"</section>\n"_s;
    }
    html += u"<footer>Tokenbench scope matrix report. Credentials in the exchanges are masked.</footer>\n</body>\n</html>\n"_s;
    return html.toUtf8();
}
