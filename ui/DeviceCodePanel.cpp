#include "DeviceCodePanel.h"

#include "util/Clock.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QLabel *selectable(const QString &objectName, const QString &accessibleName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextFormat(Qt::PlainText); // the server's words, never markup
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}
} // namespace

DeviceCodePanel::DeviceCodePanel(const Clock *clock, QWidget *parent)
    : QWidget(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    setObjectName(u"deviceCodePanel"_s);
    auto *intro = new QLabel(tr("Enter this code at the address below, on this or any other device:"));
    intro->setWordWrap(true);
    m_code = selectable(u"userCode"_s, tr("User code"));
    QFont big = m_code->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    big.setLetterSpacing(QFont::PercentageSpacing, 110);
    m_code->setFont(big);
    m_code->setAlignment(Qt::AlignCenter);
    m_urlLabel = selectable(u"verificationUrl"_s, tr("Verification URL"));
    m_completeLabel = selectable(u"verificationUrlComplete"_s, tr("Verification URL with the code"));
    m_expiry = selectable(u"deviceCodeExpiry"_s, tr("Code expiry"));

    m_copyCode = new QPushButton(tr("Copy &Code"));
    m_copyCode->setObjectName(u"copyUserCode"_s);
    m_copyCode->setAccessibleName(tr("Copy the user code"));
    m_copyUrl = new QPushButton(tr("Copy &URL"));
    m_copyUrl->setObjectName(u"copyVerificationUrl"_s);
    m_copyUrl->setAccessibleName(tr("Copy the verification URL"));
    m_open = new QPushButton(tr("&Open in Browser"));
    m_open->setObjectName(u"openVerificationUrl"_s);
    m_open->setAccessibleName(tr("Open the verification URL in the browser"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(u"cancelDeviceCode"_s);
    m_cancel->setAccessibleName(tr("Stop waiting for the code to be entered"));

    auto *form = new QFormLayout;
    m_form = form;
    form->addRow(tr("Go to:"), m_urlLabel);
    form->addRow(tr("Or directly:"), m_completeLabel);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyCode);
    buttons->addWidget(m_copyUrl);
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(m_code);
    layout->addLayout(form);
    layout->addWidget(m_expiry);
    layout->addLayout(buttons);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &DeviceCodePanel::updateExpiry);
    connect(m_copyCode, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_code->text()); });
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(openTarget().toString(QUrl::FullyEncoded)); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_opener)
            m_opener(openTarget());
    });
    connect(m_cancel, &QPushButton::clicked, this, &DeviceCodePanel::cancelRequested);
}

QUrl DeviceCodePanel::openTarget() const
{
    // The complete URI saves typing the code (RFC 8628 §3.3.1); the plain one always works.
    return m_completeUrl.isEmpty() ? m_url : m_completeUrl;
}

void DeviceCodePanel::start(const QString &userCode, const QUrl &verificationUrl, const QUrl &completeUrl, const QDateTime &expiresAt)
{
    m_url = verificationUrl;
    m_completeUrl = completeUrl;
    m_expiresAt = expiresAt;
    m_code->setText(userCode);
    m_urlLabel->setText(verificationUrl.toString(QUrl::FullyEncoded));
    m_completeLabel->setText(completeUrl.toString(QUrl::FullyEncoded));
    m_form->setRowVisible(m_completeLabel, !completeUrl.isEmpty());
    updateExpiry();
    if (expiresAt.isValid())
        m_tick->start();
}

void DeviceCodePanel::stop()
{
    m_tick->stop();
}

QString DeviceCodePanel::expiryText() const
{
    if (!m_expiresAt.isValid())
        return {};
    const qint64 left = m_clock->now().secsTo(m_expiresAt);
    if (left <= 0)
        return tr("The code has expired.");
    return tr("The code expires in %1:%2.").arg(left / 60).arg(left % 60, 2, 10, QLatin1Char('0'));
}

void DeviceCodePanel::updateExpiry()
{
    const QString text = expiryText();
    m_expiry->setText(text);
    m_expiry->setVisible(!text.isEmpty());
    if (m_expiresAt.isValid() && m_clock->now() >= m_expiresAt)
        m_tick->stop();
}
