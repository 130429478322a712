#pragma once

#include <QHash>
#include <QPlainTextEdit>

// The decoded JWT as read-only JSON, with each time claim (iat, exp, nbf, auth_time, created_at …)
// shown as a date beside its raw number. The dates are painted after the line, not written into
// it: the text stays exactly the JSON, for selecting and copying.
class ClaimsView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit ClaimsView(QWidget *parent = nullptr);

    void setJson(const QString &json);
    void clearJson();
    // The date shown beside a line (0-based), empty for none.
    QString dateHint(int line) const;
    // Line number → date, for every line that has one.
    const QHash<int, QString> &dateHints() const { return m_hints; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QHash<int, QString> m_hints;    // block number → "2026-12-02 18:00:00 UTC"
    QHash<int, QString> m_tooltips; // block number → the same in UTC and local time
};
