#include "ResponseView.h"
#include "support/EventLoopStallMeter.h"
#include "support/GeneratedJson.h"

#include "FindBar.h"
#include "json/JsonTreeModel.h"
#include "support/WidgetTestMain.h"

#include <QAbstractButton>
#include <QLineEdit>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace {
constexpr int ParseTimeoutMs = 100'000;

template<typename T>
T *child(const QWidget &view, const QString &name)
{
    auto *widget = view.findChild<T *>(name);
    if (!widget)
        qFatal("no child named %s", qPrintable(name));
    return widget;
}

ResponseDisplay forbidden()
{
    ResponseDisplay response;
    response.status = 403;
    response.reason = u"Forbidden"_s;
    response.statusMeaning = u"Forbidden — the token lacks trades:execute"_s;
    response.readout = u"Needs trades:execute; your token has accounts:read trades:read"_s;
    response.headers = {{"Content-Type", "application/json"},
                        {"WWW-Authenticate", R"(Bearer error="insufficient_scope", scope="trades:execute")"},
                        {"X-Request-Id", "7f3c"}};
    response.contentType = u"application/json"_s;
    response.body = R"({"error":"insufficient_scope","error_description":"trades:execute required"})";
    response.elapsedMs = 42;
    return response;
}

ResponseDisplay okJson(const QByteArray &body)
{
    ResponseDisplay response;
    response.status = 200;
    response.reason = u"OK"_s;
    response.contentType = u"application/json; charset=utf-8"_s;
    response.body = body;
    response.elapsedMs = 1234;
    return response;
}

QByteArray generatedDocument(qsizetype bytes)
{
    return generatedJsonDocument(bytes);
}

bool waitUntilShown(ResponseView &view)
{
    return QTest::qWaitFor([&] { return !view.isParsing(); }, ParseTimeoutMs);
}

QPalette darkFusionPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(45, 45, 48));
    palette.setColor(QPalette::WindowText, QColor(230, 230, 230));
    palette.setColor(QPalette::Base, QColor(30, 30, 30));
    palette.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
    palette.setColor(QPalette::Text, QColor(230, 230, 230));
    palette.setColor(QPalette::Button, QColor(55, 55, 58));
    palette.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    palette.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    return palette;
}

// Colours set by the highlighter in a block of the pretty view.
QList<QColor> blockColors(const QTextBlock &block)
{
    QList<QColor> colors;
    for (const QTextLayout::FormatRange &range : block.layout()->formats())
        colors.append(range.format.foreground().color());
    return colors;
}
} // namespace

class TestResponseView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startsEmpty();
    void forbiddenShowsStatusMeaningAndReadout();
    void statusColouredByClass_data();
    void statusColouredByClass();
    void transportError();
    void jsonPrettyAndTree();
    void highlightingFollowsThePalette();
    void nonJsonShowsRawText();
    void invalidJsonSaysSoAndShowsTheBody();
    void tooDeepForTheTreeIsStillFormatted();
    void binaryBodyAsHex();
    void headersTable();
    void saveWritesTheWholeBody();
    void saveFailureIsReported();
    void copyPutsTheBodyOnTheClipboard();
    void busyProgressAndCancel();
    void bigBodyCappedAndShownProgressively();
    void newResponseReplacesOneStillParsing();
    void interactiveWidgetsHaveAccessibleNames();
    void fiftyMegabytesDoNotStallTheEventLoop();
    void findInPrettyRawAndTree();
    void notSentAndExchangeNotes();
};

void TestResponseView::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
}

void TestResponseView::startsEmpty()
{
    ResponseView view;
    view.show();
    QVERIFY(!view.hasResponse());
    QVERIFY(!view.isParsing());
    QVERIFY(child<QLabel>(view, u"emptyState"_s)->isVisible());
    QVERIFY(!child<QLabel>(view, u"statusLine"_s)->isVisible());
    QVERIFY(!child<QLabel>(view, u"readout"_s)->isVisible());
    QVERIFY(!child<QWidget>(view, u"progress"_s)->isVisible());
    QVERIFY(!child<QPushButton>(view, u"saveBody"_s)->isEnabled());
    QVERIFY(!child<QPushButton>(view, u"copyBody"_s)->isEnabled());
}

void TestResponseView::forbiddenShowsStatusMeaningAndReadout()
{
    ResponseView view;
    view.show();
    QSignalSpy finished(&view, &ResponseView::parsingFinished);
    view.setResponse(forbidden());
    QVERIFY(view.isParsing());
    QVERIFY(waitUntilShown(view));
    QCOMPARE(finished.size(), 1);

    auto *status = child<QLabel>(view, u"statusLine"_s);
    QVERIFY(status->isVisible());
    QCOMPARE(status->text(), u"403 Forbidden"_s);
    QCOMPARE(status->property("statusClass").toString(), u"client-error"_s);
    QCOMPARE(status->accessibleName(), u"Status: 403 Forbidden"_s);
    auto *meaning = child<QLabel>(view, u"statusMeaning"_s);
    QVERIFY(meaning->isVisible());
    QCOMPARE(meaning->text(), u"Forbidden — the token lacks trades:execute"_s);
    auto *readout = child<QLabel>(view, u"readout"_s);
    QVERIFY(readout->isVisible());
    QCOMPARE(readout->text(), u"Needs trades:execute; your token has accounts:read trades:read"_s);
    QVERIFY(readout->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(readout->textInteractionFlags() & Qt::TextSelectableByKeyboard);
    const QString metrics = child<QLabel>(view, u"metrics"_s)->text();
    QVERIFY2(metrics.contains(u"42 ms"_s) && metrics.contains(u"76 bytes"_s), qPrintable(metrics));
    QVERIFY(!child<QLabel>(view, u"emptyState"_s)->isVisible());

    QCOMPARE(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText(),
             u"{\n  \"error\": \"insufficient_scope\",\n  \"error_description\": \"trades:execute required\"\n}"_s);

    // Without a readout the box goes away.
    ResponseDisplay plain = forbidden();
    plain.readout.clear();
    view.setResponse(plain);
    QVERIFY(!readout->isVisible());
    view.clear();
    QVERIFY(!status->isVisible());
    QVERIFY(child<QLabel>(view, u"emptyState"_s)->isVisible());
    QVERIFY(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText().isEmpty());
}

void TestResponseView::statusColouredByClass_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("statusClass");
    QTest::addColumn<QString>("background");
    QTest::newRow("200") << 200 << u"success"_s << u"#2e7d32"_s;
    QTest::newRow("201") << 201 << u"success"_s << u"#2e7d32"_s;
    QTest::newRow("304") << 304 << u"redirect"_s << QString();
    QTest::newRow("401") << 401 << u"client-error"_s << u"#f0b000"_s;
    QTest::newRow("429") << 429 << u"client-error"_s << u"#f0b000"_s;
    QTest::newRow("503") << 503 << u"server-error"_s << u"#c62828"_s;
}

void TestResponseView::statusColouredByClass()
{
    QFETCH(int, status);
    QFETCH(QString, statusClass);
    QFETCH(QString, background);
    ResponseView view;
    ResponseDisplay response;
    response.status = status;
    view.setResponse(response);
    auto *line = child<QLabel>(view, u"statusLine"_s);
    QCOMPARE(line->text(), QString::number(status));
    QCOMPARE(line->property("statusClass").toString(), statusClass);
    if (!background.isEmpty()) {
        QVERIFY2(line->styleSheet().contains(u"background-color: "_s + background), qPrintable(line->styleSheet()));
    } else {
        // Neutral: mixed from the palette, so it follows a dark one.
        const QString light = line->styleSheet();
        view.setPalette(darkFusionPalette());
        QVERIFY(line->styleSheet() != light);
        QVERIFY(line->styleSheet().contains(u"color: #e6e6e6"_s));
    }
}

void TestResponseView::transportError()
{
    ResponseView view;
    view.show();
    ResponseDisplay response;
    response.error = u"Connection refused (127.0.0.1:9)"_s;
    response.elapsedMs = 3;
    view.setResponse(response);
    QVERIFY(!view.isParsing());
    auto *status = child<QLabel>(view, u"statusLine"_s);
    QCOMPARE(status->text(), u"No response"_s);
    QCOMPARE(status->property("statusClass").toString(), u"transport-error"_s);
    QCOMPARE(child<QLabel>(view, u"statusMeaning"_s)->text(), response.error);
    QCOMPARE(child<QLabel>(view, u"metrics"_s)->text(), u"3 ms"_s);
    QVERIFY(!child<QPushButton>(view, u"saveBody"_s)->isEnabled());
}

void TestResponseView::jsonPrettyAndTree()
{
    ResponseView view;
    view.resize(900, 600);
    view.show();
    const QByteArray body = R"([{"id":1,"name":"Ada","roles":["admin"],"big":12345678901234567891},{"id":2,"name":"Grace","roles":[],"active":null}])";
    view.setResponse(okJson(body));
    QVERIFY(waitUntilShown(view));

    auto *pretty = child<QPlainTextEdit>(view, u"prettyView"_s);
    QCOMPARE(pretty->toPlainText(), uR"([
  {
    "id": 1,
    "name": "Ada",
    "roles": [
      "admin"
    ],
    "big": 12345678901234567891
  },
  {
    "id": 2,
    "name": "Grace",
    "roles": [],
    "active": null
  }
])"_s);
    QVERIFY(pretty->isReadOnly());
    QVERIFY(!child<QLabel>(view, u"prettyNote"_s)->isVisible());
    // Highlighted: "id" is a key, 1 a number.
    const QTextBlock idLine = pretty->document()->findBlockByNumber(2);
    QCOMPARE(idLine.text(), u"    \"id\": 1,"_s);
    QVERIFY(blockColors(idLine).size() >= 3);

    auto *raw = child<QPlainTextEdit>(view, u"rawView"_s);
    QCOMPARE(raw->toPlainText(), QString::fromUtf8(body));

    auto *tabs = child<QTabWidget>(view, u"bodyTabs"_s);
    QVERIFY(tabs->isTabEnabled(1));
    tabs->setCurrentIndex(1);
    auto *tree = child<QTreeView>(view, u"treeView"_s);
    QAbstractItemModel *model = tree->model();
    const QModelIndex root = model->index(0, 0);
    QVERIFY(tree->isExpanded(root));
    QCOMPARE(model->rowCount(root), 2);
    QCOMPARE(model->index(0, JsonTreeModel::ValueColumn, root).data().toString(), u"{4 members}"_s);
    const QModelIndex first = model->index(0, 0, root);
    QCOMPARE(model->index(3, JsonTreeModel::ValueColumn, first).data().toString(), u"12345678901234567891"_s);
    QVERIFY(!tree->isExpanded(first));
    child<QToolButton>(view, u"expandAll"_s)->click();
    QVERIFY(tree->isExpanded(first));
    QVERIFY(tree->isExpanded(model->index(2, 0, first)));
    child<QToolButton>(view, u"collapseAll"_s)->click();
    QVERIFY(!tree->isExpanded(first));
    QVERIFY(tree->isExpanded(root));
    QCOMPARE(child<QLabel>(view, u"treeInfo"_s)->text(), u"12 values, 3 levels deep"_s);

    // Ctrl+C on a row copies its value.
    tree->setCurrentIndex(model->index(1, 0, first));
    tree->setFocus();
    QTest::keySequence(tree, QKeySequence::Copy);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"Ada"_s);
}

void TestResponseView::highlightingFollowsThePalette()
{
    ResponseView view;
    view.show();
    view.setResponse(okJson(R"({"key":"value"})"));
    QVERIFY(waitUntilShown(view));
    auto *pretty = child<QPlainTextEdit>(view, u"prettyView"_s);
    const QTextBlock line = pretty->document()->findBlockByNumber(1);
    const QList<QColor> light = blockColors(line);
    QVERIFY(!light.isEmpty());
    for (const QColor &color : light)
        QVERIFY2(color.lightness() < 128, qPrintable(color.name()));

    // On a dark palette the colours become light tints, re-coloured without a freeze.
    view.setPalette(darkFusionPalette());
    QVERIFY(QTest::qWaitFor([&] {
        const QList<QColor> colors = blockColors(pretty->document()->findBlockByNumber(1));
        return !colors.isEmpty() && std::all_of(colors.cbegin(), colors.cend(), [](const QColor &c) { return c.lightness() > 128; });
    }));
    // The readout's tint follows too.
    ResponseDisplay response = forbidden();
    view.setResponse(response);
    QVERIFY(child<QLabel>(view, u"readout"_s)->styleSheet().contains(u"color: #e6e6e6"_s));
}

void TestResponseView::nonJsonShowsRawText()
{
    ResponseView view;
    view.show();
    ResponseDisplay response;
    response.status = 502;
    response.reason = u"Bad Gateway"_s;
    response.contentType = u"text/html; charset=iso-8859-1"_s;
    response.body = "<html>\r\n<body>Upstream gone \xe0 Z\xfcrich</body>\r\n</html>";
    view.setResponse(response);
    QVERIFY(waitUntilShown(view));
    const QString expected = u"<html>\n<body>Upstream gone à Zürich</body>\n</html>"_s;
    QCOMPARE(child<QPlainTextEdit>(view, u"rawView"_s)->toPlainText(), expected);
    QCOMPARE(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText(), expected);
    auto *tabs = child<QTabWidget>(view, u"bodyTabs"_s);
    QVERIFY(!tabs->isTabEnabled(1));
    QCOMPARE(tabs->tabToolTip(1), u"The body is not JSON"_s);
    // Not coloured as JSON.
    QVERIFY(blockColors(child<QPlainTextEdit>(view, u"prettyView"_s)->document()->firstBlock()).isEmpty());
}

void TestResponseView::invalidJsonSaysSoAndShowsTheBody()
{
    ResponseView view;
    view.show();
    view.setResponse(okJson("{\"a\": 1,\n \"b\": }"));
    QVERIFY(waitUntilShown(view));
    auto *note = child<QLabel>(view, u"prettyNote"_s);
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().startsWith(u"Not valid JSON at line 2, column 7:"_s), qPrintable(note->text()));
    QVERIFY(note->text().endsWith(u"Shown as received."_s));
    QCOMPARE(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText(), u"{\"a\": 1,\n \"b\": }"_s);
    QAbstractItemModel *model = child<QTreeView>(view, u"treeView"_s)->model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, JsonTreeModel::TypeColumn).data().toString(), u"error"_s);
    QVERIFY(!child<QToolButton>(view, u"expandAll"_s)->isEnabled());
}

void TestResponseView::tooDeepForTheTreeIsStillFormatted()
{
    ResponseView view;
    view.show();
    const QByteArray deep = QByteArray(10'001, '[') + QByteArray(10'001, ']');
    view.setResponse(okJson(deep));
    QVERIFY(waitUntilShown(view));
    auto *pretty = child<QPlainTextEdit>(view, u"prettyView"_s);
    QVERIFY(pretty->toPlainText().startsWith(u"[\n  [\n    [\n"_s));
    QVERIFY2(child<QLabel>(view, u"prettyNote"_s)->text().contains(u"nested more than 10,000 levels"_s),
             qPrintable(child<QLabel>(view, u"prettyNote"_s)->text()));
    QAbstractItemModel *model = child<QTreeView>(view, u"treeView"_s)->model();
    QCOMPARE(model->index(0, JsonTreeModel::TypeColumn).data().toString(), u"error"_s);
}

void TestResponseView::binaryBodyAsHex()
{
    ResponseView view;
    view.show();
    ResponseDisplay response;
    response.status = 200;
    response.contentType = u"image/png"_s;
    response.body = QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    view.setResponse(response);
    QVERIFY(waitUntilShown(view));
    QCOMPARE(child<QPlainTextEdit>(view, u"rawView"_s)->toPlainText(),
             u"00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|"_s);
    QVERIFY(child<QLabel>(view, u"rawNote"_s)->text().startsWith(u"Binary body (image/png, 16 bytes)"_s));
    QVERIFY(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText().isEmpty());
    QVERIFY(child<QLabel>(view, u"prettyNote"_s)->isVisible());
    QVERIFY(!child<QPushButton>(view, u"copyBody"_s)->isEnabled());
    QVERIFY(child<QPushButton>(view, u"saveBody"_s)->isEnabled());
}

void TestResponseView::headersTable()
{
    ResponseView view;
    view.setResponse(forbidden());
    auto *table = child<QTableWidget>(view, u"headersView"_s);
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->columnCount(), 2);
    QCOMPARE(table->item(1, 0)->text(), u"WWW-Authenticate"_s);
    QCOMPARE(table->item(1, 1)->text(), uR"(Bearer error="insufficient_scope", scope="trades:execute")"_s);
    QCOMPARE(table->horizontalHeaderItem(0)->text(), u"Name"_s);
    auto *tabs = child<QTabWidget>(view, u"bodyTabs"_s);
    QCOMPARE(tabs->tabText(tabs->indexOf(table)), u"Headers (3)"_s);
    view.clear();
    QCOMPARE(table->rowCount(), 0);
    QCOMPARE(tabs->tabText(tabs->indexOf(table)), u"Headers"_s);
}

void TestResponseView::saveWritesTheWholeBody()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ResponseView view;
    view.setDisplayCap(64 * 1024);
    const QByteArray body = generatedDocument(512 * 1024);
    view.setResponse(okJson(body));
    QSignalSpy saved(&view, &ResponseView::bodySaved);
    const QString path = dir.filePath(u"body.json"_s);
    view.saveBodyTo(path);
    QVERIFY(saved.wait(10'000));
    QCOMPARE(saved.at(0).at(0).toString(), path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // All of it, not the 64 KB the views show.
    QCOMPARE(file.readAll(), body);
    QVERIFY(child<QLabel>(view, u"saveStatus"_s)->text().startsWith(u"Saved"_s));
}

void TestResponseView::saveFailureIsReported()
{
    QTemporaryDir dir;
    ResponseView view;
    view.setResponse(forbidden());
    QSignalSpy failed(&view, &ResponseView::bodySaveFailed);
    QSignalSpy saved(&view, &ResponseView::bodySaved);
    view.saveBodyTo(dir.filePath(u"no/such/directory/body.json"_s));
    QVERIFY(failed.wait(10'000));
    QCOMPARE(saved.size(), 0);
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    QVERIFY(child<QLabel>(view, u"saveStatus"_s)->text().startsWith(u"Not saved: "_s));
}

void TestResponseView::copyPutsTheBodyOnTheClipboard()
{
    ResponseView view;
    view.setResponse(okJson(R"({"name":"Zürich"})"));
    auto *copy = child<QPushButton>(view, u"copyBody"_s);
    QVERIFY(copy->isEnabled());
    copy->click();
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(mime->text(), uR"({"name":"Zürich"})"_s);
    QCOMPARE(mime->data(u"application/json"_s), QByteArray(R"({"name":"Zürich"})"));
}

void TestResponseView::busyProgressAndCancel()
{
    ResponseView view;
    view.show();
    QSignalSpy cancel(&view, &ResponseView::cancelRequested);
    auto *progress = child<QProgressBar>(view, u"progress"_s);
    auto *button = child<QPushButton>(view, u"cancelButton"_s);
    auto *label = child<QLabel>(view, u"progressLabel"_s);

    view.setBusy(true);
    QVERIFY(view.isBusy());
    QVERIFY(progress->isVisible());
    QCOMPARE(progress->maximum(), 0); // nothing known yet: a busy bar
    QCOMPARE(label->text(), u"Waiting for the response…"_s);

    view.setBusy(true, 512 * 1024, 2 * 1024 * 1024);
    QCOMPARE(progress->maximum(), 1000);
    QCOMPARE(progress->value(), 250);
    QCOMPARE(label->text(), u"Receiving… 512.0 kB of 2.0 MB"_s);

    view.setBusy(true, 3000, -1);
    QCOMPARE(progress->maximum(), 0);
    QCOMPARE(label->text(), u"Receiving… 2.9 kB"_s);

    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(cancel.size(), 1);
    QVERIFY(!button->isEnabled());
    QCOMPARE(label->text(), u"Canceling…"_s);
    view.setBusy(true, 4000, -1); // late progress does not undo "Canceling…"
    QCOMPARE(label->text(), u"Canceling…"_s);

    view.setBusy(false);
    QVERIFY(!progress->isVisible());
    QVERIFY(!button->isVisible());
    view.setBusy(true);
    QVERIFY(button->isEnabled());
}

void TestResponseView::bigBodyCappedAndShownProgressively()
{
    ResponseView view;
    view.resize(900, 600);
    view.show();
    view.setDisplayCap(256 * 1024);
    const QByteArray body = generatedDocument(2 * 1024 * 1024);
    view.setResponse(okJson(body));
    auto *pretty = child<QPlainTextEdit>(view, u"prettyView"_s);

    // The text arrives over several event-loop turns: seen partly filled at least once.
    int partialSightings = 0;
    int lastBlocks = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const int blocks = pretty->document()->blockCount();
            if (view.isParsing() && blocks > 1 && blocks != lastBlocks)
                ++partialSightings;
            lastBlocks = blocks;
            return !view.isParsing();
        },
        ParseTimeoutMs));
    QVERIFY2(partialSightings >= 2, qPrintable(QString::number(partialSightings)));

    const QString prettyText = pretty->toPlainText();
    QVERIFY(prettyText.toUtf8().size() <= 256 * 1024);
    QVERIFY(prettyText.startsWith(u"{\n  \"data\": [\n    {\n      \"id\": 0,"_s));
    auto *prettyNote = child<QLabel>(view, u"prettyNote"_s);
    QVERIFY(prettyNote->isVisible());
    QVERIFY2(prettyNote->text().startsWith(u"Showing the first "_s) && prettyNote->text().contains(u"(2.0 MB in all), formatted"_s),
             qPrintable(prettyNote->text()));
    QVERIFY(prettyNote->text().contains(u"Save body… writes all of it."_s));

    // Raw: the first 256 KB of a one-line body, in pieces a text view can lay out.
    auto *raw = child<QPlainTextEdit>(view, u"rawView"_s);
    const QString rawText = raw->toPlainText();
    QCOMPARE(QString(rawText).remove(u'\n'), QString::fromUtf8(body.first(256 * 1024)).remove(u'\uFFFD'));
    QVERIFY(raw->document()->blockCount() > 100);
    const QString rawNote = child<QLabel>(view, u"rawNote"_s)->text();
    QVERIFY2(rawNote.contains(u"Showing the first 256.0 kB of the body (2.0 MB in all)"_s), qPrintable(rawNote));
    QVERIFY(rawNote.contains(u"Lines longer than 2,000 characters are shown in pieces."_s));

    // The tree has everything.
    auto *tree = child<QTreeView>(view, u"treeView"_s);
    const QModelIndex data = tree->model()->index(0, 0, tree->model()->index(0, 0));
    QVERIFY(data.data(JsonTreeModel::ChildCountRole).toInt() > 7000);
    QVERIFY(!child<QToolButton>(view, u"expandAll"_s)->isEnabled());
}

void TestResponseView::newResponseReplacesOneStillParsing()
{
    ResponseView view;
    view.show();
    view.setResponse(okJson(generatedDocument(8 * 1024 * 1024)));
    QVERIFY(view.isParsing());
    view.setResponse(forbidden());
    QVERIFY(waitUntilShown(view));
    QTest::qWait(50);
    QCOMPARE(child<QPlainTextEdit>(view, u"prettyView"_s)->toPlainText(),
             u"{\n  \"error\": \"insufficient_scope\",\n  \"error_description\": \"trades:execute required\"\n}"_s);
    QCOMPARE(child<QTreeView>(view, u"treeView"_s)->model()->index(0, JsonTreeModel::ValueColumn).data().toString(), u"{2 members}"_s);
    // Destroyed mid-parse: the worker finishes on its own.
    auto *doomed = new ResponseView;
    doomed->setResponse(okJson(generatedDocument(8 * 1024 * 1024)));
    delete doomed;
}

void TestResponseView::interactiveWidgetsHaveAccessibleNames()
{
    ResponseView view;
    view.setResponse(forbidden());
    QStringList unnamed;
    for (QWidget *widget : view.findChildren<QWidget *>()) {
        const bool interactive = qobject_cast<QAbstractButton *>(widget) || qobject_cast<QAbstractItemView *>(widget)
                                 || qobject_cast<QPlainTextEdit *>(widget) || qobject_cast<QProgressBar *>(widget)
                                 || qobject_cast<QTabWidget *>(widget)
                                 || (qobject_cast<QLabel *>(widget)
                                     && (qobject_cast<QLabel *>(widget)->textInteractionFlags() & Qt::TextSelectableByKeyboard));
        // Headers, the table's corner button and tab bar arrows belong to Qt and are named by it.
        const bool qtInternal = qobject_cast<QHeaderView *>(widget) || widget->objectName().startsWith(u"qt_"_s)
                                || QByteArray(widget->metaObject()->className()) == "QTableCornerButton"
                                || (widget->parentWidget() && QByteArray(widget->parentWidget()->metaObject()->className()) == "QTabBar");
        if (interactive && !qtInternal && widget->accessibleName().isEmpty())
            unnamed.append(widget->objectName() + u':' + QString::fromLatin1(widget->metaObject()->className()));
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
}

void TestResponseView::fiftyMegabytesDoNotStallTheEventLoop()
{
    const QByteArray body = generatedDocument(50 * 1024 * 1024);
    ResponseView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    // The longest stretch the UI thread worked without turning its event loop is the stall the
    // user would feel (EventLoopStallMeter: load from other processes does not count).
    EventLoopStallMeter meter;
    meter.start();
    QTest::qWait(50);
    qint64 started = -1;
    QTimer::singleShot(0, this, [&] {
        started = meter.elapsed();
        view.setResponse(okJson(body));
    });
    QVERIFY(QTest::qWaitFor([&] { return started >= 0 && !view.isParsing(); }, ParseTimeoutMs));
    const qint64 done = meter.elapsed() - started;
    QTest::qWait(20);
    meter.stop();

    qInfo("50 MB JSON: longest event-loop gap %lld ms, of which the UI thread worked %lld ms; all views filled after %lld ms",
          meter.longestGap(), meter.busiest(), done);
    QVERIFY(child<QPlainTextEdit>(view, u"prettyView"_s)->document()->characterCount() > 1'000'000);
    // Generous for a loaded CI machine; bench/response-stall.sh measures against the 100 ms target.
    QVERIFY2(meter.busiest() < 500, qPrintable(QString::number(meter.busiest())));
}

void TestResponseView::findInPrettyRawAndTree()
{
    ResponseView view;
    view.resize(700, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResponse(okJson(R"({"accounts":[{"id":"acc-1","owner":"Ada"},{"id":"acc-2","owner":"Grace"}],"next":"acc-3"})"));
    QVERIFY(waitUntilShown(view));
    auto *tabs = child<QTabWidget>(view, u"bodyTabs"_s);
    auto *bar = view.findBar();
    auto *field = child<QLineEdit>(view, u"findField"_s);
    QVERIFY(!bar->isVisible());

    // Pretty: every match highlighted, the first one selected; next and previous go round.
    tabs->setCurrentIndex(0);
    view.find();
    QVERIFY(bar->isVisible());
    QCOMPARE(QApplication::focusWidget(), field);
    QTest::keyClicks(field, u"ACC-"_s); // case does not matter
    auto *pretty = child<QPlainTextEdit>(view, u"prettyView"_s);
    QCOMPARE(bar->matchCount(), 3);
    QCOMPARE(pretty->extraSelections().size(), 3);
    QCOMPARE(pretty->textCursor().selectedText(), u"acc-"_s);
    QCOMPARE(child<QLabel>(view, u"findCount"_s)->text(), u"1 of 3"_s);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(bar->currentMatch(), 1);
    QTest::keyClick(field, Qt::Key_Return);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(bar->currentMatch(), 0); // round to the first
    QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(bar->currentMatch(), 2);
    QCOMPARE(child<QLabel>(view, u"findCount"_s)->text(), u"3 of 3"_s);
    // F3 from the text itself.
    pretty->setFocus();
    QTest::keyClick(pretty, Qt::Key_F3);
    QCOMPARE(bar->currentMatch(), 0);

    // Raw: the same search, in the body as received.
    tabs->setCurrentIndex(2);
    auto *raw = child<QPlainTextEdit>(view, u"rawView"_s);
    QCOMPARE(bar->matchCount(), 3);
    QCOMPARE(raw->textCursor().selectedText(), u"acc-"_s);
    QVERIFY(pretty->extraSelections().isEmpty());

    // Tree: keys and values, the match selected with its branch opened.
    tabs->setCurrentIndex(1);
    auto *tree = child<QTreeView>(view, u"treeView"_s);
    QCOMPARE(bar->matchCount(), 3);
    QCOMPARE(tree->currentIndex().siblingAtColumn(JsonTreeModel::ValueColumn).data(JsonTreeModel::ValueRole).toString(), u"acc-1"_s);
    QVERIFY(tree->isExpanded(tree->currentIndex().parent()));
    field->setFocus();
    field->selectAll();
    QTest::keyClicks(field, u"owner"_s);
    QCOMPARE(bar->matchCount(), 2);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(tree->currentIndex().data(JsonTreeModel::PathRole).toString(), u"$.accounts[1].owner"_s);
    field->selectAll();
    QTest::keyClicks(field, u"nowhere"_s);
    QCOMPARE(bar->matchCount(), 0);
    QCOMPARE(child<QLabel>(view, u"findCount"_s)->text(), u"no match"_s);

    // Esc closes the bar and gives the view its focus back; a new response is searched anew.
    QTest::keyClick(field, Qt::Key_Escape);
    QVERIFY(!bar->isVisible());
    QCOMPARE(QApplication::focusWidget(), tree);
    tabs->setCurrentIndex(0);
    view.find();
    field->selectAll();
    QTest::keyClicks(field, u"grace"_s);
    QCOMPARE(bar->matchCount(), 1);
    view.setResponse(okJson(R"({"owner":"Grace","friend":"Grace"})"));
    QVERIFY(waitUntilShown(view));
    QCOMPARE(bar->matchCount(), 2);
}

void TestResponseView::notSentAndExchangeNotes()
{
    ResponseView view;
    view.show();
    ResponseDisplay display;
    display.notSent = true;
    display.error = u"the request to production was not confirmed."_s;
    display.notes = {u"A token was fetched, but the request was not sent."_s};
    view.setResponse(display);
    QCOMPARE(child<QLabel>(view, u"statusLine"_s)->text(), u"Not sent"_s);
    QCOMPARE(child<QLabel>(view, u"statusLine"_s)->property("statusClass").toString(), u"not-sent"_s);
    QCOMPARE(child<QLabel>(view, u"exchangeNotes"_s)->text(), display.notes.constFirst());
    QCOMPARE(child<QPlainTextEdit>(view, u"prettyView"_s)->placeholderText(), u"Nothing was sent."_s);
    // The lines go with the exchange.
    view.clear();
    QVERIFY(!child<QLabel>(view, u"exchangeNotes"_s)->isVisible());
    QVERIFY(!child<QLabel>(view, u"statusLine"_s)->isVisible());
    // Waiting for something other than the answer says what.
    view.setWaiting(u"Authorizing first (scopes: accounts:read)…"_s);
    QCOMPARE(child<QLabel>(view, u"progressLabel"_s)->text(), u"Authorizing first (scopes: accounts:read)…"_s);
    view.setBusy(true);
    QCOMPARE(child<QLabel>(view, u"progressLabel"_s)->text(), u"Waiting for the response…"_s);
}

TOKENBENCH_WIDGET_TEST_MAIN(TestResponseView)
#include "tst_responseview.moc"
