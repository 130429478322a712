#pragma once

#include <QString>

class MatrixModel;

// What the scope matrix window says about a plan and its run, in whole words per number (there
// is no English plural catalogue to fill "%n cell(s)").
class MatrixRunText
{
public:
    static QString cells(int n);
    static QString requests(int n);
    static QString tokenColumns(int n);
    static QString duration(qint64 ms);
    // "23 cells (6 requests × 5 token columns). 23 of 23 run: 1 over-permissive."; empty
    // without a plan.
    static QString summary(const MatrixModel &model);
};
