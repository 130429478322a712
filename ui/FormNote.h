#pragma once

#include <QString>

#include <initializer_list>

class QLabel;
class QPalette;
class QWidget;

// The small texts of a form: muted hints, red errors, amber warnings, a tinted danger band. The
// colours come from the palette's own lightness, so a dark theme gets light-on-dark variants.
// A note inside a NoteSlot takes its hint's place when shown, so the form does not move.
class FormNote
{
public:
    enum class Tone { Plain, Muted, Warning, Error, Danger };

    // A word-wrapped plain-text label of that tone, hidden until it has something to say.
    static QLabel *label(const QString &objectName, Tone tone);
    // Sets the text and tone; an empty text hides the note.
    static void show(QLabel *label, Tone tone, const QString &text, const QPalette &base);
    static void setShown(QLabel *label, bool shown);
    // Repaints a note in its tone against base (after a palette or style change).
    static void paint(QLabel *label, const QPalette &base);
    static bool isNote(const QLabel *label);
    // A field with its notes right under it, closer than the form's row spacing would put them.
    // The form label's mnemonic reaches the field (or focus) through the focus proxy.
    static QWidget *stacked(QWidget *field, std::initializer_list<QWidget *> notes, QWidget *focus = nullptr);
};
