#include "matrix/MatrixResult.h"

#include "util/JsonFieldReader.h"

#include <QJsonArray>

#include <array>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr std::array<std::pair<MatrixVerdict, QStringView>, 6> verdictNames{{
    {MatrixVerdict::AsExpected, u"as-expected"},
    {MatrixVerdict::OverPermissive, u"over-permissive"},
    {MatrixVerdict::UnexpectedDenial, u"unexpected-denial"},
    {MatrixVerdict::CannotTest, u"cannot-test"},
    {MatrixVerdict::Error, u"error"},
    {MatrixVerdict::Skipped, u"skipped"},
}};
} // namespace

QString MatrixCellResult::verdictName(MatrixVerdict verdict)
{
    for (const auto &[value, name] : verdictNames) {
        if (value == verdict)
            return name.toString();
    }
    return u"error"_s;
}

std::optional<MatrixVerdict> MatrixCellResult::parseVerdict(const QString &name)
{
    for (const auto &[value, known] : verdictNames) {
        if (known == name)
            return value;
    }
    return std::nullopt;
}

QString MatrixCellResult::verdictLabel(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::AsExpected: return u"as expected"_s;
    case MatrixVerdict::OverPermissive: return u"over-permissive"_s;
    case MatrixVerdict::UnexpectedDenial: return u"unexpected denial"_s;
    case MatrixVerdict::CannotTest: return u"cannot test"_s;
    case MatrixVerdict::Error: return u"error"_s;
    case MatrixVerdict::Skipped: return u"skipped"_s;
    }
    return u"error"_s;
}

QJsonObject MatrixCellResult::toJson() const
{
    QJsonObject json{
        {u"cellId"_s, cellId},
        {u"requestId"_s, requestId},
        {u"requestName"_s, requestName},
        {u"method"_s, method},
        {u"url"_s, url},
        {u"column"_s, column},
        {u"columnKey"_s, columnKey},
        {u"kind"_s, kind},
        {u"askedScopes"_s, QJsonArray::fromStringList(askedScopes)},
        {u"grantedReported"_s, grantedReported},
        {u"expectedStatus"_s, expectedStatus},
        {u"observedStatus"_s, observedStatus},
        {u"verdict"_s, verdictName(verdict)},
        {u"detail"_s, detail},
        {u"elapsedMs"_s, elapsedMs},
    };
    if (!folder.isEmpty())
        json.insert(u"folder"_s, folder);
    if (grantedReported)
        json.insert(u"grantedScopes"_s, QJsonArray::fromStringList(grantedScopes));
    if (!evidence.isEmpty())
        json.insert(u"evidence"_s, evidence.json());
    return json;
}

std::optional<MatrixCellResult> MatrixCellResult::fromJson(const QJsonObject &json, QString *error, const QString &path)
{
    JsonFieldReader reader(json, path);
    MatrixCellResult result;
    QString verdict;
    qint64 kindValue = 0, expected = 0, observed = 0, elapsed = 0;
    const bool ok = reader.required(u"cellId"_s) && reader.string(u"cellId"_s, &result.cellId)
        && reader.string(u"requestId"_s, &result.requestId) && reader.string(u"requestName"_s, &result.requestName)
        && reader.string(u"folder"_s, &result.folder) && reader.string(u"method"_s, &result.method)
        && reader.string(u"url"_s, &result.url) && reader.string(u"column"_s, &result.column)
        && reader.string(u"columnKey"_s, &result.columnKey) && reader.integer(u"kind"_s, &kindValue, 0, 3)
        && reader.stringList(u"askedScopes"_s, &result.askedScopes)
        && reader.stringList(u"grantedScopes"_s, &result.grantedScopes)
        && reader.boolean(u"grantedReported"_s, &result.grantedReported)
        && reader.integer(u"expectedStatus"_s, &expected, 0, 999) && reader.integer(u"observedStatus"_s, &observed, 0, 999)
        && reader.required(u"verdict"_s) && reader.string(u"verdict"_s, &verdict)
        && reader.string(u"detail"_s, &result.detail)
        && reader.integer(u"elapsedMs"_s, &elapsed, 0, std::numeric_limits<qint32>::max());
    if (!ok) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    const auto parsed = parseVerdict(verdict);
    if (!parsed) {
        reader.fail(u"verdict"_s, QStringLiteral("unknown verdict \"%1\"").arg(verdict));
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    const QJsonValue evidence = json.value(u"evidence"_s);
    if (!evidence.isUndefined() && !evidence.isNull() && !evidence.isObject()) {
        reader.fail(u"evidence"_s, QStringLiteral("expected an object, found %1").arg(JsonFieldReader::typeName(evidence)));
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    result.evidence = MatrixCellEvidence(evidence.toObject());
    result.kind = int(kindValue);
    result.expectedStatus = int(expected);
    result.observedStatus = int(observed);
    result.elapsedMs = elapsed;
    result.verdict = *parsed;
    return result;
}
