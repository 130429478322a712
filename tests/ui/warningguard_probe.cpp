#include "support/WidgetTestMain.h"

#include <QThread>

// Not a test on its own: tst_warningguard runs it and reads what QTest printed. Each function
// does one thing the guard must catch, or must leave alone.
class WarningGuardProbe : public QObject
{
    Q_OBJECT

public:
    ~WarningGuardProbe() override { qWarning("probe: warning from the test object's destructor"); }

private Q_SLOTS:
    void warns() { qWarning("probe: a warning inside a test function"); }
    void critical() { qCritical("probe: a critical message"); }
    void expectedWarningPasses()
    {
        QTest::ignoreMessage(QtWarningMsg, "probe: an expected warning");
        qWarning("probe: an expected warning");
    }
    void clean() {}
    void warnsFromAThread()
    {
        QThread *thread = QThread::create([] { qWarning("probe: a warning from a worker thread"); });
        thread->start();
        QVERIFY(thread->wait(10000));
        delete thread;
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(WarningGuardProbe)
#include "warningguard_probe.moc"
