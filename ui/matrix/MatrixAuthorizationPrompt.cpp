#include "MatrixAuthorizationPrompt.h"

#include "BrowserWaitPanel.h"
#include "DeviceCodePanel.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MatrixAuthorizationPrompt::MatrixAuthorizationPrompt(const Clock *clock, QWidget *parent)
    : QDialog(parent)
    , m_purpose(new QLabel)
    , m_browserPanel(new BrowserWaitPanel)
    , m_devicePanel(new DeviceCodePanel(clock))
{
    setObjectName(u"matrixAuthorizationPrompt"_s);
    setWindowTitle(tr("Authorize the Scope Matrix Run"));
    m_purpose->setObjectName(u"matrixTokenPurpose"_s);
    m_purpose->setTextFormat(Qt::PlainText); // scopes come from a plan file
    m_purpose->setWordWrap(true);
    m_purpose->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_purpose);
    layout->addWidget(m_browserPanel);
    layout->addWidget(m_devicePanel);
    m_browserPanel->hide();
    m_devicePanel->hide();
    connect(m_browserPanel, &BrowserWaitPanel::cancelRequested, this, &MatrixAuthorizationPrompt::reject);
    connect(m_devicePanel, &DeviceCodePanel::cancelRequested, this, &MatrixAuthorizationPrompt::reject);
    resize(560, 0);
}

void MatrixAuthorizationPrompt::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    m_browserPanel->setUrlOpener(opener);
    m_devicePanel->setUrlOpener(std::move(opener));
}

QString MatrixAuthorizationPrompt::purposeText() const
{
    return m_purpose->text();
}

void MatrixAuthorizationPrompt::showInteraction(const QStringList &scopes, const GrantInteraction &interaction, const QString &purpose)
{
    m_scopes = scopes;
    m_purpose->setText(tr("The run needs a token for %1. Each scope set is authorized on its own; the run goes on by itself once "
                          "this one is.")
                           .arg(purpose));
    m_devicePanel->stop();
    if (interaction.kind == GrantInteraction::Kind::OpenBrowser) {
        m_devicePanel->hide();
        m_browserPanel->show();
        m_browserPanel->start(interaction.url);
    } else {
        m_browserPanel->hide();
        m_devicePanel->show();
        m_devicePanel->start(interaction.userCode, interaction.url, interaction.completeUrl, interaction.expiresAt);
    }
    // Not modal: the matrix window stays readable (its cells fill in) while the person signs in.
    show();
    activateWindow();
}

void MatrixAuthorizationPrompt::interactionFinished(const QStringList &scopes)
{
    if (scopes == m_scopes)
        dismiss();
}

void MatrixAuthorizationPrompt::dismiss()
{
    m_scopes.clear();
    m_devicePanel->stop();
    hide();
}

void MatrixAuthorizationPrompt::reject()
{
    // Closing the prompt is no answer the run could wait for: it stops.
    const bool waiting = isVisible();
    dismiss();
    if (waiting)
        Q_EMIT cancelRequested();
}
