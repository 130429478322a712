#pragma once

#include "matrix/MatrixResult.h"

#include <QHash>
#include <QWidget>

class QLabel;

// The key to the matrix's colours, each verdict with its glyph, its words and how many cells
// have it in the run shown; its tooltip says what the verdict means.
class MatrixLegend : public QWidget
{
    Q_OBJECT

public:
    explicit MatrixLegend(QWidget *parent = nullptr);

    void setCount(MatrixVerdict verdict, int count);
    QString text(MatrixVerdict verdict) const;

private:
    QHash<int, QLabel *> m_labels;
};
