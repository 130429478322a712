#pragma once

#include <QObject>
#include <QString>

class QAbstractItemView;

// Tooltips that show their text as it is. QToolTip renders anything that looks like HTML as
// rich text, and tooltips here repeat what servers and shared workspaces wrote — a response
// header, a JSON string, a token's field, a scope's description, a URL — where
// "<a href=…>", "<img …>" or a styled table would otherwise be drawn instead of shown.
class PlainToolTips : public QObject
{
    Q_OBJECT

public:
    // Every tooltip of the view's items (Qt::ToolTipRole), from now on; owned by the view.
    static void install(QAbstractItemView *view);
    // For QWidget::setToolTip: text that QToolTip shows exactly, line breaks kept.
    static QString of(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit PlainToolTips(QAbstractItemView *view);

    QAbstractItemView *m_view;
};
