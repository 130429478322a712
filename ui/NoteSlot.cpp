#include "NoteSlot.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

NoteSlot::NoteSlot(QLabel *hint, const QList<QWidget *> &messages, QWidget *parent)
    : QWidget(parent)
    , m_messages(messages)
{
    // The pages are placed by hand: a layout of its own would answer the parent layout's
    // height-for-width questions instead of heightForWidth() below (and a QStackedLayout's minimum
    // is a word-wrapped label's narrowest, tallest shape).
    m_hintPage = new QWidget(this);
    auto *hintLayout = new QVBoxLayout(m_hintPage);
    hintLayout->setContentsMargins(0, 0, 0, 0);
    if (hint) {
        hintLayout->addWidget(hint);
        hint->setVisible(true);
    }

    m_messagePage = new QWidget(this);
    auto *messageLayout = new QVBoxLayout(m_messagePage);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    messageLayout->setSpacing(3);
    for (QWidget *message : messages)
        messageLayout->addWidget(message);

    m_messagePage->hide();
}

NoteSlot *NoteSlot::of(QWidget *message)
{
    for (QWidget *w = message ? message->parentWidget() : nullptr; w; w = w->parentWidget()) {
        if (auto *slot = qobject_cast<NoteSlot *>(w))
            return slot;
    }
    return nullptr;
}

void NoteSlot::refresh()
{
    // isHidden(): what was asked of the message itself, whichever page is showing now.
    const bool any = std::any_of(m_messages.cbegin(), m_messages.cend(), [](const QWidget *message) { return !message->isHidden(); });
    m_hintPage->setVisible(!any);
    m_messagePage->setVisible(any);
    updateGeometry();
    placePages();
}

void NoteSlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placePages();
}

void NoteSlot::placePages()
{
    for (QWidget *page : {m_hintPage, m_messagePage}) {
        const int height = page->hasHeightForWidth() ? page->heightForWidth(width()) : page->sizeHint().height();
        page->setGeometry(0, 0, width(), std::max(height, 0));
    }
}

int NoteSlot::floor() const
{
    // One line kept free: a one-line message then fits without moving anything.
    return fontMetrics().lineSpacing();
}

int NoteSlot::heightForWidth(int width) const
{
    const auto pageHeight = [width](const QWidget *page) {
        return page->hasHeightForWidth() ? page->heightForWidth(width) : page->sizeHint().height();
    };
    return std::max({floor(), pageHeight(m_hintPage), pageHeight(m_messagePage)});
}

QSize NoteSlot::sizeHint() const
{
    const int width = std::max(m_hintPage->sizeHint().width(), m_messagePage->sizeHint().width());
    return {width, heightForWidth(width)};
}

QSize NoteSlot::minimumSizeHint() const
{
    return {0, floor()};
}
