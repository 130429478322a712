#include "DeviceCodePrompt.h"

#include <QLocale>

using namespace Qt::StringLiterals;

QString DeviceCodePrompt::text(const GrantInteraction &interaction)
{
    // Encoded: a URL printed is one a terminal shows as it is, and a person can copy whole.
    QString text = u"To authorize, open %1\nand enter the code: %2\n"_s.arg(QString::fromLatin1(interaction.url.toEncoded()),
                                                                         interaction.userCode);
    if (!interaction.completeUrl.isEmpty())
        text += u"(or open %1, which carries the code)\n"_s.arg(QString::fromLatin1(interaction.completeUrl.toEncoded()));
    if (interaction.expiresAt.isValid()) {
        text += u"Waiting for approval; the code expires at %1 (Ctrl-C to stop).\n"_s.arg(
                QLocale::c().toString(interaction.expiresAt.toLocalTime(), u"HH:mm:ss"_s));
    } else {
        text += u"Waiting for approval (Ctrl-C to stop).\n"_s;
    }
    return text;
}
