#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

// Opens the authorization URL for `token` as command-line tools do: the command in $BROWSER
// (split like a shell splits words, QProcess::splitCommand; "%s" replaced by the URL, else the
// URL added as the last argument), else xdg-open (open on macOS). The URL is an argument, never
// passed through a shell; the browser is started detached, its output away from ours (stdout
// stays the answer's).
class BrowserLauncher
{
public:
    // The program and arguments that would open url; empty when there is no browser to run.
    static QStringList command(const QString &browserVariable, const QUrl &url);
    // Starts it; false with *error when it could not be started.
    static bool open(const QUrl &url, QString *error);
};
