#pragma once

#include <QList>
#include <QWidget>

class QLabel;

// The place under a form field where its hint and its messages take turns: a message (an error,
// a warning, the plain-http checkbox) replaces the hint instead of pushing the rows below down,
// and the slot keeps the height of the taller of the two. Without a hint it keeps one line free,
// so the first message does not move the form either.
class NoteSlot : public QWidget
{
    Q_OBJECT

public:
    NoteSlot(QLabel *hint, const QList<QWidget *> &messages, QWidget *parent = nullptr);

    // The slot a message widget sits in, or nullptr.
    static NoteSlot *of(QWidget *message);
    // Shows the messages when any of them is meant to be seen, else the hint.
    void refresh();

    bool hasHeightForWidth() const override { return true; }
    // The taller of the hint and the messages shown now, at least one line.
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    int floor() const;
    void placePages();

    QWidget *m_hintPage;
    QWidget *m_messagePage;
    QList<QWidget *> m_messages;
};
