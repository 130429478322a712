#include "BrowserLauncher.h"

#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

QStringList BrowserLauncher::command(const QString &browserVariable, const QUrl &url)
{
    const QString address = QString::fromUtf8(url.toEncoded());
    // The BROWSER convention is a ':'-separated list of commands to try; the first is taken.
    const QString first = browserVariable.section(u':', 0, 0).trimmed();
    QStringList words = QProcess::splitCommand(first);
    if (words.isEmpty()) {
#ifdef Q_OS_MACOS
        const QString opener = u"open"_s;
#else
        const QString opener = u"xdg-open"_s;
#endif
        if (QStandardPaths::findExecutable(opener).isEmpty())
            return {};
        return {opener, address};
    }
    bool substituted = false;
    for (QString &word : words) {
        if (word.contains(u"%s"_s)) {
            word.replace(u"%s"_s, address);
            substituted = true;
        }
    }
    if (!substituted)
        words.append(address);
    return words;
}

bool BrowserLauncher::open(const QUrl &url, QString *error)
{
    const QStringList words = command(qEnvironmentVariable("BROWSER"), url);
    if (words.isEmpty()) {
        *error = u"no browser to open it with: set $BROWSER, or open the URL yourself"_s;
        return false;
    }
    QProcess process;
    process.setProgram(words.first());
    process.setArguments(words.mid(1));
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    if (!process.startDetached()) {
        *error = u"could not start the browser %1 (%2)"_s.arg(words.first(), process.errorString());
        return false;
    }
    return true;
}
