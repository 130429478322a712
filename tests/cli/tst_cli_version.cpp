// Both programs say the version project() sets, and nothing else on that line: the one a
// package, the About dialog and a bug report name.
#include "support/CliRunner.h"

#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCliVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cliPrintsTheProjectVersion()
    {
        const CliRun run = runCli({u"--version"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("tokenbench-cli " EXPECTED_VERSION "\n"));
        QVERIFY(run.err.isEmpty());
    }

    void guiPrintsTheProjectVersion()
    {
        QProcess gui;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        gui.setProcessEnvironment(environment);
        gui.start(QStringLiteral(TOKENBENCH_GUI), {u"--version"_s});
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
        QCOMPARE(gui.exitCode(), 0);
        QCOMPARE(gui.readAllStandardOutput(), QByteArray("Tokenbench " EXPECTED_VERSION "\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliVersion)
#include "tst_cli_version.moc"
