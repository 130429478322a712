#include "BuildInfo.h"
#include "Cli.h"
#include "util/ProcessHardening.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    ProcessHardening::apply();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Tokenbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tokenbench"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(BuildInfo::version));
    Cli cli;
    return cli.run(QCoreApplication::arguments());
}
