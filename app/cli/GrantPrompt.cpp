#include "GrantPrompt.h"

#include "BrowserLauncher.h"
#include "DeviceCodePrompt.h"

#include <QTextStream>

using namespace Qt::StringLiterals;

GrantPrompt::GrantPrompt(QTextStream &err, bool openBrowser)
    : m_err(err)
    , m_openBrowser(openBrowser)
{
}

QString GrantPrompt::browserText(const GrantInteraction &interaction)
{
    return u"Authorize in your browser (waiting for the redirect to the loopback callback):\n%1\n"_s.arg(
        QString::fromUtf8(interaction.url.toEncoded()));
}

void GrantPrompt::show(const GrantInteraction &interaction, const QString &purpose)
{
    if (!purpose.isEmpty())
        m_err << u"A token for %1:"_s.arg(purpose) << Qt::endl;
    if (interaction.kind == GrantInteraction::Kind::EnterCode) {
        m_err << DeviceCodePrompt::text(interaction) << Qt::flush;
        return;
    }
    m_err << browserText(interaction);
    QString problem;
    if (m_openBrowser && !BrowserLauncher::open(interaction.url, &problem))
        m_err << problem << Qt::endl;
    m_err << Qt::flush;
}
