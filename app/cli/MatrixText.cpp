#include "MatrixText.h"

#include "matrix/MatrixExchangeText.h"
#include "matrix/MatrixPlan.h"
#include "matrix/MatrixReport.h"

#include <QHash>
#include <QJsonArray>

#include <array>

using namespace Qt::StringLiterals;

namespace {
constexpr std::array<ScopeSet::Kind, 4> columnOrder{ScopeSet::Kind::Needed, ScopeSet::Kind::MissingScope,
                                                    ScopeSet::Kind::OnBehalfWithoutScope, ScopeSet::Kind::NoToken};

QString columnTitle(ScopeSet::Kind kind)
{
    switch (kind) {
    case ScopeSet::Kind::Needed: return u"NEEDED"_s;
    case ScopeSet::Kind::MissingScope: return u"ONE SCOPE MISSING"_s;
    case ScopeSet::Kind::OnBehalfWithoutScope: return u"ON BEHALF"_s;
    case ScopeSet::Kind::NoToken: return u"NO TOKEN"_s;
    }
    return {};
}

QString mark(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::AsExpected: return u"✓"_s;
    case MatrixVerdict::OverPermissive:
    case MatrixVerdict::UnexpectedDenial: return u"✗"_s;
    case MatrixVerdict::CannotTest: return u"?"_s;
    case MatrixVerdict::Error: return u"!"_s;
    case MatrixVerdict::Skipped: return u"–"_s;
    }
    return u"!"_s;
}

QString statusText(const MatrixCellResult &result)
{
    if (result.verdict == MatrixVerdict::Skipped)
        return u"–"_s;
    return (result.observedStatus == 0 ? u"---"_s : QString::number(result.observedStatus)) + mark(result.verdict);
}

QString expectedText(int expected)
{
    return expected == 0 ? u"2xx"_s : QString::number(expected);
}

QString elided(const QString &text, int width)
{
    return text.size() <= width ? text : text.left(width - 1) + u'…';
}

QString indented(const QString &text, int spaces)
{
    const QString margin(spaces, u' ');
    QString out;
    for (const QString &line : text.split(u'\n')) {
        if (!line.isEmpty())
            out += margin + line;
        out += u'\n';
    }
    while (out.endsWith(u"\n\n"_s))
        out.chop(1);
    return out;
}

// Rows of columns, each column as wide as its widest entry (the last one unpadded).
QString table(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (widths.size() <= c)
                widths.append(0);
            widths[c] = std::max(widths[c], row.at(c).size());
        }
    }
    QString out;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c)
            line += c + 1 == row.size() ? row.at(c) : row.at(c).leftJustified(widths.at(c) + 2, u' ');
        out += line.trimmed().isEmpty() ? QString() : u"  "_s + line.trimmed() + u'\n';
    }
    return out;
}
} // namespace

QString MatrixText::progressLine(int done, int total, const MatrixCellResult &result)
{
    const int digits = int(QString::number(total).size());
    QString observed = result.verdict == MatrixVerdict::Skipped ? u"not sent"_s
        : result.observedStatus == 0                             ? u"no answer"_s
                                                                 : QString::number(result.observedStatus);
    return u"[%1/%2] %3 %4 — %5: %6"_s.arg(QString::number(done).rightJustified(digits, u' '), QString::number(total),
                                         MatrixCellResult::verdictLabel(result.verdict).leftJustified(17, u' '), result.requestName,
                                         result.column, observed);
}

QString MatrixText::summary(const MatrixReport &report)
{
    QString out;
    out += u"Scope matrix: %1 on %2%3, %4\n"_s.arg(report.title.isEmpty() ? report.source : report.title, report.environment,
                                                   report.tier.isEmpty() ? QString() : u" ("_s + report.tier + u')',
                                                   report.isMerged() ? report.shard + u" ("_s + report.mergedShards.join(u", "_s) + u')'
                                                                     : u"shard "_s + report.shard);
    out += u'\n';

    // The matrix: a row per request, its cells' statuses under the kind of their scope set.
    std::array<bool, 4> present{};
    QList<QStringList> rows;
    QHash<QString, qsizetype> rowOf;
    QList<QList<QStringList>> cellsOf; // per row, per column: the statuses
    for (const MatrixCellResult &result : report.results) {
        qsizetype k = 0;
        while (k < qsizetype(columnOrder.size()) && int(columnOrder[size_t(k)]) != result.kind)
            ++k;
        if (k == qsizetype(columnOrder.size()))
            continue;
        present[size_t(k)] = true;
        auto row = rowOf.constFind(result.requestId);
        if (row == rowOf.constEnd()) {
            row = rowOf.insert(result.requestId, rows.size());
            rows.append({elided(result.method + u' ' + result.requestName, 44)});
            cellsOf.append(QList<QStringList>(qsizetype(columnOrder.size())));
        }
        cellsOf[*row][k].append(statusText(result));
    }
    QList<QStringList> lines;
    QStringList header{u"REQUEST"_s};
    for (size_t k = 0; k < columnOrder.size(); ++k) {
        if (present[k])
            header.append(columnTitle(columnOrder[k]));
    }
    lines.append(header);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList line = rows.at(r);
        for (size_t k = 0; k < columnOrder.size(); ++k) {
            if (present[k])
                line.append(cellsOf.at(r).at(qsizetype(k)).isEmpty() ? u"·"_s : cellsOf.at(r).at(qsizetype(k)).join(u' '));
        }
        lines.append(line);
    }
    if (!report.results.isEmpty()) {
        out += table(lines);
        out += u"  (status observed; ✓ as expected, ✗ over-permissive or unexpected denial, ? cannot test, ! error, – skipped)\n\n"_s;
    }

    // The findings, over-permissive first: what QA runs this for, each with its proof.
    const QList<QPair<MatrixVerdict, QString>> sections{{MatrixVerdict::OverPermissive, u"Over-permissive"_s},
                                                        {MatrixVerdict::UnexpectedDenial, u"Unexpected denials"_s},
                                                        {MatrixVerdict::CannotTest, u"Cannot test"_s},
                                                        {MatrixVerdict::Error, u"Errors"_s}};
    for (const auto &[verdict, title] : sections) {
        QList<const MatrixCellResult *> found;
        for (const MatrixCellResult &result : report.results) {
            if (result.verdict == verdict)
                found.append(&result);
        }
        if (found.isEmpty())
            continue;
        out += u"%1 (%2):\n"_s.arg(title).arg(found.size());
        for (const MatrixCellResult *result : std::as_const(found)) {
            out += u"  %1 %2 — %3\n"_s.arg(result->method, result->requestName, result->column);
            out += u"    expected %1, got %2%3\n"_s.arg(expectedText(result->expectedStatus),
                                                    result->observedStatus == 0 ? u"no answer"_s : QString::number(result->observedStatus),
                                                    result->detail.isEmpty() ? QString() : u": "_s + result->detail);
            if (result->grantedReported)
                out += u"    token asked for %1; granted %2\n"_s.arg(result->askedScopes.isEmpty() ? u"(no scope)"_s : result->askedScopes.join(u' '),
                                                                    result->grantedScopes.isEmpty() ? u"(no scope)"_s : result->grantedScopes.join(u' '));
            // The exchange proves a finding; an error's detail says what went wrong.
            if (verdict == MatrixVerdict::OverPermissive || verdict == MatrixVerdict::UnexpectedDenial) {
                const QString exchange = MatrixExchangeText::of(result->evidence.json());
                if (!exchange.isEmpty())
                    out += u'\n' + indented(exchange, 6) + u'\n';
            }
        }
        out += u'\n';
    }
    for (const QString &note : report.notes)
        out += u"Note: "_s + note + u'\n';
    if (report.tokenRequests > 0 || !report.results.isEmpty()) {
        const qint64 seconds = report.started.isValid() && report.finished.isValid() ? report.started.msecsTo(report.finished) : 0;
        out += u"%1 token%2 minted, %3 s.\n"_s.arg(report.tokenRequests).arg(report.tokenRequests == 1 ? QString() : u"s"_s).arg(
            QString::number(double(seconds) / 1000.0, 'f', 1));
    }
    out += (report.allAsExpected() ? u"Every expectation holds: "_s : u"Expectations failed: "_s) + report.summaryLine() + u".\n"_s;
    return out;
}

bool MatrixText::sent(const DryRun &run, const MatrixCell &cell)
{
    return !(run.readOnly && run.plan->requests.value(cell.request).isStateChanging());
}

QList<MatrixText::Token> MatrixText::tokens(const DryRun &run)
{
    QList<Token> out;
    QHash<QString, qsizetype> index;
    for (const MatrixCell &cell : run.cells) {
        if (cell.set.kind == ScopeSet::Kind::NoToken || !sent(run, cell))
            continue;
        // One token per list of scopes, whatever the column: "needed: x" and "without y" asking
        // for the same scopes share it.
        const QString key = cell.set.scopes.join(u' ');
        auto found = index.constFind(key);
        if (found == index.constEnd()) {
            found = index.insert(key, out.size());
            out.append(Token{key, cell.set.scopes, 0});
        }
        ++out[*found].cells;
    }
    return out;
}

QString MatrixText::dryRun(const DryRun &run)
{
    QString out = u"Dry run: nothing was sent. %1 on %2%3, shard %4: %5 of the plan's %6 cells.\n\n"_s.arg(
        run.plan->title.isEmpty() ? run.plan->source : run.plan->title, run.environment,
        run.tier.isEmpty() ? QString() : u" ("_s + run.tier + u')', run.shard, QString::number(run.cells.size()),
        QString::number(run.totalCells));
    int request = -1;
    QList<QStringList> rows;
    const auto flush = [&] {
        out += table(rows);
        rows.clear();
    };
    for (const MatrixCell &cell : run.cells) {
        if (cell.request != request) {
            flush();
            request = cell.request;
            const PlanRequest &planned = run.plan->requests.value(request);
            out += u"%1 %2  %3\n"_s.arg(planned.draft.method, planned.name, planned.draft.url);
        }
        rows.append({cell.set.label(), sent(run, cell) ? u"expects "_s + expectedText(cell.expectedStatus)
                                                       : u"not sent: state-changing, and the run is read-only"_s});
    }
    flush();
    const QList<Token> minted = tokens(run);
    out += u"\nTokens it would mint (%1), one per scope set, each reused by every cell that needs it:\n"_s.arg(minted.size());
    rows.clear();
    for (const Token &token : minted)
        rows.append({token.scopes.isEmpty() ? u"(no scope)"_s : token.scopes.join(u' '), u"%1 cell%2"_s.arg(token.cells).arg(token.cells == 1 ? QString() : u"s"_s)});
    out += table(rows);
    int withoutToken = 0;
    for (const MatrixCell &cell : run.cells)
        withoutToken += cell.set.kind == ScopeSet::Kind::NoToken && sent(run, cell) ? 1 : 0;
    out += u"Sent without a token: %1 cell%2.\n"_s.arg(withoutToken).arg(withoutToken == 1 ? QString() : u"s"_s);
    for (const QString &note : run.notes)
        out += u"Note: "_s + note + u'\n';
    return out;
}

QJsonObject MatrixText::dryRunJson(const DryRun &run)
{
    QJsonArray cells;
    for (const MatrixCell &cell : run.cells) {
        const PlanRequest &planned = run.plan->requests.value(cell.request);
        QJsonObject json{{u"cellId"_s, cell.id()},
                         {u"requestId"_s, cell.requestId},
                         {u"requestName"_s, planned.name},
                         {u"method"_s, planned.draft.method},
                         {u"url"_s, planned.draft.url},
                         {u"column"_s, cell.set.label()},
                         {u"columnKey"_s, cell.set.key()},
                         {u"askedScopes"_s, QJsonArray::fromStringList(cell.set.scopes)},
                         {u"expectedStatus"_s, cell.expectedStatus},
                         {u"sent"_s, sent(run, cell)}};
        if (!planned.folder.isEmpty())
            json.insert(u"folder"_s, planned.folder);
        cells.append(json);
    }
    QJsonArray minted;
    for (const Token &token : tokens(run))
        minted.append(QJsonObject{{u"scopes"_s, QJsonArray::fromStringList(token.scopes)}, {u"cells"_s, token.cells}});
    return QJsonObject{{u"dryRun"_s, true},
                       {u"title"_s, run.plan->title},
                       {u"source"_s, run.plan->source},
                       {u"environment"_s, run.environment},
                       {u"tier"_s, run.tier},
                       {u"shard"_s, run.shard},
                       {u"totalCells"_s, run.totalCells},
                       {u"cells"_s, cells},
                       {u"tokens"_s, minted},
                       {u"notes"_s, QJsonArray::fromStringList(run.notes)}};
}
