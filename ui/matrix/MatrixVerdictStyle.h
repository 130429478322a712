#pragma once

#include "matrix/MatrixResult.h"

#include <QColor>
#include <QList>
#include <QString>

// How a verdict looks wherever the matrix shows one (the cells, the legend, the detail pane):
// a fill colour with a text colour that reads on it, a glyph so the verdict does not rest on
// colour alone, and the words. Over-permissive is the loudest: it is the finding QA runs for.
class MatrixVerdictStyle
{
public:
    static QColor background(MatrixVerdict verdict);
    static QColor foreground(MatrixVerdict verdict);
    static QString glyph(MatrixVerdict verdict);
    // "as expected", "over-permissive", … (MatrixCellResult::verdictLabel)
    static QString label(MatrixVerdict verdict);
    // One sentence for the legend's tooltip: what the verdict means.
    static QString meaning(MatrixVerdict verdict);
    // Worst first: how a column sorts and which verdict a summary names first.
    static int severity(MatrixVerdict verdict);
    // Every verdict, in the legend's order.
    static QList<MatrixVerdict> all();
};
