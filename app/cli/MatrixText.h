#pragma once

#include "matrix/MatrixCell.h"

#include <QJsonObject>
#include <QList>
#include <QString>

struct Environment;
struct MatrixCellResult;
struct MatrixPlan;
struct MatrixReport;

// What `tokenbench-cli matrix` prints for people: a progress line per finished cell, the
// summary table (a row per request, a column per kind of scope set), the findings with the
// exchange that proves each, and for --dry-run the matrix and the tokens it would mint.
// Printed through CliPrinter, whose streams keep server text from driving the terminal.
class MatrixText
{
public:
    // What a run would do, before anything is sent.
    struct DryRun
    {
        const MatrixPlan *plan = nullptr;
        QString environment, tier, shard;
        int totalCells = 0;
        QList<MatrixCell> cells; // this shard's
        bool readOnly = false;
        QStringList notes;
    };

    // "[ 7/40] over-permissive  Create trade — without trades:execute: 200"
    static QString progressLine(int done, int total, const MatrixCellResult &result);
    static QString summary(const MatrixReport &report);
    static QString dryRun(const DryRun &run);
    static QJsonObject dryRunJson(const DryRun &run);

private:
    // Whether the cell would be sent: a read-only run leaves state-changing requests out.
    static bool sent(const DryRun &run, const MatrixCell &cell);
    // The tokens the run would mint, one per scope set key, in the order first needed:
    // (key, scopes, number of cells).
    struct Token
    {
        QString key;
        QStringList scopes;
        int cells = 0;
    };
    static QList<Token> tokens(const DryRun &run);
};
