#pragma once

#include "matrix/MatrixCellEvidence.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// What a cell's answer means, against what its scope set should get.
enum class MatrixVerdict {
    AsExpected,       // the success status with the needed scopes, the denial without one
    OverPermissive,   // a success without a scope the request is documented to need: the finding
    UnexpectedDenial, // 401/403 with every scope the request needs
    CannotTest,       // the server granted the removed scope anyway, so the cell proves nothing
    Error,            // another status, no answer, no token
    Skipped,          // not sent (a state-changing request in a read-only run); detail says why
};

// What one cell of a matrix run did. Never holds a credential: the URL, the evidence and the
// detail are masked as history masks them (Redactor, with the run's KnownSecrets).
struct MatrixCellResult
{
    QString cellId, requestId, requestName, folder, method, url; // url resolved, secrets masked
    QString column;              // ScopeSet::label()
    QString columnKey;           // ScopeSet::key()
    int kind = 0;                // ScopeSet::Kind as int
    QStringList askedScopes, grantedScopes;
    bool grantedReported = false; // the server said what it granted (response or JWT claim)
    int expectedStatus = 0, observedStatus = 0; // 0 expected: any 2xx; 0 observed: no answer
    MatrixVerdict verdict = MatrixVerdict::Error;
    QString detail;              // one sentence: "expected 403, got 200: the endpoint does not check orders:write"
    // The exchange, redacted: {"request": {"line", "headers": [[name, value]…], "body", "bodyTruncated"},
    // "response": {"status", "reason", "headers", "body", "bodyTruncated"}}; bodies cut at 4 KB.
    // Built when first read (MatrixCellEvidence).
    MatrixCellEvidence evidence;
    qint64 elapsedMs = 0;

    bool passed() const { return verdict == MatrixVerdict::AsExpected || verdict == MatrixVerdict::Skipped; }

    QJsonObject toJson() const;
    // Refuses members of the wrong type and an unknown verdict, naming them (JsonFieldReader paths).
    static std::optional<MatrixCellResult> fromJson(const QJsonObject &json, QString *error, const QString &path = {});

    // "as-expected", "over-permissive", "unexpected-denial", "cannot-test", "error", "skipped"
    static QString verdictName(MatrixVerdict verdict);
    static std::optional<MatrixVerdict> parseVerdict(const QString &name);
    // For people: "as expected", "over-permissive", "unexpected denial", "cannot test", "error", "skipped"
    static QString verdictLabel(MatrixVerdict verdict);

    bool operator==(const MatrixCellResult &other) const = default;
};
