#pragma once

#include "matrix/MatrixResult.h"

#include <QString>

#include <optional>

struct AccessToken;
struct ApiCallResult;
struct MatrixCell;

// What a cell's answer means (issue 12, item 2): the needed scopes must get the success status;
// a token lacking a scope, the denial; no token, 401; on behalf of a user without the delegation
// scope, 403. A success where a denial was due is over-permissive, the finding QA is after.
class MatrixJudge
{
public:
    struct Judgement
    {
        MatrixVerdict verdict = MatrixVerdict::Error;
        QString detail;
    };

    // Before a denial cell is sent: CannotTest when the token was granted a scope the cell takes
    // away anyway (the cell would prove nothing, and must not pass silently). *note gets a
    // sentence for the detail when the server did not say what it granted (then the cell is sent).
    static std::optional<Judgement> beforeSending(const MatrixCell &cell, const AccessToken &token, QString *note);
    // The call's outcome against the cell's expectation.
    static Judgement judge(const MatrixCell &cell, const ApiCallResult &result);

    // "2xx" for 0, else the status.
    static QString expectedText(int expectedStatus);
    // The status a cell expects when it names none: 2xx for the needed scopes, 401 without a
    // token, 403 otherwise.
    static int expectedStatus(const MatrixCell &cell);
};
