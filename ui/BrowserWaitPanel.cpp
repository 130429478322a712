#include "BrowserWaitPanel.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

BrowserWaitPanel::BrowserWaitPanel(QWidget *parent)
    : QWidget(parent)
    , m_opener([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    setObjectName(u"browserWaitPanel"_s);
    m_status = new QLabel;
    m_status->setObjectName(u"browserWaitStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    // One line, read-only: a long URL with no spaces scrolls in a field instead of being cut.
    m_urlField = new QLineEdit;
    m_urlField->setObjectName(u"authorizationUrl"_s);
    m_urlField->setAccessibleName(tr("Authorization URL"));
    m_urlField->setReadOnly(true);
    m_copy = new QPushButton(tr("&Copy URL"));
    m_copy->setObjectName(u"copyAuthorizationUrl"_s);
    m_copy->setAccessibleName(tr("Copy the authorization URL"));
    m_openAgain = new QPushButton(tr("&Open Again"));
    m_openAgain->setObjectName(u"openAuthorizationUrl"_s);
    m_openAgain->setAccessibleName(tr("Open the authorization URL in the browser again"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(u"cancelBrowserWait"_s);
    m_cancel->setAccessibleName(tr("Stop waiting for the browser"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_openAgain);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_urlField);
    layout->addLayout(buttons);

    connect(m_copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_url.toString(QUrl::FullyEncoded)); });
    connect(m_openAgain, &QPushButton::clicked, this, &BrowserWaitPanel::open);
    connect(m_cancel, &QPushButton::clicked, this, &BrowserWaitPanel::cancelRequested);
}

void BrowserWaitPanel::start(const QUrl &url)
{
    m_url = url;
    m_urlField->setText(url.toString(QUrl::FullyEncoded));
    m_urlField->setCursorPosition(0);
    open();
}

void BrowserWaitPanel::open()
{
    if (m_opener && m_opener(m_url))
        m_status->setText(tr("Waiting for the browser… Sign in there; this dialog goes on by itself."));
    else
        m_status->setText(tr("No browser could be opened. Open this URL in one and sign in:"));
}
