#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "ResponseView.h"
#include "ScopePicker.h"
#include "TierBanner.h"
#include "json/JsonTreeModel.h"
#include "scopes/ScopeModel.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "workspace/Workspace.h"
#include "support/WidgetTestMain.h"

#include <QHelpEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTextDocumentFragment>
#include <QToolTip>
#include <QTreeView>

using namespace Qt::StringLiterals;

// Server text (and a shared workspace's) is data in the GUI too: a label or a tooltip shows it
// as written, and never draws the link, image or table its HTML would make.
class TestServerText : public QObject
{
    Q_OBJECT

private:
    SecretStore m_secrets{u"Tokenbench-tests"_s};

    // Not a raw string literal: moc's reader would take its quotes for the ends of strings.
    static QString hostile() { return u"<a href=\"https://evil.example/\">click</a><img src=\"x.png\"> <table><tr><td>cell</td></tr></table>"_s; }

    // What a reader sees of text QLabel or QToolTip shows in the given format.
    static QString shown(const QString &text, Qt::TextFormat format)
    {
        const bool rich = format == Qt::RichText || (format == Qt::AutoText && Qt::mightBeRichText(text));
        return rich ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
    }
    static QString shown(const QLabel *label) { return shown(label->text(), label->textFormat()); }

    static inline QtMessageHandler s_previousHandler = nullptr;
    static void withoutPlatformNotes(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (message == QLatin1String("This plugin does not support raise()")
            || message == QLatin1String("This plugin does not support propagateSizeHints()"))
            return;
        s_previousHandler(type, context, message);
    }

    // Hovers an item of a view and returns what its tooltip shows.
    static QString toolTipOf(QAbstractItemView *view, const QModelIndex &index)
    {
        view->scrollTo(index);
        const QPoint at = view->visualRect(index).center();
        QHelpEvent event(QEvent::ToolTip, at, view->viewport()->mapToGlobal(at));
        // A tip window is raised and sized, which the offscreen platform says it cannot do: only
        // those two messages are let go, while the tip is on.
        s_previousHandler = qInstallMessageHandler(&withoutPlatformNotes);
        QApplication::sendEvent(view->viewport(), &event);
        const QString text = QToolTip::isVisible() ? shown(QToolTip::text(), Qt::AutoText) : QString();
        QToolTip::hideText();
        const bool hidden = QTest::qWaitFor([] { return !QToolTip::isVisible(); }, 5000);
        qInstallMessageHandler(s_previousHandler);
        return hidden ? text : u"(the tooltip did not go)"_s;
    }

private Q_SLOTS:
    void responseToolTipsShowTheServersText()
    {
        ResponseView view;
        view.resize(900, 600);
        view.show();
        ResponseDisplay response;
        response.status = 200;
        response.reason = u"OK"_s;
        response.contentType = u"application/json"_s;
        response.headers = {{"X-Evil"_ba, hostile().toUtf8()}};
        response.body = QJsonDocument(QJsonObject{{u"k"_s, hostile()}}).toJson(QJsonDocument::Compact);
        view.setResponse(response);
        QVERIFY(QTest::qWaitFor([&] { return !view.isParsing(); }, 10000));
        auto *tabs = view.findChild<QTabWidget *>(u"bodyTabs"_s);

        auto *headers = view.findChild<QTableWidget *>(u"headersView"_s);
        tabs->setCurrentWidget(headers);
        QCOMPARE(toolTipOf(headers, headers->model()->index(0, 1)), hostile());

        auto *tree = view.findChild<QTreeView *>(u"treeView"_s);
        tabs->setCurrentIndex(1);
        QVERIFY(tree->isVisible());
        const QModelIndex root = tree->model()->index(0, 0);
        QCOMPARE(toolTipOf(tree, tree->model()->index(0, JsonTreeModel::ValueColumn, root)), hostile());
    }

    void scopeDescriptionsFromTheServerShowAsWritten()
    {
        ScopePicker picker;
        picker.resize(700, 400);
        picker.show();
        picker.setCatalog({ScopeInfo::classify(u"accounts:read"_s, hostile())});
        auto *tree = picker.findChild<QTreeView *>(u"scopeTree"_s);
        const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0), ScopeModel::NameRole, u"accounts:read"_s, 1,
                                                           Qt::MatchExactly | Qt::MatchRecursive);
        QVERIFY(!found.isEmpty());
        tree->expandAll();
        const QString tip = toolTipOf(tree, found.first().siblingAtColumn(1));
        QVERIFY2(tip.contains(hostile()), qPrintable(tip));
    }

    void workspaceTextInLabelsShowsAsWritten()
    {
        Environment env = Workspace::demoEnvironment();
        env.id = u"shared"_s;
        env.builtin.clear();
        env.name = u"<b>Shared</b> "_s + hostile();
        env.clientId = hostile();
        env.tier = Tier::Production;

        TierBanner banner;
        banner.setEnvironment(env, hostile());
        QVERIFY2(shown(banner.findChild<QLabel *>(u"tierBannerTitle"_s)).startsWith(env.name), qPrintable(shown(banner.findChild<QLabel *>(u"tierBannerTitle"_s))));
        QVERIFY(shown(banner.findChild<QLabel *>(u"tierBannerDetail"_s)).contains(hostile()));

        Authorizer authorizer(&m_secrets);
        AuthorizeDialog dialog(&authorizer, &m_secrets, env, {}, {});
        QCOMPARE(shown(dialog.findChild<QLabel *>(u"clientIdLabel"_s)), hostile());

        // A saved request's form names a file the composer cannot read: its status quotes the path.
        ComposerView composer(&authorizer);
        composer.setEnvironment(env);
        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/documents"_s;
        const QString path = u"/nonexistent/<img src=\"x.png\">.pdf"_s;
        draft.formParts = {{u"<b>field</b>"_s, path, true, true}};
        composer.setDraft(draft);
        auto *status = composer.findChild<QLabel *>(u"bodyStatus"_s);
        QTRY_VERIFY2(shown(status).contains(path), qPrintable(shown(status)));
        QVERIFY(shown(status).contains(u"<b>field</b>"_s));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestServerText)
#include "tst_servertext.moc"
