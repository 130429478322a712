#include "matrix/MatrixReport.h"

#include "matrix/MatrixShard.h"
#include "util/JsonFieldReader.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
const QString formatName = u"tokenbench-matrix-report"_s;

// The order verdicts are counted and listed in: the good news, then the findings by weight.
constexpr MatrixVerdict verdictOrder[] = {MatrixVerdict::AsExpected, MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial,
                                          MatrixVerdict::CannotTest, MatrixVerdict::Error, MatrixVerdict::Skipped};

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

bool readTime(JsonFieldReader &reader, const QString &key, QDateTime *out)
{
    QString text;
    if (!reader.string(key, &text))
        return false;
    if (text.isEmpty())
        return true;
    *out = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!out->isValid())
        return reader.fail(key, u"not an ISO 8601 date and time: \"%1\""_s.arg(text));
    return true;
}

// The shards a report stands for: its own, or the ones it was merged from.
QStringList shardsOf(const MatrixReport &report)
{
    return report.isMerged() ? report.mergedShards : QStringList{report.shard};
}

QString nameOf(const QStringList &names, qsizetype index)
{
    return index < names.size() ? names.at(index) : u"report %1"_s.arg(index + 1);
}
} // namespace

QJsonObject MatrixReport::toJson() const
{
    QJsonObject summary;
    const auto verdicts = counts();
    for (const MatrixVerdict verdict : verdictOrder)
        summary.insert(MatrixCellResult::verdictName(verdict), verdicts.value(verdict));
    summary.insert(u"missing"_s, missingCells());
    summary.insert(u"passed"_s, allAsExpected());

    QJsonArray cells;
    for (const MatrixCellResult &result : results)
        cells.append(result.toJson());
    QJsonObject json{
        {u"format"_s, formatName},
        {u"formatVersion"_s, FormatVersion},
        {u"title"_s, title},
        {u"source"_s, source},
        {u"environment"_s, environment},
        {u"tier"_s, tier},
        {u"tokenbenchVersion"_s, tokenbenchVersion},
        {u"started"_s, timeText(started)},
        {u"finished"_s, timeText(finished)},
        {u"shard"_s, shard},
        {u"planDigest"_s, planDigest},
        {u"totalCells"_s, totalCells},
        {u"plannedCells"_s, plannedCells},
        {u"tokenRequests"_s, tokenRequests},
        {u"notes"_s, QJsonArray::fromStringList(notes)},
        {u"interrupted"_s, interrupted},
        // Derived from the results, for scripts; not read back.
        {u"summary"_s, summary},
        {u"results"_s, cells},
    };
    if (isMerged())
        json.insert(u"mergedShards"_s, QJsonArray::fromStringList(mergedShards));
    return json;
}

std::optional<MatrixReport> MatrixReport::fromJson(const QJsonObject &json, QString *error)
{
    JsonFieldReader reader(json);
    MatrixReport report;
    QString format;
    qint64 version = 0;
    qint64 total = 0;
    qint64 planned = 0;
    qint64 tokens = 0;
    QString cellError; // a result's own refusal, with its whole path
    const auto fail = [&]() -> std::optional<MatrixReport> {
        if (error)
            *error = cellError.isEmpty() ? reader.error() : cellError;
        return std::nullopt;
    };
    if (!(reader.required(u"format"_s) && reader.string(u"format"_s, &format)))
        return fail();
    if (format != formatName) {
        reader.fail(u"format"_s, u"not a Tokenbench matrix report (\"%1\")"_s.arg(format));
        return fail();
    }
    if (!(reader.required(u"formatVersion"_s) && reader.integer(u"formatVersion"_s, &version, 1, std::numeric_limits<int>::max())))
        return fail();
    if (version > FormatVersion) {
        reader.fail(u"formatVersion"_s, u"written by a newer Tokenbench (format %1; this one reads %2)"_s.arg(version).arg(FormatVersion));
        return fail();
    }
    const bool ok = reader.string(u"title"_s, &report.title) && reader.string(u"source"_s, &report.source)
        && reader.required(u"environment"_s) && reader.string(u"environment"_s, &report.environment)
        && reader.string(u"tier"_s, &report.tier) && reader.string(u"tokenbenchVersion"_s, &report.tokenbenchVersion)
        && readTime(reader, u"started"_s, &report.started) && readTime(reader, u"finished"_s, &report.finished)
        && reader.required(u"shard"_s) && reader.string(u"shard"_s, &report.shard)
        && reader.stringList(u"mergedShards"_s, &report.mergedShards)
        && reader.required(u"planDigest"_s) && reader.string(u"planDigest"_s, &report.planDigest)
        && reader.required(u"totalCells"_s) && reader.integer(u"totalCells"_s, &total, 0, std::numeric_limits<int>::max())
        && reader.integer(u"plannedCells"_s, &planned, 0, std::numeric_limits<int>::max())
        && reader.integer(u"tokenRequests"_s, &tokens, 0, std::numeric_limits<int>::max())
        && reader.stringList(u"notes"_s, &report.notes)
        && reader.boolean(u"interrupted"_s, &report.interrupted)
        && reader.required(u"results"_s) && reader.objectList(u"results"_s, [&](JsonFieldReader &entry) {
               auto result = MatrixCellResult::fromJson(entry.object(), &cellError, entry.path());
               if (!result)
                   return false;
               report.results.append(std::move(*result));
               return true;
           });
    if (!ok)
        return fail();
    report.totalCells = int(total);
    report.tokenRequests = int(tokens);
    report.plannedCells = reader.has(u"plannedCells"_s) ? int(planned) : report.totalCells;
    if (!report.isMerged()) {
        QString shardError;
        if (!MatrixShard::parse(report.shard, &shardError)) {
            reader.fail(u"shard"_s, shardError);
            return fail();
        }
    }
    if (report.results.size() > report.plannedCells || report.plannedCells > report.totalCells) {
        reader.fail(u"results"_s, u"%1 results for %2 planned cells of %3"_s.arg(report.results.size()).arg(report.plannedCells).arg(report.totalCells));
        return fail();
    }
    return report;
}

std::optional<MatrixReport> MatrixReport::fromBytes(const QByteArray &bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = u"not JSON: %1 at byte %2"_s.arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (error)
            *error = u"not a Tokenbench matrix report: expected a JSON object"_s;
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

std::optional<MatrixReport> MatrixReport::merge(const QList<MatrixReport> &reports, QString *error, const QStringList &names)
{
    const auto refuse = [&](const QString &why) -> std::optional<MatrixReport> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (reports.isEmpty())
        return refuse(u"no report to merge"_s);
    const MatrixReport &first = reports.first();

    // What the reports must agree on: the plan, the environment, and how the plan was split.
    std::optional<int> splitCount;
    QString splitExample;
    QHash<QString, qsizetype> shardOwner; // "2/3" → index of the report that has it
    for (qsizetype i = 0; i < reports.size(); ++i) {
        const MatrixReport &report = reports.at(i);
        if (report.environment != first.environment)
            return refuse(u"%1 is for the environment \"%2\", %3 for \"%4\": only the shards of one run merge"_s.arg(
                nameOf(names, 0), first.environment, nameOf(names, i), report.environment));
        if (report.planDigest != first.planDigest || report.totalCells != first.totalCells)
            return refuse(u"%1 and %2 are runs of different plans (%3 and %4 cells in all, or other requests): only the shards of one plan merge"_s.arg(
                nameOf(names, 0), nameOf(names, i), QString::number(first.totalCells), QString::number(report.totalCells)));
        for (const QString &text : shardsOf(report)) {
            QString shardError;
            const auto shard = MatrixShard::parse(text, &shardError);
            if (!shard)
                return refuse(u"%1: shard \"%2\": %3"_s.arg(nameOf(names, i), text, shardError));
            if (splitCount && *splitCount != shard->count)
                return refuse(u"%1 is shard %2 and %3 is shard %4: shards of different splits do not add up to one plan"_s.arg(
                    nameOf(names, shardOwner.value(splitExample)), splitExample, nameOf(names, i), text));
            splitCount = shard->count;
            if (shardOwner.contains(shard->toString()))
                return refuse(u"shard %1 is in both %2 and %3"_s.arg(shard->toString(), nameOf(names, shardOwner.value(shard->toString())), nameOf(names, i)));
            shardOwner.insert(shard->toString(), i);
            if (splitExample.isEmpty())
                splitExample = shard->toString();
        }
    }

    MatrixReport merged;
    merged.title = first.title;
    merged.source = first.source;
    merged.environment = first.environment;
    merged.tier = first.tier;
    merged.planDigest = first.planDigest;
    merged.totalCells = first.totalCells;
    merged.plannedCells = first.totalCells;
    QStringList versions;
    QHash<QString, qsizetype> cellOwner;
    // Requests in the order they first appear, so a request's cells stay together.
    QHash<QString, int> requestRank;
    for (qsizetype i = 0; i < reports.size(); ++i) {
        const MatrixReport &report = reports.at(i);
        merged.mergedShards += shardsOf(report);
        merged.tokenRequests += report.tokenRequests;
        merged.interrupted = merged.interrupted || report.interrupted;
        if (!report.tokenbenchVersion.isEmpty() && !versions.contains(report.tokenbenchVersion))
            versions.append(report.tokenbenchVersion);
        if (report.started.isValid() && (!merged.started.isValid() || report.started < merged.started))
            merged.started = report.started;
        if (report.finished.isValid() && (!merged.finished.isValid() || report.finished > merged.finished))
            merged.finished = report.finished;
        for (const QString &note : report.notes) {
            if (!merged.notes.contains(note))
                merged.notes.append(note);
        }
        for (const MatrixCellResult &result : report.results) {
            if (const auto owner = cellOwner.constFind(result.cellId); owner != cellOwner.constEnd())
                return refuse(u"the cell \"%1\" × \"%2\" is in both %3 and %4: a cell is run by one shard only"_s.arg(
                    result.requestName, result.column, nameOf(names, *owner), nameOf(names, i)));
            cellOwner.insert(result.cellId, i);
            if (!requestRank.contains(result.requestId))
                requestRank.insert(result.requestId, int(requestRank.size()));
            merged.results.append(result);
        }
    }
    std::stable_sort(merged.results.begin(), merged.results.end(), [&](const MatrixCellResult &a, const MatrixCellResult &b) {
        return requestRank.value(a.requestId) < requestRank.value(b.requestId);
    });
    merged.tokenbenchVersion = versions.join(u", "_s);
    merged.shard = u"merged from %1 shard%2"_s.arg(merged.mergedShards.size()).arg(merged.mergedShards.size() == 1 ? QString() : u"s"_s);
    if (splitCount) {
        QStringList absent;
        for (int index = 1; index <= *splitCount; ++index) {
            const QString name = u"%1/%2"_s.arg(index).arg(*splitCount);
            if (!shardOwner.contains(name))
                absent.append(name);
        }
        if (!absent.isEmpty())
            merged.notes.append(u"not merged: shard%1 %2; %3 of the plan's %4 cells are missing"_s.arg(
                absent.size() == 1 ? QString() : u"s"_s, absent.join(u", "_s)).arg(merged.missingCells()).arg(merged.totalCells));
        else if (merged.missingCells() > 0)
            merged.notes.append(u"%1 of the plan's %2 cells are missing: a shard's run was stopped before it finished"_s.arg(
                merged.missingCells()).arg(merged.totalCells));
    }
    return merged;
}

QString MatrixReport::planDigestOf(QStringList cellIds)
{
    std::sort(cellIds.begin(), cellIds.end());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &id : std::as_const(cellIds)) {
        hash.addData(id.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    }
    return QString::fromLatin1(hash.result().toHex());
}

int MatrixReport::missingCells() const
{
    return std::max(0, int(plannedCells - results.size()));
}

bool MatrixReport::allAsExpected() const
{
    return missingCells() == 0 && std::all_of(results.cbegin(), results.cend(), [](const MatrixCellResult &r) { return r.passed(); });
}

QMap<MatrixVerdict, int> MatrixReport::counts() const
{
    QMap<MatrixVerdict, int> out;
    for (const MatrixCellResult &result : results)
        ++out[result.verdict];
    return out;
}

QString MatrixReport::summaryLine() const
{
    const auto verdicts = counts();
    QStringList parts;
    for (const MatrixVerdict verdict : verdictOrder) {
        if (const int n = verdicts.value(verdict))
            parts.append(u"%1 %2"_s.arg(n).arg(MatrixCellResult::verdictLabel(verdict)));
    }
    QString line = u"%1 cell%2"_s.arg(results.size()).arg(results.size() == 1 ? QString() : u"s"_s);
    if (!parts.isEmpty())
        line += u": "_s + parts.join(u", "_s);
    if (const int missing = missingCells())
        line += u"; %1 missing"_s.arg(missing);
    if (interrupted)
        line += u"; interrupted"_s;
    return line;
}
