#include "ResponseView.h"

#include "FindBar.h"
#include "Fonts.h"
#include "JsonHighlighter.h"
#include "PlainToolTips.h"
#include "http/ResponseLimit.h"
#include "json/JsonFormatter.h"
#include "json/JsonTreeModel.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QMimeDatabase>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

// What the worker hands back: first the plain text (raw text or a hex dump), then, for JSON,
// the parsed tree with the pretty text.
struct ResponseView::Prepared
{
    enum class Stage { Text, Json };
    Stage stage = Stage::Text;
    quint64 generation = 0;
    JsonFormatter::Result text;
    JsonTreeModel::TreePtr tree;
};

namespace {
using JsonType = JsonTreeModel::Type;

// Per event-loop turn the text views take pieces of about PieceChars characters (cut at a line
// end) until FillBudgetMs have gone. One piece, highlighting included, costs a few
// milliseconds, so input and painting get their turn well within 100 ms while 8 MB still fill
// in a few seconds.
constexpr qsizetype PieceChars = 8 * 1024;
constexpr int FillBudgetMs = 8;
constexpr int RehighlightBlocksAtOnce = 4000;
// "Expand all" on a bigger tree would lay out that many rows at once.
constexpr qsizetype ExpandAllLimit = 5000;

const auto suggestedBaseName = u"response"_s;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor negativeText(const QPalette &palette)
{
    return isDark(palette) ? QColor(255, 138, 128) : QColor(180, 30, 30);
}

QString headerText(const QByteArray &bytes)
{
    // RFC 9110 leaves non-ASCII header bytes opaque; UTF-8 is what servers mean nowadays, and
    // Latin-1 shows anything else byte for byte.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    return utf8.hasError() ? QString::fromLatin1(bytes) : text;
}

// Colours the tree's value column like the pretty text.
class JsonValueDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != JsonTreeModel::ValueColumn)
            return;
        QColor color;
        switch (static_cast<JsonType>(index.data(JsonTreeModel::TypeRole).toInt())) {
        case JsonType::String: color = JsonHighlighter::color(JsonHighlighter::Kind::String, option->palette); break;
        case JsonType::Number: color = JsonHighlighter::color(JsonHighlighter::Kind::Number, option->palette); break;
        case JsonType::Boolean:
        case JsonType::Null: color = JsonHighlighter::color(JsonHighlighter::Kind::Keyword, option->palette); break;
        case JsonType::Array:
        case JsonType::Object: color = JsonHighlighter::color(JsonHighlighter::Kind::Punctuation, option->palette); break;
        case JsonType::Error: color = negativeText(option->palette); break;
        }
        option->palette.setColor(QPalette::Text, color);
    }
};
} // namespace

ResponseView::ResponseView(QWidget *parent)
    : QWidget(parent)
{
    m_watcher = new QFutureWatcher<Prepared>(this);
    connect(m_watcher, &QFutureWatcherBase::resultReadyAt, this, &ResponseView::takeResult);
    connect(m_watcher, &QFutureWatcherBase::finished, this, [this] {
        m_preparing = false;
        // The future still holds the texts; let them go once this signal is over.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_preparing)
                    m_watcher->setFuture(QFuture<Prepared>());
            },
            Qt::QueuedConnection);
        updateParsingState();
    });
    m_fillTimer = new QTimer(this);
    m_fillTimer->setInterval(0);
    connect(m_fillTimer, &QTimer::timeout, this, &ResponseView::fillSome);
    m_treeModel = new JsonTreeModel(this);
    buildUi();
    applyTones();
    clear();
}

ResponseView::~ResponseView()
{
    // The worker notices and stops; it holds its own copy of the body, nothing of this widget.
    m_watcher->cancel();
}

void ResponseView::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // Transfer progress, while a request runs.
    m_progressRow = new QWidget(this);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progressLabel = new QLabel(m_progressRow);
    m_progressLabel->setObjectName(u"progressLabel"_s);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(u"progress"_s);
    m_progress->setAccessibleName(tr("Transfer progress"));
    m_progress->setTextVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancel->setObjectName(u"cancelButton"_s);
    m_cancel->setAccessibleName(tr("Cancel the request"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_progressLabel->setText(tr("Canceling…"));
        Q_EMIT cancelRequested();
    });
    progressLayout->addWidget(m_progressLabel);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();
    layout->addWidget(m_progressRow);

    // Status, meaning, time and size.
    auto *statusRow = new QHBoxLayout;
    m_emptyState = new QLabel(tr("No response yet."), this);
    m_emptyState->setObjectName(u"emptyState"_s);
    m_emptyState->setForegroundRole(QPalette::PlaceholderText);
    m_statusLine = new QLabel(this);
    m_statusLine->setObjectName(u"statusLine"_s);
    m_statusLine->setTextFormat(Qt::PlainText);
    m_statusLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A pill around the text, never stretched across the row.
    m_statusLine->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    m_statusMeaning = new QLabel(this);
    m_statusMeaning->setObjectName(u"statusMeaning"_s);
    m_statusMeaning->setTextFormat(Qt::PlainText);
    m_statusMeaning->setWordWrap(true);
    m_statusMeaning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusMeaning->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_metrics = new QLabel(this);
    m_metrics->setObjectName(u"metrics"_s);
    m_metrics->setTextFormat(Qt::PlainText);
    m_metrics->setForegroundRole(QPalette::PlaceholderText);
    m_metrics->setAlignment(Qt::AlignRight | Qt::AlignTop);
    statusRow->addWidget(m_emptyState, 1);
    statusRow->addWidget(m_statusLine, 0, Qt::AlignTop);
    statusRow->addWidget(m_statusMeaning, 1);
    statusRow->addWidget(m_metrics, 0, Qt::AlignTop | Qt::AlignRight);
    layout->addLayout(statusRow);

    // Why the server said no, when the caller knows.
    m_readout = new QLabel(this);
    m_readout->setObjectName(u"readout"_s);
    m_readout->setAccessibleName(tr("Why the server answered this way"));
    m_readout->setTextFormat(Qt::PlainText);
    m_readout->setWordWrap(true);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_readout->hide();
    layout->addWidget(m_readout);
    // A 403 that names what is missing is one click from a token that has it.
    m_authorizeMissing = new QPushButton(this);
    m_authorizeMissing->setObjectName(u"authorizeMissingScopes"_s);
    m_authorizeMissing->hide();
    connect(m_authorizeMissing, &QPushButton::clicked, this, [this] { Q_EMIT authorizeWithScopesRequested(m_response.missingScopes); });
    layout->addWidget(m_authorizeMissing, 0, Qt::AlignLeft);

    // An answer stopped at the size limit: what is shown is only its beginning.
    m_cutBanner = new QLabel(this);
    m_cutBanner->setObjectName(u"cutBanner"_s);
    m_cutBanner->setAccessibleName(tr("The response was cut"));
    m_cutBanner->setTextFormat(Qt::PlainText);
    m_cutBanner->setWordWrap(true);
    m_cutBanner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_cutBanner->hide();
    layout->addWidget(m_cutBanner);

    // What else this exchange did (a token fetched first, a header withheld, a redirect).
    m_exchangeNotes = new QLabel(this);
    m_exchangeNotes->setObjectName(u"exchangeNotes"_s);
    m_exchangeNotes->setAccessibleName(tr("About this exchange"));
    m_exchangeNotes->setTextFormat(Qt::PlainText);
    m_exchangeNotes->setWordWrap(true);
    m_exchangeNotes->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_exchangeNotes->setForegroundRole(QPalette::PlaceholderText);
    m_exchangeNotes->hide();
    layout->addWidget(m_exchangeNotes);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"bodyTabs"_s);
    m_tabs->setAccessibleName(tr("Response body"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildTextPage(m_prettyView, m_prettyNote, u"pretty"_s, tr("Formatted response body")), tr("Pretty"));
    m_tabs->addTab(buildTreePage(), tr("Tree"));
    m_tabs->addTab(buildTextPage(m_rawView, m_rawNote, u"raw"_s, tr("Response body as received")), tr("Raw"));
    m_headersView = new QTableWidget(0, 2, m_tabs);
    m_headersView->setObjectName(u"headersView"_s);
    PlainToolTips::install(m_headersView); // header values are the server's text
    m_headersView->setAccessibleName(tr("Response headers"));
    m_headersView->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_headersView->horizontalHeader()->setStretchLastSection(true);
    m_headersView->verticalHeader()->hide();
    m_headersView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headersView->setSelectionBehavior(QAbstractItemView::SelectRows);
    // WWW-Authenticate says why a 401 or 403 happened: shown whole, wrapped.
    m_headersView->setWordWrap(true);
    m_headersView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_headersView->setAlternatingRowColors(true);
    m_tabs->addTab(m_headersView, tr("Headers"));
    // The text fill follows the tab being looked at.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (!m_fills.empty())
            m_fillTimer->start();
    });

    auto *corner = new QWidget(m_tabs);
    auto *cornerLayout = new QHBoxLayout(corner);
    cornerLayout->setContentsMargins(0, 0, 0, 2);
    m_parsingIndicator = new QLabel(tr("Formatting…"), corner);
    m_parsingIndicator->setObjectName(u"parsingIndicator"_s);
    m_parsingIndicator->setAccessibleName(tr("Formatting the response body"));
    m_parsingIndicator->setForegroundRole(QPalette::PlaceholderText);
    m_parsingIndicator->hide();
    m_saveStatus = new QLabel(corner);
    m_saveStatus->setObjectName(u"saveStatus"_s);
    m_saveStatus->setTextFormat(Qt::PlainText);
    m_saveStatus->hide();
    m_saveBody = new QPushButton(tr("Save body…"), corner);
    m_saveBody->setObjectName(u"saveBody"_s);
    m_saveBody->setAccessibleName(tr("Save the response body to a file"));
    m_saveBody->setToolTip(tr("Writes the whole body as received, however big"));
    connect(m_saveBody, &QPushButton::clicked, this, &ResponseView::askAndSave);
    m_copyBody = new QPushButton(tr("Copy"), corner);
    m_copyBody->setObjectName(u"copyBody"_s);
    m_copyBody->setAccessibleName(tr("Copy the response body"));
    m_copyBody->setToolTip(tr("Copies the body as received"));
    connect(m_copyBody, &QPushButton::clicked, this, &ResponseView::copyBody);
    cornerLayout->addWidget(m_parsingIndicator);
    cornerLayout->addWidget(m_saveStatus);
    cornerLayout->addWidget(m_saveBody);
    cornerLayout->addWidget(m_copyBody);
    m_tabs->setCornerWidget(corner, Qt::TopRightCorner);
    layout->addWidget(m_tabs, 1);

    m_findBar = new FindBar(this, this);
    layout->addWidget(m_findBar);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ResponseView::updateFindTarget);
    // Matches are counted in what the views hold: again once all of it is shown.
    connect(this, &ResponseView::parsingFinished, m_findBar, &FindBar::refresh);
    updateFindTarget();
}

QWidget *ResponseView::buildTextPage(QPlainTextEdit *&view, QLabel *&note, const QString &name, const QString &accessibleName)
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    note = new QLabel(page);
    note->setObjectName(name + u"Note"_s);
    note->setTextFormat(Qt::PlainText);
    note->setWordWrap(true);
    note->hide();
    layout->addWidget(note);
    view = new QPlainTextEdit(page);
    view->setObjectName(name + u"View"_s);
    view->setAccessibleName(accessibleName);
    view->setReadOnly(true);
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // Nothing to undo in a read-only view, and an undo stack would keep a second copy of 8 MB.
    view->setUndoRedoEnabled(false);
    view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    view->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    view->setFont(Fonts::monospace());
    layout->addWidget(view, 1);
    return page;
}

QWidget *ResponseView::buildTreePage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *bar = new QHBoxLayout;
    m_expandAll = new QToolButton(page);
    m_expandAll->setObjectName(u"expandAll"_s);
    m_expandAll->setText(tr("Expand all"));
    m_expandAll->setAccessibleName(tr("Expand every branch of the tree"));
    m_collapseAll = new QToolButton(page);
    m_collapseAll->setObjectName(u"collapseAll"_s);
    m_collapseAll->setText(tr("Collapse all"));
    m_collapseAll->setAccessibleName(tr("Collapse every branch of the tree"));
    m_treeInfo = new QLabel(page);
    m_treeInfo->setObjectName(u"treeInfo"_s);
    m_treeInfo->setForegroundRole(QPalette::PlaceholderText);
    m_treeInfo->setTextFormat(Qt::PlainText);
    bar->addWidget(m_expandAll);
    bar->addWidget(m_collapseAll);
    bar->addWidget(m_treeInfo, 1);
    layout->addLayout(bar);

    m_treeView = new QTreeView(page);
    m_treeView->setObjectName(u"treeView"_s);
    PlainToolTips::install(m_treeView); // a string's tooltip is the body's text
    m_treeView->setAccessibleName(tr("Response body as a tree"));
    m_treeView->setModel(m_treeModel);
    m_treeView->setItemDelegate(new JsonValueDelegate(m_treeView));
    // Uniform heights let the view skip measuring every row of a big container.
    m_treeView->setUniformRowHeights(true);
    m_treeView->setAlternatingRowColors(true);
    m_treeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_treeView->setAnimated(false);
    m_treeView->setFont(Fonts::monospace());
    m_treeView->header()->setStretchLastSection(false);
    m_treeView->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    m_treeView->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_treeView->header()->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::Interactive);
    const QFontMetrics metrics(m_treeView->font());
    // Room for a 24-character key four levels down.
    m_treeView->setColumnWidth(JsonTreeModel::KeyColumn, metrics.horizontalAdvance(QString(24, u'M')) + 4 * m_treeView->indentation());
    m_treeView->setColumnWidth(JsonTreeModel::TypeColumn, metrics.horizontalAdvance(QString(9, u'M')));
    layout->addWidget(m_treeView, 1);

    // Copy what is selected: the value, its path, or its JSON as received.
    const auto addCopyAction = [this](const QString &text, const QKeySequence &shortcut, int role) {
        auto *action = new QAction(text, m_treeView);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, [this, role] {
            const QModelIndex current = m_treeView->currentIndex();
            if (!current.isValid())
                return;
            const QVariant value = current.siblingAtColumn(0).data(role);
            if (role == JsonTreeModel::RawJsonRole)
                QGuiApplication::clipboard()->setText(QString::fromUtf8(value.toByteArray()));
            else
                QGuiApplication::clipboard()->setText(value.toString());
        });
        m_treeView->addAction(action);
    };
    addCopyAction(tr("Copy value"), QKeySequence::Copy, JsonTreeModel::ValueRole);
    addCopyAction(tr("Copy path"), QKeySequence(), JsonTreeModel::PathRole);
    addCopyAction(tr("Copy JSON"), QKeySequence(), JsonTreeModel::RawJsonRole);
    m_treeView->setContextMenuPolicy(Qt::ActionsContextMenu);

    connect(m_expandAll, &QToolButton::clicked, this, [this] { m_treeView->expandRecursively(m_treeModel->rootIndex()); });
    connect(m_collapseAll, &QToolButton::clicked, this, [this] {
        m_treeView->collapseAll();
        m_treeView->expand(m_treeModel->rootIndex());
    });
    return page;
}

// ---- content ----

void ResponseView::setResponse(const ResponseDisplay &response)
{
    m_response = response;
    if (m_response.sizeBytes < 0)
        m_response.sizeBytes = m_response.body.size();
    m_hasResponse = true;
    resetBody();
    showStatus();
    showHeaders();

    const QByteArray &body = m_response.body;
    m_isBinary = !body.isEmpty() && JsonFormatter::looksBinary(body, m_response.contentType);
    const QString mime = m_response.contentType.section(u';', 0, 0).trimmed().toLower();
    m_isJson = !m_isBinary
               && (JsonFormatter::isJsonContentType(m_response.contentType)
                   || ((mime.isEmpty() || mime == u"text/plain"_s) && JsonFormatter::looksLikeJson(body)));
    const int treeTab = m_tabs->indexOf(m_treeView->parentWidget());
    m_tabs->setTabEnabled(treeTab, m_isJson);
    m_tabs->setTabToolTip(treeTab, m_isJson ? QString() : tr("The body is not JSON"));
    if (!m_isJson && m_tabs->currentIndex() == treeTab)
        m_tabs->setCurrentIndex(0);
    m_saveBody->setEnabled(!body.isEmpty());
    m_copyBody->setEnabled(!body.isEmpty() && !m_isBinary);

    if (body.isEmpty()) {
        const QString none = m_response.notSent   ? tr("Nothing was sent.")
                             : m_response.cut     ? tr("Nothing of the body was read.")
                             : m_response.error.isEmpty() ? tr("The response has no body.")
                                                  : tr("No response.");
        m_prettyView->setPlaceholderText(none);
        m_rawView->setPlaceholderText(none);
    } else {
        startPreparing();
    }
    updateParsingState();
}

void ResponseView::clear()
{
    m_response = {};
    m_hasResponse = false;
    m_isJson = false;
    m_isBinary = false;
    resetBody();
    showStatus();
    showHeaders();
    m_prettyView->setPlaceholderText({});
    m_rawView->setPlaceholderText({});
    m_saveBody->setEnabled(false);
    m_copyBody->setEnabled(false);
    updateParsingState();
}

void ResponseView::resetBody()
{
    ++m_generation;
    if (m_preparing) {
        m_watcher->cancel();
        m_preparing = false;
    }
    m_fills.clear();
    m_rehighlightBlock = -1;
    m_rawText.clear();
    retireDocument(m_prettyView);
    retireDocument(m_rawView);
    m_treeModel->clear();
    m_prettyNoteText.clear();
    m_prettyNoteIsWarning = false;
    m_rawNoteText.clear();
    m_saveStatus->hide();
    updateNotes();
    updateTreeInfo();
    m_findBar->refresh();
}

void ResponseView::showStatus()
{
    const bool has = m_hasResponse;
    m_emptyState->setVisible(!has);
    m_statusLine->setVisible(has);
    m_metrics->setVisible(has);
    m_exchangeNotes->setText(has ? m_response.notes.join(u'\n') : QString());
    m_exchangeNotes->setVisible(!m_exchangeNotes->text().isEmpty());
    m_cutBanner->setText(has ? cutText() : QString());
    m_cutBanner->setAccessibleDescription(m_cutBanner->text());
    m_cutBanner->setVisible(!m_cutBanner->text().isEmpty());
    if (!has) {
        m_statusMeaning->hide();
        m_readout->hide();
        m_authorizeMissing->hide();
        m_statusLine->setProperty("statusClass", QString());
        return;
    }

    QString statusClass;
    if (m_response.notSent) {
        m_statusLine->setText(tr("Not sent"));
        m_statusMeaning->setText(m_response.error);
        statusClass = u"not-sent"_s;
    } else if (!m_response.error.isEmpty()) {
        m_statusLine->setText(tr("No response"));
        m_statusMeaning->setText(m_response.error);
        statusClass = u"transport-error"_s;
    } else {
        m_statusLine->setText(m_response.reason.isEmpty() ? QString::number(m_response.status)
                                                          : tr("%1 %2").arg(m_response.status).arg(m_response.reason));
        // "200 OK" needs no "OK" beside it.
        m_statusMeaning->setText(m_response.statusMeaning == m_response.reason ? QString() : m_response.statusMeaning);
        const int statusHundreds = m_response.status / 100;
        statusClass = statusHundreds == 1   ? u"informational"_s
                      : statusHundreds == 2 ? u"success"_s
                      : statusHundreds == 3 ? u"redirect"_s
                      : statusHundreds == 4 ? u"client-error"_s
                      : statusHundreds == 5 ? u"server-error"_s
                                            : u"unknown"_s;
    }
    m_statusLine->setProperty("statusClass", statusClass);
    m_statusLine->setAccessibleName(tr("Status: %1").arg(m_statusLine->text()));
    m_statusMeaning->setVisible(!m_statusMeaning->text().isEmpty());

    QStringList metrics;
    if (m_response.elapsedMs >= 0)
        metrics.append(formatElapsed(m_response.elapsedMs));
    if (m_response.cut) {
        metrics.append(tr("%1 received, cut").arg(formatSize(m_response.body.size())));
    } else if (m_response.error.isEmpty()) {
        metrics.append(formatSize(m_response.sizeBytes));
        if (m_response.sizeBytes != m_response.body.size())
            metrics.append(tr("body %1").arg(formatSize(m_response.body.size())));
    }
    m_metrics->setText(metrics.join(u" · "_s));
    m_metrics->setToolTip(tr("Time to the complete answer · size on the wire"));

    m_readout->setText(m_response.readout.trimmed());
    m_readout->setAccessibleDescription(m_readout->text());
    m_readout->setVisible(!m_readout->text().isEmpty());
    const QString missing = m_response.missingScopes.join(u' ');
    m_authorizeMissing->setText(tr("Authorize with %1 added…").arg(missing));
    m_authorizeMissing->setAccessibleName(m_authorizeMissing->text());
    m_authorizeMissing->setToolTip(tr("Opens the Authorize dialog with the scopes this request used and %1 selected").arg(missing));
    m_authorizeMissing->setVisible(!m_response.missingScopes.isEmpty() && m_response.error.isEmpty());
    applyTones();
}

QString ResponseView::cutText() const
{
    if (!m_response.cut)
        return {};
    const ResponseDisplay::Cut &cut = *m_response.cut;
    if (cut.headers)
        return tr("Response headers larger than %1 — stopped there; the body was not read. Only the headers that came are shown.")
            .arg(ResponseLimit::format(cut.limit));
    return tr("Response larger than %1 — stopped at %2; only that part is shown. Raise the limit in Environment ▸ Preferences….")
        .arg(ResponseLimit::format(cut.limit), ResponseLimit::format(cut.at));
}

void ResponseView::showHeaders()
{
    const auto &headers = m_response.headers;
    m_headersView->setRowCount(int(headers.size()));
    for (int row = 0; row < int(headers.size()); ++row) {
        auto *name = new QTableWidgetItem(QString::fromLatin1(headers.at(row).first));
        auto *value = new QTableWidgetItem(headerText(headers.at(row).second));
        value->setToolTip(value->text());
        m_headersView->setItem(row, 0, name);
        m_headersView->setItem(row, 1, value);
    }
    m_headersView->resizeColumnToContents(0);
    const int index = m_tabs->indexOf(m_headersView);
    m_tabs->setTabText(index, headers.isEmpty() ? tr("Headers") : tr("Headers (%1)").arg(headers.size()));
}

void ResponseView::startPreparing()
{
    auto promise = std::make_shared<QPromise<Prepared>>();
    promise->start();
    m_watcher->setFuture(promise->future());
    m_preparing = true;

    const QByteArray body = m_response.body; // shared, not copied: nobody writes to it
    const QByteArray charset = JsonFormatter::charsetOf(m_response.contentType);
    const bool isJson = m_isJson;
    const bool isBinary = m_isBinary;
    const quint64 generation = m_generation;
    JsonFormatter::Options options;
    options.maxBytes = m_displayCap;
    options.maxLines = m_displayLineCap;
    QThreadPool::globalInstance()->start([promise, body, charset, isJson, isBinary, generation, options] {
        const auto canceled = [&promise] { return promise->isCanceled(); };
        Prepared text;
        text.generation = generation;
        text.text = isBinary ? JsonFormatter::hexDump(body, options) : JsonFormatter::plainText(body, charset, options);
        promise->addResult(std::move(text));
        if (isJson && !canceled()) {
            Prepared json;
            json.stage = Prepared::Stage::Json;
            json.generation = generation;
            json.tree = JsonTreeModel::parse(body, JsonTreeModel::ParseOptions(), canceled);
            // Too deep or too big for the tree is still JSON the formatter can show.
            const auto error = json.tree->error();
            if (error == JsonTreeModel::Error::None || error == JsonTreeModel::Error::TooDeep
                || error == JsonTreeModel::Error::TooManyValues || error == JsonTreeModel::Error::TooLarge)
                json.text = JsonFormatter::prettyPrint(body, options, canceled);
            promise->addResult(std::move(json));
        }
        promise->finish();
    });
}

void ResponseView::takeResult(int index)
{
    const Prepared result = m_watcher->resultAt(index);
    if (result.generation != m_generation)
        return;

    const auto shownNote = [this](const JsonFormatter::Result &text, bool formatted) {
        QStringList parts;
        if (text.truncated) {
            parts.append(formatted ? tr("Showing the first %1 of the body (%2 in all), formatted. Save body… writes all of it.")
                                         .arg(formatSize(text.inputBytes), formatSize(text.totalBytes))
                                   : tr("Showing the first %1 of the body (%2 in all). Save body… writes all of it.")
                                         .arg(formatSize(text.inputBytes), formatSize(text.totalBytes)));
        }
        if (text.linesBroken)
            parts.append(tr("Lines longer than %L1 characters are shown in pieces.").arg(JsonFormatter::Options().maxLineLength));
        return parts.join(u' ');
    };

    if (result.stage == Prepared::Stage::Text) {
        if (m_isBinary) {
            m_rawNoteText = tr("Binary body (%1, %2), shown as hex.").arg(m_response.contentType.isEmpty() ? tr("no content type") : m_response.contentType,
                                                                       formatSize(result.text.totalBytes));
            if (result.text.truncated)
                m_rawNoteText += u' ' + tr("Showing the first %1. Save body… writes all of it.").arg(formatSize(result.text.inputBytes));
            m_prettyNoteText = tr("Binary body: nothing to format. Raw shows it as hex; Save body… keeps it as it is.");
            m_prettyView->setPlaceholderText(tr("Binary body"));
        } else {
            m_rawNoteText = shownNote(result.text, false);
        }
        showText(m_rawView, result.text.text);
        if (m_isJson) {
            // Pretty waits for the parse: it shows this text only if the body is not valid JSON.
            m_rawText = result.text.text;
        } else if (!m_isBinary) {
            m_prettyNoteText = m_rawNoteText;
            showText(m_prettyView, result.text.text);
        }
    } else {
        const JsonTreeModel::TreePtr &tree = result.tree;
        m_treeModel->setTree(tree);
        m_treeView->expand(m_treeModel->rootIndex());
        if (!result.text.text.isEmpty()) {
            // A child of the document: it goes when the document is retired, without walking
            // every block to take its colours off (which setDocument(nullptr) would).
            m_highlighter = new JsonHighlighter(m_prettyView->document());
            m_highlighter->setColors(palette());
            m_prettyNoteText = shownNote(result.text, true);
            if (!tree->isValid())
                m_prettyNoteText = tree->errorString() + u' ' + m_prettyNoteText;
            showText(m_prettyView, result.text.text);
        } else {
            m_prettyNoteText = tr("%1 Shown as received.").arg(tree->errorString());
            m_prettyNoteIsWarning = true;
            showText(m_prettyView, m_rawText);
        }
        m_rawText.clear();
        updateTreeInfo();
    }
    updateNotes();
    updateParsingState();
}

void ResponseView::showText(QPlainTextEdit *view, const QString &text)
{
    if (text.isEmpty())
        return;
    m_fills.push_back(Fill{view, text, 0});
    m_fillTimer->start();
}

void ResponseView::retireDocument(QPlainTextEdit *view)
{
    QTextDocument *old = view->document();
    if (old->isEmpty() && old->blockCount() <= 1)
        return;
    // QPlainTextEdit deletes a document it parents when it gets another one; this one goes
    // later, a slice at a time, because deleting 8 MB of laid-out, highlighted text at once
    // would freeze the window for a few hundred milliseconds.
    old->setParent(this);
    auto *fresh = new QTextDocument(view);
    fresh->setDocumentLayout(new QPlainTextDocumentLayout(fresh));
    fresh->setUndoRedoEnabled(false);
    fresh->setDefaultFont(old->defaultFont());
    view->setDocument(fresh);
    if (m_highlighter && m_highlighter->document() == old)
        m_highlighter = nullptr;
    m_retired.push_back(old);
    m_fillTimer->start();
}

void ResponseView::dismantleSome(const QElapsedTimer &clock)
{
    while (!m_retired.empty() && clock.elapsed() < FillBudgetMs) {
        QTextDocument *document = m_retired.front();
        const int blocks = document->blockCount();
        if (blocks <= 1) {
            delete document;
            m_retired.erase(m_retired.begin());
            continue;
        }
        // From the end: nothing after the cut moves, so each step costs what it removes.
        QElapsedTimer step;
        step.start();
        QTextCursor cursor(document);
        cursor.setPosition(document->findBlockByNumber(std::max(0, blocks - m_retireStep)).position());
        cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        const qint64 took = step.elapsed();
        if (took < 2)
            m_retireStep = std::min(m_retireStep * 2, 256 * 1024);
        else if (took > 6)
            m_retireStep = std::max(m_retireStep / 2, 256);
    }
}

void ResponseView::fillSome()
{
    QElapsedTimer clock;
    clock.start();
    dismantleSome(clock);
    // The tab being looked at first.
    const QWidget *current = m_tabs->currentWidget();
    std::stable_partition(m_fills.begin(), m_fills.end(), [current](const Fill &fill) { return current->isAncestorOf(fill.view); });
    while (!m_fills.empty()) {
        Fill &fill = m_fills.front();
        qsizetype end = std::min(fill.position + PieceChars, fill.text.size());
        if (end < fill.text.size()) {
            const qsizetype newline = fill.text.indexOf(u'\n', end);
            end = newline < 0 ? fill.text.size() : newline + 1;
        }
        QTextCursor cursor(fill.view->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(fill.text.sliced(fill.position, end - fill.position));
        fill.position = end;
        if (fill.position >= fill.text.size())
            m_fills.erase(m_fills.begin());
        if (clock.elapsed() >= FillBudgetMs)
            break;
    }
    // After a palette change: the colours of what was highlighted before, a slice at a time.
    if (m_fills.empty() && m_rehighlightBlock >= 0) {
        QTextDocument *document = m_prettyView->document();
        QTextBlock block = document->findBlockByNumber(m_rehighlightBlock);
        for (int n = 0; block.isValid() && n < RehighlightBlocksAtOnce && clock.elapsed() < FillBudgetMs; ++n) {
            if (m_highlighter)
                m_highlighter->rehighlightBlock(block);
            block = block.next();
        }
        m_rehighlightBlock = block.isValid() ? block.blockNumber() : -1;
    }
    if (m_fills.empty() && m_rehighlightBlock < 0 && m_retired.empty())
        m_fillTimer->stop();
    updateParsingState();
}

bool ResponseView::isParsing() const
{
    return m_preparing || !m_fills.empty();
}

void ResponseView::updateParsingState()
{
    const bool parsing = isParsing();
    if (parsing) {
        // How far the visible text has got, once there is text to show.
        QString text = tr("Formatting…");
        const QWidget *current = m_tabs->currentWidget();
        for (const Fill &fill : m_fills) {
            if (current->isAncestorOf(fill.view)) {
                text = tr("Showing… %1%").arg(fill.position * 100 / std::max<qsizetype>(fill.text.size(), 1));
                break;
            }
        }
        m_parsingIndicator->setText(text);
    }
    m_parsingIndicator->setVisible(parsing);
    const bool finished = m_wasParsing && !parsing;
    m_wasParsing = parsing;
    if (finished)
        Q_EMIT parsingFinished();
}

void ResponseView::updateTreeInfo()
{
    const auto tree = m_treeModel->tree();
    if (!tree || !tree->isValid()) {
        m_treeInfo->clear();
        m_expandAll->setEnabled(false);
        m_collapseAll->setEnabled(false);
        return;
    }
    m_treeInfo->setText(tree->valueCount() == 1 ? tr("1 value") : tr("%L1 values, %L2 levels deep").arg(tree->valueCount()).arg(tree->maxDepth()));
    const bool small = tree->valueCount() <= ExpandAllLimit;
    m_expandAll->setEnabled(small);
    m_expandAll->setToolTip(small ? QString() : tr("Too big to expand at once (over %L1 values); open the branches you need").arg(ExpandAllLimit));
    m_collapseAll->setEnabled(true);
}

void ResponseView::updateNotes()
{
    // Dimmed when they only say how much is shown; in the warning colour when the body is broken.
    const QPalette &pal = palette();
    const QColor dim = mix(pal.color(QPalette::WindowText), pal.color(QPalette::Window), 0.25);
    for (QLabel *note : {m_prettyNote, m_rawNote}) {
        QPalette notePalette = note->palette();
        notePalette.setColor(QPalette::WindowText, note == m_prettyNote && m_prettyNoteIsWarning ? negativeText(pal) : dim);
        note->setPalette(notePalette);
    }
    m_prettyNote->setText(m_prettyNoteText);
    m_prettyNote->setVisible(!m_prettyNoteText.isEmpty());
    m_rawNote->setText(m_rawNoteText);
    m_rawNote->setVisible(!m_rawNoteText.isEmpty());
}

// ---- look ----

ResponseView::Tone ResponseView::statusTone() const
{
    if (m_response.notSent)
        return Tone::Neutral;
    if (!m_response.error.isEmpty())
        return Tone::Danger;
    switch (m_response.status / 100) {
    case 2: return Tone::Success;
    case 4: return Tone::Warning;
    case 5: return Tone::Danger;
    default: return Tone::Neutral;
    }
}

bool ResponseView::darkPalette() const
{
    return isDark(palette());
}

void ResponseView::applyTones()
{
    const QPalette &pal = palette();
    const Tone tone = statusTone();
    // The status carries its own foreground and background (each pair above 4.5:1), so it reads
    // the same on a light or a dark palette; the neutral one is mixed from the palette.
    QColor background;
    QColor foreground;
    QColor accent;
    switch (tone) {
    case Tone::Success:
        background = QColor(0x2e, 0x7d, 0x32);
        foreground = Qt::white;
        accent = background;
        break;
    case Tone::Warning:
        background = QColor(0xf0, 0xb0, 0x00);
        foreground = QColor(0x1a, 0x1a, 0x1a);
        accent = background;
        break;
    case Tone::Danger:
        background = QColor(0xc6, 0x28, 0x28);
        foreground = Qt::white;
        accent = darkPalette() ? QColor(0xef, 0x53, 0x50) : background;
        break;
    case Tone::Neutral:
        background = mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.15);
        foreground = pal.color(QPalette::Text);
        accent = mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.45);
        break;
    }
    m_statusLine->setStyleSheet(u"QLabel { background-color: %1; color: %2; border-radius: 3px; padding: 1px 8px; font-weight: 600; }"_s.arg(
        background.name(), foreground.name()));

    // The explanation: a tint of the status colour over the palette's base, in the palette's text.
    const QColor tint = mix(pal.color(QPalette::Base), accent, darkPalette() ? 0.22 : 0.12);
    m_readout->setStyleSheet(u"QLabel { background-color: %1; color: %2; border: 1px solid %3; border-left: 4px solid %3; "
                             u"border-radius: 3px; padding: 6px 8px; }"_s.arg(tint.name(), pal.color(QPalette::Text).name(), accent.name()));
    // The cut banner is a warning whatever the status: the body shown is not the whole answer.
    const QColor warning(0xf0, 0xb0, 0x00);
    m_cutBanner->setStyleSheet(u"QLabel { background-color: %1; color: %2; border: 1px solid %3; border-left: 4px solid %3; "
                               u"border-radius: 3px; padding: 6px 8px; }"_s.arg(mix(pal.color(QPalette::Base), warning, darkPalette() ? 0.22 : 0.18).name(),
                                                                                 pal.color(QPalette::Text).name(), warning.name()));
    updateNotes();
}

void ResponseView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    applyTones();
    if (!m_highlighter)
        return;
    m_highlighter->setColors(palette());
    // Re-coloured a slice per event-loop turn: rehighlight() of 8 MB would freeze the window.
    if (!m_prettyView->document()->isEmpty()) {
        m_rehighlightBlock = 0;
        m_fillTimer->start();
    }
}

// ---- busy ----

void ResponseView::setBusy(bool busy, qint64 received, qint64 total)
{
    const bool started = busy && !m_busy;
    m_busy = busy;
    m_progressRow->setVisible(busy);
    if (!busy)
        return;
    if (started)
        m_cancel->setEnabled(true);
    if (!m_cancel->isEnabled())
        return; // "Canceling…" stays until the caller ends it
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::clamp<qint64>(std::max<qint64>(received, 0) * 1000 / total, 0, 1000)));
        m_progressLabel->setText(tr("Receiving… %1 of %2").arg(formatSize(std::max<qint64>(received, 0)), formatSize(total)));
    } else {
        // Unknown length: a busy bar.
        m_progress->setRange(0, 0);
        m_progressLabel->setText(received > 0 ? tr("Receiving… %1").arg(formatSize(received)) : tr("Waiting for the response…"));
    }
    m_progress->setAccessibleDescription(m_progressLabel->text());
}

void ResponseView::setWaiting(const QString &what)
{
    setBusy(true);
    if (!m_cancel->isEnabled())
        return;
    m_progress->setRange(0, 0);
    m_progressLabel->setText(what);
    m_progress->setAccessibleDescription(what);
}

// ---- find ----

void ResponseView::find()
{
    if (m_tabs->currentWidget() == m_headersView || !m_tabs->isTabEnabled(m_tabs->currentIndex()))
        m_tabs->setCurrentIndex(0);
    m_findBar->open();
}

void ResponseView::updateFindTarget()
{
    QWidget *page = m_tabs->currentWidget();
    if (page && page->isAncestorOf(m_prettyView))
        m_findBar->setTextTarget(m_prettyView);
    else if (page && page->isAncestorOf(m_rawView))
        m_findBar->setTextTarget(m_rawView);
    else if (page && page->isAncestorOf(m_treeView))
        m_findBar->setTreeTarget(m_treeView, m_treeModel);
    else
        m_findBar->clearTarget();
}

// ---- save and copy ----

void ResponseView::askAndSave()
{
    if (m_response.body.isEmpty())
        return;
    const QString mime = m_response.contentType.section(u';', 0, 0).trimmed().toLower();
    QString suffix = QMimeDatabase().mimeTypeForName(mime).preferredSuffix();
    if (suffix.isEmpty())
        suffix = m_isJson ? u"json"_s : m_isBinary ? u"bin"_s : u"txt"_s;
    QString directory = m_lastSaveDirectory;
    if (directory.isEmpty())
        directory = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    const QString suggested = QDir(directory).filePath(suggestedBaseName + u'.' + suffix);
    const QString path = QFileDialog::getSaveFileName(this, tr("Save response body"), suggested);
    if (path.isEmpty())
        return;
    m_lastSaveDirectory = QFileInfo(path).absolutePath();
    saveBodyTo(path);
}

void ResponseView::saveBodyTo(const QString &path)
{
    auto promise = std::make_shared<QPromise<QString>>();
    promise->start();
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        const QString error = watcher->future().resultCount() > 0 ? watcher->future().result() : tr("The save was interrupted.");
        watcher->deleteLater();
        m_saveStatus->show();
        if (error.isEmpty()) {
            m_saveStatus->setText(tr("Saved."));
            m_saveStatus->setToolTip(tr("Saved to %1").arg(QDir::toNativeSeparators(path)));
            m_saveStatus->setForegroundRole(QPalette::PlaceholderText);
            Q_EMIT bodySaved(path);
        } else {
            m_saveStatus->setText(tr("Not saved: %1").arg(error));
            m_saveStatus->setToolTip(QDir::toNativeSeparators(path));
            QPalette statusPalette = m_saveStatus->palette();
            statusPalette.setColor(QPalette::WindowText, negativeText(palette()));
            m_saveStatus->setPalette(statusPalette);
            m_saveStatus->setForegroundRole(QPalette::WindowText);
            Q_EMIT bodySaveFailed(path, error);
        }
    });
    watcher->setFuture(promise->future());
    // A 50 MB write can take a while on a slow disk; QSaveFile keeps the old file until it is whole.
    QThreadPool::globalInstance()->start([promise, path, body = m_response.body] {
        QSaveFile file(path);
        QString error;
        if (!file.open(QIODevice::WriteOnly)) {
            error = file.errorString();
        } else if (file.write(body) != body.size()) {
            error = file.errorString();
            file.cancelWriting();
        } else if (!file.commit()) {
            error = file.errorString();
        }
        promise->addResult(error);
        promise->finish();
    });
}

void ResponseView::copyBody()
{
    const QByteArray &body = m_response.body;
    if (body.isEmpty() || m_isBinary)
        return;
    auto *mime = new QMimeData;
    const QByteArray charset = JsonFormatter::charsetOf(m_response.contentType);
    if (charset.isEmpty() || charset == "utf-8" || charset == "utf8") {
        // Handed over as bytes: no conversion of a 50 MB body on the UI thread; the application
        // that pastes decodes it.
        mime->setData(u"text/plain;charset=utf-8"_s, body);
        mime->setData(u"text/plain"_s, body);
    } else {
        QStringDecoder decoder(charset.constData());
        mime->setText(decoder.isValid() ? decoder.decode(body) : QString::fromLatin1(body));
    }
    if (m_isJson)
        mime->setData(u"application/json"_s, body);
    QGuiApplication::clipboard()->setMimeData(mime);
    m_saveStatus->setText(tr("Copied %1.").arg(formatSize(body.size())));
    m_saveStatus->setToolTip({});
    m_saveStatus->setForegroundRole(QPalette::PlaceholderText);
    m_saveStatus->show();
}

// ---- helpers ----

void ResponseView::setDisplayCap(qsizetype bytes)
{
    m_displayCap = std::max<qsizetype>(bytes, 1024);
}

void ResponseView::setDisplayLineCap(qsizetype lines)
{
    m_displayLineCap = std::max<qsizetype>(lines, 100);
}

QString ResponseView::formatElapsed(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return tr("%L1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%L1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
    return tr("%L1 min %L2 s").arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

QString ResponseView::formatSize(qint64 bytes)
{
    if (bytes < 0)
        return {};
    if (bytes < 1024)
        return bytes == 1 ? tr("1 byte") : tr("%L1 bytes").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}
