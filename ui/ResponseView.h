#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class FindBar;
class JsonHighlighter;
class JsonTreeModel;
class QLabel;
class QElapsedTimer;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTextDocument;
class QTimer;
class QToolButton;
class QTreeView;
template<typename T>
class QFutureWatcher;

// What the response viewer shows of one exchange; filled by whoever sent the request.
struct ResponseDisplay
{
    int status = 0;
    QString reason;        // "Forbidden"
    QString statusMeaning; // "Forbidden — the token lacks trades:execute"
    QString readout;       // why a 401/403/409/429 happened, several lines; may be empty
    QStringList missingScopes; // a 403 that named the scopes the token lacks: offered to authorize with
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString contentType;
    qint64 elapsedMs = -1;
    qint64 sizeBytes = -1; // on the wire; the body's size when -1
    QString error;         // a transport failure instead of an answer, or why nothing was sent
    bool notSent = false;  // nothing went out (error says why): no answer is shown as one
    QStringList notes;     // what else happened in this exchange (a token fetched first, a redirect, …)

    // The answer passed a size limit and its transfer was stopped there: its status, headers and
    // the part of the body that came (never more than the limit) are shown under a banner that
    // says so, never as a whole answer.
    struct Cut
    {
        bool headers = false; // the header block passed its limit: the body was never read
        qint64 limit = 0;     // in bytes; decoded bytes for the body
        qint64 at = 0;        // where the part shown ends
    };
    std::optional<Cut> cut;
};

// Shows one HTTP response: the status (coloured by class, with its meaning here), timing and
// size, the explanation of a denial, and the body as pretty JSON, a tree, raw text and headers.
//
// Big bodies never freeze the window: the body is parsed and formatted on a worker thread
// (JsonTreeModel::parse, JsonFormatter), the text views get at most displayCap() bytes, and that
// text is appended a few milliseconds per event-loop turn, visible tab first. Saving writes the
// whole body, also off the UI thread.
class ResponseView : public QWidget
{
    Q_OBJECT

public:
    explicit ResponseView(QWidget *parent = nullptr);
    ~ResponseView() override;

    void setResponse(const ResponseDisplay &response);
    void clear();
    bool hasResponse() const { return m_hasResponse; }
    QByteArray body() const { return m_response.body; }

    // Progress while a long transfer runs, with a Cancel button. total < 0: unknown length;
    // received < 0: nothing received yet.
    void setBusy(bool busy, qint64 received = -1, qint64 total = -1);
    // Busy with something other than the transfer, said in text ("Authorizing first…").
    void setWaiting(const QString &what);
    bool isBusy() const { return m_busy; }

    // From setResponse() until the Pretty, Tree and Raw views hold all they are going to show:
    // the worker's parsing and formatting, then the appending of the text.
    bool isParsing() const;

    // Writes the whole body to path off the UI thread; bodySaved() or bodySaveFailed() follows.
    // "Save body…" asks for the path first.
    void saveBodyTo(const QString &path);

    // How much of a body the text views show: 8 MB or 100 000 lines, whichever comes first
    // (a text view costs about 0.5 KB per line). Save writes everything.
    void setDisplayCap(qsizetype bytes);
    qsizetype displayCap() const { return m_displayCap; }
    void setDisplayLineCap(qsizetype lines);
    qsizetype displayLineCap() const { return m_displayLineCap; }

    // Ctrl+F: the find bar, on the Pretty, Tree or Raw view being looked at (Pretty from Headers).
    void find();
    FindBar *findBar() const { return m_findBar; }

    static QString formatElapsed(qint64 ms);
    static QString formatSize(qint64 bytes);

Q_SIGNALS:
    void cancelRequested();
    // The user asked for a token that also has the scopes the denial named.
    void authorizeWithScopesRequested(const QStringList &missingScopes);
    void bodySaved(const QString &path);
    void bodySaveFailed(const QString &path, const QString &error);
    // isParsing() went false: everything for the current response is shown.
    void parsingFinished();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Prepared;
    struct Fill
    {
        QPlainTextEdit *view = nullptr;
        QString text;
        qsizetype position = 0;
    };
    enum class Tone { Neutral, Success, Warning, Danger };

    void buildUi();
    QWidget *buildTextPage(QPlainTextEdit *&view, QLabel *&note, const QString &name, const QString &accessibleName);
    QWidget *buildTreePage();
    void showStatus();
    void showHeaders();
    QString cutText() const;
    void resetBody();
    void startPreparing();
    void takeResult(int index);
    void showText(QPlainTextEdit *view, const QString &text);
    void fillSome();
    void retireDocument(QPlainTextEdit *view);
    void dismantleSome(const QElapsedTimer &clock);
    void updateParsingState();
    void updateTreeInfo();
    void updateNotes();
    void applyTones();
    Tone statusTone() const;
    bool darkPalette() const;
    void askAndSave();
    void copyBody();
    void updateFindTarget();

    ResponseDisplay m_response;
    bool m_hasResponse = false;
    bool m_busy = false;
    bool m_isJson = false;
    bool m_isBinary = false;
    bool m_wasParsing = false;
    bool m_preparing = false;     // the worker has not finished with the current body
    int m_rehighlightBlock = -1; // next block to re-colour after a palette change
    qsizetype m_displayCap = 8 * 1024 * 1024;
    qsizetype m_displayLineCap = 100'000;
    quint64 m_generation = 0;
    QString m_prettyNoteText;
    bool m_prettyNoteIsWarning = false;
    QString m_rawNoteText;
    QString m_rawText; // kept until the parse says whether Pretty shows it
    QString m_lastSaveDirectory;

    QFutureWatcher<Prepared> *m_watcher = nullptr;
    std::vector<Fill> m_fills;
    std::vector<QTextDocument *> m_retired; // documents a view no longer shows, emptied step by step
    int m_retireStep = 4000; // blocks a retired document loses per step, adapted to what a step costs
    QTimer *m_fillTimer = nullptr;
    JsonTreeModel *m_treeModel = nullptr;
    JsonHighlighter *m_highlighter = nullptr; // a child of the pretty view's document, when JSON

    QWidget *m_progressRow = nullptr;
    QLabel *m_progressLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_emptyState = nullptr;
    QLabel *m_statusLine = nullptr;
    QLabel *m_statusMeaning = nullptr;
    QLabel *m_metrics = nullptr;
    QLabel *m_readout = nullptr;
    QLabel *m_exchangeNotes = nullptr;
    QLabel *m_cutBanner = nullptr;
    QPushButton *m_authorizeMissing = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_parsingIndicator = nullptr;
    QLabel *m_saveStatus = nullptr;
    QPushButton *m_saveBody = nullptr;
    QPushButton *m_copyBody = nullptr;
    QPlainTextEdit *m_prettyView = nullptr;
    QLabel *m_prettyNote = nullptr;
    QPlainTextEdit *m_rawView = nullptr;
    QLabel *m_rawNote = nullptr;
    QTreeView *m_treeView = nullptr;
    QLabel *m_treeInfo = nullptr;
    QToolButton *m_expandAll = nullptr;
    QToolButton *m_collapseAll = nullptr;
    QTableWidget *m_headersView = nullptr;
    FindBar *m_findBar = nullptr;
};
