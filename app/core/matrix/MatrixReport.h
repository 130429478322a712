#pragma once

#include "matrix/MatrixResult.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// What one scope-matrix run (or the merge of a plan's shards) found: the results of its cells
// and what they belong to. Written as JSON for scripts and for `matrix merge`, and rendered as
// JUnit (MatrixJUnitWriter) and HTML (MatrixHtmlWriter). Holds no credential: the results'
// evidence is redacted before it gets here.
struct MatrixReport
{
    static constexpr int FormatVersion = 1;

    QString title, source, environment, tier, tokenbenchVersion;
    QDateTime started, finished;
    QString shard;          // "K/N" of a run ("1/1": the whole plan); merged: "merged from N shards"
    QStringList mergedShards; // merged: the shards it was made of, in order ("1/3", "2/3")
    // Identifies the plan as run against this environment: SHA-256 of every cell id of the whole
    // plan (all shards), so shards of another plan, or of the same plan with other requests, are
    // told apart whatever their file was called (planDigest()).
    QString planDigest;
    int totalCells = 0;     // in the whole plan (all shards): what a merge must add up to
    int plannedCells = 0;   // in this report's shard (a merge: totalCells); results fall short when stopped
    int tokenRequests = 0;  // tokens asked of the authorization server (one per scope set; a merge: summed)
    QStringList notes;      // the plan's requests left out and why, cells not exact
    // Stopped by the person (Ctrl-C, SIGTERM) before every cell ran: results hold the cells that
    // finished, the rest are missing. A merge is interrupted when any of its shards was.
    bool interrupted = false;
    QList<MatrixCellResult> results;

    QJsonObject toJson() const;
    // Strict: every member with its type, refused with its path ("results[3].verdict: …"); a
    // report of a newer format is refused.
    static std::optional<MatrixReport> fromJson(const QJsonObject &json, QString *error);
    static std::optional<MatrixReport> fromBytes(const QByteArray &bytes, QString *error);

    // The shards of one plan as one report, results in the order of the shards given. Refuses
    // reports of different plans or environments, of different splits (2/3 with 1/4), the same
    // shard twice, and a cell found in two reports, naming it. Cells no report holds (a shard
    // missing, a run stopped) are counted in missingCells() and named in notes. names (the files
    // the reports came from) name them in *error; "report 2" without.
    static std::optional<MatrixReport> merge(const QList<MatrixReport> &reports, QString *error, const QStringList &names = {});

    // The planDigest of a plan whose cells have these ids (any order).
    static QString planDigestOf(QStringList cellIds);

    bool isMerged() const { return !mergedShards.isEmpty(); }
    // Cells this report should hold and does not (a shard not merged, a run stopped).
    int missingCells() const;
    // Every cell as expected or skipped (a read-only run's state-changing requests), and none
    // missing. CannotTest is not fine: the server granted a scope it was not asked for, so the
    // denial was never tested.
    bool allAsExpected() const;
    // How many results have each verdict.
    QMap<MatrixVerdict, int> counts() const;
    // "12 cells: 10 as expected, 1 over-permissive, 1 skipped"; "; 4 missing" when some are;
    // "; interrupted" when the run was.
    QString summaryLine() const;

    bool operator==(const MatrixReport &other) const = default;
};
