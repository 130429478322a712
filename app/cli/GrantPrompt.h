#pragma once

#include "oauth/GrantInteraction.h"

#include <QString>

class QTextStream;

// What every command that gets a token shows on stderr when the grant waits for a person —
// `token`, `send` and `matrix` alike, so a person sees the same thing whichever asked: the
// authorization URL, opened with $BROWSER (BrowserLauncher) unless --no-browser, or the device
// grant's user code and where to enter it (DeviceCodePrompt). stdout keeps only the answer.
class GrantPrompt
{
public:
    GrantPrompt(QTextStream &err, bool openBrowser);

    // purpose: what the token is for, when a command needs several ("scope set 1 of 2: a b");
    // printed first so a person knows what they approve. Empty: nothing is said.
    void show(const GrantInteraction &interaction, const QString &purpose = {});

    // The text shown for the authorization code grant (the URL encoded, whole on its own line).
    static QString browserText(const GrantInteraction &interaction);

private:
    QTextStream &m_err;
    bool m_openBrowser;
};
