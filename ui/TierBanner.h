#pragma once

#include "workspace/Environment.h"

#include <QWidget>

class QLabel;

// The active environment, always in view and coloured by tier: production is an unmistakable
// red band, so nobody sends to it by accident.
class TierBanner : public QWidget
{
    Q_OBJECT

public:
    explicit TierBanner(QWidget *parent = nullptr);

    void setEnvironment(const Environment &environment, const QString &detail = {});
    void clear();
    Tier tier() const { return m_tier; }
    QString text() const;

    static QColor tierColor(Tier tier, bool builtinDemo = false);
    static QString tierLabel(Tier tier);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_title;
    QLabel *m_detail;
    Tier m_tier = Tier::Custom;
    bool m_demo = false;
    bool m_empty = true;
};
