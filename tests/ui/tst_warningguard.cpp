#include "support/WidgetTestMain.h"

#include <QProcess>

using namespace Qt::StringLiterals;

// Every widget test runs under QtWarningGuard (TOKENBENCH_WIDGET_TEST_MAIN): here it is shown to
// fail what it must and pass what it must, on a probe that warns in each way a test can.
class TestWarningGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void warningsFailTheTestTheyHappenIn()
    {
        QProcess probe;
        probe.setProgram(QCoreApplication::applicationDirPath() + u"/warningguard_probe"_s);
        probe.start();
        QVERIFY2(probe.waitForFinished(60000), qPrintable(probe.errorString()));
        const QString out = QString::fromUtf8(probe.readAllStandardOutput());
        const QString err = QString::fromUtf8(probe.readAllStandardError());
        QVERIFY2(out.contains(u"FAIL!  : WarningGuardProbe::warns() Received a warning that resulted in a failure"_s), qPrintable(out));
        QVERIFY2(out.contains(u"FAIL!  : WarningGuardProbe::critical() Received a critical message"_s), qPrintable(out));
        QVERIFY2(out.contains(u"PASS   : WarningGuardProbe::expectedWarningPasses()"_s), qPrintable(out));
        QVERIFY2(out.contains(u"PASS   : WarningGuardProbe::clean()"_s), qPrintable(out));
        // Not attributable to a test function, so the run as a whole fails, naming them.
        QVERIFY2(err.contains(u"outside the test functions: probe: a warning from a worker thread"_s), qPrintable(err));
        QVERIFY2(err.contains(u"outside the test functions: probe: warning from the test object's destructor"_s), qPrintable(err));
        QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
        QVERIFY(probe.exitCode() != 0);
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestWarningGuard)
#include "tst_warningguard.moc"
