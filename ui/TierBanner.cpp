#include "TierBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

TierBanner::TierBanner(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setObjectName(QStringLiteral("tierBanner"));
    setAccessibleName(tr("Active environment"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 12, 6);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("tierBannerTitle"));
    m_detail->setObjectName(QStringLiteral("tierBannerDetail"));
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setTextFormat(Qt::PlainText); // the environment's name, as the workspace has it
    m_detail->setTextFormat(Qt::PlainText);
    layout->addWidget(m_title);
    layout->addSpacing(12);
    layout->addWidget(m_detail, 1);
    clear();
}

QColor TierBanner::tierColor(Tier tier, bool builtinDemo)
{
    if (builtinDemo)
        return QColor(0x5b, 0x4b, 0xb7); // violet: clearly "not a real server"
    switch (tier) {
    case Tier::Sandbox: return QColor(0x1e, 0x7d, 0x4f);
    case Tier::Staging: return QColor(0xb0, 0x6a, 0x00);
    case Tier::Production: return QColor(0xc6, 0x18, 0x1e);
    case Tier::Custom: return QColor(0x3f, 0x51, 0x6b);
    }
    return {};
}

QString TierBanner::tierLabel(Tier tier)
{
    switch (tier) {
    case Tier::Sandbox: return tr("Sandbox");
    case Tier::Staging: return tr("Staging");
    case Tier::Production: return tr("PRODUCTION");
    case Tier::Custom: return tr("Custom");
    }
    return {};
}

QString TierBanner::text() const
{
    return m_title->text() + QLatin1Char(' ') + m_detail->text();
}

void TierBanner::setEnvironment(const Environment &environment, const QString &detail)
{
    m_empty = false;
    m_tier = environment.tier;
    m_demo = environment.isBuiltinDemo();
    const QString tierText = m_demo ? tr("built-in Demo API") : tierLabel(m_tier);
    m_title->setText(tr("%1 — %2").arg(environment.name, tierText));
    QString line = detail;
    if (m_tier == Tier::Production && !m_demo)
        line = tr("Requests here touch real data. %1").arg(detail);
    m_detail->setText(line);
    setAccessibleDescription(m_title->text() + QStringLiteral(". ") + line);
    // White on the tier colour: every tier colour above is dark enough for it, in light and dark themes.
    for (QLabel *label : {m_title, m_detail}) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, Qt::white);
        label->setPalette(p);
    }
    setMinimumHeight(m_tier == Tier::Production ? 44 : 34);
    update();
}

void TierBanner::clear()
{
    m_empty = true;
    m_title->setText(tr("No environment"));
    m_detail->setText(tr("Pick or create one on the left."));
    for (QLabel *label : {m_title, m_detail})
        label->setPalette(palette());
    update();
}

void TierBanner::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    if (m_empty) {
        painter.fillRect(rect(), palette().color(QPalette::AlternateBase));
        return;
    }
    const QColor color = tierColor(m_tier, m_demo);
    painter.fillRect(rect(), color);
    if (m_tier == Tier::Production && !m_demo) {
        // Hazard stripes along the bottom edge: production must look different even to the colour-blind.
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(255, 255, 255, 70));
        const int h = 6;
        for (int x = -h; x < width(); x += 2 * h) {
            const QPolygon stripe({QPoint(x, height()), QPoint(x + h, height() - h), QPoint(x + 2 * h, height() - h), QPoint(x + h, height())});
            painter.drawPolygon(stripe);
        }
    }
}
