// Help ▸ About Tokenbench in the real main window: the version from project(), the Qt versions
// loaded and built against, QtKeychain's, the libcurl actually loaded (asked of the library
// here, independently of the app), and which keychain backend answered. ctest runs it twice:
// with the session's Secret Service (TOKENBENCH_EXPECT_SECRETS=keychain) and with a D-Bus
// address that leads nowhere (=memory), where secrets are this session's only.
#include "AboutDialog.h"
#include "DesktopFixture.h"
#include "MainWindow.h"
#include "support/WidgetTestMain.h"

#include <QAction>
#include <QClipboard>
#include <QLabel>
#include <QLibrary>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTest>

#include <curl/curl.h>

using namespace Qt::StringLiterals;

class TestAboutDialog : public QObject, private DesktopFixture
{
    Q_OBJECT

private:
    AboutDialog *m_dialog = nullptr;

    QString field(const QString &name) const
    {
        const auto *label = m_dialog->findChild<QLabel *>(name);
        return label ? label->text() : u"(no field %1)"_s.arg(name);
    }

    // The libcurl the dynamic loader gives this process, asked directly: what the app must show.
    static QString loadedCurlVersion()
    {
        QLibrary library(u"curl"_s, 4);
        if (!library.load())
            return {};
        using VersionInfo = decltype(&::curl_version_info);
        const auto versionInfo = reinterpret_cast<VersionInfo>(library.resolve("curl_version_info"));
        return versionInfo ? QString::fromLatin1(versionInfo(CURLVERSION_NOW)->version) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = startDesktop(u"tst_aboutdialog"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void helpMenuOpensIt()
    {
        QAction *about = nullptr;
        for (QAction *menu : m_window->menuBar()->actions()) {
            if (menu->menu() && menu->text().remove(u'&') == u"Help"_s)
                about = menu->menu()->findChild<QAction *>(u"aboutAction"_s, Qt::FindDirectChildrenOnly);
        }
        if (!about)
            about = m_window->findChild<QAction *>(u"aboutAction"_s);
        QVERIFY(about);
        QCOMPARE(about->text().remove(u'&'), u"About Tokenbench"_s);
        about->trigger();
        QTRY_VERIFY((m_dialog = m_window->findChild<AboutDialog *>()) && m_dialog->isVisible());
        QVERIFY(m_dialog->isModal() || m_dialog->windowModality() != Qt::NonModal);
    }

    void showsTheVersionsInUse()
    {
        QVERIFY(m_dialog);
        QCOMPARE(field(u"tokenbenchVersion"_s), QStringLiteral(EXPECTED_VERSION));
        QVERIFY2(m_dialog->findChild<QLabel *>(u"aboutTitle"_s)->text().contains(u"Tokenbench " EXPECTED_VERSION ""_s),
                 qPrintable(m_dialog->findChild<QLabel *>(u"aboutTitle"_s)->text()));
        QCOMPARE(field(u"qtRuntimeVersion"_s), QString::fromLatin1(qVersion()));
        QCOMPARE(field(u"qtCompiledVersion"_s), QStringLiteral(QT_VERSION_STR));
        QCOMPARE(field(u"qtKeychainVersion"_s), QStringLiteral(EXPECTED_QTKEYCHAIN_VERSION));
        const QString curl = loadedCurlVersion();
        QVERIFY2(!curl.isEmpty(), "libcurl could not be loaded by the test itself");
        // "7.88.1 (OpenSSL/3.0.11)": the version first, then its TLS back end.
        QVERIFY2(field(u"curlVersion"_s).startsWith(curl + u" ("_s), qPrintable(field(u"curlVersion"_s) + u" vs "_s + curl));
    }

    void saysWhichKeychainAnswered()
    {
        QVERIFY(m_dialog);
        const QByteArray expected = qgetenv("TOKENBENCH_EXPECT_SECRETS");
        QVERIFY2(expected == "keychain" || expected == "memory", "run by ctest, which sets TOKENBENCH_EXPECT_SECRETS");
        // The dialog asks the keychain if nobody has yet, and shows the answer when it comes.
        QTRY_VERIFY_WITH_TIMEOUT(field(u"keychainBackend"_s) != u"not asked yet"_s, 20000);
        if (expected == "keychain") {
            QCOMPARE(field(u"keychainBackend"_s), u"system keychain (Secret Service or KWallet, over D-Bus)"_s);
        } else {
            QVERIFY2(field(u"keychainBackend"_s).startsWith(u"this session's memory only: no keychain answered ("_s),
                     qPrintable(field(u"keychainBackend"_s)));
        }
    }

    void copiesEveryVersionAsText()
    {
        QVERIFY(m_dialog);
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(m_dialog->findChild<QPushButton *>(u"copyVersions"_s), Qt::LeftButton);
        const QString text = QGuiApplication::clipboard()->text();
        QVERIFY2(text.contains(u"Tokenbench: " EXPECTED_VERSION "\n"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Qt (running): "_s + QString::fromLatin1(qVersion()) + u'\n'), qPrintable(text));
        QVERIFY2(text.contains(u"libcurl: "_s + loadedCurlVersion()), qPrintable(text));
        QVERIFY2(text.contains(u"Secrets kept in: "_s + field(u"keychainBackend"_s)), qPrintable(text));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
