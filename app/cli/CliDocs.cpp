#include "BuildInfo.h"
#include "Cli.h"
#include "ManPage.h"
#include "ShellCompletion.h"

using namespace Qt::StringLiterals;

int Cli::runHelpExport(const QStringList &args)
{
    if (args.value(0) == u"--man"_s && args.size() == 1) {
        m_print.out() << ManPage::render(helpText(), QString::fromLatin1(BuildInfo::version), QString::fromLatin1(BuildInfo::releaseDate));
        return Ok;
    }
    const QString shell = args.value(1);
    if (args.value(0) == u"--completion"_s && args.size() == 2 && ShellCompletion::shells().contains(shell)) {
        m_print.out() << ShellCompletion::render(shell, commandNames());
        return Ok;
    }
    return usageError(u"usage: help --man | help --completion %1"_s.arg(ShellCompletion::shells().join(u'|')));
}
