#include "FormNote.h"

#include "NoteSlot.h"

#include <QColor>
#include <QFormLayout>
#include <QLabel>
#include <QPalette>
#include <QVBoxLayout>

namespace {

constexpr const char *ToneProperty = "tokenbenchTone";

QColor toneColor(FormNote::Tone tone, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightnessF() < 0.5;
    switch (tone) {
    case FormNote::Tone::Error:
        return QColor::fromHslF(0.0f, 0.70f, dark ? 0.72f : 0.40f);
    case FormNote::Tone::Warning:
        return QColor::fromHslF(32.0f / 360.0f, 0.85f, dark ? 0.64f : 0.32f);
    case FormNote::Tone::Danger:
        return QColor::fromHslF(0.0f, dark ? 0.45f : 0.75f, dark ? 0.27f : 0.93f);
    case FormNote::Tone::Muted:
        return palette.color(QPalette::PlaceholderText);
    case FormNote::Tone::Plain:
        break;
    }
    return palette.color(QPalette::WindowText);
}

} // namespace

QLabel *FormNote::label(const QString &objectName, Tone tone)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setProperty(ToneProperty, static_cast<int>(tone));
    label->setVisible(false);
    return label;
}

void FormNote::paint(QLabel *label, const QPalette &base)
{
    const auto tone = static_cast<Tone>(label->property(ToneProperty).toInt());
    QPalette palette = label->palette();
    if (tone == Tone::Danger) {
        // A tinted band rather than coloured text: the note must be hard to miss.
        palette.setColor(QPalette::Window, toneColor(tone, base));
        palette.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
        label->setAutoFillBackground(true);
    } else {
        palette.setColor(QPalette::WindowText, toneColor(tone, base));
    }
    label->setPalette(palette);
}

bool FormNote::isNote(const QLabel *label)
{
    return label->property(ToneProperty).isValid();
}

void FormNote::setShown(QLabel *label, bool shown)
{
    // In a slot the note takes the hint's place; in a form the whole row goes, not only the
    // label, so an empty note leaves no gap.
    if (NoteSlot *slot = NoteSlot::of(label)) {
        label->setVisible(shown);
        slot->refresh();
        return;
    }
    if (auto *form = qobject_cast<QFormLayout *>(label->parentWidget() ? label->parentWidget()->layout() : nullptr);
        form && form->indexOf(label) >= 0) {
        form->setRowVisible(label, shown);
    } else {
        label->setVisible(shown);
    }
}

void FormNote::show(QLabel *label, Tone tone, const QString &text, const QPalette &base)
{
    label->setText(text);
    if (label->property(ToneProperty).toInt() != static_cast<int>(tone)) {
        label->setProperty(ToneProperty, static_cast<int>(tone));
        paint(label, base);
    }
    setShown(label, !text.isEmpty());
}

QWidget *FormNote::stacked(QWidget *field, std::initializer_list<QWidget *> notes, QWidget *focus)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(field);
    for (QWidget *note : notes)
        layout->addWidget(note);
    box->setFocusProxy(focus ? focus : field);
    return box;
}
