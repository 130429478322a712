#include "MatrixLegend.h"

#include "MatrixVerdictStyle.h"

#include <QHBoxLayout>
#include <QLabel>

MatrixLegend::MatrixLegend(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("matrixLegend"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    for (const MatrixVerdict verdict : MatrixVerdictStyle::all()) {
        auto *chip = new QLabel(MatrixVerdictStyle::glyph(verdict), this);
        chip->setAlignment(Qt::AlignCenter);
        chip->setFixedSize(fontMetrics().height() + 6, fontMetrics().height() + 2);
        chip->setAutoFillBackground(true);
        QPalette colours = chip->palette();
        colours.setColor(QPalette::Window, MatrixVerdictStyle::background(verdict));
        colours.setColor(QPalette::WindowText, MatrixVerdictStyle::foreground(verdict));
        chip->setPalette(colours);
        auto *label = new QLabel(this);
        label->setObjectName(QStringLiteral("legend-%1").arg(MatrixCellResult::verdictName(verdict)));
        label->setTextFormat(Qt::PlainText);
        chip->setToolTip(MatrixVerdictStyle::meaning(verdict));
        label->setToolTip(MatrixVerdictStyle::meaning(verdict));
        layout->addWidget(chip);
        layout->addWidget(label);
        layout->addSpacing(10);
        m_labels.insert(int(verdict), label);
        setCount(verdict, 0);
    }
    layout->addStretch();
}

void MatrixLegend::setCount(MatrixVerdict verdict, int count)
{
    if (QLabel *label = m_labels.value(int(verdict))) {
        label->setText(QStringLiteral("%1 %2").arg(MatrixVerdictStyle::label(verdict)).arg(count));
        QFont font = label->font();
        // A finding counted is said loudly.
        font.setBold(verdict == MatrixVerdict::OverPermissive && count > 0);
        label->setFont(font);
    }
}

QString MatrixLegend::text(MatrixVerdict verdict) const
{
    const QLabel *label = m_labels.value(int(verdict));
    return label ? label->text() : QString();
}
