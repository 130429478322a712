#include "Cli.h"
#include "util/ProcessHardening.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    ProcessHardening::apply();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Tokenbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tokenbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOKENBENCH_VERSION));
    Cli cli;
    return cli.run(QCoreApplication::arguments());
}
